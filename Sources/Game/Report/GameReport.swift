/// Everything a finished game measured, for reports and plots. Keys are snake_case.
public struct GameReport: Codable, Equatable, Sendable {
    /// The task's number.
    public var taskID: UInt64
    /// Accepted or not, and who won.
    public var outcome: GameOutcome
    /// Steps the solver claimed (nil if it never committed).
    public var taskSteps: UInt64?
    /// The solver's committed claim (nil if it never committed).
    public var claim: Claim?
    /// The task as posted: its initial root and step limit.
    public var task: PostedTask
    /// k of the bisection (the one chosen, with `k: auto`).
    public var arity: Int
    /// `k: auto`: what was chosen and its estimate (nil when k was configured).
    public var arityChoice: ArityChoice?
    /// One entry per accepted challenge, in the order they were played.
    public var disputes: [DisputeReport]
    /// Gas by party and in total.
    public var gas: GasReport
    /// Every party's balance at the start and the end.
    public var balances: [BalanceEntry]
    /// Deposit value destroyed by slashing (the part not paid to winners).
    public var burned: UInt64
    /// Frames delivered by the driver in both directions.
    public var messages: Int
    /// Bytes of those frames.
    public var bytes: Int
    /// Frames the judge refused.
    public var rejectedFrames: Int
    /// Every accepted transaction and every chain-side event, in ledger order.
    public var timeline: [TimelineEntry]
    /// Block and virtual time at which the game settled.
    public var finalBlock: UInt64
    /// Virtual milliseconds at which the game settled.
    public var finalTimeMs: UInt64

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", outcome, taskSteps = "task_steps", claim, task, arity, arityChoice = "arity_choice", disputes, gas, balances, burned
        case messages, bytes, rejectedFrames = "rejected_frames", timeline
        case finalBlock = "final_block", finalTimeMs = "final_time_ms"
    }
}

/// One dispute between the solver and a challenger.
public struct DisputeReport: Codable, Equatable, Sendable {
    /// Dispute number (1-based, in challenge order).
    public var id: UInt32
    /// The verifier that challenged.
    public var challenger: PartyID
    /// Trace (bisection) or output dispute.
    public var kind: DisputeKind
    /// Moves of the dispute counted as rounds: 1 (the challenge) + `picks` + 1 if the
    /// closing move (step proof or output opening) was made. See docs/GAME.md.
    public var rounds: Int
    /// Accepted pick transactions (each preceded by one root posting).
    public var picks: Int
    /// Final lo when the interval reached one step: the step the dispute is about.
    public var divergenceStep: UInt64?
    /// Who won; nil while unplayed (refunded when the game ended first).
    public var winner: PartyID?
    /// Size of the closing proof or opening in bytes (0 if none was sent).
    public var proofBytes: Int
    /// Gas of all transactions belonging to this dispute, from both sides.
    public var gas: UInt64
    /// Block at which the dispute started being played (nil if it never was).
    public var startBlock: UInt64?
    /// Block at which it was resolved.
    public var endBlock: UInt64?
    /// Why it ended (`.pending` while unplayed).
    public var reason: Resolution

    enum CodingKeys: String, CodingKey {
        case id, challenger, kind, rounds, picks, divergenceStep = "divergence_step", winner
        case proofBytes = "proof_bytes", gas, startBlock = "start_block", endBlock = "end_block", reason
    }
}

/// Gas spent, per party and overall.
public struct GasReport: Codable, Equatable, Sendable {
    /// One entry per party that sent at least one transaction, by party number.
    public var byParty: [PartyGas]
    /// One entry per move kind (commit, challenge, post_roots, …) that was charged, in
    /// order of first appearance in the ledger.
    public var byMove: [MoveGas]
    /// The price used for the conversions, gwei per gas.
    public var gasPriceGwei: Double
    /// The ETH price used for the conversions, in USD.
    public var ethPriceUsd: Double
    /// Sum over all parties.
    public var totalGas: UInt64
    /// `totalGas` in ETH.
    public var totalEth: Double
    /// `totalGas` in USD.
    public var totalUsd: Double

