import Testing
@testable import Transport

private func drain(_ e: MessageEndpoint) throws -> [Envelope] {
    var out: [Envelope] = []
    while let m = try e.receive(timeoutMilliseconds: 0) { out.append(m) }
    return out
}

@Suite("InMemoryNetwork")
struct InMemoryNetworkTests {
    @Test("zero latency: deliverable at once, in send order, clock untouched")
    func basicDelivery() throws {
        let net = InMemoryNetwork()
        let judge = try net.endpoint(named: "judge")
        let solver = try net.endpoint(named: "solver")
        let verifier = try net.endpoint(named: "verifier-1")
        try solver.send(to: "judge", [1])
        try verifier.send(to: "judge", [2])
        try solver.send(to: "judge", [3])
        #expect(try drain(judge).map(\.payload) == [[1], [2], [3]])
        #expect(judge.peers == ["solver", "verifier-1"])
        #expect(net.now == 0)
        try judge.broadcast([9])
        #expect(try solver.receive(timeoutMilliseconds: 1000) == Envelope(from: "judge", to: "solver", payload: [9]))
        #expect(try verifier.receive(timeoutMilliseconds: 1000) == Envelope(from: "judge", to: "verifier-1", payload: [9]))
        #expect(net.now == 0)
        #expect(net.statistics == .init(sent: 5, dropped: 0, delivered: 5, discarded: 0))
        #expect(net.endpointNames == ["judge", "solver", "verifier-1"])
    }

    @Test("latency: nothing before its time; order is delivery time, then send sequence")
    func latencyOrdering() throws {
        let net = InMemoryNetwork(defaultLatencyMilliseconds: 10)
        let judge = try net.endpoint(named: "judge")
        let near = try net.endpoint(named: "near")
        let far = try net.endpoint(named: "far")
        net.setLatency(from: "far", to: "judge", milliseconds: 50)
        net.setLatency(from: "near", to: "judge", milliseconds: 5)
        #expect(net.latency(from: "judge", to: "far") == 10)
        try far.send(to: "judge", [1])      // due at 50
        try near.send(to: "judge", [2])     // due at 5
        net.advanceTime(by: 5)
        try near.send(to: "judge", [3])     // due at 10
        try far.send(to: "judge", [4])      // due at 55
        #expect(net.nextDeliveryTime == 5)
        #expect(try drain(judge).map(\.payload) == [[2]])
        #expect(net.nextDeliveryTime == 10)
        net.advanceTime(by: 4)               // now 9
        #expect(try judge.receive(timeoutMilliseconds: 1000) == nil)
        #expect(net.now == 9)                // receive never moves the clock
        var log: [(Int, [UInt8])] = []
        while net.advanceToNextDelivery() {
            while let m = try judge.receive(timeoutMilliseconds: 0) { log.append((net.now, m.payload)) }
        }
        #expect(log.map(\.0) == [10, 50, 55])
        #expect(log.map(\.1) == [[3], [1], [4]])
        #expect(net.nextDeliveryTime == nil)
        #expect(!net.advanceToNextDelivery())
    }

    @Test("equal delivery times are broken by send sequence across senders")
    func tieBreak() throws {
        let net = InMemoryNetwork()
        let judge = try net.endpoint(named: "judge")
        let a = try net.endpoint(named: "a"), b = try net.endpoint(named: "b")
        net.setLatency(from: "a", to: "judge", milliseconds: 20)
        try a.send(to: "judge", [1])   // due 20, seq 0
        net.advanceTime(by: 10)
        try b.send(to: "judge", [2])   // due 10
        net.setLatency(from: "b", to: "judge", milliseconds: 10)
        try b.send(to: "judge", [3])   // due 20, seq 2: after a's message
        net.advanceTime(to: 20)
        #expect(try drain(judge).map(\.payload) == [[2], [1], [3]])
    }

