import Testing
@testable import Transport

@Suite("FaultyEndpoint")
struct FaultyEndpointTests {
    @Test("holds delayed messages until their deadline on a virtual clock, keeping order")
    func delayOnVirtualClock() throws {
        let net = InMemoryNetwork()
        let judge = try net.endpoint(named: "judge")
        let faults = try FaultInjector(faults: LinkFaults.none.delaying(from: "solver", to: "judge", by: 100),
                                       generator: SeededGenerator(seed: 0))
        let solver = FaultyEndpoint(wrapping: try net.endpoint(named: "solver"), faults: faults, clock: { net.now })
        #expect(solver.name == "solver")
        try solver.send(to: "judge", [1])
        net.advanceTime(by: 40)
        try solver.send(to: "judge", [2])
        #expect(solver.heldCount == 2)
        #expect(solver.nextReleaseTime == 100)
        #expect(net.pendingCount == 0)
        net.advanceTime(to: 99)
        try solver.flush()
        #expect(solver.heldCount == 2)
        net.advanceTime(to: 100)
        #expect(try solver.receive(timeoutMilliseconds: 1000) == nil)   // releases, doesn't block
        #expect(solver.heldCount == 1)
        #expect(try judge.receive(timeoutMilliseconds: 0)?.payload == [1])
        net.advanceTime(to: 140)
        try solver.flush()
        #expect(try judge.receive(timeoutMilliseconds: 0)?.payload == [2])
        // Replies to the solver are not delayed (rules match the sender only).
        try judge.send(to: "solver", [3])
        #expect(try solver.receive(timeoutMilliseconds: 0)?.payload == [3])
    }

    @Test("drops are silent and deterministic; broadcast goes through the faults")
    func dropsAndBroadcast() throws {
        let net = InMemoryNetwork()
        let faults = try FaultInjector(faults: LinkFaults.none.droppingAfter(from: "judge", to: "verifier-2", messages: 0),
                                       generator: SeededGenerator(seed: 0))
        let judge = FaultyEndpoint(wrapping: try net.endpoint(named: "judge"), faults: faults, clock: { net.now })
        let v1 = try net.endpoint(named: "verifier-1"), v2 = try net.endpoint(named: "verifier-2")
        try v1.send(to: "judge", [1])
        try v2.send(to: "judge", [2])
        #expect(try judge.receive(timeoutMilliseconds: 0)?.from == "verifier-1")
        #expect(try judge.receive(timeoutMilliseconds: 0)?.from == "verifier-2")
        #expect(judge.peers == ["verifier-1", "verifier-2"])
        try judge.broadcast([7])
        #expect(try v1.receive(timeoutMilliseconds: 0)?.payload == [7])
        #expect(try v2.receive(timeoutMilliseconds: 0) == nil)
        #expect(judge.injector.droppedCount == 1)
        judge.close()
        judge.close()
        #expect((try #require(throws: TransportError.self) { try judge.send(to: "verifier-1", [1]) }).code == .closed)
    }

    @Test("over ZeroMQ: a held message goes out while the sender waits in receive")
    func delayOverZMQ() throws {
        let ctx = try ZMQContext()
        let hub = try ZMQHub(context: ctx)
        let endpoint = try hub.bind(endpoint: "tcp://127.0.0.1:*")
        let client = try ZMQClient(name: "solver", context: ctx)
        try client.connect(endpoint: endpoint)
        let faults = try FaultInjector(faults: LinkFaults.none.delaying(from: "solver", by: 50).droppingAfter(from: "solver", messages: 2),
                                       generator: SeededGenerator(seed: 0))
        let solver = FaultyEndpoint(wrapping: client, faults: faults)
        try solver.send(to: "judge", [1])
        #expect(solver.heldCount == 1)
        // Nothing can arrive: the message sits in the solver's wrapper until it
        // makes another call.
        #expect(try hub.receive(timeoutMilliseconds: 100) == nil)
        #expect(try solver.receive(timeoutMilliseconds: 300) == nil)   // waits, releasing the message on the way
        #expect(solver.heldCount == 0)
        #expect(try hub.receive(timeoutMilliseconds: 5000)?.payload == [1])
        try solver.send(to: "judge", [2])
        try solver.send(to: "judge", [3])      // third message: dropped
        #expect(solver.heldCount == 1)
        _ = try solver.receive(timeoutMilliseconds: 300)
        #expect(try hub.receive(timeoutMilliseconds: 5000)?.payload == [2])
        #expect(try hub.receive(timeoutMilliseconds: 200) == nil)
        solver.close()
        #expect(client.socket.isClosed)
    }
}
