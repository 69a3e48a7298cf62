import Yams

// Aliases make a YAML document a graph: a few hundred bytes of nested anchors expand
// to billions of nodes, and composing such a document (Yams compares mapping keys by
// their expanded content) takes exponential time. So before the real compose, the
// document is composed once with every alias replaced by a placeholder scalar (linear
// time), the expansion is counted on that tree, and a document that would expand past
// the budget is refused at the alias that crosses it.

/// The budget on alias expansion: at most this many nodes once every alias is
/// substituted. A scenario with a thousand parties stays far below it.
let yamlExpansionBudget = 100_000

extension YAMLDocument {
    /// Refuses `yaml` if substituting its aliases would expand it past
    /// `yamlExpansionBudget` nodes; cheap when the document has no alias.
    func checkAliasExpansion(_ yaml: String) throws {
        let aliases = YAMLAliasScan(yaml)
        guard !aliases.found.isEmpty else { return }
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: aliases.neutralised)
            root = try parser.singleRoot()
        } catch {
            // Malformed: the real compose reports it at the right column.
            return
        }
        guard let root else { return }
        var anchors: [String: Int] = [:]
        var total = 0
        func size(_ node: Node) throws -> Int {
            var n = 1
            switch node {
            case let .scalar(s):
                if let i = aliases.index(ofPlaceholder: s.string) {
                    let alias = aliases.found[i]
                    n = anchors[alias.name] ?? 1
                    if total + n > yamlExpansionBudget {
                        throw ScenarioError(file: file, line: alias.line, column: alias.column, key: nil,
                                            message: "alias `*\(alias.name)` expands the document past \(yamlExpansionBudget) nodes; aliases nested this deep are refused")
                    }
                }
                total += n
            case let .mapping(m):
                total += 1
                for (k, v) in m { n += try size(k) + size(v) }
            case let .sequence(s):
                total += 1
                for v in s { n += try size(v) }
            case .alias:
                total += 1
            }
            if let anchor = node.anchor { anchors[anchor.rawValue] = n }
            return n
        }
        _ = try withExtendedLifetime(parser) { try size(root) }
    }
}

/// The aliases of a YAML text found by a light scan (outside comments and quoted
/// scalars, at the start of a token), and the text with each replaced by a unique
/// placeholder scalar. Columns in the placeholder text shift; lines do not.
struct YAMLAliasScan {
    /// One alias: the anchor it names and where its `*` is (1-based).
    struct Alias { var name: String, line: Int, column: Int }
    /// Every alias, in text order.
    private(set) var found: [Alias] = []
    /// The text with aliases replaced.
    private(set) var neutralised = ""

    private static let prefix = "tbsim-alias-placeholder-"

    init(_ yaml: String) {
        let chars = Array(yaml.unicodeScalars)
        guard chars.contains("*") else { return }
        var out = String.UnicodeScalarView()
        var i = 0, line = 1, column = 1
        var previous: Unicode.Scalar = "\n"
        func tokenStart(_ p: Unicode.Scalar) -> Bool { " \t\n\r[{,".unicodeScalars.contains(p) }
        func take() {
            let c = chars[i]
            out.append(c)
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
            previous = c
            i += 1
        }
        while i < chars.count {
            let c = chars[i]
            if c == "#" && tokenStart(previous) {
                while i < chars.count && chars[i] != "\n" { take() }
            } else if (c == "'" || c == "\"") && (tokenStart(previous) || previous == ":") {
                take()
                while i < chars.count {
                    if c == "\"" && chars[i] == "\\" && i + 1 < chars.count { take(); take(); continue }
                    if chars[i] == c {
                        if c == "'" && i + 1 < chars.count && chars[i + 1] == "'" { take(); take(); continue }
                        take()
                        break
                    }
                    take()
                }
            } else if c == "*" && tokenStart(previous) {
                var j = i + 1
                while j < chars.count && !" \t\n\r,[]{}".unicodeScalars.contains(chars[j]) { j += 1 }
                guard j > i + 1 else { take(); continue }
                var name = String.UnicodeScalarView()
                name.append(contentsOf: chars[(i + 1)..<j])
                found.append(Alias(name: String(name), line: line, column: column))
                out.append(contentsOf: "\(Self.prefix)\(found.count - 1)".unicodeScalars)
                column += j - i
                previous = chars[j - 1]
                i = j
            } else {
                take()
            }
        }
        neutralised = String(out)
    }

    /// The alias a placeholder stands for, if `text` is one.
    func index(ofPlaceholder text: String) -> Int? {
        guard text.hasPrefix(Self.prefix), let i = Int(text.dropFirst(Self.prefix.count)), found.indices.contains(i) else {
            return nil
        }
        return i
    }
}
