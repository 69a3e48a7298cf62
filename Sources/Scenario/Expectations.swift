import Game

/// What the scenario promises; checked after the run (all optional).
public struct Expectations: Equatable, Codable, Sendable {
    public var accepted: Bool?
    /// A party name ("solver", a verifier's name) or "none".
    public var winner: String?
    public var minRounds: Int?
    public var maxRounds: Int?
    public var divergenceStep: UInt64?
    public var disputes: Int?
    /// Per dispute, found by its challenger (`expect.dispute_results`).
    public var disputeResults: [DisputeExpectation]?
    /// Gas over all parties (`expect.gas.total`).
    public var totalGas: Bounds<UInt64>?
    /// Gas per party, by name, in the file's order (`expect.gas.by_party`).
    public var partyGas: [NamedBounds<UInt64>]?
    /// A party's balance at the end minus at the start, by name (`expect.balances`).
    public var balanceChanges: [NamedBounds<Int64>]?
    /// The block the game settled in (`expect.settlement_block`).
    public var settlementBlock: Bounds<UInt64>?
    /// The challengers in the order their challenges reached the chain
    /// (`expect.challenge_order`).
    public var challengeOrder: [String]?

    public init(accepted: Bool? = nil, winner: String? = nil, minRounds: Int? = nil, maxRounds: Int? = nil,
                divergenceStep: UInt64? = nil, disputes: Int? = nil, disputeResults: [DisputeExpectation]? = nil,
                totalGas: Bounds<UInt64>? = nil, partyGas: [NamedBounds<UInt64>]? = nil,
                balanceChanges: [NamedBounds<Int64>]? = nil, settlementBlock: Bounds<UInt64>? = nil) {
        self.accepted = accepted; self.winner = winner; self.minRounds = minRounds; self.maxRounds = maxRounds
        self.divergenceStep = divergenceStep; self.disputes = disputes; self.disputeResults = disputeResults
        self.totalGas = totalGas; self.partyGas = partyGas; self.balanceChanges = balanceChanges
        self.settlementBlock = settlementBlock
    }
}

/// An inclusive range with either end optional: `n` in a scenario means exactly n
/// (`min == max`), `{min: a, max: b}` a range.
public struct Bounds<Value: Comparable & Codable & Sendable>: Equatable, Codable, Sendable {
    public var min: Value?
    public var max: Value?
    public init(min: Value? = nil, max: Value? = nil) { self.min = min; self.max = max }
    /// Exactly `value`.
    public static func exactly(_ value: Value) -> Bounds { Bounds(min: value, max: value) }
    /// Whether `value` lies within the bounds.
    public func contains(_ value: Value) -> Bool {
        (min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true)
    }
}

/// Bounds on a figure of one named party.
public struct NamedBounds<Value: Comparable & Codable & Sendable>: Equatable, Codable, Sendable {
    public var party: String
    public var bounds: Bounds<Value>
    public init(party: String, bounds: Bounds<Value>) { self.party = party; self.bounds = bounds }
}

/// What one dispute must show; the dispute is the one `challenger` opened (a verifier
/// challenges at most once per game).
public struct DisputeExpectation: Equatable, Codable, Sendable {
    /// The challenging verifier's name: which dispute this is about.
    public var challenger: String
    /// Trace or output.
    public var kind: DisputeKind?
    /// The solver, the challenger, or "none" (never played).
    public var winner: String?
    /// Its rounds (docs/GAME.md "Rounds").
    public var rounds: Bounds<Int>?
    /// Its divergence step (docs/REPORT.md: set only when a step proof decided it).
    public var divergenceStep: UInt64?
    /// How it ended.
    public var endedBy: DisputeEnding?

    public init(challenger: String, kind: DisputeKind? = nil, winner: String? = nil, rounds: Bounds<Int>? = nil,
                divergenceStep: UInt64? = nil, endedBy: DisputeEnding? = nil) {
        self.challenger = challenger; self.kind = kind; self.winner = winner; self.rounds = rounds
        self.divergenceStep = divergenceStep; self.endedBy = endedBy
    }
}
