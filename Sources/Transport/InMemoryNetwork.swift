/// A deterministic in-process network with a virtual clock, for testing game rules
/// without threads, sockets or real time (the embedded-channel idea of swift-nio).
///
/// Semantics:
/// - Time is `now`, in virtual milliseconds, and moves only when the test calls
///   `advanceTime(by:)`, `advanceTime(to:)` or `advanceToNextDelivery()`.
/// - A message sent at `now` over a link with latency L, with extra fault delay D,
///   becomes deliverable at `now + L + D` — but never before an earlier message on
///   the same link (links are FIFO, like the TCP connections of the real transport).
/// - `receive` on an endpoint returns its earliest deliverable message, ordered by
///   delivery time then by global send sequence; it never blocks and never moves the
///   clock (see `InMemoryEndpoint.receive`).
/// - Sending to a name with no open endpoint throws `.unknownPeer` (as ROUTER_MANDATORY
///   does); messages still in flight to an endpoint that closes are discarded.
/// - Fault drops are silent to the sender and counted in `statistics`.
/// Nothing depends on host time, host randomness or dictionary order.
public final class InMemoryNetwork {
    /// Message counters, for assertions and reports.
    public struct Statistics: Sendable, Equatable {
        /// Messages accepted by `send`.
        public var sent = 0
        /// Messages dropped by fault injection.
        public var dropped = 0
        /// Messages handed to a receiver.
        public var delivered = 0
        /// Messages discarded because their receiver closed before receiving them.
        public var discarded = 0
    }

    private struct Link: Hashable {
        var from: String
        var to: String
    }

    private struct InFlight {
        var deliverAt: Int
        var sequence: Int
        var envelope: Envelope
    }

    /// The virtual clock, in milliseconds since the network was created.
    public private(set) var now: Int = 0
    /// Latency of every link without an explicit `setLatency`, in milliseconds.
    public var defaultLatencyMilliseconds: Int
    /// The fault injector applied to every send (counters and generator advance).
    public var faults: FaultInjector
    /// Counters since creation.
    public private(set) var statistics = Statistics()

    private var latencies: [Link: Int] = [:]
    private var linkTail: [Link: Int] = [:]
    private var mailboxes: [String: [InFlight]] = [:]
    private var nextSequence = 0

    /// A network at virtual time 0 with uniform latency and the given faults.
    public init(defaultLatencyMilliseconds: Int = 0, faults: FaultInjector = FaultInjector()) {
        precondition(defaultLatencyMilliseconds >= 0, "latency cannot be negative")
        self.defaultLatencyMilliseconds = defaultLatencyMilliseconds
        self.faults = faults
    }

    /// Opens an endpoint called `name`. Throws `.invalidName` for a name that could
    /// not be a ZeroMQ routing id (so scenarios stay portable) and `.duplicateName`
    /// if an endpoint of that name is open.
    public func endpoint(named name: String) throws -> InMemoryEndpoint {
        try PartyName.validate(name)
        guard mailboxes[name] == nil else {
            throw TransportError(.duplicateName, "an in-memory endpoint named \(name.debugDescription) is already open")
        }
        mailboxes[name] = []
        return InMemoryEndpoint(name: name, network: self)
    }

    /// Names of the open endpoints, sorted.
    public var endpointNames: [String] { mailboxes.keys.sorted() }

    /// Sets the one-way latency from `from` to `to` (set both directions for a
    /// symmetric link). Affects messages sent afterwards.
    public func setLatency(from: String, to: String, milliseconds: Int) {
        precondition(milliseconds >= 0, "latency cannot be negative")
        latencies[Link(from: from, to: to)] = milliseconds
    }

    /// The one-way latency from `from` to `to`.
    public func latency(from: String, to: String) -> Int {
        latencies[Link(from: from, to: to)] ?? defaultLatencyMilliseconds
    }

    /// Moves the clock forward by `milliseconds` (≥ 0).
    public func advanceTime(by milliseconds: Int) {
        precondition(milliseconds >= 0, "virtual time only moves forward")
        now = now.saturatingAdd(milliseconds)
    }

    /// Moves the clock to `time` if that is later than `now`; never moves it back.
    public func advanceTime(to time: Int) {
        if time > now { now = time }
    }

    /// The earliest delivery time of any message in flight, or nil when the network
    /// is quiet. May be ≤ `now` when a message is deliverable but not yet received.
    public var nextDeliveryTime: Int? {
        mailboxes.values.compactMap { $0.first?.deliverAt }.min()
    }

