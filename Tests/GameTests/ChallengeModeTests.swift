import Testing
import TestSupport
@testable import Game

/// The three ways a claim's challenges are played, on the toy world. Sequential play lets
/// challengers who challenge a correct result and go silent push settlement out by one
/// move timeout each; concurrent and chess-clock play bound settlement by one dispute
/// whatever their number, and the honest side wins in every mode.
struct ChallengeModeTests {
    static let modes = ChallengeMode.allCases

    /// A correct claim, `liars` verifiers that challenge it and then go silent.
    func silentLiars(_ liars: Int, mode: ChallengeMode) -> (ToyGame.Played, GameReport) {
        var s = ToyGame()
        s.world = FakeWorld(seed: 9, haltStep: 5_000)
        s.config.arity = 4
        s.config.challenges = mode
        s.config.moveTimeoutBlocks = 5
        s.config.clockBlocks = 12
        s.config.challengeWindowBlocks = 10
        s.balance = 1_000_000
        for _ in 0..<liars { s.verifiers.append((nil, [.challengeCorrectResult(kind: .trace), .silent(fromMove: 2)])) }
        return s.run()
    }

    func settledBlock(_ r: GameReport) -> UInt64 { r.timeline.last { $0.kind == .settled }!.block }

    @Test(arguments: modes)
    func silentLiarsLoseInEveryMode(mode: ChallengeMode) {
        for liars in [1, 3, 8] {
            let (g, r) = silentLiars(liars, mode: mode)
            #expect(r.outcome.accepted && r.outcome.winner == solverID, "\(mode) \(liars) liars")
            #expect(r.disputes.count == liars)
            #expect(r.disputes.allSatisfy { $0.winner == solverID }, "\(mode): \(r.disputes.map(\.reason))")
            expectConservation(g, r)
        }
    }

    @Test func sequentialDelayGrowsWithTheLiarsTheOthersDoNot() {
        var settled: [ChallengeMode: [UInt64]] = [:]
        for mode in Self.modes {
            settled[mode] = [1, 2, 4, 8].map { settledBlock(silentLiars($0, mode: mode).1) }
        }
        let seq = settled[.sequential]!, con = settled[.concurrent]!, chess = settled[.chessClock]!
        // Sequential: every silent liar costs at least one move timeout more.
        for (a, b) in zip(seq, seq.dropFirst()) { #expect(b > a, "sequential \(seq)") }
        #expect(seq[3] - seq[0] >= 7 * 5, "sequential \(seq)")
        // Concurrent and chess clock: eight liars settle when one does (± a block).
        #expect(con.max()! - con.min()! <= 1, "concurrent \(con)")
        #expect(chess.max()! - chess.min()! <= 1, "chess-clock \(chess)")
        #expect(con[3] < seq[3] && chess[3] < seq[3])
    }

    /// A wrong claim; the solver's accomplice challenges first and goes silent, then the
    /// honest verifier challenges. Sequential play makes the honest verifier wait for the
    /// accomplice's timeout; concurrent play does not. The honest verifier wins both ways.
    @Test func anAccompliceFirstOnlyDelaysSequentialPlay() {
        var settled: [ChallengeMode: UInt64] = [:]
        for mode in Self.modes {
            var s = ToyGame()
            s.world = FakeWorld(seed: 3, haltStep: 2_000)
            s.config.arity = 4
            s.config.challenges = mode
            s.config.moveTimeoutBlocks = 6
            s.solverOracle = FakeOracle(world: s.world, corruptAt: 700, faultyHalt: 2_000)
            s.verifiers = [(s.solverOracle, [.challengeCorrectResult(kind: .trace), .silent(fromMove: 2)]), (nil, [])]
            let (g, r) = s.run()
            #expect(!r.outcome.accepted && r.outcome.winner == verifierID(1), "\(mode): \(r.outcome)")
            #expect(r.disputes.first { $0.challenger == verifierID(1) }?.divergenceStep == 700, "\(mode)")
            expectConservation(g, r)
            settled[mode] = settledBlock(r)
        }
        #expect(settled[.sequential]! >= settled[.concurrent]! + 6, "\(settled)")
    }

    /// Chess clock: a challenger whose every pick takes 4.5 blocks to arrive (well within
    /// a 10-block move timeout) runs out of its 10-block clock by its third pick; with
    /// per-move timeouts the same dispute runs its full course.
    @Test func theChessClockBoundsADragger() {
        for mode in [ChallengeMode.concurrent, .chessClock] {
            var s = ToyGame()
            s.world = FakeWorld(seed: 5, haltStep: 100_000)
            s.config.arity = 2
            s.config.challenges = mode
            s.config.moveTimeoutBlocks = 10
            s.config.clockBlocks = 10
            s.config.blockIntervalMs = 100
            s.linkLatencyMs = ["verifier-1": 450]
            s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)])]
            let (_, r) = s.run()
            let d = r.disputes[0]
            #expect(r.outcome.accepted && d.winner == solverID, "\(mode): \(r.outcome)")
            if mode == .chessClock {
                guard case let .missedDeadline(party, _) = d.reason else {
                    Issue.record("chess clock: the dragger was not timed out: \(d.reason)"); continue
                }
                #expect(party == verifierID(0))
                #expect(d.picks <= 3, "chess clock: \(d.picks) picks")
            } else {
                #expect(d.picks >= 16, "per-move timeouts let the dispute run its course: \(d.picks) picks, \(d.reason)")
            }
        }
    }
}
