/// Wraps any endpoint (typically a ZeroMQ one) and applies `LinkFaults` to the
/// messages it sends: drops them (silently, like a lossy network) or holds them
/// until a deadline. Held messages are released, in order, by later calls to
/// `send`, `receive` or `flush` — there is no background thread — and `receive`
/// waits in slices so a held message goes out on time while it waits.
///
/// Only messages whose sender is this endpoint can match, so every process can be
/// given the scenario's whole fault set. Per-peer order is kept: a message never
/// overtakes an earlier held message to the same peer.
public final class FaultyEndpoint<Inner: MessageEndpoint>: MessageEndpoint {
    private struct Held {
        var deadline: Int
        var to: String
        var payload: [UInt8]
    }

    /// The wrapped endpoint.
    public let inner: Inner
    /// The injector deciding each message's fate (its counters and generator advance).
    public private(set) var injector: FaultInjector
    private let clock: () -> Int
    private var held: [Held] = []   // sorted by deadline; ties keep send order
    private var closed = false

    /// Wraps `inner`. `clock` gives milliseconds; it defaults to the monotonic host
    /// clock and can be a virtual clock (e.g. `{ network.now }`) in tests.
    public init(wrapping inner: Inner, faults: FaultInjector, clock: @escaping () -> Int = monotonicMilliseconds) {
        self.inner = inner
        self.injector = faults
        self.clock = clock
    }

    /// The wrapped endpoint's name.
    public var name: String { inner.name }

    /// Messages currently held back.
    public var heldCount: Int { held.count }

    /// The deadline of the earliest held message, if any.
    public var nextReleaseTime: Int? { held.first?.deadline }

    /// Sends through the faults: dropped, held, or passed on at once (after
    /// releasing anything due).
    public func send(to peer: String, _ payload: [UInt8]) throws {
        if closed { throw TransportError(.closed, "faulty endpoint \(name) is closed; cannot send to \(peer)") }
        try flush()
        switch injector.decide(from: name, to: peer) {
        case .drop:
            return
        case .deliver(let extra):
            let now = clock()
            let queuedBefore = held.last(where: { $0.to == peer })?.deadline
            if extra <= 0 && queuedBefore == nil {
                try inner.send(to: peer, payload)
                return
            }
            let deadline = max(now.saturatingAdd(max(extra, 0)), queuedBefore ?? Int.min)
            let index = held.firstIndex(where: { $0.deadline > deadline }) ?? held.endIndex
            held.insert(Held(deadline: deadline, to: peer, payload: payload), at: index)
        }
    }

    /// Releases every held message whose deadline has passed. If the inner send of a
    /// released message fails, that message is discarded and the error rethrown with
    /// a note that it was a delayed message.
    public func flush() throws {
        if closed { throw TransportError(.closed, "faulty endpoint \(name) is closed; cannot flush") }
        let now = clock()
        while let first = held.first, first.deadline <= now {
            held.removeFirst()
            do {
                try inner.send(to: first.to, first.payload)
            } catch var error as TransportError {
                error.detail = "delayed message to \(first.to): " + error.detail
                throw error
            }
        }
    }

    /// Receives from the wrapped endpoint, releasing held messages as their
    /// deadlines pass during the wait. With a clock that does not move by itself (a
    /// virtual clock), this does not wait: it returns what the inner endpoint has.
    public func receive(timeoutMilliseconds: Int) throws -> Envelope? {
        if closed { throw TransportError(.closed, "faulty endpoint \(name) is closed; cannot receive") }
        try flush()
        let deadline: Int? = timeoutMilliseconds < 0 ? nil : clock().saturatingAdd(timeoutMilliseconds)
        while true {
            let now = clock()
            var wait = -1
            if let deadline { wait = max(0, deadline - now) }
            if let release = held.first?.deadline {
                let untilRelease = max(0, release - now)
                wait = wait < 0 ? untilRelease : min(wait, untilRelease)
            }
            let got = try inner.receive(timeoutMilliseconds: wait)
            try flush()
            if let got { return got }
            let after = clock()
            if let deadline, after >= deadline { return nil }
            if wait != 0 && after <= now { return nil }   // the clock is not moving on its own
        }
    }

    /// Closes the wrapped endpoint; held messages are discarded. Idempotent.
    public func close() {
        if closed { return }
        closed = true
        held.removeAll()
        inner.close()
    }
}

extension FaultyEndpoint: BroadcastEndpoint where Inner: BroadcastEndpoint {
    /// The wrapped hub's peers; `broadcast` sends to each through the faults.
    public var peers: [String] { inner.peers }
}

/// An endpoint that may hold messages back until a deadline: its owner must call
/// `flush()` by `nextReleaseTime` (in the endpoint's clock) for them to go out on time.
public protocol HoldingEndpoint: MessageEndpoint {
    /// The deadline of the earliest held message, if any.
    var nextReleaseTime: Int? { get }
    /// Sends every held message whose deadline has passed.
    func flush() throws
}

extension FaultyEndpoint: HoldingEndpoint {}
