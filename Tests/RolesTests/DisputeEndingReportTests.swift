import Game
import Report
import Roles
import Scenario
import Testing

/// The report's `divergence_step`, `ended_by`, `lo` and `hi` for games played by the real
/// judge (in one process): the judge records the one-step interval a dispute reached even
/// when it then ended by timeout; the report names only a proven step a divergence step.
struct DisputeEndingReportTests {
    /// The hello game with these faults, played in one process: the judge's report and the scenario report.
    static func play(solverFaults: [FaultSpec], verifierFaults: [FaultSpec] = []) throws -> (GameReport, ScenarioReport) {
        let spec = InMemoryTransportGameTests.spec(corruptAt: nil, solverFaults: solverFaults, verifierFaults: verifierFaults)
        let r = try InMemoryRun.play(spec)
        return (r.game, ScenarioReport(spec: spec, file: "hello", game: r.game, parties: r.parties, wallSeconds: 0))
    }

    @Test func aDisputeNarrowedToOneStepThenLostByTimeoutHasNoDivergenceStep() throws {
        // The solver plays the bisection down to step 100, then never sends the proof.
        let (game, r) = try Self.play(solverFaults: [.corrupt(step: 100, target: .register(5), bit: 1), .solver(.refuseFinalProof)])
        #expect(game.disputes.first?.divergenceStep == 100, "the judge's record of the interval it reached")
        let d = try #require(r.disputes.first)
        #expect(d.winner == "verifier-1" && d.reasonCode == "missed_deadline")
        #expect(d.endedBy == .timeout)
        #expect(d.divergenceStep == nil)
        #expect(d.lo == 100 && d.hi == 101)
    }

    @Test func aProvenDisputeHasItsDivergenceStep() throws {
        let (_, r) = try Self.play(solverFaults: [.corrupt(step: 100, target: .register(5), bit: 1)])
        let d = try #require(r.disputes.first)
        #expect(d.endedBy == .stepProof && d.reasonCode == "step_proof_wrong_end")
        #expect(d.divergenceStep == 100 && d.lo == 100 && d.hi == 101)
    }

    @Test func aLiarsDisputeProvenPastTheHaltHasNone() throws {
        let (_, r) = try Self.play(solverFaults: [], verifierFaults: [.verifier(.challengeCorrectResult(kind: .trace))])
        let d = try #require(r.disputes.first)
        let steps = try #require(r.task.steps)
        #expect(d.winner == "solver" && d.endedBy == .stepProof && d.reasonCode == "step_proof_verified")
        #expect(d.divergenceStep == nil)
        #expect(try #require(d.lo) >= steps && d.hi == d.lo.map { $0 + 1 })
    }
}
