import Testing
import TestSupport
@testable import Game

/// With `game.gas_price_wei`, every transaction's gas is paid from its sender's balance
/// as it is mined, and a party that cannot pay cannot move (docs/GAME.md, "Paying for gas").
struct GasPaymentTests {
    func faultyGame(price: UInt64, verifierBalance: UInt64) -> (ToyGame.Played, GameReport) {
        var s = ToyGame()
        s.world = FakeWorld(seed: 6, haltStep: 500)
        s.latencyMs = 1
        s.config.arity = 4
        s.config.gasPriceWei = price
        s.balance = 100_000_000
        s.partyBalance = ["verifier-1": verifierBalance]
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 200, faultyHalt: 500)
        s.verifiers = [(nil, [])]
        return s.run()
    }

    @Test func everyPartyPaysItsGasAtThePriceAndMoneyIsConserved() {
        let (g, r) = faultyGame(price: 3, verifierBalance: 100_000_000)
        #expect(!r.outcome.accepted && r.outcome.winner == verifierID(0))
        for b in r.balances {
            let gas = r.gas.byParty.first { $0.party == b.party }?.gas ?? 0
            #expect(b.gasPaid == 3 * gas && gas > 0 && b.gasShort == nil, "\(b)")
        }
        expectConservation(g, r)
        // Without a price gas is a figure only: the same game's balances are untouched by it.
        let (_, free) = faultyGame(price: 0, verifierBalance: 100_000_000)
        #expect(free.balances.allSatisfy { $0.gasPaid == nil })
        #expect(free.gas.totalGas == r.gas.totalGas)
        for (a, b) in zip(free.balances, r.balances) { #expect(a.end == b.end + b.gasPaid!) }
    }

    /// A verifier that can lock its deposit but not also pay the challenge's gas: its
    /// challenge is not mined (nothing changes but its shortfall), so the wrong result
    /// stands — and the report says why.
    @Test func aVerifierThatCannotPayForItsChallengeCannotChallenge() {
        let deposit = GameConfig().challengerDeposit
        let (g, r) = faultyGame(price: 3, verifierBalance: deposit + 1_000)
        #expect(r.outcome.accepted && r.disputes.isEmpty)
        let v = r.balances.first { $0.party == verifierID(0) }!
        #expect(v.gasPaid == 0 && (v.gasShort ?? 0) > 3 * 50_000 && v.end == deposit + 1_000, "\(v)")
        #expect(g.log.contains { $0.contains("cannot pay the move's gas") }, "\(g.log)")
        #expect(!r.timeline.contains { $0.party == verifierID(0) })
        expectConservation(g, r)
    }
}
