import Testing
import TestSupport
@testable import Game

/// `k: auto`: the chain picks, at the commit, the k whose bisection of the claimed steps
/// costs the least gas, plays the disputes with it and says why.
struct ArityChoiceTests {
    @Test(arguments: [UInt64(1), 100, 5_000, 452_673, 74_500_000, 1 << 40])
    func theChoiceIsTheCheapestCandidate(steps: UInt64) {
        let c = ArityChoice.cheapest(steps: steps, gas: .default)
        let all = ArityChoice.candidates.map { ArityChoice.estimate(k: $0, steps: steps, gas: .default) }
        #expect(c.gas == all.map(\.gas).min())
        #expect(all.allSatisfy { $0.gas > c.gas || $0.k >= c.k }, "ties go to the smaller k")
        #expect(c.picks == Bisection.ceilLog(Bisection.paddedLength(steps, arity: c.k), base: c.k))
    }

    /// Cheaper storage favours wider rounds: the choice follows the schedule.
    @Test func theChoiceFollowsTheSchedule() {
        var cheapStorage = GasSchedule.default
        cheapStorage.sstoreSet = 100; cheapStorage.sstoreReset = 100; cheapStorage.sloadCold = 100
        #expect(ArityChoice.cheapest(steps: 452_673, gas: cheapStorage).k > ArityChoice.cheapest(steps: 452_673, gas: .default).k)
    }

    @Test func aGameWithAutoKPlaysTheChosenK() {
        var s = ToyGame()
        s.world = FakeWorld(seed: 8, haltStep: 3_000)
        s.config.arity = GameConfig.autoArity
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 1_234, faultyHalt: 3_000)
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        let chosen = ArityChoice.cheapest(steps: 3_000, gas: s.gas)
        #expect(r.arity == chosen.k && r.arityChoice == chosen)
        #expect(!r.outcome.accepted && r.outcome.winner == verifierID(0))
        #expect(r.disputes[0].divergenceStep == 1_234)
        #expect(r.disputes[0].picks == chosen.picks)
        #expect(g.log.contains { $0.contains("k = \(chosen.k) (auto)") }, "the judge says why: \(g.log)")
    }
}
