import Commitment
import Foundation
import Game
import GRDB

/// Why a ledger could not be used: one line naming the file and the cause.
public struct LedgerError: Error, CustomStringConvertible, Equatable {
    /// The message.
    public let description: String
    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}

/// The chain's durable ledger: one SQLite file (docs/LEDGER.md has the schema). The
/// judge commits each record before it acts on the input, so a judge killed at any point
/// resumes from it, and `tbsim replay` re-checks it offline. Users may query it with
/// `sqlite3`; only this type writes it.
///
/// Durability: WAL journal, `synchronous = NORMAL` — a committed record survives the
/// judge process being killed at any instant (the OS has the write); a power cut may lose
/// the last records, which the parties then send again.
public final class ChainLedger {
    /// The schema version this build reads and writes.
    public static let schemaVersion = 2

    /// The file.
    public let path: String
    /// The chain.
    public let genesis: ChainGenesis
    private let db: DatabaseQueue

    private init(path: String, db: DatabaseQueue, genesis: ChainGenesis) {
        self.path = path; self.db = db; self.genesis = genesis
    }

    private static func configuration(readOnly: Bool) -> Configuration {
        var c = Configuration()
        c.readonly = readOnly
        c.label = "tbsim-ledger"
        c.prepareDatabase { db in
            if !readOnly {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        return c
    }

    /// Removes the SQLite database at `path` with its WAL, shared-memory and journal
    /// files, where they exist.
    public static func removeFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Creates a new ledger at `path` holding `genesis`. Refuses a file that exists.
    /// Atomic: the ledger is built under a temporary name and renamed into place, so a
    /// judge killed while creating it leaves either no ledger or a whole one.
    public static func create(path: String, genesis: ChainGenesis) throws -> ChainLedger {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw LedgerError("ledger \(path) already exists")
        }
        let temporary = path + ".creating-\(getpid())"
        func removeTemporary() { removeFiles(at: temporary) }
        removeTemporary()
        do {
            let db = try DatabaseQueue(path: temporary, configuration: configuration(readOnly: false))
            try db.write { db in
                for statement in schema { try db.execute(sql: statement) }
                try db.execute(sql: """
                    INSERT INTO chain (id, schema_version, chain_id, judge_account, initial_root, scenario, tbsim_version, genesis_hash)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [schemaVersion, genesis.chainID.hex, genesis.judgeAccount.hex, genesis.initialRoot.hex,
                                     String(decoding: genesis.scenario, as: UTF8.self), genesis.tbsimVersion, genesis.hash.hex])
            }
            // Closing checkpoints the write-ahead log into the file, so one rename moves it all.
            try db.close()
        } catch {
            removeTemporary()
            throw LedgerError("cannot create ledger \(path): \(reason(error))")
        }
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            removeTemporary()
            throw LedgerError("cannot create ledger \(path): \(why)")
        }
        removeTemporary()
        return try open(path: path)
    }

    /// Opens an existing ledger (read-only for `replay`). Throws a `LedgerError` naming
    /// the file when it is missing, not a tbsim ledger, or of another schema version.
    public static func open(path: String, readOnly: Bool = false) throws -> ChainLedger {
        guard FileManager.default.fileExists(atPath: path) else { throw LedgerError("ledger \(path): no such file") }
        let db: DatabaseQueue
        do { db = try DatabaseQueue(path: path, configuration: configuration(readOnly: readOnly)) } catch {
            throw LedgerError("ledger \(path): cannot open: \(reason(error))")
        }
        let row: Row?
        do {
            row = try db.read { db -> Row? in
                guard try db.tableExists("chain") else { return nil }
                return try Row.fetchOne(db, sql: "SELECT * FROM chain WHERE id = 1")
            }
        } catch {
            throw LedgerError("ledger \(path): not a tbsim ledger (\(reason(error)))")
        }
        guard let row else { throw LedgerError("ledger \(path): not a tbsim ledger (no chain table or row)") }
        let version: Int = row["schema_version"] ?? -1
        guard version == schemaVersion else {
            throw LedgerError("ledger \(path): schema version \(version); this tbsim reads version \(schemaVersion)")
        }
        guard let chainID = Digest(hex: row["chain_id"] ?? ""), let judge = AccountKey(hex: row["judge_account"] ?? ""),
              let root = Digest(hex: row["initial_root"] ?? ""), let scenario: String = row["scenario"],
              let version: String = row["tbsim_version"] else {
            throw LedgerError("ledger \(path): the chain row is damaged")
        }
        let genesis = ChainGenesis(chainID: chainID, judgeAccount: judge, initialRoot: root, scenario: Array(scenario.utf8),
                                   tbsimVersion: version)
        guard row["genesis_hash"] == genesis.hash.hex else {
            throw LedgerError("ledger \(path): the chain row does not match its hash (edited?)")
        }
        return ChainLedger(path: path, db: db, genesis: genesis)
    }

    /// Commits `record` (and its entries and balances) in one SQLite transaction.
    public func append(_ record: ChainRecord) throws {
        let columns = record.transactionColumns
        let party = columns?.party, nonce = columns?.nonce, move = columns?.move
        do {
            try db.write { db in
                var envelope: Data?
                if case let .transaction(e) = record.input { envelope = Data(e) }
                try db.execute(sql: """
                    INSERT INTO inputs (seq, time_ms, block, kind, party, nonce, move, envelope, outcome, burned, prev_hash, hash, signature)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [Self.int(record.seq), Self.int(record.timeMs), Self.int(record.block), record.input.name,
                                     party.map { Int64($0.rawValue) }, nonce.map(Self.int), move, envelope, record.outcome,
                                     Self.int(record.burned), record.previousHash.hex, record.hash.hex, Data(record.signature)])
                for (i, e) in record.entries.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO entries (seq, position, block, time_ms, party, kind, gas, bytes, dispute, lo, hi, deadline)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [Self.int(record.seq), i, Self.int(e.block), Self.int(e.timeMs), Int64(e.party.rawValue),
                                         e.kind.rawValue, Self.int(e.gas), e.bytes, e.dispute.map { Int64($0) },
                                         e.lo.map(Self.int), e.hi.map(Self.int), e.deadline.map(Self.int)])
                }
                for b in record.balances {
                    try db.execute(sql: "INSERT INTO balances (seq, party, balance, escrow) VALUES (?, ?, ?, ?)",
                                   arguments: [Self.int(record.seq), Int64(b.party.rawValue), Self.int(b.balance), Self.int(b.escrow)])
                }
            }
        } catch {
            throw LedgerError("ledger \(path): cannot commit record \(record.seq): \(Self.reason(error))")
        }
    }

    /// Every record, in order. Throws naming the first row that cannot be read back.
    public func records() throws -> [ChainRecord] {
        do {
            return try db.read { db in
                var entries: [Int64: [TimelineEntry]] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT * FROM entries ORDER BY seq, position") {
                    let seq: Int64 = r["seq"]
                    guard let kind = LedgerEntryKind(rawValue: r["kind"] ?? "") else {
                        throw LedgerError("ledger \(path): entry \(r["position"] ?? 0) of record \(seq): unknown kind \(r["kind"] ?? "")")
                    }
                    let dispute: Int64? = r["dispute"], lo: Int64? = r["lo"], hi: Int64? = r["hi"], deadline: Int64? = r["deadline"]
                    entries[seq, default: []].append(TimelineEntry(
                        block: Self.u64(r["block"]), timeMs: Self.u64(r["time_ms"]), party: PartyID(UInt32(truncatingIfNeeded: r["party"] as Int64)),
                        kind: kind, gas: Self.u64(r["gas"]), bytes: r["bytes"], dispute: dispute.map { UInt32(truncatingIfNeeded: $0) },
                        lo: lo.map { UInt64(bitPattern: $0) }, hi: hi.map { UInt64(bitPattern: $0) },
                        deadline: deadline.map { UInt64(bitPattern: $0) }))
                }
                var balances: [Int64: [BalanceRow]] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT * FROM balances ORDER BY seq, party") {
                    balances[r["seq"], default: []].append(BalanceRow(party: PartyID(UInt32(truncatingIfNeeded: r["party"] as Int64)),
                                                                      balance: Self.u64(r["balance"]), escrow: Self.u64(r["escrow"])))
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM inputs ORDER BY seq").map { r in
                    let seq: Int64 = r["seq"]
                    let kind: String = r["kind"] ?? ""
                    let input: ChainInput
                    switch kind {
                    case "start": input = .start
                    case "tick": input = .tick
                    case "resume": input = .resume
                    case "transaction":
                        guard let e: Data = r["envelope"] else { throw LedgerError("ledger \(path): record \(seq): a transaction without its envelope") }
                        input = .transaction(envelope: [UInt8](e))
                    default: throw LedgerError("ledger \(path): record \(seq): unknown kind \(kind.debugDescription)")
                    }
                    guard let prev = Digest(hex: r["prev_hash"] ?? "") else { throw LedgerError("ledger \(path): record \(seq): damaged prev_hash") }
                    let sig: Data = r["signature"] ?? Data()
                    return ChainRecord(seq: UInt64(bitPattern: seq), timeMs: Self.u64(r["time_ms"]), block: Self.u64(r["block"]),
                                       input: input, outcome: r["outcome"] ?? "", entries: entries[seq] ?? [],
                                       balances: balances[seq] ?? [], burned: Self.u64(r["burned"]), previousHash: prev,
                                       signature: [UInt8](sig))
                }
            }
        } catch let e as LedgerError {
            throw e
        } catch {
            throw LedgerError("ledger \(path): cannot read records: \(Self.reason(error))")
        }
    }

    /// What every row's `hash` column says, by `seq` (a query column: the replay checks it
    /// against the hash of the row's contents).
    public func recordedHashes() throws -> [UInt64: String] {
        try db.read { db in
            var out: [UInt64: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT seq, hash FROM inputs") { out[Self.u64(r["seq"])] = r["hash"] }
            return out
        }
    }

    /// Notes a hello (or resync) the judge admitted: its nonce must never be accepted
    /// again, by this judge process or the next.
    public func recordSession(party: PartyID, nonce: UInt64, timeMs: UInt64) throws {
        do {
            try db.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO sessions (party, nonce, time_ms) VALUES (?, ?, ?)",
                               arguments: [Int64(party.rawValue), Self.int(nonce), Self.int(timeMs)])
            }
        } catch {
            throw LedgerError("ledger \(path): cannot record a hello: \(Self.reason(error))")
        }
    }

    /// The highest hello nonce admitted per party.
    public func sessionNonces() throws -> [PartyID: UInt64] {
        try db.read { db in
            var out: [PartyID: UInt64] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT party, MAX(nonce) AS nonce FROM sessions GROUP BY party") {
                out[PartyID(UInt32(truncatingIfNeeded: r["party"] as Int64))] = Self.u64(r["nonce"])
            }
            return out
        }
    }

    /// Closes the file (also done when the ledger is released).
    public func close() { try? db.close() }

    // MARK: schema

    /// The tables (docs/LEDGER.md explains each column). Integers that can pass 2^63 are
    /// stored as their two's-complement bit pattern.
    static let schema = [
        """
        CREATE TABLE chain (
            id INTEGER PRIMARY KEY CHECK (id = 1), schema_version INTEGER NOT NULL, chain_id TEXT NOT NULL,
            judge_account TEXT NOT NULL, initial_root TEXT NOT NULL, scenario TEXT NOT NULL,
            tbsim_version TEXT NOT NULL, genesis_hash TEXT NOT NULL)
        """,
        """
        CREATE TABLE inputs (
            seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, block INTEGER NOT NULL, kind TEXT NOT NULL,
            party INTEGER, nonce INTEGER, move TEXT, envelope BLOB, outcome TEXT NOT NULL, burned INTEGER NOT NULL,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL, signature BLOB NOT NULL)
        """,
        """
        CREATE TABLE entries (
            seq INTEGER NOT NULL REFERENCES inputs(seq), position INTEGER NOT NULL, block INTEGER NOT NULL,
            time_ms INTEGER NOT NULL, party INTEGER NOT NULL, kind TEXT NOT NULL, gas INTEGER NOT NULL,
            bytes INTEGER NOT NULL, dispute INTEGER, lo INTEGER, hi INTEGER, deadline INTEGER, PRIMARY KEY (seq, position))
        """,
        """
        CREATE TABLE balances (
            seq INTEGER NOT NULL REFERENCES inputs(seq), party INTEGER NOT NULL, balance INTEGER NOT NULL,
            escrow INTEGER NOT NULL, PRIMARY KEY (seq, party))
        """,
        """
        CREATE TABLE sessions (
            party INTEGER NOT NULL, nonce INTEGER NOT NULL, time_ms INTEGER NOT NULL, PRIMARY KEY (party, nonce))
        """,
    ]

    private static func int(_ v: UInt64) -> Int64 { Int64(bitPattern: v) }
    private static func u64(_ v: Int64?) -> UInt64 { UInt64(bitPattern: v ?? 0) }

    private static func reason(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }
}
