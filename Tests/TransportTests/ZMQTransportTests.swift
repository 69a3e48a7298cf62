import Testing
@testable import Transport
#if canImport(Glibc)
import Glibc
#endif

/// Pattern bytes independent of any transport code: byte i of a message of seed s.
private func pattern(count: Int, seed: UInt8) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count { buffer[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 9) ^ seed }
        initialized = count
    }
}

/// A unique ipc path for this process and test.
private func ipcEndpoint(_ tag: String) -> String {
    "ipc:///tmp/tbsim-transport-\(getpid())-\(tag).sock"
}

/// Builds a hub bound to `endpoint` and clients connected to its actual endpoint;
/// each client says hello so the hub learns it.
private func star(_ context: ZMQContext, endpoint: String, parties: [String],
                  hubOptions: ZMQSocket.Options = ZMQSocket.Options()) throws -> (ZMQHub, [ZMQClient], String) {
    let hub = try ZMQHub(context: context, options: hubOptions)
    let actual = try hub.bind(endpoint: endpoint)
    var clients: [ZMQClient] = []
    for p in parties {
        let c = try ZMQClient(name: p, context: context)
        try c.connect(endpoint: actual)
        clients.append(c)
    }
    return (hub, clients, actual)
}

@Suite("ZeroMQ transport")
struct ZMQTransportTests {
    @Test("ROUTER/DEALER round trip over tcp loopback on a free port")
    func tcpRoundTrip() throws {
        let ctx = try ZMQContext()
        let (hub, clients, actual) = try star(ctx, endpoint: "tcp://127.0.0.1:*", parties: ["solver"])
        #expect(actual.hasPrefix("tcp://127.0.0.1:"))
        #expect(!actual.hasSuffix(":*") && !actual.hasSuffix(":0"))
        #expect(hub.boundEndpoints == [actual])
        let solver = clients[0]
        try solver.send(to: "judge", Array("hello".utf8))
        let got = try hub.receive(timeoutMilliseconds: 5000)
        #expect(got == Envelope(from: "solver", to: "judge", payload: Array("hello".utf8)))
        #expect(hub.peers == ["solver"])
        try hub.send(to: "solver", [1, 2, 3])
        let back = try solver.receive(timeoutMilliseconds: 5000)
        #expect(back == Envelope(from: "judge", to: "solver", payload: [1, 2, 3]))
        // An empty payload is a valid message too.
        try solver.send(to: "judge", [])
        #expect(try hub.receive(timeoutMilliseconds: 5000)?.payload == [])
    }

    @Test("round trip over inproc and ipc", arguments: ["inproc", "ipc"])
    func otherTransports(kind: String) throws {
        let ctx = try ZMQContext()
        let endpoint = kind == "inproc" ? "inproc://tbsim-hub-test" : ipcEndpoint("roundtrip")
        let (hub, clients, actual) = try star(ctx, endpoint: endpoint, parties: ["verifier-1", "verifier-2"])
        #expect(actual.hasPrefix(kind + "://"))
        for (i, c) in clients.enumerated() { try c.send(to: "judge", [UInt8(i)]) }
        var seen: [String: [UInt8]] = [:]
        for _ in 0..<2 {
            let e = try #require(try hub.receive(timeoutMilliseconds: 5000))
            seen[e.from] = e.payload
        }
        #expect(seen == ["verifier-1": [0], "verifier-2": [1]])
        #expect(Set(hub.peers) == ["verifier-1", "verifier-2"])
        try hub.broadcast([9, 9])
        for c in clients {
            #expect(try c.receive(timeoutMilliseconds: 5000) == Envelope(from: "judge", to: c.name, payload: [9, 9]))
        }
        hub.close()
        for c in clients { c.close() }
        if kind == "ipc" { unlink(String(actual.dropFirst("ipc://".count))) }
    }

