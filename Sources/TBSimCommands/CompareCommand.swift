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
            do { r = try ScenarioReport.decode(json: Data(data)) } catch let DecodingError.keyNotFound(key, context) {
                throw CLIError("\(path): not a tbsim scenario report: missing key `\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))`")
            } catch let DecodingError.typeMismatch(_, context) {
                throw CLIError("\(path): not a tbsim scenario report: key `\(context.codingPath.map(\.stringValue).joined(separator: "."))` has the wrong type")
            } catch let DecodingError.valueNotFound(_, context) {
                throw CLIError("\(path): not a tbsim scenario report: key `\(context.codingPath.map(\.stringValue).joined(separator: "."))` is null")
            } catch {
                throw CLIError("\(path): not a tbsim scenario report (not JSON, or not the report's shape)")
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
        print(Self.table(rows), terminator: "")
    }

    /// Rows as aligned text: the first column left-aligned, the others right-aligned, every
    /// column as wide as its widest cell, a rule under the header.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for (i, row) in rows.enumerated() {
            let cells = row.enumerated().map { c, cell in
                let gap = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + gap : gap + cell
            }
            out += cells.joined(separator: "  ") + "\n"
            if i == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}
