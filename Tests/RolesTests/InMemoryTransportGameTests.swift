import Commitment
import Foundation
import Game
import Report
import Roles
import Scenario
import Testing
import TestSupport

/// The node loops over the in-memory network with a virtual clock and link faults, with
/// real machines behind the parties: the same frames and rules as between processes,
/// deterministic and instant.
struct InMemoryTransportGameTests {
    /// The hello guest with a solver whose x5 flips after `corruptAt`, and the parties'
    /// network faults.
    static func spec(corruptAt step: UInt64?, solverFaults: [FaultSpec] = [], verifierFaults: [FaultSpec] = [],
                     latencyMs: UInt64 = 40) -> ScenarioSpec {
        var solver = PartySpec(name: "solver", faults: solverFaults)
        if let step { solver.faults.append(.corrupt(step: step, target: .register(5), bit: 1)) }
        return ScenarioSpec(name: "hello", seed: 1,
                            task: ScenarioTask(image: .program(path: packageRoot + "/build/guests/hello.elf"), maxSteps: 10_000),
                            game: GameConfig(arity: 2, blockIntervalMs: 100, commitTimeoutBlocks: 50, challengeWindowBlocks: 5,
                                             moveTimeoutBlocks: 10),
                            network: NetworkSpec(latencyMs: latencyMs), solver: solver,
                            verifiers: [PartySpec(name: "verifier-1", faults: verifierFaults)])
    }

    /// A verifier that starts with less than the challenger deposit cannot challenge:
    /// its challenge is refused (and charged as reverted) and the wrong result stands —
    /// `starting_balances` reaches the chain.
    @Test func aVerifierThatCannotCoverTheDepositCannotChallenge() throws {
        var spec = Self.spec(corruptAt: 100)
        spec.startingBalances = ["verifier-1": spec.game.challengerDeposit - 1]
        let g = try InMemoryRun.play(spec).game
        #expect(g.outcome.accepted && g.disputes.isEmpty)
        #expect(g.timeline.contains { $0.kind == .reverted && $0.party == PartyID(2) })
        #expect(g.balances.first { $0.party == PartyID(2) }?.start == spec.game.challengerDeposit - 1)
    }

    @Test func aCorruptedRunLosesOverTheInMemoryTransport() throws {
        let r = try InMemoryRun.play(Self.spec(corruptAt: 100)).game
        #expect(!r.outcome.accepted && r.outcome.winner == PartyID(2))
        #expect(r.disputes.first?.divergenceStep == 100)
        #expect(r.disputes.first?.rounds == Bisection.ceilLog(r.taskSteps ?? 0, base: 2) + 2)
    }

    @Test func delayedMovesStillArriveInTime() throws {
        let r = try InMemoryRun.play(Self.spec(corruptAt: 100, verifierFaults: [.delayMessages(ms: 300)])).game
        #expect(!r.outcome.accepted && r.outcome.winner == PartyID(2))
        #expect(r.disputes.first?.divergenceStep == 100)
    }

    @Test func aSolverCutOffByTheNetworkLosesByTimeout() throws {
        // The commit gets through; every later solver message is dropped.
        let r = try InMemoryRun.play(Self.spec(corruptAt: 100, solverFaults: [.dropMessages(probability: 1, after: 1)])).game
        #expect(!r.outcome.accepted && r.outcome.winner == PartyID(2))
        #expect(r.timeline.contains { $0.kind == .timeout })
        #expect(r.disputes.first?.reason == .missedDeadline(party: PartyID(1), deadline: r.disputes[0].endBlock! - 1))
    }

    @Test func anHonestSolverSurvivesADelayedNetwork() throws {
        let r = try InMemoryRun.play(Self.spec(corruptAt: nil, solverFaults: [.delayMessages(ms: 250)], latencyMs: 100)).game
        #expect(r.outcome.accepted && r.outcome.winner == PartyID(1))
        #expect(r.disputes.isEmpty)
    }

    @Test func latencyPastTheMoveTimeoutDecidesTheGame() throws {
        // 1.2 s each way against moves of 10 blocks of 100 ms: the solver's roots arrive late.
        var spec = Self.spec(corruptAt: nil, verifierFaults: [.verifier(.challengeCorrectResult(kind: .trace))], latencyMs: 1_200)
        spec.game.commitTimeoutBlocks = 100
        spec.game.challengeWindowBlocks = 100
        let r = try InMemoryRun.play(spec)
        #expect(r.game.outcome.winner == PartyID(2))
        #expect(r.game.rejectedFrames >= 1)
        #expect(r.log.contains { $0.contains("rejected a frame from solver: no active dispute 1") })
    }

    @Test func theReportCarriesEveryPartysRunAndTheRoots() throws {
        let spec = Self.spec(corruptAt: 100)
        let r = try InMemoryRun.play(spec)
        #expect(r.parties.map(\.name) == ["solver", "verifier-1"])
        let verifier = try #require(r.parties.last?.ownClaim)
        let report = ScenarioReport(spec: spec, file: "hello", game: r.game, parties: r.parties, wallSeconds: 0)
        // Rejected: the task's result is the winning verifier's own run.
        #expect(report.task.finalRoot == verifier.root.hex && report.task.outputHash == verifier.outputHash.hex)
        #expect(report.task.initialRoot == StateTree(try spec.task.boot().storage).root().hex)
        #expect(r.parties.first?.ownClaim?.root != verifier.root)
    }
}
