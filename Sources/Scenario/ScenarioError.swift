/// A scenario (or configuration) file that cannot be used: names the file, the line and
/// column of the offending YAML node, its full dotted key, and what is wrong — so a typo
/// in a long scenario can be found without guessing.
public struct ScenarioError: Error, CustomStringConvertible, Equatable {
    /// The file as named to the loader (or the config file it references).
    public var file: String
    /// 1-based line of the offending node, when known.
    public var line: Int?
    /// 1-based column (in Unicode scalars) of the offending node, when known.
    public var column: Int?
    /// Full dotted key, e.g. `verifiers[1].faults[0].lie_in_bisection.from_round`.
    public var key: String?
    /// What is wrong and, where possible, what would be right.
    public var message: String

    /// Builds an error; see the properties.
    public init(file: String, line: Int?, column: Int?, key: String?, message: String) {
        self.file = file; self.line = line; self.column = column; self.key = key; self.message = message
    }

    /// `file:line:column: key `k`: message`, leaving out what is unknown.
    public var description: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        s += ": "
        if let key { s += "key `\(key)`: " }
        return s + message
    }
}