    /// Advances the clock to `nextDeliveryTime` (if later than `now`). Returns false
    /// when nothing is in flight — the loop "deliver, advance, repeat" then stops.
    @discardableResult
    public func advanceToNextDelivery() -> Bool {
        guard let t = nextDeliveryTime else { return false }
        advanceTime(to: t)
        return true
    }

    /// Messages in flight (deliverable or not) across all endpoints.
    public var pendingCount: Int { mailboxes.values.reduce(0) { $0 + $1.count } }

    /// Messages in flight to `name`.
    public func pendingCount(for name: String) -> Int { mailboxes[name]?.count ?? 0 }

    // MARK: - Used by InMemoryEndpoint

    func isOpen(_ name: String) -> Bool { mailboxes[name] != nil }

    func send(from: String, to: String, payload: [UInt8]) throws {
        guard mailboxes[from] != nil else { throw TransportError(.closed, "in-memory endpoint \(from) is closed; cannot send to \(to)") }
        guard mailboxes[to] != nil else {
            throw TransportError(.unknownPeer, "in-memory endpoint \(from) has no peer named \(to.debugDescription)")
        }
        statistics.sent += 1
        let extra: Int
        switch faults.decide(from: from, to: to) {
        case .drop:
            statistics.dropped += 1
            return
        case .deliver(let ms):
            extra = ms
        }
        let link = Link(from: from, to: to)
        let deliverAt = max(now.saturatingAdd(latency(from: from, to: to)).saturatingAdd(extra), linkTail[link] ?? Int.min)
        linkTail[link] = deliverAt
        let item = InFlight(deliverAt: deliverAt, sequence: nextSequence, envelope: Envelope(from: from, to: to, payload: payload))
        nextSequence += 1
        // Keep the mailbox sorted by (deliverAt, sequence); the new item has the
        // largest sequence, so it goes after every item due no later than it.
        var box = mailboxes[to]!
        mailboxes[to] = nil
        var lo = 0, hi = box.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if box[mid].deliverAt <= deliverAt { lo = mid + 1 } else { hi = mid }
        }
        box.insert(item, at: lo)
        mailboxes[to] = box
    }

    func receive(for name: String) throws -> Envelope? {
        guard let box = mailboxes[name] else { throw TransportError(.closed, "in-memory endpoint \(name) is closed; cannot receive") }
        guard let first = box.first, first.deliverAt <= now else { return nil }
        mailboxes[name]!.removeFirst()
        statistics.delivered += 1
        return first.envelope
    }

    func close(_ name: String) {
        if let box = mailboxes.removeValue(forKey: name) {
            statistics.discarded += box.count
        }
        for link in linkTail.keys where link.to == name || link.from == name {
            linkTail[link] = nil
        }
    }
}

/// One party's endpoint on an `InMemoryNetwork`. Any open endpoint can address any
/// other by name (the star is the roles' convention, not enforced here).
public final class InMemoryEndpoint: BroadcastEndpoint {
    /// This party's name.
    public let name: String
    /// The network this endpoint lives on (kept alive by the endpoint).
    public let network: InMemoryNetwork
    /// Peers learned from their first message to this endpoint, in order.
    public private(set) var peers: [String] = []
    private var known: Set<String> = []
    private var closed = false

    init(name: String, network: InMemoryNetwork) {
        self.name = name
        self.network = network
    }

    /// True once `close()` has run.
    public var isClosed: Bool { closed }

    /// Puts `payload` in flight to `peer` at the network's `now`.
    public func send(to peer: String, _ payload: [UInt8]) throws {
        if closed { throw TransportError(.closed, "in-memory endpoint \(name) is closed; cannot send to \(peer)") }
        try network.send(from: name, to: peer, payload: payload)
    }

    /// The earliest message deliverable at the network's current `now`, or nil.
    /// The timeout is accepted for protocol compatibility but does not wait: a
    /// single-threaded simulation cannot block, and moving the shared clock from
    /// inside one party's receive would be invisible to the others. Tests advance
    /// time explicitly (`advanceTime`, `advanceToNextDelivery`).
    public func receive(timeoutMilliseconds: Int) throws -> Envelope? {
        if closed { throw TransportError(.closed, "in-memory endpoint \(name) is closed; cannot receive") }
        guard let e = try network.receive(for: name) else { return nil }
        if known.insert(e.from).inserted { peers.append(e.from) }
        return e
    }

    /// Leaves the network: messages in flight to this endpoint are discarded and the
    /// name may be opened again. Idempotent.
    public func close() {
        if closed { return }
        closed = true
        network.close(name)
    }
}
