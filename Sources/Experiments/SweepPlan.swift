import Foundation
import Scenario

/// A grid of runs of one scenario: every combination of the varied keys' values, times
/// every seed. Each point is a list of overrides (`ScenarioOverride`) of the scenario
/// file; points are numbered in a fixed order, so a sweep split into shards and merged
/// again gives the same table.
public struct SweepPlan: Equatable, Sendable {
    /// One varied key and the values it takes, in order.
    public struct Axis: Equatable, Sendable {
        /// The dotted scenario key.
        public var key: String
        /// Its values, as YAML scalars.
        public var values: [String]
    }

    /// One run: its number in the whole sweep and the overrides that make it.
    public struct Point: Equatable, Sendable {
        /// 0-based position in the full grid.
        public var index: Int
        /// The value of each axis, in axis order.
        public var values: [String]
        /// The seed, when the sweep varies seeds.
        public var seed: UInt64?
        /// What to change in the scenario file.
        public var overrides: [ScenarioOverride]
    }

    /// The varied keys, in the order given.
    public var axes: [Axis]
    /// The seeds (empty: the scenario's own seed).
    public var seeds: [UInt64]

    /// A plan from `--set KEY=VALUES` arguments and a `--seeds` list. Throws
    /// `SweepPlanError` naming the argument for a malformed one.
    public init(sets: [String], seeds: String? = nil) throws {
        axes = try sets.map(Self.parseAxis)
        var seen: Set<String> = []
        for a in axes where !seen.insert(a.key).inserted {
            throw SweepPlanError("`--set \(a.key)=…` is given twice; give every value of a key in one --set")
        }
        if seeds != nil && seen.contains("seed") { throw SweepPlanError("give seeds with --seeds or --set seed=…, not both") }
        self.seeds = try seeds.map { try Self.parseValues($0, what: "--seeds").map { v -> UInt64 in
            guard let s = UInt64(v) else { throw SweepPlanError("--seeds: \(v.debugDescription) is not a seed (an integer ≥ 0)") }
            return s
        } } ?? []
    }

    /// Every point of the grid, the last axis varying fastest, seeds innermost.
    public var points: [Point] {
        var combos: [[String]] = [[]]
        for axis in axes { combos = combos.flatMap { c in axis.values.map { c + [$0] } } }
        var out: [Point] = []
        for values in combos {
            let base = zip(axes, values).map { ScenarioOverride(key: $0.key, value: $1) }
            if seeds.isEmpty {
                out.append(Point(index: out.count, values: values, seed: nil, overrides: base))
            } else {
                for s in seeds {
                    out.append(Point(index: out.count, values: values, seed: s,
                                     overrides: base + [ScenarioOverride(key: "seed", value: String(s))]))
                }
            }
        }
        return out
    }

    /// The points of shard `shard` (1-based) of `count`: every count-th point, so shards
    /// are balanced along every axis.
    public func points(shard: Int, of count: Int) -> [Point] {
        points.filter { $0.index % count == shard - 1 }
    }

    /// Parses `KEY=VALUES`.
    static func parseAxis(_ arg: String) throws -> Axis {
        guard let eq = arg.firstIndex(of: "="), eq != arg.startIndex else {
            throw SweepPlanError("--set \(arg.debugDescription): expected KEY=VALUES, e.g. game.k=2,4,8 or game.k=2..32*2")
        }
        let key = String(arg[..<eq])
        guard ScenarioOverride.steps(of: key) != nil else {
            throw SweepPlanError("--set \(arg.debugDescription): `\(key)` is not a dotted scenario key (like game.k)")
        }
        return Axis(key: key, values: try parseValues(String(arg[arg.index(after: eq)...]), what: "--set \(key)"))
    }

    /// A comma-separated list whose items are values or integer ranges: `a..b` (step 1),
    /// `a..b+s` (step s), `a..b*m` (each value m times the last).
    static func parseValues(_ text: String, what: String) throws -> [String] {
        var out: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard !item.isEmpty else { throw SweepPlanError("\(what): an empty value in \(text.debugDescription)") }
            guard let dots = item.range(of: "..") else { out.append(item); continue }
            let lowText = item[..<dots.lowerBound]
            var rest = item[dots.upperBound...]
            var step: (multiply: Bool, by: Int) = (false, 1)
            if let op = rest.firstIndex(where: { $0 == "+" || $0 == "*" }) {
                guard let by = Int(rest[rest.index(after: op)...]) else {
                    throw SweepPlanError("\(what): bad step in \(item.debugDescription); write a..b, a..b+STEP or a..b*FACTOR")
                }
                step = (rest[op] == "*", by)
                rest = rest[..<op]
            }
            guard let low = Int(lowText), let high = Int(rest) else {
                throw SweepPlanError("\(what): \(item.debugDescription) is not an integer range (a..b, a..b+STEP, a..b*FACTOR)")
            }
            guard low <= high else { throw SweepPlanError("\(what): the range \(item.debugDescription) is empty (\(low) > \(high))") }
            guard step.multiply ? (step.by >= 2 && low >= 1) : step.by >= 1 else {
                throw SweepPlanError("\(what): the range \(item.debugDescription) never ends (a step must be ≥ 1, a factor ≥ 2 from a start ≥ 1)")
            }
            var v = low
            while v <= high {
                out.append(String(v))
                guard out.count <= 100_000 else { throw SweepPlanError("\(what): more than 100000 values") }
                let (next, overflow) = step.multiply ? v.multipliedReportingOverflow(by: step.by) : v.addingReportingOverflow(step.by)
                if overflow { break }
                v = next
            }
        }
        return out
    }
}

/// A malformed sweep argument, named in the message.
public struct SweepPlanError: Error, CustomStringConvertible, Equatable {
    /// The message.
    public let description: String
    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}
