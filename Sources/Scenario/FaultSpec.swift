import Game

/// How a party deviates from the protocol or from honest execution.
public enum FaultSpec: Equatable, Codable, Sendable {
    /// Flip `bit` of a register (x`index`), the 64-bit RAM word at `address`, or pc, right
    /// after executing step `step`; the party then honestly believes its wrong trace.
    case corrupt(step: UInt64, target: CorruptionTarget, bit: Int)
    /// A protocol fault played by the party's state machine.
    case solver(SolverFault)
    case verifier(VerifierFault)
    /// Hold each outgoing message for `ms` before sending.
    case delayMessages(ms: UInt64)
    /// Drop outgoing messages with probability `probability` (seeded), or from the
    /// `after`-th message on.
    case dropMessages(probability: Double, after: Int?)
}

/// What a corruption fault flips.
public enum CorruptionTarget: Equatable, Codable, Sendable {
    case register(Int)
    case memory(address: UInt64)
    case pc
}