    @Test("multipart messages keep every frame, including empty ones")
    func multipart() throws {
        let ctx = try ZMQContext()
        let router = try ZMQSocket(context: ctx, kind: .router)
        let endpoint = try router.bind("tcp://127.0.0.1:*")
        var opts = ZMQSocket.Options()
        opts.routingID = Array("solver".utf8)
        let dealer = try ZMQSocket(context: ctx, kind: .dealer, options: opts)
        try dealer.connect(endpoint)
        let frames: [[UInt8]] = [[1], [], pattern(count: 1000, seed: 7), [0, 0, 0]]
        try dealer.send(frames: frames)
        let got = try #require(try router.receive(timeoutMilliseconds: 5000))
        #expect(got == [Array("solver".utf8)] + frames)
        try router.send(frames: [Array("solver".utf8), [4], [5, 6]])
        #expect(try dealer.receive(timeoutMilliseconds: 5000) == [[4], [5, 6]])
    }

    @Test("pair sockets over inproc exchange multipart messages")
    func pairSockets() throws {
        let ctx = try ZMQContext()
        let left = try ZMQSocket(context: ctx, kind: .pair)
        let right = try ZMQSocket(context: ctx, kind: .pair)
        let endpoint = try left.bind("inproc://tbsim-pair-test")
        #expect(endpoint == "inproc://tbsim-pair-test")
        try right.connect(endpoint)
        #expect(right.lastEndpoint == endpoint)
        try right.send(frames: [[1, 2], [3]])
        #expect(try left.receive(timeoutMilliseconds: 5000) == [[1, 2], [3]])
        try left.send(frames: [[]])
        #expect(try right.receive(timeoutMilliseconds: 5000) == [[]])
        left.close()
        left.close()
        #expect(left.lastEndpoint == nil)
        #expect((try #require(throws: TransportError.self) { try left.send(frames: [[1]]) }).code == .closed)
    }

    @Test("a 4 MiB message arrives intact both ways")
    func largeMessage() throws {
        let ctx = try ZMQContext()
        let (hub, clients, _) = try star(ctx, endpoint: "tcp://127.0.0.1:*", parties: ["solver"])
        let big = pattern(count: 4 << 20, seed: 0x5a)
        try clients[0].send(to: "judge", big)
        let got = try #require(try hub.receive(timeoutMilliseconds: 10000))
        #expect(got.payload.count == big.count)
        #expect(got.payload == big)
        let big2 = pattern(count: 4 << 20, seed: 0xa5)
        try hub.send(to: "solver", big2)
        #expect(try clients[0].receive(timeoutMilliseconds: 10000)?.payload == big2)
    }

    @Test("a frame above ZMQ_MAXMSGSIZE is dropped by libzmq, not delivered")
    func oversizedDropped() throws {
        let ctx = try ZMQContext()
        var hubOptions = ZMQSocket.Options()
        hubOptions.maxMessageBytes = 64 << 10
        let (hub, clients, _) = try star(ctx, endpoint: "tcp://127.0.0.1:*", parties: ["solver"], hubOptions: hubOptions)
        let solver = clients[0]
        // Establish the connection with a small message first.
        try solver.send(to: "judge", [1])
        #expect(try hub.receive(timeoutMilliseconds: 5000)?.payload == [1])
        try solver.send(to: "judge", pattern(count: 128 << 10, seed: 1))
        #expect(try hub.receive(timeoutMilliseconds: 300) == nil)
        // The DEALER reconnects on its own; later small messages get through again,
        // and the oversized one never shows up.
        var recovered = false
        let deadline = monotonicMilliseconds() + 5000
        while !recovered && monotonicMilliseconds() < deadline {
            try solver.send(to: "judge", [2])
            while let e = try hub.receive(timeoutMilliseconds: 100) {
                #expect(e.payload == [2])
                recovered = true
            }
        }
        #expect(recovered)
    }

