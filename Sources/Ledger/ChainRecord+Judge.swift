import Commitment
import Game

extension ChainInput {
    /// Feeds the input to `judge` at chain time `t`: the one place an input becomes a
    /// state change, for the live judge, a resuming judge and an offline replay alike.
    public func apply(to judge: inout JudgeStateMachine, at t: UInt64) -> [GameAction] {
        switch self {
        case .start: return judge.start(now: t)
        case let .transaction(envelope): return judge.receive(transaction: envelope, now: t)
        case .tick: return judge.tick(now: t)
        case .resume: return judge.resume(now: t)
        }
    }

    /// Whether taking this input from `before` to `after` changed the chain, so it must be
    /// recorded: a transaction whose signature and nonce were admitted (even one the rules
    /// then refused: its nonce is used up), a tick that fired a deadline, and always the
    /// start and a resume. Anything else (junk, forgeries, replays, quiet ticks) left the
    /// chain as it was and needs no record.
    public func changes(_ before: JudgeStateMachine, _ after: JudgeStateMachine) -> Bool {
        switch self {
        case .start, .resume: return true
        case .transaction: return after.transactions != before.transactions
        case .tick: return after.ledger.count != before.ledger.count
        }
    }
}

extension ChainRecord {
    /// The record of `input` taking the judge from `before` to `after` at chain time `t`
    /// with `actions` (unsigned; linked to `previousHash`).
    public init(seq: UInt64, input: ChainInput, at t: UInt64, before: JudgeStateMachine, after: JudgeStateMachine,
                actions: [GameAction], previousHash: Digest) {
        let outcome: String
        switch input {
        case .start: outcome = "started"
        case .resume: outcome = "resumed"
        case .tick: outcome = "fired"
        case .transaction:
            let refusal = actions.lazy.compactMap { a -> Rejection? in if case let .rejected(_, r) = a { return r } else { return nil } }.first
            outcome = refusal.map { "rejected: \($0.code)" } ?? "accepted"
        }
        let parties = Set(after.balances.keys).union(after.escrow.keys).sorted()
        self.init(seq: seq, timeMs: t, block: after.block(at: t), input: input, outcome: outcome,
                  entries: Array(after.ledger[before.ledger.count...]),
                  balances: parties.map { BalanceRow(party: $0, balance: after.balances[$0] ?? 0, escrow: after.escrow[$0] ?? 0) },
                  burned: after.burned, previousHash: previousHash)
    }

    /// The signer, nonce and move of a transaction record, for the ledger's query columns
    /// (nil for chain events).
    public var transactionColumns: (party: PartyID, nonce: UInt64, move: String?)? {
        guard case let .transaction(bytes) = input, let e = try? SignedEnvelope.decode(bytes) else { return nil }
        let move = (try? GameMessage.decode(e.payload))?.kind.rawValue
        return (e.party, e.nonce, move)
    }
}
