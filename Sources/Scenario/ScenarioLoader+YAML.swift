import Foundation
import Yams

// A small typed walker over Yams' `Node` tree. Every value carries its dotted key and
// the document it came from, so each complaint names file, key, line and column.
// (Codable would lose the marks and silently ignore unknown keys.)

/// Where a YAML document came from: names errors and resolves relative paths.
struct YAMLDocument {
    /// The file name errors report.
    let file: String
    /// Directory relative paths are resolved against ("" = leave them as given).
    let baseDirectory: String

    /// `path` made usable from the current directory: absolute paths and paths with an
    /// empty/"." base stay as given; others are joined to the base directory.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty || baseDirectory == "." { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }

    /// Composes `yaml` into its root node, turning Yams' errors into `ScenarioError`s.
    /// `what` names the expected content for the empty-file message.
    func compose(_ yaml: String, what: String) throws -> YAMLValue {
        try checkAliasExpansion(yaml)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw scenarioError(from: error, yaml: yaml)
        }
        guard let root, !YAMLValue(node: root, key: "", document: self).isNull else {
            throw ScenarioError(file: file, line: nil, column: nil, key: nil,
                                message: "the file is empty; expected \(what)")
        }
        return YAMLValue(node: root, key: "", document: self)
    }

    /// A Yams parse error as a `ScenarioError` at the error's line and column.
    func scenarioError(from error: YamlError, yaml: String) -> ScenarioError {
        func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> ScenarioError {
            var message = "malformed YAML: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            // libyaml's complaint about a tab is cryptic; say what to do.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line >= 1, mark.line <= lines.count {
                let scalars = Array(lines[mark.line - 1].unicodeScalars)
                if mark.column >= 1, mark.column <= scalars.count, scalars[mark.column - 1] == "\t" {
                    message += "; a tab is not allowed here (YAML indents with spaces)"
                }
            }
            return ScenarioError(file: file, line: mark.line, column: mark.column, key: nil, message: message)
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return located(context, problem, mark)
        case let .reader(problem, offset, _, _):
            // `offset` counts Characters from the start of the text.
            var line: Int?, column: Int?
            if let offset {
                var l = 1, c = 1
                for ch in yaml.prefix(offset) {
                    if ch == "\n" || ch == "\r\n" { l += 1; c = 1 } else { c += ch.unicodeScalars.count }
                }
                line = l; column = c
            }
            return ScenarioError(file: file, line: line, column: column, key: nil,
                                 message: "malformed YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return ScenarioError(file: file, line: context.mark.line, column: context.mark.column, key: nil,
                                 message: "duplicate key \(names) in one mapping; give each key once")
        default:
            return ScenarioError(file: file, line: nil, column: nil, key: nil, message: "malformed YAML: \(error)")
        }
    }
}

/// One node of a YAML document with its dotted key path.
struct YAMLValue {
    let node: Node
    /// Full dotted key, e.g. `verifiers[1].faults[0].silent.from_move`; "" at the top.
    let key: String
    let document: YAMLDocument

    /// An error about this node, at its line and column.
    func error(_ message: String) -> ScenarioError {
        ScenarioError(file: document.file, line: node.mark?.line, column: node.mark?.column,
                      key: key.isEmpty ? nil : key, message: message)
    }

    /// The key path of a child named `name`.
    func childKey(_ name: String) -> String { key.isEmpty ? name : key + "." + name }