    @Test("links are FIFO even when latency drops between sends")
    func fifoPerLink() throws {
        let net = InMemoryNetwork()
        let judge = try net.endpoint(named: "judge"), s = try net.endpoint(named: "solver")
        net.setLatency(from: "solver", to: "judge", milliseconds: 100)
        try s.send(to: "judge", [1])     // due 100
        net.setLatency(from: "solver", to: "judge", milliseconds: 1)
        try s.send(to: "judge", [2])     // would be due 1; held behind [1]
        net.advanceTime(to: 99)
        #expect(try judge.receive(timeoutMilliseconds: 0) == nil)
        net.advanceTime(to: 100)
        #expect(try drain(judge).map(\.payload) == [[1], [2]])
    }

    @Test("unknown peers, duplicate and invalid names, close semantics")
    func errors() throws {
        let net = InMemoryNetwork(defaultLatencyMilliseconds: 5)
        let judge = try net.endpoint(named: "judge")
        let solver = try net.endpoint(named: "solver")
        #expect((try #require(throws: TransportError.self) { try solver.send(to: "nobody", [1]) }).code == .unknownPeer)
        #expect((try #require(throws: TransportError.self) { try net.endpoint(named: "judge") }).code == .duplicateName)
        #expect((try #require(throws: TransportError.self) { try net.endpoint(named: "") }).code == .invalidName)
        try solver.send(to: "judge", [1])
        #expect(net.pendingCount(for: "judge") == 1)
        judge.close()
        judge.close()
        #expect(judge.isClosed)
        #expect(net.statistics.discarded == 1)
        #expect(net.pendingCount == 0)
        #expect((try #require(throws: TransportError.self) { try judge.receive(timeoutMilliseconds: 0) }).code == .closed)
        #expect((try #require(throws: TransportError.self) { try judge.send(to: "solver", [1]) }).code == .closed)
        #expect((try #require(throws: TransportError.self) { try solver.send(to: "judge", [1]) }).code == .unknownPeer)
        // The name can be opened again (a restarted process); the old object stays closed.
        let judge2 = try net.endpoint(named: "judge")
        try solver.send(to: "judge", [2])
        net.advanceTime(by: 5)
        #expect(try judge2.receive(timeoutMilliseconds: 0)?.payload == [2])
        #expect((try #require(throws: TransportError.self) { try judge.receive(timeoutMilliseconds: 0) }).code == .closed)
    }

    @Test("broadcast reaches every live peer and reports the ones it could not reach")
    func partialBroadcast() throws {
        let net = InMemoryNetwork()
        let judge = try net.endpoint(named: "judge")
        let a = try net.endpoint(named: "a"), b = try net.endpoint(named: "b"), c = try net.endpoint(named: "c")
        for e in [a, b, c] { try e.send(to: "judge", [0]) }
        _ = try drain(judge)
        #expect(judge.peers == ["a", "b", "c"])
        b.close()
        let error = try #require(throws: TransportError.self) { try judge.broadcast([5]) }
        #expect(error.code == .broadcastIncomplete)
        #expect(error.detail.contains("b:"))
        #expect(!error.detail.contains("a:") && !error.detail.contains("c:"))
        #expect(try a.receive(timeoutMilliseconds: 0)?.payload == [5])
        #expect(try c.receive(timeoutMilliseconds: 0)?.payload == [5])
    }

    @Test("a delay fault on a role shifts only that role's messages")
    func delayFault() throws {
        let faults = try FaultInjector(faults: LinkFaults.none.delaying(from: "solver", by: 300), generator: SeededGenerator(seed: 1))
        let net = InMemoryNetwork(defaultLatencyMilliseconds: 10, faults: faults)
        let judge = try net.endpoint(named: "judge")
        let solver = try net.endpoint(named: "solver"), verifier = try net.endpoint(named: "verifier-1")
        try solver.send(to: "judge", [1])
        try verifier.send(to: "judge", [2])
        try judge.send(to: "solver", [3])
        var arrivals: [String: Int] = [:]
        while net.advanceToNextDelivery() {
            for e in [judge, solver, verifier] as [InMemoryEndpoint] {
                while let m = try e.receive(timeoutMilliseconds: 0) { arrivals["\(m.from)>\(m.to)"] = net.now }
            }
        }
        #expect(arrivals == ["solver>judge": 310, "verifier-1>judge": 10, "judge>solver": 10])
    }

