import Commitment
import Testing
import TestSupport
@testable import Game

/// The chain's clock is the world's: a move the rule mines in a later block than it
/// arrived in waits for that block; the chain never runs ahead (docs/GAME.md, "Clock").
/// The toy game's judge loop keeps its own clock, as a judge process does, so these
/// games play exactly as over processes.
struct ChainTimeTests {
    /// A wrong claim; a lying verifier challenges at once and answers every move within a
    /// millisecond; the honest verifier waits 6 blocks of its own clock, well inside the
    /// 20-block window. Before, every fast move pushed the chain's clock a block ahead of
    /// the world's, the window closed in chain time before the honest wait was over, and
    /// the wrong result stood.
    @Test(arguments: [ChallengeMode.sequential, .concurrent])
    func aFastLiarCannotPushADelayedHonestChallengePastTheWindow(mode: ChallengeMode) {
        var s = ToyGame()
        s.world = FakeWorld(seed: 5, haltStep: 5_000)
        s.latencyMs = 1
        s.config.arity = 2
        s.config.challenges = mode
        s.config.challengeWindowBlocks = 20
        s.config.moveTimeoutBlocks = 5
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 1_234, faultyHalt: 5_000)
        s.verifiers = [(nil, [.lieInBisection(fromRound: 1)]), (nil, [])]
        s.challengeDelayMs = [1: 6 * s.config.blockIntervalMs]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == verifierID(1), "\(mode): \(r.outcome)")
        let challenges = r.timeline.filter { $0.kind == .challenge }
        let commit = r.timeline.first { $0.kind == .commit }!.block
        #expect(challenges.count == 2 && challenges.allSatisfy { $0.block <= commit + 20 }, "\(challenges.map(\.block))")
        #expect(r.disputes.first { $0.challenger == verifierID(1) }?.divergenceStep == 1_234)
        // The chain's last entry is no later than the world's clock at the end.
        #expect(r.finalTimeMs <= g.worldEndMs - g.worldStartMs, "chain \(r.finalTimeMs) ms, world \(g.worldEndMs - g.worldStartMs) ms")
        expectConservation(g, r)
    }

    /// Concurrent disputes, one challenger on a slow link: every reply reaches the chain
    /// within its move timeout (2 blocks of 100 ms; each reply takes at most 1 + 190 ms),
    /// so no move is ever refused as late and no dispute ends by a timeout, whatever the
    /// other dispute's moves did to the chain meanwhile. Before, a move handled after one
    /// the rule mined in a later block was stamped with that block and could be refused.
    @Test func aMoveThatArrivesInTimeIsNeverLate() {
        for uplink in stride(from: 10, through: 190, by: 15) {
            var s = ToyGame()
            s.world = FakeWorld(seed: 11, haltStep: 3_000)
            s.latencyMs = 1
            s.config.arity = 4
            s.config.challenges = .concurrent
            s.config.moveTimeoutBlocks = 2
            s.config.challengeWindowBlocks = 10
            s.solverOracle = FakeOracle(world: s.world, corruptAt: 900, faultyHalt: 3_000)
            s.verifiers = [(nil, []), (nil, [])]
            s.linkLatencyMs = ["verifier-2": uplink]
            let (g, r) = s.run()
            let late = g.log.filter { $0.contains("after deadline") }
            #expect(late.isEmpty, "uplink \(uplink) ms: \(late)")
            #expect(!r.outcome.accepted && r.disputes.allSatisfy { $0.reason.disputeEnding != .timeout },
                    "uplink \(uplink) ms: \(r.disputes.map(\.reason))")
            #expect(r.finalTimeMs <= g.worldEndMs - g.worldStartMs)
            expectConservation(g, r)
        }
    }
}

extension ChainTimeTests {
    /// A party floods the chain with valid transactions that all wait for the next block
    /// (200 signed challenges of an unchallenged claim, each a fresh nonce): the judge
    /// keeps at most `waitingPerParty` of them; the first is mined, the others that waited
    /// revert (already challenged) and are charged, the rest are dropped unmined. The
    /// flooder, which never plays its dispute, loses it by timeout; the claim stands.
    @Test func aFloodOfWaitingTransactionsIsBounded() {
        var s = ToyGame()
        s.verifiers = [(nil, [])]
        var lie = s.world.trueClaim
        lie.root = Digest(w0: 1, w1: 2, w2: 3, w3: 4)
        let challenge = GameMessage.challenge(taskID: 7, kind: .trace, claim: lie)
        // The commit is mined in block 1 (1 s blocks); these reach the chain in block 1 too.
        s.injections = (1...200).map { (1_050, "verifier-1", ToyGame.signed(challenge, as: v1, name: "verifier-1", nonce: UInt64($0))) }
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.disputes.count == 1 && r.disputes[0].winner == solverID)
        #expect(r.timeline.filter { $0.kind == .challenge }.map(\.block) == [2])
        let reverted = r.timeline.filter { $0.kind == .reverted }
        #expect(reverted.count == 63 && reverted.allSatisfy { $0.party == v1 }, "\(reverted.count)")
        #expect(g.strayFrames == 200 - 64, "\(g.strayFrames)")
        expectConservation(g, r)
    }
}
