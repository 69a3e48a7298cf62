import Commitment

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

/// What a challenge disputes.
public enum DisputeKind: String, Codable, Sendable, CaseIterable {
    /// The final root is wrong: settled by k-ary bisection and one step proof.
    case trace
    /// The root is agreed but the output hash is wrong: settled by an output opening.
    case output
}