    @Test("drop-after fault: a role goes silent after N messages")
    func dropAfterFault() throws {
        let faults = try FaultInjector(faults: LinkFaults.none.droppingAfter(from: "solver", to: "judge", messages: 2),
                                       generator: SeededGenerator(seed: 1))
        let net = InMemoryNetwork(faults: faults)
        let judge = try net.endpoint(named: "judge")
        let solver = try net.endpoint(named: "solver"), other = try net.endpoint(named: "other")
        for i in 0..<5 { try solver.send(to: "judge", [UInt8(i)]) }
        try solver.send(to: "other", [42])     // a different link: unaffected
        #expect(try drain(judge).map(\.payload) == [[0], [1]])
        #expect(try drain(other).map(\.payload) == [[42]])
        #expect(net.statistics.dropped == 3)
        #expect(net.faults.droppedCount == 3)
    }

    /// Which of `count` messages from "solver" survive a p-drop with `seed`.
    private func survivors(seed: UInt64, probability: Double, count: Int) throws -> [Int] {
        let faults = try FaultInjector(faults: LinkFaults.none.dropping(from: "solver", probability: probability),
                                       generator: SeededGenerator(seed: seed))
        let net = InMemoryNetwork(faults: faults)
        let judge = try net.endpoint(named: "judge"), solver = try net.endpoint(named: "solver")
        let verifier = try net.endpoint(named: "verifier-1")
        for i in 0..<count {
            try solver.send(to: "judge", [UInt8(i)])
            try verifier.send(to: "judge", [200])   // never matched, never dropped
        }
        let got = try drain(judge)
        #expect(got.filter { $0.from == "verifier-1" }.count == count)
        return got.filter { $0.from == "solver" }.map { Int($0.payload[0]) }
    }

    @Test("probabilistic drops: same seed, same drops; matches the generator directly")
    func probabilisticDrops() throws {
        let a = try survivors(seed: 2024, probability: 0.5, count: 100)
        let b = try survivors(seed: 2024, probability: 0.5, count: 100)
        let c = try survivors(seed: 2025, probability: 0.5, count: 100)
        #expect(a == b)
        #expect(a != c)
        // Independent derivation: one draw per solver message, kept when the draw
        // (top 53 bits / 2^53) is not below p.
        var g = SeededGenerator(seed: 2024)
        let expected = (0..<100).filter { _ in !(Double(g.next() >> 11) / 9007199254740992.0 < 0.5) }
        #expect(a == expected)
        #expect(a.count > 20 && a.count < 80)
        #expect(try survivors(seed: 1, probability: 0, count: 50).count == 50)
        #expect(try survivors(seed: 1, probability: 1, count: 50).isEmpty)
    }

    @Test("invalid fault rules are rejected with the rule named")
    func invalidFaults() {
        for bad in [LinkFaults.none.delaying(from: "solver", by: -1),
                    LinkFaults.none.dropping(from: nil, probability: 1.5),
                    LinkFaults.none.dropping(from: nil, probability: .nan),
                    LinkFaults.none.droppingAfter(from: "x", messages: -2)] {
            let error = #expect(throws: TransportError.self) { try FaultInjector(faults: bad, generator: SeededGenerator(seed: 0)) }
            #expect(error?.code == .invalidFault)
            #expect(error?.detail.contains("fault rule 1") == true)
        }
    }
}

@Suite("Time arithmetic")
struct TimeArithmeticTests {
    @Test("huge timeouts and delays saturate instead of trapping")
    func saturation() throws {
        #expect(Int.max.saturatingAdd(1) == Int.max)
        #expect(Int.min.saturatingAdd(-1) == Int.min)
        #expect(5.saturatingAdd(-7) == -2)
        let faults = try FaultInjector(faults: LinkFaults.none.delaying(from: "a", by: Int.max).delaying(from: "a", by: Int.max),
                                       generator: SeededGenerator(seed: 0))
        let net = InMemoryNetwork(defaultLatencyMilliseconds: 1, faults: faults)
        let a = try net.endpoint(named: "a"), b = try net.endpoint(named: "b")
        net.advanceTime(by: 10)
        try a.send(to: "b", [1])
        #expect(net.nextDeliveryTime == Int.max)
        #expect(try b.receive(timeoutMilliseconds: Int.max) == nil)
    }
}
