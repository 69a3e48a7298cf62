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

    /// The move that ends a dispute may settle the game and return every other
    /// challenger's deposit in the same transaction: its bound grows by a refund per
    /// other challenger, and nothing else does.
    @Test func theSettlementBoundGrowsWithTheChallengers() {
        let g = GasSchedule.default
        let one = RequiredMove.all(config: GameConfig(arity: 4, challenges: .concurrent), gas: g)
        let ten = RequiredMove.all(config: GameConfig(arity: 4, challenges: .concurrent), gas: g, challengers: 10)
        let refund = RequiredMove.refundGas(g)
        #expect(refund == 2 * 2_100 + 2_900 + 20_000)
        for (a, b) in zip(one, ten) {
            let ends = a.kind == .stepProof || a.kind == .outputOpening
            #expect(b.gas == a.gas + (ends ? 9 * refund : 0), "\(a.kind)")
        }
        // Enough challengers and no block can hold the settlement.
        let many = RequiredMove.all(config: GameConfig(arity: 4), gas: g, challengers: 2_000)
        #expect(many.first { $0.kind == .stepProof }!.gas > g.blockGasLimit)
    }

    /// Measured on a game: concurrent play, every verifier challenges a wrong claim; the
    /// dispute the solver loses first settles the game and returns the others' deposits.
    /// Its closing move costs more with more challengers, and by no more than the bound's
    /// allowance for them.
    @Test func aClosingMoveThatSettlesTheOtherChallengesFitsTheBound() {
        func closing(_ challengers: Int) -> UInt64 {
            var s = ToyGame()
            s.world = FakeWorld(seed: 8, haltStep: 400)
            s.latencyMs = 1
            s.config.arity = 4
            s.config.challenges = .concurrent
            s.solverOracle = FakeOracle(world: s.world, corruptAt: 150, faultyHalt: 400)
            s.verifiers = Array(repeating: (nil, []), count: challengers)
            let (g, r) = s.run()
            #expect(!r.outcome.accepted && r.disputes.count == challengers)
            expectConservation(g, r)
            return r.timeline.first { $0.kind == .stepProof }!.gas
        }
        let alone = closing(1), six = closing(6)
        #expect(six > alone && six - alone <= 5 * RequiredMove.refundGas(.default), "\(alone) → \(six)")
    }
}
