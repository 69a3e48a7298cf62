import Game
import Roles
import Scenario
import Testing
import TestSupport

/// `challenge_delay_blocks` orders challengers: a verifier waits that many blocks after
/// seeing the commit before it challenges, and sequential play takes the disputes in the
/// order the challenges reached the chain.
struct ChallengeOrderTests {
    /// A faulty solver on hello; verifier-1 lies in the bisection (it loses its dispute),
    /// verifier-2 is honest; each waits the given blocks before challenging.
    static func play(liarDelay: UInt64, honestDelay: UInt64, latencyMs: UInt64 = 40) throws -> RunResult {
        var spec = InMemoryTransportGameTests.spec(corruptAt: 100, latencyMs: latencyMs)
        spec.game.challengeWindowBlocks = 10
        spec.verifiers = [PartySpec(name: "verifier-1", faults: [.verifier(.lieInBisection(fromRound: 1))], challengeDelayBlocks: liarDelay),
                          PartySpec(name: "verifier-2", challengeDelayBlocks: honestDelay)]
        return try InMemoryRun.play(spec)
    }

    @Test func theDelaysDecideWhichDisputeIsPlayedFirst() throws {
        let liarFirst = try Self.play(liarDelay: 0, honestDelay: 3)
        #expect(liarFirst.game.disputes.map(\.challenger) == [PartyID(2), PartyID(3)])
        #expect(liarFirst.game.disputes.map(\.winner) == [PartyID(1), PartyID(3)])
        #expect(liarFirst.game.outcome.winner == PartyID(3) && !liarFirst.game.outcome.accepted)

        // Reversed: the honest challenge is admitted first and ends the game; the liar's
        // queued challenge is never played, and it keeps its deposit.
        let honestFirst = try Self.play(liarDelay: 3, honestDelay: 0)
        #expect(honestFirst.game.disputes.map(\.challenger) == [PartyID(3), PartyID(2)])
        #expect(honestFirst.game.disputes.first?.winner == PartyID(3))
        #expect(honestFirst.game.disputes.last?.winner == nil)
        #expect(honestFirst.game.outcome.winner == PartyID(3))
        // The delay is counted in blocks from the commit the verifier saw: the delayed
        // challenge lands at least that many blocks after the commit's block, and after the
        // challenge that did not wait.
        let commit = try #require(honestFirst.game.timeline.first { $0.kind == .commit }).block
        let challenges = honestFirst.game.timeline.filter { $0.kind == .challenge }.map(\.block)
        #expect(challenges.count == 2 && challenges[0] == commit + 1 && challenges[1] >= commit + 3, "\(challenges)")
    }

    /// The wait is counted in chain blocks even when messages take next to no time: in one
    /// process the chain's blocks are the virtual clock's, and a move mined in a later block
    /// than it arrived in waits for that block on the same clock everyone reads. (Before, a
    /// game whose hops took 1 ms ended before a one-block wait was over, and the honest
    /// verifier's delayed challenge was never sent: a wrong result stood.)
    @Test func aDelayedChallengeIsSentEvenWhenMessagesTakeNoTime() throws {
        let r = try Self.play(liarDelay: 0, honestDelay: 1, latencyMs: 0)
        #expect(r.game.disputes.map(\.challenger) == [PartyID(2), PartyID(3)])
        #expect(!r.game.outcome.accepted && r.game.outcome.winner == PartyID(3))
    }
}
