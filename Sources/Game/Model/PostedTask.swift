import Commitment

/// A posted task as the chain records it: everyone agrees on `initialRoot` by
/// construction (it is computed from the program and input the task giver posted).
public struct PostedTask: Equatable, Codable, Sendable {
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