    /// YAML's null: an empty plain value, `~` or `null`.
    var isNull: Bool {
        guard case let .scalar(s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// A plain (unquoted) scalar's text, or nil.
    private var plainText: String? {
        guard case let .scalar(s) = node, s.style == .plain || s.style == .any else { return nil }
        return s.string
    }

    /// Short description of the value for "got …" in messages.
    var described: String {
        switch node {
        case let .scalar(s):
            if isNull { return "nothing (null)" }
            return quoted(s.string)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Any non-null scalar as text.
    func string(_ what: String = "a string") throws -> String {
        guard case let .scalar(s) = node, !isNull else { throw error("expected \(what), got \(described)") }
        return s.string
    }

    /// A non-empty string (for paths and names).
    func nonEmptyString(_ what: String = "a non-empty string") throws -> String {
        let s = try string(what)
        guard !s.isEmpty else { throw error("expected \(what), got an empty string") }
        return s
    }

    /// `true` or `false` (plain; `yes`/`no`/`on`/`off` are refused as ambiguous).
    func bool() throws -> Bool {
        switch plainText {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("expected true or false, got \(described)")
        }
    }

    /// An integer in `range`: decimal (with optional `_` separators), `0x` hex, `0o` octal
    /// or `0b` binary; quoted numbers are strings and refused.
    func integer<T: FixedWidthInteger>(_ range: ClosedRange<T>) throws -> T {
        let expected = "expected \(YAMLValue.describe(range))"
        guard let text = plainText, let (negative, magnitude) = YAMLValue.parseInteger(text) else {
            throw error("\(expected), got \(described)")
        }
        guard let magnitude else { throw error("\(expected), got \(text) (too large)") }
        let value: T?
        if negative {
            value = magnitude == 0 ? 0 : (T.isSigned && magnitude <= UInt64(T.max) + 1
                ? T(truncatingIfNeeded: 0 &- magnitude) : nil)
        } else {
            value = T(exactly: magnitude)
        }
        guard let value, range.contains(value) else { throw error("\(expected), got \(text)") }
        return value
    }

    /// A finite number in `range` (integers accepted).
    func number(_ range: ClosedRange<Double>) throws -> Double {
        let expected = "expected a number in \(YAMLValue.format(range.lowerBound))...\(YAMLValue.format(range.upperBound))"
        guard let text = plainText, !text.isEmpty,
              text.allSatisfy({ "0123456789+-.eE_".contains($0) }),
              let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw error("\(expected), got \(described)")
        }
        guard range.contains(value) else { throw error("\(expected), got \(text)") }
        return value
    }

    /// This node as a mapping whose keys must all be in `allowed` (listed in this order in
    /// messages). An unknown key is an error at that key, with a suggestion for typos.
    /// `removed` names keys that earlier versions accepted, with what replaced each: such a
    /// key is refused with that explanation rather than as unknown.
    func mapping(allowed: [String], what: String? = nil, removed: [String: String] = [:]) throws -> YAMLMapping {
        guard case let .mapping(m) = node else {
            throw error("expected \(what ?? "a mapping with keys \(allowed.joined(separator: ", "))"), got \(described)")
        }
        var entries: [(name: String, keyNode: Node, value: YAMLValue)] = []
        for (k, v) in m {
            let keyValue = YAMLValue(node: k, key: key, document: document)
            guard case let .scalar(ks) = k else {
                throw keyValue.error("mapping keys must be plain names, got \(keyValue.described)")
            }
            let name = ks.string
            if let replacement = removed[name] {
                throw YAMLValue(node: k, key: childKey(name), document: document).error("`\(name)` was removed: \(replacement)")
            }
            guard allowed.contains(name) else {
                var message = "unknown key `\(name)`"
                message += closest(to: name, in: allowed).map { "; did you mean `\($0)`?" } ?? "."
                message += " Allowed keys here: \(allowed.joined(separator: ", "))"
                throw YAMLValue(node: k, key: childKey(name), document: document).error(message)
            }
            entries.append((name, k, YAMLValue(node: v, key: childKey(name), document: document)))
        }
        return YAMLMapping(value: self, entries: entries)
    }

    /// This node as a list; items are keyed `key[i]` (0-based).
    func sequence(of what: String) throws -> [YAMLValue] {
        guard case let .sequence(s) = node else { throw error("expected a list of \(what), got \(described)") }
        return s.enumerated().map { YAMLValue(node: $1, key: "\(key)[\($0)]", document: document) }
    }

    // MARK: helpers

    /// Sign and magnitude of an integer literal; magnitude nil when it overflows UInt64;
    /// nil when the text is not an integer literal at all.
    static func parseInteger(_ text: String) -> (Bool, UInt64?)? {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        var radix = 10
        let lower = s.lowercased()
        if lower.hasPrefix("0x") { radix = 16 } else if lower.hasPrefix("0o") { radix = 8 } else if lower.hasPrefix("0b") { radix = 2 }
        if radix != 10 { s = s.dropFirst(2) }
        guard let first = s.first, first != "_", s.last != "_" else { return nil }
        var value: UInt64? = 0
        for ch in s {
            if ch == "_" { continue }
            guard let digit = ch.hexDigitValue, digit < radix else { return nil }
            if let v = value {
                let (m, o1) = v.multipliedReportingOverflow(by: UInt64(radix))
                let (a, o2) = m.addingReportingOverflow(UInt64(digit))
                value = o1 || o2 ? nil : a
            }
        }
        return (negative, value)
    }

    static func describe<T: FixedWidthInteger>(_ range: ClosedRange<T>) -> String {
        if range.upperBound == T.max {
            if range.lowerBound == T.min && T.isSigned { return "an integer" }
            return range.lowerBound == 0 ? "a non-negative integer" : "an integer ≥ \(range.lowerBound)"
        }
        return "an integer in \(range.lowerBound)...\(range.upperBound)"
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}

/// A mapping's entries in document order, looked up by name.
struct YAMLMapping {
    let value: YAMLValue
    let entries: [(name: String, keyNode: Node, value: YAMLValue)]

    /// The value of `name` when present (even if null).
    func present(_ name: String) -> YAMLValue? { entries.first { $0.name == name }?.value }

    /// The value of `name` when present and not null (null means "use the default").
    func optional(_ name: String) -> YAMLValue? {
        guard let v = present(name), !v.isNull else { return nil }
        return v
    }

    /// The value of `name`; its absence is an error at this mapping.
    func required(_ name: String) throws -> YAMLValue {
        guard let v = optional(name) else {
            throw ScenarioError(file: value.document.file, line: value.node.mark?.line, column: value.node.mark?.column,
                                key: value.childKey(name), message: "missing required key `\(name)`")
        }
        return v
    }
}

/// `s` in double quotes with quotes, backslashes and control characters escaped.
func quoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 || u.value == 0x7f { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}

