import Commitment
import Game
import Roles
import Scenario
import Testing
import TestSupport

/// Every `corrupt` fault of a party is applied, in step order, including flips at or past
/// the step its machine halts at (they land on the halted final state, so the party's
/// claim carries them). Before, only a party's first `corrupt` fault was applied and a
/// flip past the halt was dropped: a flip past the halt listed before a flip at step 100
/// left an honest claim, and a wrong result was accepted.
struct CorruptionTests {
    /// The hello guest on a real machine, with the given `corrupt` faults (nothing else).
    static func oracle(_ corruptions: [MachineOracle.Corruption]) throws -> MachineOracle {
        let task = ScenarioTask(image: .program(path: packageRoot + "/build/guests/hello.elf"), maxSteps: 10_000)
        return try MachineOracle(boot: { try task.boot() }, maxSteps: task.maxSteps, corruptions: corruptions)
    }

    static func flip(_ step: UInt64, register r: Int, bit: Int = 1) -> MachineOracle.Corruption {
        MachineOracle.Corruption(step: step, target: .register(r), bit: bit)
    }

    @Test func corruptionsAreTakenInStepOrderAndSameStepFlipsInFileOrder() {
        var spec = InMemoryTransportGameTests.spec(corruptAt: nil)
        spec.solver.faults = [
            .corrupt(step: 300, target: .register(7), bit: 1),
            .solver(.wrongOutput),
            .corrupt(step: 100, target: .register(5), bit: 1),
            .corrupt(step: 100, target: .pc, bit: 2),
            .corrupt(step: 5, target: .memory(address: 0x8000_0000), bit: 3),
            .corrupt(step: 100, target: .register(6), bit: 4),
        ]
        let setup = GameSetup(spec: spec)
        #expect(setup.corruptions(of: setup.roster.solver) == [
            MachineOracle.Corruption(step: 5, target: .memory(address: 0x8000_0000), bit: 3),
            MachineOracle.Corruption(step: 100, target: .register(5), bit: 1),
            MachineOracle.Corruption(step: 100, target: .pc, bit: 2),
            MachineOracle.Corruption(step: 100, target: .register(6), bit: 4),
            MachineOracle.Corruption(step: 300, target: .register(7), bit: 1),
        ])
        #expect(setup.corruptions(of: setup.roster.verifiers.first!).isEmpty)
    }

    @Test func everyFlipIsAppliedWhateverOrderTheyAreListedIn() throws {
        let honest = try Self.oracle([])
        let early = try Self.oracle([Self.flip(50, register: 5)])
        let both = try Self.oracle([Self.flip(150, register: 6), Self.flip(50, register: 5)])
        let bothSorted = try Self.oracle([Self.flip(50, register: 5), Self.flip(150, register: 6)])
        let steps = try honest.finalClaim().steps
        try #require(steps > 200, "hello runs past both flips")
        // Up to step 50 every run is the honest one; the flip at 50 shows from step 51 on.
        #expect(try both.root(atStep: 50) == honest.root(atStep: 50))
        #expect(try both.root(atStep: 51) != honest.root(atStep: 51))
        // The second listed flip (step 50) and the first (step 150) both land, whichever
        // comes first in the list.
        #expect(try both.root(atStep: 151) != early.root(atStep: 151))
        for step: UInt64 in [0, 50, 51, 150, 151, 200, steps] {
            #expect(try both.root(atStep: step) == bothSorted.root(atStep: step))
        }
        #expect(try both.finalClaim() == bothSorted.finalClaim())
        // Queried out of order (rewinding to checkpoints), the roots stay those of the trace.
        let r151 = try both.root(atStep: 151)
        _ = try both.root(atStep: steps)
        _ = try both.stepProof(atStep: 150)
        #expect(try both.root(atStep: 151) == r151)
    }

    @Test func twoFlipsOfOneBitAtOneStepCancel() throws {
        let honest = try Self.oracle([])
        let twice = try Self.oracle([Self.flip(100, register: 5), Self.flip(100, register: 5)])
        #expect(try twice.finalClaim() == honest.finalClaim())
    }

    @Test func aFlipPastTheHaltChangesTheFinalStateOnly() throws {
        let honest = try Self.oracle([])
        let halt = try honest.finalClaim().steps
        for step in [halt - 1, halt, halt + 1, 1_000_000, UInt64.max] {
            let late = try Self.oracle([Self.flip(step, register: 6)])
            let claim = try late.finalClaim()
            // Still halted at the same step, in another state.
            #expect(claim.steps == halt && late.halted)
            #expect(claim.root != (try honest.finalClaim().root))
            #expect(try late.root(atStep: halt - 1) == honest.root(atStep: halt - 1))
            #expect(try late.root(atStep: halt) == claim.root)
            #expect(try late.root(atStep: halt + 5) == claim.root)
            // The halt proof the commit carries proves the flipped final state halted.
            let proof = try late.stepProof(atStep: halt)
            guard case let .valid(pre, post, preHalted, _, _) = CommitmentProofChecker().checkStep(proof) else {
                Issue.record("the halt proof of a flipped halted state does not verify"); continue
            }
            #expect(pre == claim.root && post == claim.root && preHalted)
        }
    }

    @Test func aFlipPastTheHaltThenAFlipAtStep100GiveAWrongClaimTheVerifierCatches() throws {
        var spec = InMemoryTransportGameTests.spec(corruptAt: nil)
        spec.solver.faults = [.corrupt(step: 1_000_000, target: .register(6), bit: 4),
                              .corrupt(step: 100, target: .register(5), bit: 1)]
        let r = try InMemoryRun.play(spec)
        #expect(r.parties[0].ownClaim?.root != r.parties[1].ownClaim?.root)
        #expect(!r.game.outcome.accepted && r.game.outcome.winner == PartyID(2))
        #expect(r.game.disputes.count == 1)
        #expect(r.game.disputes.first?.reason.code == "step_proof_wrong_end")
        #expect(r.game.disputes.first?.divergenceStep == 100)
    }

    @Test func aFlipPastTheHaltAloneIsCaughtAtTheHaltingStep() throws {
        var spec = InMemoryTransportGameTests.spec(corruptAt: nil)
        spec.solver.faults = [.corrupt(step: 1_000_000, target: .register(6), bit: 4)]
        let r = try InMemoryRun.play(spec)
        let steps = try #require(r.game.taskSteps)
        #expect(!r.game.outcome.accepted && r.game.outcome.winner == PartyID(2))
        // The first transition whose post-state differs is the one into the halted state.
        #expect(r.game.disputes.first?.divergenceStep == steps - 1)
    }
}
