import Commitment
import Game

/// What the chain acted on, in order: the inputs that make its state. Replaying them
/// through a fresh `JudgeStateMachine` rebuilds the chain exactly (the machine is
/// deterministic), which is how a killed judge resumes and how `tbsim replay` checks a
/// finished game.
public enum ChainInput: Equatable, Sendable {
    /// The task was posted (every party had joined).
    case start
    /// A transaction the chain admitted (its signature and nonce were good), whatever the
    /// rules then made of it: the signed envelope exactly as it arrived.
    case transaction(envelope: [UInt8])
    /// The chain clock passed a deadline and the chain acted on it.
    case tick
    /// A judge process took over from the ledger after the previous one stopped.
    case resume

    /// The input's name in the ledger's `kind` column.
    public var name: String {
        switch self {
        case .start: return "start"
        case .transaction: return "transaction"
        case .tick: return "tick"
        case .resume: return "resume"
        }
    }
}

/// A party's money after an input: free balance and locked deposit.
public struct BalanceRow: Equatable, Sendable {
    /// The party.
    public var party: PartyID
    /// Free to spend.
    public var balance: UInt64
    /// Locked in the game.
    public var escrow: UInt64

    /// A row.
    public init(party: PartyID, balance: UInt64, escrow: UInt64) {
        self.party = party; self.balance = balance; self.escrow = escrow
    }
}

/// One record of the ledger: an input, the chain time it took effect at, what it did
/// (its outcome, the ledger entries it wrote, every balance after it), linked to the
/// record before by hash and signed by the judge.
public struct ChainRecord: Equatable, Sendable {
    /// Position in the ledger, from 1.
    public var seq: UInt64
    /// Chain time (ms since the task was posted) the input took effect at: for a
    /// transaction, when it reached the judge (the block its entries were mined in may be
    /// later: docs/GAME.md, "Clock").
    public var timeMs: UInt64
    /// The block of `timeMs`.
    public var block: UInt64
    /// What the chain acted on.
    public var input: ChainInput
    /// What it made of it: `accepted`, `rejected: CODE` (a transaction the rules refused;
    /// its nonce is still used up), `fired` (a deadline), `started`, `resumed`.
    public var outcome: String
    /// The entries it added to the chain's timeline.
    public var entries: [TimelineEntry]
    /// Every party's money after it.
    public var balances: [BalanceRow]
    /// Slashed value burned so far.
    public var burned: UInt64
    /// The hash of the record before (the genesis hash for the first).
    public var previousHash: Digest
    /// The judge's Ed25519 signature over `hash` (a `ledger`-domain envelope, nonce = seq).
    public var signature: [UInt8]

    /// A record; `signature` is empty until `signed(by:chainID:)`.
    public init(seq: UInt64, timeMs: UInt64, block: UInt64, input: ChainInput, outcome: String, entries: [TimelineEntry],
                balances: [BalanceRow], burned: UInt64, previousHash: Digest, signature: [UInt8] = []) {
        self.seq = seq; self.timeMs = timeMs; self.block = block; self.input = input; self.outcome = outcome
        self.entries = entries; self.balances = balances; self.burned = burned; self.previousHash = previousHash
        self.signature = signature
    }

    /// keccak256 of every field but the signature, in a fixed binary layout: editing any
    /// of them, or the order of records, breaks the chain of hashes.
    public var hash: Digest {
        var w = FrameWriter()
        w.digest(previousHash); w.u64(seq); w.u64(timeMs); w.u64(block); w.string(input.name)
        if case let .transaction(e) = input { w.bytes(e) }
        w.string(outcome)
        w.u32(UInt32(entries.count))
        for e in entries {
            w.u64(e.block); w.u64(e.timeMs); w.u32(e.party.rawValue); w.string(e.kind.rawValue); w.u64(e.gas)
            w.u64(UInt64(e.bytes)); w.u64(e.dispute.map { UInt64($0) + 1 } ?? 0)
            w.bool(e.lo != nil); w.u64(e.lo ?? 0); w.bool(e.hi != nil); w.u64(e.hi ?? 0)
            w.bool(e.deadline != nil); w.u64(e.deadline ?? 0)
        }
        w.u32(UInt32(balances.count))
        for b in balances { w.u32(b.party.rawValue); w.u64(b.balance); w.u64(b.escrow) }
        w.u64(burned)
        return Keccak.hash(w.out)
    }

    /// The envelope whose signature is the record's (the hash as payload).
    private func envelope(chainID: Digest, signature: [UInt8]) -> SignedEnvelope {
        let h = hash
        var w = FrameWriter(); w.digest(h)
        return SignedEnvelope(domain: .ledger, chainID: chainID, party: .judge, nonce: seq, payload: w.out, signature: signature)
    }

    /// The record signed with the judge's `key` on chain `chainID`.
    public func signed(by key: SigningKey, chainID: Digest) -> ChainRecord {
        var r = self
        var w = FrameWriter(); w.digest(hash)
        r.signature = SignedEnvelope(signing: w.out, domain: .ledger, chainID: chainID, party: .judge, nonce: seq, key: key).signature
        return r
    }

    /// True when `signature` is the judge's (`account`) over this record on `chainID`.
    public func isSigned(by account: AccountKey, chainID: Digest) -> Bool {
        envelope(chainID: chainID, signature: signature).isSigned(by: account)
    }
}

/// The ledger's first record: which chain it is and everything needed to replay it.
public struct ChainGenesis: Equatable, Sendable {
    /// The chain's id (the scenario's digest).
    public var chainID: Digest
    /// The judge's account: it signs every record.
    public var judgeAccount: AccountKey
    /// The task's initial state root, as posted.
    public var initialRoot: Digest
    /// The resolved scenario, in its canonical JSON encoding (whose keccak is `chainID`).
    public var scenario: [UInt8]
    /// The tbsim version that created the ledger.
    public var tbsimVersion: String

    /// A genesis.
    public init(chainID: Digest, judgeAccount: AccountKey, initialRoot: Digest, scenario: [UInt8], tbsimVersion: String) {
        self.chainID = chainID; self.judgeAccount = judgeAccount; self.initialRoot = initialRoot
        self.scenario = scenario; self.tbsimVersion = tbsimVersion
    }

    /// The hash the first record links to.
    public var hash: Digest {
        var w = FrameWriter()
        w.string("tbsim ledger genesis v1"); w.digest(chainID); w.bytes(judgeAccount.bytes); w.digest(initialRoot)
        w.bytes(scenario); w.string(tbsimVersion)
        return Keccak.hash(w.out)
    }
}
