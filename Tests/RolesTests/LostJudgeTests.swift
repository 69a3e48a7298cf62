import Foundation
import Scenario
import Testing
import TestSupport
import Transport
@testable import Roles

/// A party whose judge is gone gives up once the game could no longer need it, rather
/// than waiting forever; a party that keeps hearing from the judge never does.
struct LostJudgeTests {
    func setup() throws -> GameSetup {
        let spec = try ScenarioLoader.parse(yaml: """
        task:
          program: build/guests/hello.elf
        game: {k: 4, block_interval_ms: 50, commit_timeout_blocks: 60, challenge_window_blocks: 20, move_timeout_blocks: 30}
        """, file: "lost.yaml", baseDirectory: packageRoot)
        return GameSetup(spec: spec)
    }

    @Test func theBoundCoversEveryDeadlineOfTheGame() throws {
        let s = try setup()
        let g = s.spec.game
        let bound = s.lastPossibleDeadlineMs
        #expect(bound > (g.commitTimeoutBlocks + g.challengeWindowBlocks + g.moveTimeoutBlocks) * g.blockIntervalMs)
        #expect(bound < 10 * 60 * 1000, "a quick game's bound is minutes at most, got \(bound) ms")
        // At the edges of the ranges the bound saturates instead of trapping.
        var edge = s.spec
        edge.game.blockIntervalMs = 1 << 32
        edge.game.moveTimeoutBlocks = 1 << 32
        edge.verifiers = Array(repeating: edge.verifiers[0], count: 1000)
        edge.task.maxSteps = .max
        #expect(GameSetup(spec: edge).lastPossibleDeadlineMs == .max)
    }

    /// A clock that moves 50 ms each time the driver reads it.
    final class SteppingClock {
        var now: UInt64 = 0
        func tick() -> UInt64 { now += 50; return now }
    }

    /// The solver's loop, started, on an in-memory network whose judge endpoint is open
    /// but never speaks unless a test makes it.
    func solverWithSilentJudge(_ s: GameSetup) throws -> (InMemoryNetwork, InMemoryEndpoint, SteppingClock, PartyLoop) {
        let network = InMemoryNetwork(defaultLatencyMilliseconds: 1)
        let judge = try network.endpoint(named: GameSetup.judgeName)
        let time = SteppingClock()
        let entry = s.roster.solver
        let loop = try s.partyLoop(entry, endpoint: try network.endpoint(named: entry.name), oracle: try s.oracle(for: entry),
                                   clock: { time.now }, wallClock: { 0 })
        try loop.start()
        return (network, judge, time, loop)
    }

    @Test func aPartyThatLosesTheJudgeGivesUpAfterTheBound() throws {
        let s = try setup()
        let (network, judge, time, loop) = try solverWithSilentJudge(s)
        let clock = time.tick
        // The judge heard the hello and never speaks: the party waits `first`, then leaves.
        let limit = RoleProcess.SilenceLimit(first: 5_000, then: s.lastPossibleDeadlineMs)
        #expect(throws: RoleError.self) { try RoleProcess.drive(loop, clock: clock, silence: limit) }
        #expect(time.now > 5_000 && time.now < 6_000)
        _ = (judge, network)      // both stay open for the whole test
    }

    @Test func afterTheJudgeSpokeTheGameBoundApplies() throws {
        let s = try setup()
        let (network, judge, time, loop) = try solverWithSilentJudge(s)
        let entry = s.roster.solver
        let clock = time.tick
        try judge.send(to: entry.name, [0xde, 0xad])
        network.advanceTime(to: 10)
        let limit = RoleProcess.SilenceLimit(first: .max, then: 3_000)
        #expect(throws: RoleError.self) { try RoleProcess.drive(loop, clock: clock, silence: limit) }
        #expect(time.now > 3_000 && time.now < 4_000)
    }
}
