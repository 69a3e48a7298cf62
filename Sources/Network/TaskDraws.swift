import Scenario
import Transport

/// Every random choice of one task, drawn up front from the scenario seed and the task's
/// number, always the same number of draws in the same order — so a change in one
/// party's strategy never shifts another party's luck, and a report is reproducible.
public struct TaskDraws: Equatable, Sendable {
    /// Picks the program (modulo the number of programs).
    public var program: UInt64
    /// Picks the solver among those that can pay their deposit (modulo their number).
    public var lottery: UInt64
    /// Uniform in [0, 1): a forced error when below `forced_error_probability`.
    public var forcedError: Double
    /// Uniform in [0, 1): the solver cheats when below its cheat probability.
    public var cheat: Double
    /// Uniform in [0, 1) per verifier, in population order: verifies when below its q.
    public var verify: [Double]
    /// Picks the step a wrong result diverges at.
    public var corruptionStep: UInt64

    /// The draws of task `index` (0-based) for `verifiers` verifiers under `seed`.
    public init(seed: UInt64, index: Int, verifiers: Int) {
        // SplitMix64's own increment spreads task numbers over the seed space.
        var g = SeededGenerator(seed: seed ^ (UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03))
        program = g.next()
        lottery = g.next()
        forcedError = g.unitInterval()
        cheat = g.unitInterval()
        verify = (0..<verifiers).map { _ in g.unitInterval() }
        corruptionStep = g.next()
    }
}

/// What strategies decide, given the draws and what a party can see.
public enum StrategyDecision {
    /// Whether a solver with `strategy` cheats on this task. `recentVerifiers` is how many
    /// verifiers verified each earlier task, oldest first.
    public static func cheats(_ strategy: SolverStrategy, draw: Double, recentVerifiers: [Int]) -> Bool {
        switch strategy {
        case .honest: return false
        case let .cheat(p): return draw < p
        case let .cheatWhenUnwatched(window):
            // Nothing seen yet is no evidence that nobody watches.
            guard !recentVerifiers.isEmpty else { return false }
            return recentVerifiers.suffix(window).allSatisfy { $0 == 0 }
        }
    }

    /// Whether a verifier with `strategy` verifies this task. `solver` is the task's
    /// solver and `solverCheats` whether it cheats of its own accord (a colluder knows).
    public static func verifies(_ strategy: VerifierStrategy, draw: Double, jackpot: UInt64, solver: String,
                                solverCheats: Bool) -> Bool {
        switch strategy {
        case .always: return true
        case .never: return false
        case let .probability(q): return draw < q
        case let .jackpotAtLeast(wei): return jackpot >= wei
        case let .colludingWith(partner): return partner == solver && solverCheats
        }
    }
}
