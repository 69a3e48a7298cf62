import Testing
@testable import Game

/// Configurations at the edges of every documented range play to a verdict: the deadline
/// arithmetic never overflows, and combinations whose spans would are refused up front.
struct ConfigEdgeTests {
    /// The largest interval with the longest timeouts that fit the 2^42 ms span bound,
    /// the shortest interval with the largest timeouts, and one in between.
    static let edges: [GameConfig] = [
        GameConfig(arity: 2, blockIntervalMs: 1 << 32, commitTimeoutBlocks: 1023, challengeWindowBlocks: 1023, moveTimeoutBlocks: 1023),
        GameConfig(arity: 2, blockIntervalMs: 1, commitTimeoutBlocks: 1 << 32, challengeWindowBlocks: 1 << 32, moveTimeoutBlocks: 1 << 32),
        GameConfig(arity: 65_536, blockIntervalMs: 1 << 10, commitTimeoutBlocks: (1 << 32) - 1, challengeWindowBlocks: 1, moveTimeoutBlocks: (1 << 32) - 1,
                   solverDeposit: 1 << 56, challengerDeposit: 1 << 56, winnerShareBps: 10_000, maxFrameBytes: 4 << 20),
    ]

    @Test(arguments: edges)
    func edgeConfigurationsAreAccepted(_ config: GameConfig) {
        #expect(config.problems().isEmpty, "\(config.problems())")
    }

    /// A dispute lost by timeout at the edge: every deadline is (block + timeout + 1) ×
    /// interval at its largest, and the game settles instead of trapping.
    @Test(arguments: edges)
    func aTimeoutAtTheEdgeSettles(_ config: GameConfig) {
        var s = ToyGame()
        s.config = config
        s.balance = 1 << 60
        s.solverFaults = [.wrongOutput, .silent(fromMove: 2)]
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        #expect(!r.outcome.accepted)
        #expect(r.outcome.winner == v1)
    }

    /// Each value inside its own range, the product outside the span bound: refused,
    /// naming the timeout (both at 2^32 was an arithmetic-overflow crash before).
    @Test func spansPastTheBoundAreRefused() {
        let both = GameConfig(blockIntervalMs: 1 << 32, commitTimeoutBlocks: 1 << 32)
        #expect(both.problems().map(\.key) == [.commitTimeoutBlocks])
        #expect(both.problems().first?.message.contains("2^42") == true)
        let justOver = GameConfig(blockIntervalMs: 1 << 32, commitTimeoutBlocks: 1, challengeWindowBlocks: 1, moveTimeoutBlocks: 1024)
        #expect(justOver.problems().map(\.key) == [.moveTimeoutBlocks])
        #expect(throws: GameConfigError.self) {
            _ = try JudgeStateMachine(task: FakeWorld(seed: 1, haltStep: 3).task, config: both, checker: FakeChecker(seed: 1),
                                      solver: PartyID(1), verifiers: [PartyID(2)], balances: [:])
        }
    }
}
