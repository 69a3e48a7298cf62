import Game

/// Per-party figures measured by the role process (not committed state; wall-clock fields).
/// The game report only knows what the chain saw; these say what each party paid in
/// computation to take part.
public struct PartyMetrics: Codable, Equatable, Sendable {
    /// The party's name from the scenario ("judge" for the judge).
    public var name: String
    /// What the party played.
    public var role: Role
    /// Machine steps this party ran in total (including replays from checkpoints).
    public var stepsExecuted: UInt64
    /// State roots it computed.
    public var rootsComputed: Int
    /// Step proofs (and output openings) it built.
    public var proofsBuilt: Int
    /// Seconds spent computing (machine, hashing, proofs); wall-clock, not deterministic.
    public var computeSeconds: Double
    /// Seconds from start to exit; wall-clock, not deterministic.
    public var wallSeconds: Double
    /// Frames it sent.
    public var messagesSent: Int
    /// Bytes of those frames.
    public var bytesSent: Int
    /// Most machine checkpoints it held at once (a memory figure).
    public var peakCheckpoints: Int
    /// The claim its own run ends in (nil for the judge, or a run that failed).
    public var ownClaim: Claim?

    /// Builds a metrics record.
    public init(name: String, role: Role, stepsExecuted: UInt64 = 0, rootsComputed: Int = 0, proofsBuilt: Int = 0,
                computeSeconds: Double = 0, wallSeconds: Double = 0, messagesSent: Int = 0, bytesSent: Int = 0,
                peakCheckpoints: Int = 0, ownClaim: Claim? = nil) {
        self.name = name; self.role = role; self.stepsExecuted = stepsExecuted; self.rootsComputed = rootsComputed
        self.proofsBuilt = proofsBuilt; self.computeSeconds = computeSeconds; self.wallSeconds = wallSeconds
        self.messagesSent = messagesSent; self.bytesSent = bytesSent; self.peakCheckpoints = peakCheckpoints
        self.ownClaim = ownClaim
    }

    enum CodingKeys: String, CodingKey {
        case name, role, stepsExecuted = "steps_executed", rootsComputed = "roots_computed"
        case proofsBuilt = "proofs_built", computeSeconds = "compute_seconds", wallSeconds = "wall_seconds"
        case messagesSent = "messages_sent", bytesSent = "bytes_sent", peakCheckpoints = "peak_checkpoints"
        case ownClaim = "own_claim"
    }

    /// Writes every key, `own_claim` as null when absent.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name); try c.encode(role, forKey: .role)
        try c.encode(stepsExecuted, forKey: .stepsExecuted); try c.encode(rootsComputed, forKey: .rootsComputed)
        try c.encode(proofsBuilt, forKey: .proofsBuilt); try c.encode(computeSeconds, forKey: .computeSeconds)
        try c.encode(wallSeconds, forKey: .wallSeconds); try c.encode(messagesSent, forKey: .messagesSent)
        try c.encode(bytesSent, forKey: .bytesSent); try c.encode(peakCheckpoints, forKey: .peakCheckpoints)
        try c.encode(ownClaim, forKey: .ownClaim)
    }
}