    enum CodingKeys: String, CodingKey {
        case byParty = "by_party", byMove = "by_move", gasPriceGwei = "gas_price_gwei", ethPriceUsd = "eth_price_usd"
        case totalGas = "total_gas", totalEth = "total_eth", totalUsd = "total_usd"
    }
}

/// Gas one party paid.
public struct PartyGas: Codable, Equatable, Sendable {
    /// The party.
    public var party: PartyID
    /// Transactions charged to it.
    public var transactions: Int
    /// Gas.
    public var gas: UInt64
    /// In ETH.
    public var eth: Double
    /// In USD.
    public var usd: Double
}

/// Gas spent on one kind of move, over all parties.
public struct MoveGas: Codable, Equatable, Sendable {
    /// Move kind as in the timeline.
    public var kind: LedgerEntryKind
    /// How many such moves were charged.
    public var count: Int
    /// Gas.
    public var gas: UInt64
    /// In ETH.
    public var eth: Double
    /// In USD.
    public var usd: Double
}

/// A party's deposit-currency balance before and after the game.
public struct BalanceEntry: Codable, Equatable, Sendable {
    /// The party.
    public var party: PartyID
    /// Balance before the game.
    public var start: UInt64
    /// Balance after settlement (deposits returned, slashed or paid out).
    public var end: UInt64
    /// With `game.gas_price_wei`: what the party paid for gas out of its balance (nil
    /// without a gas price: gas is then a figure only).
    public var gasPaid: UInt64?
    /// With `game.gas_price_wei`: gas fees it owed and could not pay (its moves refused
    /// as `cannot_pay_gas`, chain-side calls it paid in part); nil when none.
    public var gasShort: UInt64?

    /// An entry.
    public init(party: PartyID, start: UInt64, end: UInt64, gasPaid: UInt64? = nil, gasShort: UInt64? = nil) {
        self.party = party; self.start = start; self.end = end; self.gasPaid = gasPaid; self.gasShort = gasShort
    }

    enum CodingKeys: String, CodingKey {
        case party, start, end, gasPaid = "gas_paid", gasShort = "gas_short"
    }
}

/// One line of the ledger, for plots.
public struct TimelineEntry: Codable, Equatable, Sendable {
    /// Block it was included in.
    public var block: UInt64
    /// Virtual time in milliseconds.
    public var timeMs: UInt64
    /// Who sent (or, for chain-side events, who paid / the judge).
    public var party: PartyID
    /// What the entry records.
    public var kind: LedgerEntryKind
    /// Gas charged for it.
    public var gas: UInt64
    /// Frame size in bytes (0 for chain-side events).
    public var bytes: Int
    /// Dispute it belongs to, if any.
    public var dispute: UInt32?
    /// Disputed interval after the move, if in a trace dispute.
    public var lo: UInt64?
    /// Disputed interval after the move, if in a trace dispute.
    public var hi: UInt64?
    /// The deadline this entry set: the last block in which the next move of its phase or
    /// dispute is in time (the commit for `task_posted`, a challenge for `commit`, the
    /// other side's move for a dispute's moves); nil when it set none.
    public var deadline: UInt64?

    /// An entry (the judge writes them; a ledger reads them back).
    public init(block: UInt64, timeMs: UInt64, party: PartyID, kind: LedgerEntryKind, gas: UInt64, bytes: Int,
                dispute: UInt32? = nil, lo: UInt64? = nil, hi: UInt64? = nil, deadline: UInt64? = nil) {
        self.block = block; self.timeMs = timeMs; self.party = party; self.kind = kind; self.gas = gas
        self.bytes = bytes; self.dispute = dispute; self.lo = lo; self.hi = hi; self.deadline = deadline
    }

    enum CodingKeys: String, CodingKey { case block, timeMs = "time_ms", party, kind, gas, bytes, dispute, lo, hi, deadline }
}
