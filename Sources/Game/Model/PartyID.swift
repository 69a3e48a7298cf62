/// Identifies a participant of one game: the judge (the simulated chain), the solver, or a
/// verifier. A plain number so it fits the wire format; which number belongs to which
/// named party is decided in one place, the scenario's `Roster`.
public struct PartyID: Hashable, Comparable, Codable, Sendable {
    /// The number on the wire.
    public var rawValue: UInt32

    /// Wraps a raw party number.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// The judge: the simulated chain every transaction is sent to.
    public static let judge = PartyID(0)

    /// A party is a bare number in JSON and YAML.
    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt32.self)
    }

    /// Writes the bare number.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// Orders by number, so reports list parties deterministically.
    public static func < (a: PartyID, b: PartyID) -> Bool { a.rawValue < b.rawValue }
}

/// What a participant does in a game.
public enum Role: String, Codable, CaseIterable, Sendable {
    /// The simulated chain: keeps the ledger, enforces deadlines, checks proofs.
    case judge
    /// Runs the task and commits to its result.
    case solver
    /// Re-runs the task and challenges a claim it disagrees with.
    case verifier
}
