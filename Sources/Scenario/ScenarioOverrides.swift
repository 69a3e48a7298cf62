import Foundation
import Yams

/// One change to a scenario file before it is loaded: the dotted key as the loader names
/// it in errors (`game.k`, `network.latency_ms`, `verifiers[1].faults[0].corrupt.step`,
/// `seed`) and the new value, written as it would be in YAML (`4`, `true`, `0x8000_0000`).
/// Missing mappings and lists along the way are created; a list index must exist or be
/// the list's length, which appends an item.
public struct ScenarioOverride: Equatable, Sendable, CustomStringConvertible {
    /// The dotted key.
    public var key: String
    /// The value, as YAML text (a plain scalar).
    public var value: String

    /// An override of `key` with `value`.
    public init(key: String, value: String) { self.key = key; self.value = value }

    /// `key=value`.
    public var description: String { "\(key)=\(value)" }

    /// One step of a key's path.
    public enum Step: Equatable, Sendable {
        /// A mapping key.
        case key(String)
        /// A list index.
        case index(Int)
    }

    /// Parses `key` into steps; nil when it is not a dotted key with optional `[n]` indices.
    public static func steps(of key: String) -> [Step]? {
        var steps: [Step] = []
        for part in key.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            guard let nameEnd = rest.firstIndex(of: "[") ?? Optional(rest.endIndex) else { return nil }
            let name = rest[..<nameEnd]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            steps.append(.key(String(name)))
            rest = rest[nameEnd...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      let i = Int(rest[rest.index(after: rest.startIndex)..<close]), i >= 0 else { return nil }
                steps.append(.index(i))
                rest = rest[rest.index(after: close)...]
            }
        }
        return steps.isEmpty ? nil : steps
    }
}

extension ScenarioLoader {
    /// Loads the scenario at `path` with `overrides` applied to its YAML first, so every
    /// value still goes through the loader's checks. Errors about an overridden value
    /// name the file and the overrides (`faulty-solver.yaml with game.k=1: key `game.k`: …`).
    public static func load(path: String, overrides: [ScenarioOverride]) throws -> ScenarioSpec {
        guard !overrides.isEmpty else { return try load(path: path) }
        return try parse(editedYAML: try editedYAML(path: path, overrides: overrides), path: path, overrides: overrides)
    }

    /// Parses text `editedYAML(path:overrides:)` gave, naming the file and the overrides
    /// in errors: for callers that keep the edited text too (a sweep writes it out).
    public static func parse(editedYAML edited: String, path: String, overrides: [ScenarioOverride]) throws -> ScenarioSpec {
        do {
            return try parse(yaml: edited, file: path, baseDirectory: "")
        } catch var e as ScenarioError {
            // Lines and columns would point into the edited text, not the user's file.
            e.file = path + " with " + overrides.map(\.description).joined(separator: ", ")
            e.line = nil; e.column = nil
            throw e
        }
    }

    /// The scenario at `path` as YAML text with `overrides` applied and its `name` pinned
    /// (so a copy saved under another file name keeps the scenario's name). Paths inside
    /// stay relative to the current directory, as in every scenario file.
    public static func editedYAML(path: String, overrides: [ScenarioOverride]) throws -> String {
        let yaml = try readText(path, file: path, from: nil)
        let document = YAMLDocument(file: path, baseDirectory: "")
        var root = try document.compose(yaml, what: "a scenario mapping with at least a `task:` key").node
        if case let .mapping(m) = root, m["name"] == nil {
            let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            root = try apply(ScenarioOverride(key: "name", value: base.isEmpty ? "scenario" : base), to: root, file: path)
        }
        for o in overrides { root = try apply(o, to: root, file: path) }
        do { return try Yams.serialize(node: root) } catch {
            throw ScenarioError(file: path, line: nil, column: nil, key: nil, message: "cannot apply the overrides: \(error)")
        }
    }

    static func apply(_ o: ScenarioOverride, to root: Node, file: String) throws -> Node {
        func fail(_ message: String) -> ScenarioError {
            ScenarioError(file: file, line: nil, column: nil, key: o.key, message: message)
        }
        guard let steps = ScenarioOverride.steps(of: o.key) else {
            throw fail("not a dotted key (like `game.k` or `verifiers[0].faults[0].corrupt.step`)")
        }
        guard !o.value.isEmpty, !o.value.contains("\n") else { throw fail("the value must be one line of YAML") }
        let value: Node
        do {
            guard let parsed = try Yams.compose(yaml: o.value), case .scalar = parsed else {
                throw fail("the value must be a plain scalar (a number, true/false or a word), got \(o.value.debugDescription)")
            }
            value = parsed
        } catch let e as ScenarioError { throw e } catch {
            throw fail("the value \(o.value.debugDescription) is not YAML")
        }
        func set(_ node: Node, _ path: ArraySlice<ScenarioOverride.Step>, at done: String) throws -> Node {
            guard let step = path.first else { return value }
            switch step {
            case let .key(name):
                var mapping: Node.Mapping
                switch node {
                case let .mapping(m): mapping = m
                case .scalar(let s) where s.string == "~" || s.string == "null" || s.string.isEmpty: mapping = Node.Mapping([])
                default: throw fail("`\(done.isEmpty ? "the top level" : done)` is not a mapping, so it has no key `\(name)`")
                }
                // A missing key becomes the container the rest of the path needs.
                let empty: Node = path.dropFirst().first.map { if case .index = $0 { return .sequence(Node.Sequence([])) } else { return .mapping(Node.Mapping([])) } } ?? .mapping(Node.Mapping([]))
                let child = mapping[name] ?? empty
                let here = done.isEmpty ? name : done + "." + name
                mapping[name] = try set(child, path.dropFirst(), at: here)
                return .mapping(mapping)
            case let .index(i):
                var sequence: Node.Sequence
                switch node {
                case let .sequence(q): sequence = q
                case .scalar(let s) where s.string == "~" || s.string == "null" || s.string.isEmpty: sequence = Node.Sequence([])
                default: throw fail("`\(done)` is not a list")
                }
                // Index `count` appends an item (how a sweep adds a fault).
                guard i <= sequence.count else {
                    throw fail("`\(done)` has \(sequence.count) item\(sequence.count == 1 ? "" : "s"); index \(i) is past its end (the next new item is [\(sequence.count)])")
                }
                if i == sequence.count { sequence.append(.mapping(Node.Mapping([]))) }
                let at = sequence.index(sequence.startIndex, offsetBy: i)
                sequence[at] = try set(sequence[at], path.dropFirst(), at: "\(done)[\(i)]")
                return .sequence(sequence)
            }
        }
        return try set(root, steps[...], at: "")
    }
}
