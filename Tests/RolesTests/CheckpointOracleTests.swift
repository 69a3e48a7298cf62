import Commitment
import Game
import Roles
import RISCV
import Scenario
import Testing
import TestSupport

/// The oracle answers from delta checkpoints: asked out of order — rewinding, jumping
/// forward past checkpoints, with a byte budget that forces thinning — its roots and its
/// claim are those of a run that never checkpointed, and the checkpoints it keeps stay
/// within the budget.
struct CheckpointOracleTests {
    static let task = ScenarioTask(image: .program(path: packageRoot + "/build/guests/sort.elf"), maxSteps: 30_000_000)

    /// Roots of one plain run at `steps` (ascending), with no checkpoint taken.
    static func referenceRoots(_ steps: [UInt64]) throws -> [UInt64: Digest] {
        let m = try task.boot()
        let tree = StateTree(m.storage)
        var roots: [UInt64: Digest] = [:]
        for s in steps {
            m.run(steps: s - m.steps)
            roots[s] = tree.root()
        }
        return roots
    }

    @Test(arguments: [1 << 30, 300_000])
    func rootsOutOfOrderAreThoseOfARunThatNeverCheckpointed(budget: Int) throws {
        let oracle = try MachineOracle(boot: { try Self.task.boot() }, maxSteps: Self.task.maxSteps,
                                       checkpointBudgetBytes: budget, checkpointInterval: 250_000)
        let claim = try oracle.finalClaim()
        try #require(claim.steps > 18_000_000, "sort runs ~18.5 M steps")
        #expect(oracle.checkpointCount >= 2)
        #expect(oracle.checkpointCount <= 64)
        if budget < 1 << 30 {
            // Thinned to the budget (the first checkpoint, the boot image, always stays).
            #expect(oracle.checkpointBytes <= budget || oracle.checkpointCount == 1, "\(oracle.checkpointBytes) bytes kept")
        }
        let asked: [UInt64] = [17_000_001, 3, 250_000, 9_999_999, 250_001, 12_345_678, 12_345_679, 4_000_000, claim.steps - 1]
        let reference = try Self.referenceRoots(asked.sorted() + [claim.steps])
        for s in asked {
            #expect(try oracle.root(atStep: s) == reference[s], "root at step \(s)")
        }
        #expect(claim.root == reference[claim.steps])
        // A proof from a restored state starts at the trace's root.
        let proof = try oracle.stepProof(atStep: 5_000_000)
        guard case let .valid(pre, _, _, _, _) = CommitmentProofChecker().checkStep(proof) else {
            Issue.record("the step proof does not verify"); return
        }
        #expect(try pre == Self.referenceRoots([5_000_000])[5_000_000])
    }
}
