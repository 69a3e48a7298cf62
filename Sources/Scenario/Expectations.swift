/// What the scenario promises; checked after the run (all optional).
public struct Expectations: Equatable, Codable, Sendable {
    public var accepted: Bool?
    /// A party name ("solver", a verifier's name) or "none".
    public var winner: String?
    public var minRounds: Int?
    public var maxRounds: Int?
    public var divergenceStep: UInt64?
    public var disputes: Int?

    public init(accepted: Bool? = nil, winner: String? = nil, minRounds: Int? = nil, maxRounds: Int? = nil,
                divergenceStep: UInt64? = nil, disputes: Int? = nil) {
        self.accepted = accepted; self.winner = winner; self.minRounds = minRounds; self.maxRounds = maxRounds
        self.divergenceStep = divergenceStep; self.disputes = disputes
    }
}
