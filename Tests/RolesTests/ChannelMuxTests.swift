import Testing
import Transport
@testable import Roles

/// One connection carrying many games (`ChannelMux`): each channel sees only its own
/// frames, whatever order they arrive in; frames for no open channel, too short to name
/// one, or past a channel's queue limit are dropped and counted, never held.
struct ChannelMuxTests {
    /// A judge hub and a party client on the in-memory network.
    func pair(queueLimit: Int = 10_000) throws -> (net: InMemoryNetwork, judge: ChannelMux, party: ChannelMux, raw: InMemoryEndpoint) {
        let net = InMemoryNetwork()
        let judge = ChannelMux(try net.endpoint(named: "judge"), queueLimit: queueLimit)
        let party = ChannelMux(try net.endpoint(named: "p"))
        return (net, judge, party, try net.endpoint(named: "stranger"))
    }

    func drain(_ e: ChannelEndpoint, _ net: InMemoryNetwork, tries: Int = 20) throws -> [[UInt8]] {
        var got: [[UInt8]] = []
        net.advanceTime(by: 10)
        for _ in 0..<tries { if let m = try e.receive(timeoutMilliseconds: 0) { got.append(m.payload) } }
        return got
    }

    @Test func eachChannelSeesOnlyItsOwnFramesInOrder() throws {
        let (net, judge, party, _) = try pair()
        let lobby = judge.open(0), one = judge.open(1), two = judge.open(2)
        let p0 = party.open(0), p1 = party.open(1), p2 = party.open(2)
        try p2.send(to: "judge", [2, 1])
        try p1.send(to: "judge", [1, 1])
        try p0.send(to: "judge", [0, 1])
        try p2.send(to: "judge", [2, 2])
        try p1.send(to: "judge", [1, 2])
        #expect(try drain(one, net) == [[1, 1], [1, 2]])
        #expect(try drain(two, net) == [[2, 1], [2, 2]])
        #expect(try drain(lobby, net) == [[0, 1]])
        #expect(judge.dropped == 0)
        // Replies keep their channel, and the sender's name is the connection's.
        try one.send(to: "p", [9])
        net.advanceTime(by: 10)
        #expect(try p2.receive(timeoutMilliseconds: 0) == nil)
        let reply = try #require(try p1.receive(timeoutMilliseconds: 0))
        #expect(reply.payload == [9] && reply.from == "judge")
    }

    @Test func framesForNoOpenChannelAndRuntFramesAreDroppedAndCounted() throws {
        let (net, judge, party, stranger) = try pair()
        let one = judge.open(1)
        let p7 = party.open(7)
        try p7.send(to: "judge", [7])              // no channel 7 at the judge
        try stranger.send(to: "judge", [0, 0])     // too short to name a channel
        try stranger.send(to: "judge", [])
        try party.open(1).send(to: "judge", [1])
        #expect(try drain(one, net) == [[1]])
        #expect(judge.dropped == 3)
        // A closed channel drops what it held and refuses to be used.
        try party.open(2).send(to: "judge", [2])
        let two = judge.open(2)
        try party.open(1).send(to: "judge", [1])
        _ = try drain(one, net)   // reads channel 2's frame into its queue on the way
        two.close()
        #expect(judge.dropped == 4)
        #expect(throws: TransportError.self) { try two.receive(timeoutMilliseconds: 0) }
        #expect(throws: TransportError.self) { try two.send(to: "p", [1]) }
    }

    @Test func aChannelHoldsAtMostItsQueueLimit() throws {
        let (net, judge, party, _) = try pair(queueLimit: 5)
        let one = judge.open(1), two = judge.open(2)
        let p2 = party.open(2)
        for i in 0..<50 { try p2.send(to: "judge", [UInt8(i)]) }
        try party.open(1).send(to: "judge", [1])
        // Reading channel 1 passes every frame of channel 2 on the way: five are held.
        #expect(try drain(one, net, tries: 60) == [[1]])
        #expect(judge.dropped == 45)
        #expect(try drain(two, net) == (0..<5).map { [UInt8($0)] })
    }

    @Test func theNetworkMessagesRoundTrip() throws {
        for m: ControlMessage in [.task(number: 0x0102_0304, scenario: "name: x\nseed: 1\n"), .networkDone, .alive] {
            #expect(WireFrame.decode(WireFrame.control(m).encode()) == .control(m))
        }
        // A truncated announcement is not a message.
        let bytes = WireFrame.control(.task(number: 1, scenario: "abc")).encode()
        #expect(WireFrame.decode(Array(bytes.dropLast())) == nil)
    }
}
