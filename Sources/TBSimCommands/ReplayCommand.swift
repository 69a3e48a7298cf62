import ArgumentParser
import Commitment
import Foundation
import Game
import Ledger
import Report
import Roles
import Scenario

/// `tbsim replay LEDGER`: re-verifies a chain's ledger offline, trusting nothing in it,
/// and recomputes the verdict.
public struct ReplayCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-verify a game from its ledger offline and recompute its verdict.",
        discussion: """
        Checks that the scenario stored in the ledger hashes to the chain id, that every \
        record links to the one before and carries the judge's signature, then plays every \
        input again through a fresh judge: signatures, nonces, turns and deadlines, every \
        one-step and halt proof and output opening, every gas charge and balance. Where the \
        task's files are at hand, the posted initial root is recomputed too. Exit status 0 \
        when everything checks and the game settled, 1 naming the first record that does \
        not (or saying the game did not settle), 2 when the ledger cannot be read.
        """)

    @Argument(help: "The ledger file (from `tbsim scenario --ledger PATH` or a judge's --ledger).")
    public var ledger: String

    @Flag(help: "Print only the verdict line.")
    public var quiet = false

    public init() {}

    public func run() throws {
        let book: ChainLedger
        do { book = try ChainLedger.open(path: ledger, readOnly: true) } catch {
            printError("tbsim: replay: \(error)")
            throw ExitCode(2)
        }
        defer { book.close() }
        let outcome: ChainReplay.Outcome
        do { outcome = try ChainReplay.run(book) } catch let failure as ChainReplay.Failure {
            printError("tbsim: replay \(ledger): \(failure)")
            throw ExitCode(1)
        }
        let spec = outcome.spec
        let roster = Roster(spec)
        let words = ReasonText(roster: roster)
        let g = book.genesis
        if !quiet {
            print("ledger \(ledger): chain \(g.chainID.hex), scenario \(spec.name), written by tbsim \(g.tbsimVersion)")
            print(rootLine(spec: spec, posted: g.initialRoot))
            let records = outcome.records
            let txs = records.filter { if case .transaction = $0.input { return true } else { return false } }
            let refused = txs.filter { $0.outcome != "accepted" }.count
            let ticks = records.filter { $0.input == .tick }.count
            let resumes = records.filter { $0.input == .resume }.count
            print("checked \(records.count) records: \(txs.count) transactions (\(refused) refused by the rules), \(ticks) deadlines fired, \(resumes) judge restarts")
            print("hash chain, judge signatures, party signatures, nonces, turns, deadlines, proofs, gas and balances: all as recorded")
        }
        guard case let .settled(result) = outcome.judge.state else {
            printError("tbsim: replay \(ledger): the game did not settle: the ledger ends at block \(outcome.records.last?.block ?? 0) after \(outcome.records.count) records")
            throw ExitCode(1)
        }
        let winner = result.winner.map { "winner \(roster.name(of: $0)): " } ?? ""
        print("verdict: \(result.accepted ? "ACCEPTED" : "REJECTED") — \(winner)\(words.text(result.reason))")
        if !quiet {
            var gas: [PartyID: UInt64] = [:]
            for e in outcome.judge.ledger { gas[e.party, default: 0] += e.gas }
            let parts = roster.parties.map { "\($0.name) \(gas[$0.id] ?? 0)" }.joined(separator: ", ")
            print("gas: \(gas.values.reduce(0, +)) in all (\(parts)); \(outcome.judge.disputes.count) dispute(s)")
        }
    }

    /// Whether the posted initial root is the task's: recomputed when the task's files
    /// can be read here, otherwise said to be taken as posted.
    private func rootLine(spec: ScenarioSpec, posted: Digest) -> String {
        do {
            let root = try spec.task.initialRoot()
            return root == posted ? "initial root \(posted.hex): recomputed from the task"
                                  : "initial root \(posted.hex): the task here boots to \(root.hex) (its files differ from the run's)"
        } catch {
            return "initial root \(posted.hex): as posted (the task's files are not at hand: \(error))"
        }
    }
}
