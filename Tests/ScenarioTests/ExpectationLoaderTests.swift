import Foundation
import Game
import Testing
@testable import Scenario

// `expect:` beyond the verdict: per-dispute results, gas, balances and the settlement
// block. Parsed strictly (errors name file, dotted key, line, column) and written back by
// the resolved document so that it loads to the same scenario.

private func parse(_ yaml: String) throws -> ScenarioSpec {
    try ScenarioLoader.parse(yaml: yaml, file: "t.yaml", baseDirectory: "")
}

private func failure(_ yaml: String) -> ScenarioError? {
    do { _ = try parse(yaml); return nil } catch let e as ScenarioError { return e } catch { return nil }
}

private let parties = """
    task: {program: a.elf}
    verifiers: [{name: liar}, {name: honest}]

    """

struct ExpectationLoaderTests {
    static let full = parties + """
        expect:
          dispute_results:
            - challenger: liar
              kind: trace
              winner: solver
              rounds: {min: 3, max: 8}
              ended_by: step_proof
            - {challenger: honest, winner: honest, divergence_step: 123457, rounds: 8}
          gas:
            total: {max: 5_000_000}
            by_party: {liar: {min: 100000}, solver: 2000000}
          balances: {solver: 0, liar: -1000, honest: {min: 1, max: 500}}
          settlement_block: {max: 200}
        """

    @Test func everyNewKeyParsesToTheModel() throws {
        let e = try parse(Self.full).expect
        #expect(e.disputeResults == [
            DisputeExpectation(challenger: "liar", kind: .trace, winner: "solver", rounds: Bounds(min: 3, max: 8), endedBy: .stepProof),
            DisputeExpectation(challenger: "honest", winner: "honest", rounds: .exactly(8), divergenceStep: 123_457),
        ])
        #expect(e.totalGas == Bounds(max: 5_000_000))
        #expect(e.partyGas == [NamedBounds(party: "liar", bounds: Bounds(min: 100_000)),
                               NamedBounds(party: "solver", bounds: .exactly(2_000_000))])
        #expect(e.balanceChanges == [NamedBounds(party: "solver", bounds: .exactly(0)),
                                     NamedBounds(party: "liar", bounds: .exactly(-1000)),
                                     NamedBounds(party: "honest", bounds: Bounds(min: 1, max: 500))])
        #expect(e.settlementBlock == Bounds(max: 200))
    }

    @Test func theResolvedDocumentKeepsThemAndLoadsBackEqual() throws {
        let spec = try parse(Self.full)
        let again = try ScenarioLoader.parse(yaml: spec.yaml, file: "resolved.yaml", baseDirectory: "")
        #expect(again == spec, "\(spec.yaml)")
        #expect(again.digest == spec.digest)
        // The JSON form a report records holds the negative balance as a number.
        let json = try JSONEncoder().encode(spec.document)
        #expect(try JSONDecoder().decode(DocumentValue.self, from: json) == spec.document)
        #expect(String(decoding: json, as: UTF8.self).contains("-1000"))
    }

    @Test func scenariosWithoutThemKeepTheirDigest() throws {
        // Absent expectations encode to nothing: adding the keys changed no existing digest.
        let plain = try parse(parties + "expect: {winner: honest}\n")
        let text = String(decoding: plain.canonicalEncoding(), as: UTF8.self)
        for key in ["disputeResults", "totalGas", "partyGas", "balanceChanges", "settlementBlock"] {
            #expect(!text.contains(key))
        }
    }

    @Test(arguments: [
        // (yaml under `expect:`, key, line, column, message start)
        ("  dispute_results: [{challenger: solver}]\n", "expect.dispute_results[0].challenger", 4, 34,
         "`solver` is not a verifier of this scenario (only verifiers challenge); expected one of `liar`, `honest`"),
        ("  dispute_results:\n    - {challenger: liar}\n    - {challenger: liar, winner: none}\n",
         "expect.dispute_results[1].challenger", 6, 20, "`liar` has two entries (first at line 5)"),
        ("  dispute_results: [{winner: solver}]\n", "expect.dispute_results[0].challenger", 4, 21,
         "missing required key `challenger`"),
        ("  dispute_results: [{challenger: liar, winner: honest}]\n", "expect.dispute_results[0].winner", 4, 48,
         "`honest` cannot win this dispute; expected the solver `solver`, the challenger `liar` or `none`"),
        ("  dispute_results: [{challenger: liar, ended_by: proof}]\n", "expect.dispute_results[0].ended_by", 4, 50,
         "expected one of step_proof, output_opening, timeout, zero_step_claim, not_played, got \"proof\""),
        ("  dispute_results: [{challenger: liar, kind: bisection}]\n", "expect.dispute_results[0].kind", 4, 46,
         "expected one of trace, output, got \"bisection\""),
        ("  dispute_results: [{challenger: liar, round: 3}]\n", "expect.dispute_results[0].round", 4, 40,
         "unknown key `round`; did you mean `rounds`?"),
        ("  dispute_results: {liar: {winner: solver}}\n", "expect.dispute_results", 4, 20, "expected a list of dispute expectations"),
        ("  gas: {total: {}}\n", "expect.gas.total", 4, 16, "give `min`, `max` or both"),
        ("  gas: {total: {min: 9, max: 3}}\n", "expect.gas.total", 4, 16, "`min` (9) is greater than `max` (3)"),
        ("  gas: {total: -5}\n", "expect.gas.total", 4, 16, "expected a non-negative integer, got -5"),
        ("  gas: {by_party: {bob: 5}}\n", "expect.gas.by_party.bob", 4, 20, "unknown key `bob`. Allowed keys here: solver, liar, honest"),
        ("  gas: {per_party: {}}\n", "expect.gas.per_party", 4, 9, "unknown key `per_party`. Allowed keys here: total, by_party"),
        ("  balances: {liar: lots}\n", "expect.balances.liar", 4, 20, "expected an integer, got \"lots\""),
        ("  balances: [liar]\n", "expect.balances", 4, 13, "expected a mapping of party names (solver, liar, honest)"),
        ("  settlement_block: {max: 1.5}\n", "expect.settlement_block.max", 4, 27, "expected a non-negative integer, got \"1.5\""),
        ("  settlement: 5\n", "expect.settlement", 4, 3, "unknown key `settlement`. Allowed keys here: accepted, winner, rounds, divergence_step, disputes, dispute_results, gas, balances, settlement_block"),
    ])
    func mistakesNameTheirKeyAndPlace(expect: String, key: String, line: Int, column: Int, message: String) {
        let e = failure(parties + "expect:\n" + expect)
        #expect(e?.key == key, "\(String(describing: e))")
        #expect(e?.line == line && e?.column == column, "\(String(describing: e))")
        #expect(e?.message.hasPrefix(message) == true, "\(String(describing: e))")
    }
}