    @Test("sending to an unknown peer is an error, not a silent drop")
    func unknownPeer() throws {
        let ctx = try ZMQContext()
        let (hub, clients, _) = try star(ctx, endpoint: "tcp://127.0.0.1:*", parties: ["solver"])
        let error = try #require(throws: TransportError.self) { try hub.send(to: "verifier-9", [1]) }
        #expect(error.code == .unknownPeer)
        #expect(error.detail.contains("verifier-9"))
        let clientError = try #require(throws: TransportError.self) { try clients[0].send(to: "verifier-1", [1]) }
        #expect(clientError.code == .unknownPeer)
    }

    @Test("receive times out with nil")
    func receiveTimeout() throws {
        let ctx = try ZMQContext()
        let (hub, clients, _) = try star(ctx, endpoint: "tcp://127.0.0.1:*", parties: ["solver"])
        #expect(try hub.receive(timeoutMilliseconds: 50) == nil)
        #expect(try hub.receive(timeoutMilliseconds: 0) == nil)
        #expect(try clients[0].receive(timeoutMilliseconds: 20) == nil)
    }

    @Test("close is idempotent and a closed endpoint errors cleanly")
    func closeIdempotent() throws {
        let ctx = try ZMQContext()
        let (hub, clients, _) = try star(ctx, endpoint: "tcp://127.0.0.1:*", parties: ["solver"])
        try clients[0].send(to: "judge", [0])
        _ = try #require(try hub.receive(timeoutMilliseconds: 5000))
        hub.close()
        hub.close()
        #expect(hub.socket.isClosed)
        #expect((try #require(throws: TransportError.self) { try hub.send(to: "solver", [1]) }).code == .closed)
        #expect((try #require(throws: TransportError.self) { try hub.receive(timeoutMilliseconds: 0) }).code == .closed)
        #expect((try #require(throws: TransportError.self) { try hub.broadcast([1]) }).code == .closed)
        #expect((try #require(throws: TransportError.self) { try hub.bind(endpoint: "tcp://127.0.0.1:*") }).code == .closed)
        let solver = clients[0]
        solver.close()
        solver.close()
        #expect((try #require(throws: TransportError.self) { try solver.send(to: "judge", [1]) }).code == .closed)
        #expect((try #require(throws: TransportError.self) { try solver.receive(timeoutMilliseconds: 0) }).code == .closed)
    }

    @Test("bind and connect errors name the endpoint and the libzmq cause")
    func endpointErrors() throws {
        let ctx = try ZMQContext()
        let first = try ZMQSocket(context: ctx, kind: .router)
        let taken = try first.bind("tcp://127.0.0.1:*")
        let second = try ZMQSocket(context: ctx, kind: .router)
        let inUse = try #require(throws: TransportError.self) { try second.bind(taken) }
        #expect(inUse.code == .bindFailed)
        #expect(inUse.cause == .addressInUse)
        #expect(inUse.description.contains(taken))
        #expect(inUse.description.contains("EADDRINUSE"))
        let bad = try #require(throws: TransportError.self) { try second.connect("carrier-pigeon://x") }
        #expect(bad.code == .connectFailed)
        #expect(bad.cause == .protocolNotSupported)
        #expect(bad.detail.contains("carrier-pigeon://x"))
        let malformed = try #require(throws: TransportError.self) { try second.bind("tcp://") }
        #expect(malformed.code == .bindFailed)
    }

    @Test("party names must be usable routing ids")
    func invalidNames() throws {
        let ctx = try ZMQContext()
        for bad in ["", "\u{0}solver", String(repeating: "x", count: 256)] {
            let error = try #require(throws: TransportError.self) { try ZMQClient(name: bad, context: ctx) }
            #expect(error.code == .invalidName)
        }
        _ = try ZMQClient(name: String(repeating: "x", count: 255), context: ctx)
    }

