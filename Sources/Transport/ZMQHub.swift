/// The judge's end of the star over ZeroMQ: a ROUTER socket that parties connect
/// to. It learns a party's name from the routing id of its first message (so every
/// party should speak first, e.g. with a hello), replies to named parties and
/// broadcasts chain events to all of them. ROUTER_MANDATORY is on, so sending to a
/// party that is not connected throws `.unknownPeer` instead of vanishing.
///
/// Two parties connecting with the same name: libzmq keeps the first connection
/// and ignores the second (no handover). So a name is a connection, never an identity:
/// role processes connect under `ZMQClient.randomConnectionName()` and prove who they
/// are with signed messages (docs/GAME.md, "Accounts and signatures").
public final class ZMQHub: BroadcastEndpoint {
    /// The hub's own name (what parties address; "judge" by default).
    public let name: String
    /// The underlying ROUTER socket (exposed for options and diagnostics).
    public let socket: ZMQSocket
    /// Peers learned from their first message, in the order they first spoke — at most
    /// `rememberedPeerLimit` of them, so strangers connecting under ever new routing ids
    /// cannot grow the hub's memory without bound.
    public private(set) var peers: [String] = []
    private var known: Set<String> = []
    /// How many peers `peers` keeps.
    public let rememberedPeerLimit: Int
    /// Messages received from peers past the limit (not remembered, so each of their
    /// messages counts; still received).
    public private(set) var messagesFromUnrememberedPeers = 0
    /// Endpoints actually bound (after resolving wildcards and port 0).
    public private(set) var boundEndpoints: [String] = []

    /// Creates the ROUTER socket. `options.routingID` is ignored (a ROUTER has none).
    public init(name: String = "judge", context: ZMQContext, options: ZMQSocket.Options = ZMQSocket.Options(),
                rememberedPeerLimit: Int = 10_000) throws {
        try PartyName.validate(name)
        self.name = name
        self.rememberedPeerLimit = rememberedPeerLimit
        var opts = options
        opts.routingID = nil
        socket = try ZMQSocket(context: context, kind: .router, options: opts)
    }

    /// Binds to `endpoint` (may be called several times) and returns the endpoint
    /// actually bound — e.g. "tcp://127.0.0.1:*" comes back with the chosen port.
    @discardableResult
    public func bind(endpoint: String) throws -> String {
        let actual = try socket.bind(endpoint)
        boundEndpoints.append(actual)
        return actual
    }

    /// Sends `payload` to the party named `peer`. Throws `.unknownPeer` if no party of
    /// that name is connected, and `.sendFailed` (cause `.again`) if the party's queue
    /// stays full for the socket's send timeout.
    public func send(to peer: String, _ payload: [UInt8]) throws {
        if socket.isClosed { throw TransportError(.closed, "hub \(name) is closed; cannot send to \(peer)") }
        do {
            try socket.send(frames: [Array(peer.utf8), payload])
        } catch var error as TransportError {
            error.detail = "hub \(name) sending to \(peer): " + error.detail
            if error.code == .unknownPeer { error.detail = "hub \(name) has no connected peer named \(peer.debugDescription)" }
            throw error
        }
    }

    /// The next message from any party. Throws `.malformedMessage` (and drops it) for
    /// a message that is not exactly [routing id, payload] or whose sender set no
    /// usable name; calling `receive` again continues with the next message.
    public func receive(timeoutMilliseconds: Int) throws -> Envelope? {
        if socket.isClosed { throw TransportError(.closed, "hub \(name) is closed; cannot receive") }
        guard let frames = try socket.receive(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        guard let from = PartyName.decode(frames[0]) else {
            throw TransportError(.malformedMessage, "hub \(name) got a message from a peer without a valid name (routing id \(frames[0].count) bytes)")
        }
        guard frames.count == 2 else {
            throw TransportError(.malformedMessage, "hub \(name) got \(frames.count - 1) payload frames from \(from); expected 1")
        }
        if !known.contains(from) {
            if known.count < rememberedPeerLimit {
                known.insert(from)
                peers.append(from)
            } else {
                messagesFromUnrememberedPeers += 1
            }
        }
        return Envelope(from: from, to: name, payload: frames[1])
    }

    /// Closes the socket. Idempotent.
    public func close() { socket.close() }
}

extension ZMQClient {
    /// A routing id nobody can guess: "c-" and 32 hex digits from the system's random
    /// source. Not committed state (it never reaches the game), so it does not affect
    /// reproducibility; it only keeps a stranger from taking a connection's place — a
    /// ROUTER keeps the first connection of a routing id and ignores later ones.
    public static func randomConnectionName() -> String {
        var g = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return "c-" + String((0..<32).map { _ in digits[Int(g.next() % 16)] })
    }
}

/// A party's end of the star over ZeroMQ: a DEALER socket whose routing id is the
/// party name, connected to the hub. It can only address the hub.
public final class ZMQClient: MessageEndpoint {
    /// This party's name, announced as the routing id.
    public let name: String
    /// The hub's name; the only valid destination.
    public let hubName: String
    /// The underlying DEALER socket.
    public let socket: ZMQSocket

    /// Creates the DEALER socket with routing id `name`.
    public init(name: String, hubName: String = "judge", context: ZMQContext, options: ZMQSocket.Options = ZMQSocket.Options()) throws {
        try PartyName.validate(name)
        try PartyName.validate(hubName)
        self.name = name
        self.hubName = hubName
        var opts = options
        opts.routingID = Array(name.utf8)
        socket = try ZMQSocket(context: context, kind: .dealer, options: opts)
    }

    /// Connects to the hub's endpoint. Messages sent before the connection is up
    /// are queued by libzmq and delivered once it is.
    public func connect(endpoint: String) throws {
        try socket.connect(endpoint)
    }

    /// Sends `payload` to the hub; any other `peer` throws `.unknownPeer`.
    public func send(to peer: String, _ payload: [UInt8]) throws {
        if socket.isClosed { throw TransportError(.closed, "client \(name) is closed; cannot send to \(peer)") }
        guard peer == hubName else {
            throw TransportError(.unknownPeer, "client \(name) can only send to the hub \(hubName.debugDescription), not \(peer.debugDescription)")
        }
        try socket.send(frames: [payload])
    }

    /// The next message from the hub, or nil on timeout. A multipart message throws
    /// `.malformedMessage` (and is dropped).
    public func receive(timeoutMilliseconds: Int) throws -> Envelope? {
        if socket.isClosed { throw TransportError(.closed, "client \(name) is closed; cannot receive") }
        guard let frames = try socket.receive(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        guard frames.count == 1 else {
            throw TransportError(.malformedMessage, "client \(name) got \(frames.count) frames from the hub; expected 1")
        }
        return Envelope(from: hubName, to: name, payload: frames[0])
    }

    /// Closes the socket. Idempotent.
    public func close() { socket.close() }
}
