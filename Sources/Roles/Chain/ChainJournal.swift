import Commitment
import Game
import Ledger

/// The judge's pen on its ledger: it turns each input that changed the chain into a
/// signed, hash-linked `ChainRecord` and commits it before the judge acts on it.
public final class ChainJournal {
    /// The ledger written.
    public let ledger: ChainLedger
    private let key: SigningKey
    private var seq: UInt64
    private var lastHash: Digest

    /// A journal continuing `ledger` after `records` (none for a new ledger).
    public init(ledger: ChainLedger, key: SigningKey, after records: [ChainRecord] = []) {
        self.ledger = ledger; self.key = key
        seq = UInt64(records.count)
        lastHash = records.last?.hash ?? ledger.genesis.hash
    }

    /// Records `input` taking the judge from `before` to `after` at `t` with `actions`, if
    /// it changed the chain (`ChainInput.changes`). Throws when the ledger cannot be
    /// written: the chain must not act on what it could not record.
    public func commit(_ input: ChainInput, at t: UInt64, before: JudgeStateMachine, after: JudgeStateMachine,
                       actions: [GameAction]) throws {
        guard input.changes(before, after) else { return }
        let record = ChainRecord(seq: seq + 1, input: input, at: t, before: before, after: after, actions: actions,
                                 previousHash: lastHash).signed(by: key, chainID: ledger.genesis.chainID)
        try ledger.append(record)
        seq += 1
        lastHash = record.hash
    }

    /// Records an admitted hello's nonce (see `ChainLedger.recordSession`).
    public func session(party: PartyID, nonce: UInt64, at t: UInt64) throws {
        try ledger.recordSession(party: party, nonce: nonce, timeMs: t)
    }
}
