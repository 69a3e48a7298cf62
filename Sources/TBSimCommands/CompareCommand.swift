import ArgumentParser
import Foundation
import Report
import Scenario

/// `tbsim compare REPORT.json…`: one table comparing scenario reports side by side —
/// how rounds, proof size, gas and traffic change with k or with the faults injected.
public struct CompareCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare scenario reports (from `tbsim scenario --json`) in one table.")

    @Argument(help: "Report files written by `tbsim scenario --json`.")
    public var reports: [String]

    public init() {}

    public func validate() throws {
        if reports.isEmpty { throw ValidationError("give at least one report file") }
    }

    public func run() throws {
        var rows: [[String]] = [["scenario", "k", "steps", "verdict", "disputes", "rounds", "proof B", "gas", "USD", "msgs", "bytes", "wall s"]]
        for path in reports {
            let data = try readFile(path, what: "report")
            let r: ScenarioReport
            do { r = try ScenarioReport.decode(json: Data(data)) } catch {
                throw CLIError("\(path): not a tbsim scenario report (\(error))")
            }
            let rounds = r.disputes.map(\.rounds)
            rows.append([
                r.scenario.name, "\(r.arity)", r.task.steps.map { "\($0)" } ?? "-",
                r.outcome.accepted ? "accepted" : "rejected", "\(r.disputes.count)",
                rounds.isEmpty ? "-" : rounds.map(String.init).joined(separator: "+"),
                "\(r.disputes.map(\.proofBytes).reduce(0, +))", "\(r.gas.total)", String(format: "%.2f", r.gas.totalUsd),
                "\(r.messages)", "\(r.bytes)", String(format: "%.2f", r.wallSeconds),
            ])
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        for (i, row) in rows.enumerated() {
            print(row.enumerated().map { c, cell in c == 0 ? pad(cell, widths[c]) : String(repeating: " ", count: widths[c] - cell.count) + cell + " " }.joined(separator: " "))
            if i == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }
}
