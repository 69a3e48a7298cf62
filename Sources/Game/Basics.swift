import Commitment

/// Identifies a participant of one game: the judge (the simulated chain), the solver, or a
/// verifier. A plain number so it fits the wire format and scenario files alike.
public struct PartyID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
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

    /// "judge" or "partyN", for logs.
    public var description: String { self == .judge ? "judge" : "party\(rawValue)" }
}

/// What a solver (or a verifier, for its own run) asserts about a task: after `steps`
/// steps from the agreed initial state the machine is halted in state `root`, and the
/// output it wrote hashes to `outputHash`.
public struct Claim: Equatable, Hashable, Codable, Sendable {
    /// State root of the halted final state.
    public var root: Digest
    /// Number of steps executed until the machine halted.
    public var steps: UInt64
    /// Hash of the output the program wrote, checkable against `root` by an output opening.
    public var outputHash: Digest

    /// Builds a claim.
    public init(root: Digest, steps: UInt64, outputHash: Digest) {
        self.root = root; self.steps = steps; self.outputHash = outputHash
    }

    enum CodingKeys: String, CodingKey { case root, steps, outputHash = "output_hash" }

    /// Reads snake_case keys with digests as `0x` + 64 hex digits.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        root = try c.decodeDigest(forKey: .root)
        steps = try c.decode(UInt64.self, forKey: .steps)
        outputHash = try c.decodeDigest(forKey: .outputHash)
    }

    /// Writes snake_case keys with digests as `0x` + 64 hex digits.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(root.hex, forKey: .root)
        try c.encode(steps, forKey: .steps)
        try c.encode(outputHash.hex, forKey: .outputHash)
    }
}

/// A posted task as the chain records it: everyone agrees on `initialRoot` by
/// construction (it is computed from the program and input the task giver posted).
public struct TaskSpec: Equatable, Codable, Sendable {
    /// The task's number on the chain.
    public var id: UInt64
    /// Root of the initial machine state (step 0).
    public var initialRoot: Digest
    /// Claims with more steps than this are refused.
    public var stepLimit: UInt64

    /// Builds a task description.
    public init(id: UInt64, initialRoot: Digest, stepLimit: UInt64) {
        self.id = id; self.initialRoot = initialRoot; self.stepLimit = stepLimit
    }

    enum CodingKeys: String, CodingKey { case id, initialRoot = "initial_root", stepLimit = "step_limit" }

    /// Reads snake_case keys with digests as `0x` + 64 hex digits.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UInt64.self, forKey: .id)
        initialRoot = try c.decodeDigest(forKey: .initialRoot)
        stepLimit = try c.decode(UInt64.self, forKey: .stepLimit)
    }

    /// Writes snake_case keys with digests as `0x` + 64 hex digits.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(initialRoot.hex, forKey: .initialRoot)
        try c.encode(stepLimit, forKey: .stepLimit)
    }
}

/// What a challenge disputes.
public enum DisputeKind: String, Codable, Sendable, CaseIterable {
    /// The final root is wrong: settled by k-ary bisection and one step proof.
    case trace
    /// The root is agreed but the output hash is wrong: settled by an output opening.
    case output
}

extension KeyedDecodingContainer {
    /// Digests travel in text formats as `0x` + 64 hex digits.
    func decodeDigest(forKey key: Key) throws -> Digest {
        let s = try decode(String.self, forKey: key)
        guard let d = Digest(hex: s) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                debugDescription: "`\(key.stringValue)` must be 0x + 64 hex digits, got \"\(s)\"")
        }
        return d
    }
}
