import Transport

/// Many games over one connection. A network's chain hosts every task's game on one
/// socket, and a party process plays every task it is drawn for over one connection, so
/// each payload carries its channel: 4 bytes, big-endian, before the wire frame. Channel
/// 0 is the network's own messages (joins, task announcements, the end); channel n is
/// task n's game.
///
/// A channel is only routing, never identity: a frame sent on the wrong channel reaches
/// a game whose chain id its signature does not carry, and that game refuses it. Frames
/// for a channel that is not open, and frames too short to name one, are dropped and
/// counted; each open channel queues at most `queueLimit` frames that arrived while
/// another channel was being read, so memory stays bounded whatever a peer sends.
public final class ChannelMux {
    /// The shared connection.
    public let inner: any MessageEndpoint
    private var queues: [UInt32: [Envelope]] = [:]
    /// Frames dropped: for no open channel, too short, or over a queue's limit.
    public private(set) var dropped = 0
    /// Most frames one open channel holds while another is read.
    public let queueLimit: Int

    /// A mux over `inner`.
    public init(_ inner: any MessageEndpoint, queueLimit: Int = 10_000) {
        self.inner = inner
        self.queueLimit = queueLimit
    }

    /// The network's own channel.
    public static let network: UInt32 = 0

    /// Opens channel `n` (idempotent) and returns an endpoint for it.
    public func open(_ n: UInt32) -> ChannelEndpoint {
        if queues[n] == nil { queues[n] = [] }
        return ChannelEndpoint(mux: self, channel: n)
    }

    /// Closes channel `n`: what it holds, and whatever arrives for it later, is dropped.
    public func close(_ n: UInt32) {
        if let q = queues.removeValue(forKey: n) { dropped += q.count }
    }

    /// Whether channel `n` is open.
    public func isOpen(_ n: UInt32) -> Bool { queues[n] != nil }

    /// `payload` on channel `n`, as it goes on the wire.
    public static func frame(_ n: UInt32, _ payload: [UInt8]) -> [UInt8] {
        [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)] + payload
    }

    func send(_ n: UInt32, to peer: String, _ payload: [UInt8]) throws {
        try inner.send(to: peer, Self.frame(n, payload))
    }

    /// Waits up to `timeoutMilliseconds` for one frame from the connection and queues it
    /// on its channel (or drops it); returns whether a frame arrived.
    public func wait(timeoutMilliseconds: Int) throws -> Bool {
        guard let e = try inner.receive(timeoutMilliseconds: timeoutMilliseconds) else { return false }
        route(e)
        return true
    }

    private func route(_ e: Envelope) {
        guard let (channel, inner) = Self.split(e) else { dropped += 1; return }
        guard queues[channel] != nil, queues[channel]!.count < queueLimit else { dropped += 1; return }
        queues[channel]!.append(inner)
    }

    /// The channel and the frame inside a payload; nil when it is too short to name one.
    static func split(_ e: Envelope) -> (UInt32, Envelope)? {
        let p = e.payload
        guard p.count >= 4 else { return nil }
        let channel = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
        return (channel, Envelope(from: e.from, to: e.to, payload: Array(p[4...])))
    }

    /// The next envelope for channel `n`: one it already holds, else at most one receive
    /// from the connection (waiting up to `timeoutMilliseconds`); a frame for another open
    /// channel is queued there and nil returned, as if nothing had arrived in time.
    func receive(_ n: UInt32, timeoutMilliseconds: Int) throws -> Envelope? {
        if queues[n]?.isEmpty == false { return queues[n]!.removeFirst() }
        guard let e = try inner.receive(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        if let (channel, frame) = Self.split(e), channel == n { return frame }
        route(e)
        return nil
    }
}

/// One channel of a `ChannelMux`, as an endpoint a node loop can use. Closing it closes
/// the channel, not the connection.
public final class ChannelEndpoint: MessageEndpoint {
    let mux: ChannelMux
    /// The channel's number.
    public let channel: UInt32

    init(mux: ChannelMux, channel: UInt32) {
        self.mux = mux
        self.channel = channel
    }

    /// The connection's name.
    public var name: String { mux.inner.name }

    public func send(to peer: String, _ payload: [UInt8]) throws {
        guard mux.isOpen(channel) else { throw TransportError(.closed, "channel \(channel) is closed") }
        try mux.send(channel, to: peer, payload)
    }

    public func receive(timeoutMilliseconds: Int) throws -> Envelope? {
        guard mux.isOpen(channel) else { throw TransportError(.closed, "channel \(channel) is closed") }
        return try mux.receive(channel, timeoutMilliseconds: timeoutMilliseconds)
    }

    public func close() { mux.close(channel) }
}