    @Test("a peer with no routing id is reported as malformed, and receiving continues")
    func anonymousPeer() throws {
        let ctx = try ZMQContext()
        let hub = try ZMQHub(context: ctx)
        let endpoint = try hub.bind(endpoint: "tcp://127.0.0.1:*")
        let anonymous = try ZMQSocket(context: ctx, kind: .dealer)
        try anonymous.connect(endpoint)
        try anonymous.send(frames: [[1]])
        let error = try #require(throws: TransportError.self) { try hub.receive(timeoutMilliseconds: 5000) }
        #expect(error.code == .malformedMessage)
        let named = try ZMQClient(name: "solver", context: ctx)
        try named.connect(endpoint: endpoint)
        try named.socket.send(frames: [[1], [2]])
        #expect((try #require(throws: TransportError.self) { try hub.receive(timeoutMilliseconds: 5000) }).code == .malformedMessage)
        try named.send(to: "judge", [3])
        #expect(try hub.receive(timeoutMilliseconds: 5000)?.payload == [3])
        #expect(hub.peers == ["solver"])
    }

    @Test("the hub remembers a bounded number of peers; strangers past the bound are still heard")
    func rememberedPeersAreBounded() throws {
        let ctx = try ZMQContext()
        let hub = try ZMQHub(context: ctx, rememberedPeerLimit: 3)
        let endpoint = try hub.bind(endpoint: "tcp://127.0.0.1:*")
        var clients: [ZMQClient] = []
        for i in 0..<6 {
            let c = try ZMQClient(name: "stranger-\(i)", context: ctx)
            try c.connect(endpoint: endpoint)
            try c.send(to: "judge", [UInt8(i)])
            #expect(try hub.receive(timeoutMilliseconds: 5000)?.payload == [UInt8(i)])
            clients.append(c)
        }
        #expect(hub.peers == ["stranger-0", "stranger-1", "stranger-2"])
        #expect(hub.messagesFromUnrememberedPeers == 3)
    }

    @Test("ZMQError names known codes and carries libzmq's text")
    func errorDescriptions() {
        #expect(ZMQError.again.description.hasPrefix("EAGAIN ("))
        #expect(ZMQError.terminated.description.hasPrefix("ETERM ("))
        #expect(ZMQError.hostUnreachable.description.contains("EHOSTUNREACH"))
        #expect(ZMQError(rawValue: 123456).description.hasPrefix("errno 123456"))
        #expect(ZMQContext.libraryVersion.hasPrefix("4."))
    }
}

/// Why a routing id is a connection and never an identity: libzmq's ROUTER keeps the
/// first connection of a routing id and drops every later one, so whoever connects first
/// under a name silences the name's owner. Role processes therefore connect under
/// `ZMQClient.randomConnectionName()` and prove who they are with signed hellos.
@Suite("ZeroMQ routing ids")
struct ZMQRoutingIDTests {
    @Test func aSquatterSilencesALaterConnectionOfTheSameRoutingID() throws {
        let ctx = try ZMQContext()
        let hub = try ZMQHub(context: ctx)
        defer { hub.close() }
        let endpoint = try hub.bind(endpoint: "tcp://127.0.0.1:*")
        let squatter = try ZMQClient(name: "verifier-1", context: ctx)
        defer { squatter.close() }
        try squatter.connect(endpoint: endpoint)
        try squatter.send(to: "judge", [1])
        #expect(try hub.receive(timeoutMilliseconds: 5000)?.payload == [1])
        let owner = try ZMQClient(name: "verifier-1", context: ctx)
        defer { owner.close() }
        try owner.connect(endpoint: endpoint)
        try owner.send(to: "judge", [2])
        #expect(try hub.receive(timeoutMilliseconds: 500) == nil, "libzmq now hands a routing id over; revisit docs/GAME.md")
        // Under a random routing id the owner gets through.
        let name = ZMQClient.randomConnectionName()
        #expect(name.count == 34 && name != ZMQClient.randomConnectionName())
        let fresh = try ZMQClient(name: name, context: ctx)
        defer { fresh.close() }
        try fresh.connect(endpoint: endpoint)
        try fresh.send(to: "judge", [3])
        #expect(try hub.receive(timeoutMilliseconds: 5000) == Envelope(from: name, to: "judge", payload: [3]))
    }
}
