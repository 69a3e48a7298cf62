import Testing
import TestSupport
@testable import Game

/// Rounds of a trace dispute over n steps (see docs/GAME.md): 1 opening move (the
/// challenge) + P pick rounds + 1 closing move (the step proof). The trace is padded to
/// k^⌈log_k n⌉ steps (past the halt every root is the halted root), so every sub-interval
/// is a power of k and P = ⌈log_k n⌉ for every divergence step. These tests play whole
/// games through the node loops on the in-memory network (ToyGame).
@Suite struct RoundsTests {
    static let arities = [2, 3, 4, 8, 16, 32]

    /// Plays a wrong-trace solver (corrupted at step d of n) against one honest verifier.
    static func play(n: UInt64, d: UInt64, k: Int) -> DisputeReport? {
        var s = ToyGame()
        s.world = FakeWorld(seed: 3, haltStep: n)
        s.config.arity = k
        s.solverOracle = FakeOracle(world: s.world, corruptAt: d)
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        guard !r.outcome.accepted, r.outcome.winner == v1, r.disputes.count == 1 else { return nil }
        return r.disputes[0]
    }

    static func isPower(_ n: UInt64, of k: Int) -> Bool {
        var p: UInt64 = 1
        while p < n { p *= UInt64(k) }
        return p == n
    }

    @Test(arguments: arities)
    func everyDivergenceStepForSmallN(k: Int) throws {
        for n: UInt64 in 1...24 {
            let hi = Bisection.ceilLog(n, base: k)
            var most = 0
            for d in 0..<n {
                let r = try #require(RoundsTests.play(n: n, d: d, k: k), "n \(n) d \(d) k \(k)")
                #expect(r.divergenceStep == d, "n \(n) d \(d) k \(k)")
                #expect(r.rounds == r.picks + 2)
                #expect(r.picks == hi, "n \(n) d \(d) k \(k): \(r.picks) picks")
                most = max(most, r.picks)
            }
            #expect(most == hi, "n \(n) k \(k): worst case \(most) ≠ ⌈log_k n⌉ = \(hi)")
        }
    }

    @Test(arguments: arities)
    func sampledDivergenceStepsForLargeN(k: Int) throws {
        var rng = SplitMix64(seed: UInt64(k))
        for n: UInt64 in [100, 1_000, 4_096, 65_536, 1_000_003, 1 << 30] {
            var ds: [UInt64] = [0, n / 2, n - 1]
            for _ in 0..<3 { ds.append(rng.next() % n) }
            for d in ds {
                let r = try #require(RoundsTests.play(n: n, d: d, k: k))
                #expect(r.divergenceStep == d && r.rounds == r.picks + 2)
                #expect(r.picks == Bisection.ceilLog(n, base: k), "n \(n) d \(d) k \(k)")
            }
        }
    }

    /// The worst case is reached by a divergence in the last step: the honest challenger
    /// then always names the last part, which has ⌈n/m⌉ steps.
    @Test(arguments: arities)
    func lastStepDivergenceTakesTheMaximum(k: Int) throws {
        for n: UInt64 in [2, 5, 9, 17, 33, 100, 257, 1_000, 12_345] {
            let r = try #require(RoundsTests.play(n: n, d: n - 1, k: k))
            #expect(r.picks == Bisection.ceilLog(n, base: k), "n \(n) k \(k)")
        }
    }

    /// Uneven splits of 5 steps would give some paths 2 picks and others 3; padded to 8
    /// steps, every path takes ⌈log2 5⌉ = 3.
    @Test func fiveStepsWithK2TakeThreePicksOnEveryPath() throws {
        let picks = try (0..<5 as Range<UInt64>).map { try #require(RoundsTests.play(n: 5, d: $0, k: 2)).picks }
        // [0,8] splits at 4, then 2 or 6, then one step: three picks whatever the step.
        #expect(picks == [3, 3, 3, 3, 3])
    }
}
