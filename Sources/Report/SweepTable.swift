import Foundation

/// One run of a sweep: the values of the varied keys and what the run gave. Money and
/// gas are integers where the chain counts them; ETH and USD are the schedule's
/// conversions. A run that failed to run at all has only `error`.
public struct SweepRow: Codable, Equatable, Sendable {
    /// 0-based position in the full grid (shards keep it, so merging restores the order).
    public var run: Int
    /// The varied keys, in the order given (so shards merge into the same columns).
    public var varied: [String]
    /// Varied key → value, as given on the command line.
    public var parameters: [String: String]
    /// The scenario's seed in this run.
    public var seed: UInt64?
    /// The solver's claim stood.
    public var accepted: Bool?
    /// The winner's name, or "none".
    public var winner: String?
    /// Disputes accepted (played or not).
    public var disputes: Int?
    /// Most rounds of any played dispute (0 without one).
    public var rounds: Int?
    /// The step the dispute the solver lost narrowed to, if it was a trace dispute.
    public var divergenceStep: UInt64?
    /// Gas of every transaction.
    public var gasTotal: UInt64?
    /// Gas the solver paid.
    public var solverGas: UInt64?
    /// Gas every verifier together paid.
    public var verifierGas: UInt64?
    /// `gas_total` in ETH at the scenario's gas price.
    public var eth: Double?
    /// `gas_total` in USD.
    public var usd: Double?
    /// Block at which the game settled.
    public var settlementBlock: UInt64?
    /// Every `expect:` of the scenario held.
    public var passed: Bool?
    /// Wall-clock seconds of the run (not deterministic).
    public var wallSeconds: Double
    /// Why the run gave no report, if it did not.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case run, varied, parameters, seed, accepted, winner, disputes, rounds, divergenceStep = "divergence_step"
        case gasTotal = "gas_total", solverGas = "solver_gas", verifierGas = "verifier_gas", eth, usd
        case settlementBlock = "settlement_block", passed
        case wallSeconds = "wall_seconds", error
    }

    /// The row of a run that produced `report`.
    public init(run: Int, varied: [String], parameters: [String: String], seed: UInt64?, report r: ScenarioReport,
                wallSeconds: Double) {
        self.run = run; self.varied = varied; self.parameters = parameters; self.seed = seed ?? r.scenario.seed
        accepted = r.outcome.accepted
        winner = r.outcome.winner ?? "none"
        disputes = r.disputes.count
        rounds = r.disputes.filter { $0.winner != nil }.map(\.rounds).max() ?? 0
        divergenceStep = r.disputes.first { $0.kind == .trace && $0.winner != nil && $0.winner == r.outcome.winner
                                            && !r.outcome.accepted }?.divergenceStep
        gasTotal = r.gas.total
        // The resolved scenario names the solver; every other payer is a verifier.
        var solverName = "solver"
        if case let .map(top) = r.scenario.resolved, case let .map(solver)? = top.first(where: { $0.0 == "solver" })?.1,
           case let .string(name)? = solver.first(where: { $0.0 == "name" })?.1 {
            solverName = name
        }
        solverGas = r.gas.byParty[solverName] ?? 0
        verifierGas = r.gas.total - (solverGas ?? 0)
        eth = r.gas.totalEth
        usd = r.gas.totalUsd
        settlementBlock = r.finalBlock
        passed = r.passed
        self.wallSeconds = wallSeconds
    }

    /// The row of a run that failed before it could report.
    public init(run: Int, varied: [String], parameters: [String: String], seed: UInt64?, error: String,
                wallSeconds: Double) {
        self.run = run; self.varied = varied; self.parameters = parameters; self.seed = seed; self.error = error
        self.wallSeconds = wallSeconds
    }
}

/// A sweep's results: the varied keys (the table's first columns, in order) and one row
/// per run, rendered as CSV, JSON Lines (one object per run) or an HTML page with plots.
public struct SweepTable: Equatable, Sendable {
    /// The varied keys, in the order they were given.
    public var keys: [String]
    /// The rows, by run number.
    public var rows: [SweepRow]

    /// A table of `rows` (sorted by run number) over `keys`.
    public init(keys: [String], rows: [SweepRow]) {
        self.keys = keys
        self.rows = rows.sorted { $0.run < $1.run }
    }

    /// The column name of a varied key: its last component (`game.k` → `k`), or the whole
    /// key where two keys share a last component.
    public var columnNames: [String] {
        let last = keys.map { k in String(k.split(separator: ".").last ?? Substring(k)) }
        return zip(keys, last).map { key, name in last.filter { $0 == name }.count > 1 ? key : name }
    }

    static let metricColumns = ["seed", "accepted", "winner", "disputes", "rounds", "divergence_step", "gas_total",
                                "solver_gas", "verifier_gas", "eth", "usd", "settlement_block", "passed", "wall_seconds", "error"]

    /// The header: run number, the varied keys' columns, then the run's figures.
    public var header: [String] { ["run"] + columnNames + Self.metricColumns }

    /// One row's cells under `header`, as text.
    public func cells(_ r: SweepRow) -> [String] {
        var out: [String] = [String(r.run)]
        for key in keys { out.append(r.parameters[key] ?? "") }
        out.append(r.seed.map { String($0) } ?? "")
        out.append(r.accepted.map { String($0) } ?? "")
        out.append(r.winner ?? "")
        out.append(r.disputes.map { String($0) } ?? "")
        out.append(r.rounds.map { String($0) } ?? "")
        out.append(r.divergenceStep.map { String($0) } ?? "")
        out.append(r.gasTotal.map { String($0) } ?? "")
        out.append(r.solverGas.map { String($0) } ?? "")
        out.append(r.verifierGas.map { String($0) } ?? "")
        out.append(r.eth.map { String(format: "%.9f", $0) } ?? "")
        out.append(r.usd.map { String(format: "%.2f", $0) } ?? "")
        out.append(r.settlementBlock.map { String($0) } ?? "")
        out.append(r.passed.map { String($0) } ?? "")
        out.append(String(format: "%.3f", r.wallSeconds))
        out.append(r.error ?? "")
        return out
    }

    /// CSV with `header`, text quoted where it needs to be (RFC 4180).
    public func csv() -> String {
        ([header] + rows.map(cells)).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One JSON object per line (keys sorted), the varied keys under `parameters`.
    public func jsonLines() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try rows.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
    }

    /// Reads rows written by `jsonLines()` (a shard of a sweep); `file` names errors.
    public static func rows(jsonLines text: String, file: String) throws -> [SweepRow] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var out: [SweepRow] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do { out.append(try decoder.decode(SweepRow.self, from: Data(line.utf8))) } catch {
                throw SweepTableError("\(file):\(i + 1): not a sweep row")
            }
        }
        return out
    }
}

/// A sweep file that cannot be read, named with its line.
public struct SweepTableError: Error, CustomStringConvertible, Equatable {
    /// The message.
    public let description: String
    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}
