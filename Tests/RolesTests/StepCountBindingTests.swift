import Commitment
import Game
import Roles
import Scenario
import Testing
import TestSupport

/// A claim's step count is bound by the committed state: the machine's step counter stops
/// at the halt and the halt proof opens it, so the judge refuses, at the commit, a claim
/// of the right root with any other step count. Before, the halt proofs of every step
/// from the halt on were byte-identical and said nothing about the step, so a too-large
/// count was accepted and never refuted.
struct StepCountBindingTests {
    /// A judge for the hello guest on the real checker, solver 1 and verifier 2.
    static func judge(_ honest: MachineOracle) throws -> JudgeStateMachine {
        var j = try JudgeStateMachine(task: PostedTask(id: 7, initialRoot: try honest.root(atStep: 0), stepLimit: 1 << 40),
                                      config: GameConfig(arity: 4), checker: CommitmentProofChecker(),
                                      solver: PartyID(1), verifiers: [PartyID(2)],
                                      balances: [PartyID(1): 5_000, PartyID(2): 5_000])
        _ = j.start(now: 0)
        return j
    }

    /// The rejection code the judge gives a commit of the honest root claiming `steps`,
    /// with the honest halt proof of step `steps` (nil: accepted).
    static func refusal(claiming steps: UInt64, _ honest: MachineOracle) throws -> String? {
        var j = try judge(honest)
        var claim = try honest.finalClaim()
        claim.steps = steps
        let actions = j.receive(.commit(taskID: 7, claim: claim, haltProof: try honest.stepProof(atStep: steps)),
                                from: PartyID(1), now: 10)
        for a in actions { if case let .rejected(_, r) = a { return r.code } }
        return nil
    }

    @Test func onlyTheStepAtWhichTheRunHaltedIsAccepted() throws {
        let honest = try CorruptionTests.oracle([])
        let halt = try honest.finalClaim().steps
        #expect(try Self.refusal(claiming: halt, honest) == nil)
        for more in [halt + 1, halt + 1_000, 100_000] {
            #expect(try Self.refusal(claiming: more, honest) == "step_count_mismatch", "claiming \(more) of \(halt)")
        }
        for fewer in [halt - 1, halt / 2] {
            #expect(try Self.refusal(claiming: fewer, honest) == "halt_proof_mismatch", "claiming \(fewer) of \(halt)")
        }
    }

    @Test func aSolverClaimingAnotherStepCountNeverCommits() throws {
        for by: Int64 in [1, 1_000, -1] {
            var spec = InMemoryTransportGameTests.spec(corruptAt: nil)
            spec.solver.faults = [.solver(.wrongStepCount(by: by))]
            let r = try InMemoryRun.play(spec)
            #expect(!r.game.outcome.accepted && r.game.outcome.winner == nil, "by \(by)")
            #expect(r.game.outcome.reason.code == "solver_did_not_commit", "by \(by)")
            #expect(r.game.rejectedFrames == 1 && r.game.disputes.isEmpty, "by \(by)")
        }
    }
}
