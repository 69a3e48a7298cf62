import Commitment
import Foundation
import Game
import Ledger
import Testing
import TestSupport

/// The ledger file: what goes in comes back out, bit for bit; what is not a ledger (or
/// not this version's) is refused with the file and the cause; the hash of a record
/// covers every field.
struct ChainLedgerTests {
    let key = SigningKey.derived(scenarioSeed: 7, name: "judge")
    var genesis: ChainGenesis {
        ChainGenesis(chainID: Keccak.hash(Array("chain".utf8)), judgeAccount: key.account,
                     initialRoot: Keccak.hash(Array("root".utf8)), scenario: Array("{\"name\":\"x\"}".utf8), tbsimVersion: "test")
    }

    func sampleRecords(count: Int, after genesis: ChainGenesis) -> [ChainRecord] {
        var previous = genesis.hash
        return (1...count).map { i in
            let input: ChainInput = i == 1 ? .start : (i % 3 == 0 ? .tick : .transaction(envelope: (0..<(40 + i)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) }))
            let entry = TimelineEntry(block: UInt64(i), timeMs: UInt64(i) * 1000, party: PartyID(UInt32(i % 3)), kind: .pick,
                                      gas: UInt64(i) * 1234, bytes: 40 + i, dispute: i % 2 == 0 ? 1 : nil,
                                      lo: i % 2 == 0 ? UInt64(i) : nil, hi: i % 2 == 0 ? .max : nil)
            let r = ChainRecord(seq: UInt64(i), timeMs: UInt64(i) * 1000, block: UInt64(i), input: input, outcome: "accepted",
                                entries: [entry], balances: [BalanceRow(party: PartyID(1), balance: .max - UInt64(i), escrow: 5),
                                                             BalanceRow(party: PartyID(2), balance: 3, escrow: 0)],
                                burned: UInt64(i), previousHash: previous).signed(by: key, chainID: genesis.chainID)
            previous = r.hash
            return r
        }
    }

    @Test func recordsComeBackBitForBit() throws {
        let dir = try makeTemporaryDirectory("ledger")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/chain.sqlite"
        let records = sampleRecords(count: 12, after: genesis)
        do {
            let ledger = try ChainLedger.create(path: path, genesis: genesis)
            for r in records { try ledger.append(r) }
            try ledger.recordSession(party: PartyID(1), nonce: 4, timeMs: 10)
            try ledger.recordSession(party: PartyID(1), nonce: 9, timeMs: 20)
            ledger.close()
        }
        let reopened = try ChainLedger.open(path: path, readOnly: true)
        #expect(reopened.genesis == genesis)
        let back = try reopened.records()
        #expect(back == records)
        #expect(back.allSatisfy { $0.isSigned(by: key.account, chainID: genesis.chainID) })
        #expect(try reopened.sessionNonces() == [PartyID(1): 9])
    }

    @Test func everyFieldIsCoveredByTheHash() throws {
        let r = sampleRecords(count: 2, after: genesis)[1]
        var edits: [ChainRecord] = []
        var e = r; e.timeMs += 1; edits.append(e)
        e = r; e.block += 1; edits.append(e)
        e = r; e.outcome = "rejected: late"; edits.append(e)
        e = r; e.entries[0].gas += 1; edits.append(e)
        e = r; e.entries[0].dispute = 2; edits.append(e)
        e = r; e.balances[0].escrow += 1; edits.append(e)
        e = r; e.burned += 1; edits.append(e)
        e = r; e.previousHash = genesis.chainID; edits.append(e)
        e = r; e.input = .tick; edits.append(e)
        for (i, edit) in edits.enumerated() {
            #expect(edit.hash != r.hash, "edit \(i) left the hash unchanged")
            #expect(!edit.isSigned(by: key.account, chainID: genesis.chainID), "edit \(i) kept a valid signature")
        }
        #expect(!r.isSigned(by: SigningKey.derived(scenarioSeed: 8, name: "judge").account, chainID: genesis.chainID))
        #expect(!r.isSigned(by: key.account, chainID: Keccak.hash(Array("other".utf8))))
    }

    @Test func whatIsNotALedgerIsRefusedByName() throws {
        let dir = try makeTemporaryDirectory("ledger-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: LedgerError("ledger \(dir)/none.sqlite: no such file")) { try ChainLedger.open(path: dir + "/none.sqlite") }
        let junk = dir + "/junk.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: junk))
        do { _ = try ChainLedger.open(path: junk); Issue.record("a junk file opened as a ledger") } catch let e as LedgerError {
            #expect(e.description.hasPrefix("ledger \(junk):"), "\(e)")
        }
        let path = dir + "/chain.sqlite"
        _ = try ChainLedger.create(path: path, genesis: genesis)
        #expect(throws: LedgerError("ledger \(path) already exists")) { try ChainLedger.create(path: path, genesis: genesis) }
        // Another schema version is refused, not misread.
        let r = try runProgram("/usr/bin/sqlite3", [path, "UPDATE chain SET schema_version = 99"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(throws: LedgerError("ledger \(path): schema version 99; this tbsim reads version \(ChainLedger.schemaVersion)")) {
            try ChainLedger.open(path: path)
        }
        _ = try runProgram("/usr/bin/sqlite3", [path, "UPDATE chain SET schema_version = \(ChainLedger.schemaVersion), initial_root = '0x\(String(repeating: "0", count: 64))'"])
        #expect(throws: LedgerError("ledger \(path): the chain row does not match its hash (edited?)")) { try ChainLedger.open(path: path) }
    }
}
