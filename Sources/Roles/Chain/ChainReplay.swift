import Commitment
import Foundation
import Game
import Ledger
import Scenario

/// Rebuilds a chain from its ledger, trusting nothing in it: the scenario must hash to
/// the chain id, every record must link to the one before and carry the judge's
/// signature, and every input is played again through a fresh judge — signatures, nonces,
/// turns, deadlines, one-step and halt proofs, output openings, gas and balances all
/// checked anew — and must give exactly the outcome, entries and balances recorded.
/// A resuming judge and `tbsim replay` both use it.
public enum ChainReplay {
    /// Where and why a ledger failed its check.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// The record at fault (nil: the chain row itself).
        public var seq: UInt64?
        /// What is wrong.
        public var reason: String
        public var description: String { seq.map { "record \($0): \(reason)" } ?? reason }
    }

    /// The chain as rebuilt.
    public struct Outcome {
        /// The scenario the ledger's chain plays.
        public var spec: ScenarioSpec
        /// The judge's state after the last record.
        public var judge: JudgeStateMachine
        /// Every record, checked.
        public var records: [ChainRecord]
        /// Every notification the judge sent, in the order it signed them (broadcasts
        /// expanded in roster order), so a resuming judge can re-sign the same sequence.
        public var notifications: [(to: PartyID, message: GameMessage)]
        /// How many judge processes have run this chain (1 + the resumes recorded).
        public var incarnation: UInt64
        /// Chain time of the last record (0 if none).
        public var lastTimeMs: UInt64 { records.last?.timeMs ?? 0 }
        /// Hash of the last record (the genesis hash if none).
        public var lastHash: Digest
        /// Whether the task was posted.
        public var started: Bool { records.contains { $0.input == .start } }
    }

    /// Replays `ledger`. Throws `Failure` at the first thing that does not check.
    public static func run(_ ledger: ChainLedger, checker: any ProofChecker = CommitmentProofChecker()) throws -> Outcome {
        let genesis = ledger.genesis
        let spec: ScenarioSpec
        do { spec = try JSONDecoder().decode(ScenarioSpec.self, from: Data(genesis.scenario)) } catch {
            throw Failure(seq: nil, reason: "the scenario stored in the ledger does not decode: \(error)")
        }
        guard spec.digest == genesis.chainID else {
            throw Failure(seq: nil, reason: "the scenario stored in the ledger hashes to \(spec.digest), not to the chain id \(genesis.chainID)")
        }
        let setup = GameSetup(spec: spec)
        guard setup.accounts.keys[.judge] == genesis.judgeAccount else {
            throw Failure(seq: nil, reason: "the judge account in the ledger (\(genesis.judgeAccount.hex)) is not the scenario's judge (\(setup.accounts.keys[.judge]?.hex ?? "none"))")
        }
        var judge: JudgeStateMachine
        do { judge = try setup.judgeMachine(initialRoot: genesis.initialRoot, checker: checker) } catch {
            throw Failure(seq: nil, reason: "the scenario's game does not validate: \(error)")
        }
        let records: [ChainRecord], hashColumn: [UInt64: String]
        do { records = try ledger.records(); hashColumn = try ledger.recordedHashes() } catch {
            throw Failure(seq: nil, reason: "\(error)")
        }
        var previous = genesis.hash
        var notifications: [(to: PartyID, message: GameMessage)] = []
        var incarnation: UInt64 = 1
        var lastTime: UInt64 = 0
        for (i, r) in records.enumerated() {
            let seq = UInt64(i + 1)
            guard r.seq == seq else { throw Failure(seq: seq, reason: "missing; the next record is \(r.seq)") }
            guard r.previousHash == previous else {
                throw Failure(seq: seq, reason: "does not link to the record before (prev_hash \(r.previousHash), expected \(previous)): a record was removed, reordered or edited")
            }
            guard r.isSigned(by: genesis.judgeAccount, chainID: genesis.chainID) else {
                throw Failure(seq: seq, reason: "the judge's signature does not match its contents: the record was edited")
            }
            if let stored = hashColumn[seq], stored != r.hash.hex {
                throw Failure(seq: seq, reason: "its hash column (\(stored)) is not the hash of its contents (\(r.hash))")
            }
            guard r.timeMs >= lastTime else {
                throw Failure(seq: seq, reason: "its chain time \(r.timeMs) ms is before the previous record's \(lastTime) ms")
            }
            var next = judge
            let actions = r.input.apply(to: &next, at: r.timeMs)
            guard r.input.changes(judge, next) else {
                throw Failure(seq: seq, reason: "\(describe(r)) changes nothing on replay, so the judge would not have recorded it")
            }
            let expected = ChainRecord(seq: seq, input: r.input, at: r.timeMs, before: judge, after: next, actions: actions,
                                       previousHash: previous)
            if let difference = differences(recorded: r, replayed: expected) {
                throw Failure(seq: seq, reason: "\(describe(r)): \(difference)")
            }
            judge = next
            if r.input == .resume { incarnation += 1 }
            for a in actions {
                switch a {
                case let .send(to, m): notifications.append((to, m))
                case let .broadcast(m): for p in setup.roster.parties { notifications.append((p.id, m)) }
                default: break
                }
            }
            previous = r.hash
            lastTime = r.timeMs
        }
        return Outcome(spec: spec, judge: judge, records: records, notifications: notifications, incarnation: incarnation,
                       lastHash: previous)
    }

    /// A record in words: its kind, and for a transaction the signer, nonce and move.
    public static func describe(_ r: ChainRecord) -> String {
        guard let t = r.transactionColumns else { return "\(r.input.name) at block \(r.block)" }
        return "transaction \(t.move ?? "(undecodable)") from party \(t.party.rawValue) (nonce \(t.nonce)) at block \(r.block)"
    }

    private static func blockText(_ deadline: UInt64?) -> String { deadline.map { "block \($0)" } ?? "none" }

    /// The first way `recorded` differs from what the replay computed, in words.
    static func differences(recorded r: ChainRecord, replayed e: ChainRecord) -> String? {
        if r.outcome != e.outcome { return "recorded outcome \(r.outcome.debugDescription), replay gives \(e.outcome.debugDescription)" }
        if r.block != e.block { return "recorded block \(r.block), replay gives \(e.block)" }
        if r.entries.count != e.entries.count {
            return "recorded \(r.entries.count) timeline entries, replay gives \(e.entries.count)"
        }
        for (i, (x, y)) in zip(r.entries, e.entries).enumerated() where x != y {
            if x.gas != y.gas { return "entry \(i) (\(x.kind.rawValue)) recorded gas \(x.gas), replay charges \(y.gas)" }
            if x.kind == y.kind, x.deadline != y.deadline {
                return "entry \(i) (\(x.kind.rawValue)) recorded deadline \(blockText(x.deadline)), replay sets \(blockText(y.deadline))"
            }
            if x.kind == y.kind, x.block != y.block {
                return "entry \(i) (\(x.kind.rawValue)) recorded in block \(x.block), replay mines it in block \(y.block)"
            }
            return "entry \(i) recorded as \(x.kind.rawValue) by party \(x.party.rawValue), replay gives \(y.kind.rawValue) by party \(y.party.rawValue)"
        }
        if r.balances != e.balances {
            for (x, y) in zip(r.balances, e.balances) where x != y {
                return "party \(x.party.rawValue)'s balance recorded \(x.balance) (escrow \(x.escrow)), replay gives \(y.balance) (escrow \(y.escrow))"
            }
            return "recorded balances of \(r.balances.count) parties, replay gives \(e.balances.count)"
        }
        if r.burned != e.burned { return "recorded \(r.burned) burned, replay gives \(e.burned)" }
        return nil
    }
}
