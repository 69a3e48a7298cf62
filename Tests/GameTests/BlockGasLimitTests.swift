import Commitment
import Testing
import TestSupport
@testable import Game

/// A transaction over the block gas limit can never be included: the judge refuses it
/// and nothing changes (a valid configuration never requires one: `RequiredMove`).
struct BlockGasLimitTests {
    @Test func aMoveOverTheLimitIsRefusedAndChangesNothing() {
        var s = ToyGame()
        s.world = FakeWorld(seed: 4, haltStep: 300)
        s.gas.blockGasLimit = 30_000               // below every commit (tx base + proof check)
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.reason == .solverDidNotCommit(deadline: s.config.commitTimeoutBlocks))
        #expect(g.log.contains { $0.contains("more than the block gas limit 30000") }, "\(g.log)")
        #expect(r.timeline.allSatisfy { $0.kind != .commit })
    }

    @Test func everyRequiredMoveOfTheDefaultsFits() {
        for k in [2, 4, 16, 256] {
            let moves = RequiredMove.all(config: GameConfig(arity: k), gas: .default)
            #expect(moves.map(\.kind) == [.commit, .challenge, .postRoots, .pick, .stepProof, .outputOpening])
            // The output opening's bound is the frame every real opening makes.
            let opening = GameMessage.outputOpening(taskID: .max, dispute: .max, opening: [UInt8](repeating: 0xFF, count: OutputOpening.size))
            #expect(moves.last?.frameBytes == opening.encode().count)
            #expect(moves.allSatisfy { $0.gas <= GasSchedule.default.blockGasLimit && $0.frameBytes <= GameMessage.defaultMaxFrameBytes },
                    "k \(k): \(moves)")
        }
        let huge = RequiredMove.all(config: GameConfig(arity: 4096), gas: .default)
        #expect(huge.first { $0.kind == .postRoots }!.gas > 80_000_000)
    }
}
