import Commitment
import Foundation
import Game
import Ledger
import Report
import Scenario
import Testing
import TestSupport
import Transport
@testable import Roles

/// The chain's ledger in play: a game's ledger replays to the game's verdict; a judge
/// that stops at any record resumes from the ledger to the same verdict, rounds and gas;
/// and a ledger edited by someone holding the judge's own key is still caught, because
/// the replay recomputes everything the parties' signatures do not cover.
struct ChainLedgerGameTests {
    func spec(_ file: String = "faulty-solver.yaml") throws -> ScenarioSpec {
        try ScenarioLoader.load(path: packageRoot + "/scenarios/" + file)
    }

    /// What must not change when the chain is interrupted: the verdict and every figure
    /// the chain charged.
    struct Figures: Equatable {
        var outcome: GameOutcome
        var disputes: [String]
        var gasByParty: [PartyID: UInt64]
        init(_ g: GameReport) {
            outcome = g.outcome
            disputes = g.disputes.map { "\($0.challenger.rawValue) rounds \($0.rounds) picks \($0.picks) step \($0.divergenceStep.map(String.init) ?? "-") gas \($0.gas) winner \($0.winner.map { String($0.rawValue) } ?? "-")" }
            gasByParty = g.timeline.reduce(into: [:]) { $0[$1.party, default: 0] += $1.gas }
        }
    }

    @Test func aGamesLedgerReplaysToItsVerdict() throws {
        let dir = try makeTemporaryDirectory("ledger-game")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = try spec()
        let result = try InMemoryRun.play(s, ledgerPath: dir + "/chain.sqlite")
        let ledger = try ChainLedger.open(path: dir + "/chain.sqlite", readOnly: true)
        let replay = try ChainReplay.run(ledger)
        #expect(replay.judge.state == .settled(result.game.outcome))
        #expect(replay.judge.ledger == result.game.timeline)
        #expect(replay.records.count > 20, "every move is a record")
        #expect(replay.incarnation == 1)
    }

    /// The `hash` query column must say what the row's contents hash to.
    @Test func anEditedHashColumnIsCaught() throws {
        let dir = try makeTemporaryDirectory("ledger-hash-column")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try InMemoryRun.play(try spec(), ledgerPath: dir + "/chain.sqlite")
        let zero = "0x" + String(repeating: "0", count: 64)
        let r = try runProgram("/usr/bin/sqlite3", [dir + "/chain.sqlite", "UPDATE inputs SET hash = '\(zero)' WHERE seq = 3"])
        #expect(r.status == 0, "\(r.stderr)")
        do {
            _ = try ChainReplay.run(try ChainLedger.open(path: dir + "/chain.sqlite", readOnly: true))
            Issue.record("an edited hash column replayed")
        } catch let f as ChainReplay.Failure {
            #expect(f.seq == 3 && f.reason.contains("hash column"), "\(f)")
        }
    }

    /// A ledger rewritten by a forger holding the judge's key: every record re-signed and
    /// re-linked, so only the replay's own computation can tell.
    func forge(_ source: String, to target: String, _ edit: (inout ChainGenesis, inout [ChainRecord]) -> Void) throws {
        let original = try ChainLedger.open(path: source, readOnly: true)
        var genesis = original.genesis
        var records = try original.records()
        original.close()
        edit(&genesis, &records)
        let key = SigningKey.derived(scenarioSeed: try spec().seed, name: GameSetup.judgeName)
        let forged = try ChainLedger.create(path: target, genesis: genesis)
        var previous = genesis.hash
        for (i, var r) in records.enumerated() {
            r.seq = UInt64(i + 1)
            r.previousHash = previous
            r = r.signed(by: key, chainID: genesis.chainID)
            try forged.append(r)
            previous = r.hash
        }
        forged.close()
    }

    @Test func aLedgerForgedWithTheJudgesKeyIsCaught() throws {
        let dir = try makeTemporaryDirectory("ledger-forge")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = dir + "/chain.sqlite"
        _ = try InMemoryRun.play(try spec(), ledgerPath: source)
        let records = try ChainLedger.open(path: source, readOnly: true).records()
        let proof = try #require(records.lastIndex { $0.entries.contains { $0.kind == .stepProof } })
        let firstPick = try #require(records.firstIndex { $0.entries.contains { $0.kind == .pick } })

        var n = 0
        func expectCaught(_ what: String, seq: UInt64?, containing text: String,
                          _ edit: (inout ChainGenesis, inout [ChainRecord]) -> Void) throws {
            n += 1
            let target = dir + "/forged-\(n).sqlite"
            try forge(source, to: target, edit)
            let ledger = try ChainLedger.open(path: target, readOnly: true)
            do {
                _ = try ChainReplay.run(ledger)
                Issue.record("\(what): the forged ledger replayed")
            } catch let f as ChainReplay.Failure {
                #expect(f.seq == seq, "\(what): \(f)")
                #expect(f.reason.contains(text), "\(what): \(f)")
            }
        }
        // An unchanged copy passes: the forging itself breaks nothing.
        try forge(source, to: dir + "/copy.sqlite") { _, _ in }
        _ = try ChainReplay.run(try ChainLedger.open(path: dir + "/copy.sqlite", readOnly: true))

        try expectCaught("cheaper proof", seq: UInt64(proof + 1), containing: "replay charges") { _, r in
            let i = r[proof].entries.firstIndex { $0.kind == .stepProof }!
            r[proof].entries[i].gas -= 1
        }
        try expectCaught("richer solver", seq: UInt64(proof + 1), containing: "balance recorded") { _, r in
            r[proof].balances[0].balance += 1_000
        }
        try expectCaught("a move dropped", seq: UInt64(firstPick + 1), containing: "replay gives") { _, r in
            r.remove(at: firstPick)
        }
        try expectCaught("a move made late", seq: UInt64(firstPick + 1), containing: "rejected: late") { _, r in
            r[firstPick].timeMs += 1_000_000
            r[firstPick].block = r[firstPick].timeMs / 1000
        }
        // Deadlines are part of each record (and of its hash): one moved by a block is caught
        // by the replay, which sets every deadline anew; so is a move recorded in an earlier
        // block than the chain's clock rule mines it in.
        try expectCaught("a deadline moved", seq: UInt64(firstPick + 1), containing: "recorded deadline") { _, r in
            let i = r[firstPick].entries.firstIndex { $0.kind == .pick }!
            r[firstPick].entries[i].deadline! += 1
        }
        try expectCaught("a move mined early", seq: UInt64(firstPick + 1), containing: "replay mines it in block") { _, r in
            let i = r[firstPick].entries.firstIndex { $0.kind == .pick }!
            r[firstPick].entries[i].block -= 1
        }
        try expectCaught("a move rewritten", seq: UInt64(firstPick + 1), containing: "changes nothing on replay") { _, r in
            guard case var .transaction(e) = r[firstPick].input else { return }
            e[e.count - 70] ^= 1            // inside the payload: the party's signature no longer holds
            r[firstPick].input = .transaction(envelope: e)
        }
        try expectCaught("another scenario", seq: nil, containing: "not to the chain id") { g, _ in
            // The winner's share raised, with the chain id left as it was.
            var edited = try! JSONDecoder().decode(ScenarioSpec.self, from: Data(g.scenario))
            edited.game.winnerShareBps = 9_000
            g.scenario = edited.canonicalEncoding()
        }
    }

    /// The judge "crashes" after `records` records (its endpoint closes, losing what was
    /// in flight to it), a new judge loop resumes from the ledger, and the game ends with
    /// exactly the figures of an uninterrupted run.
    @Test(arguments: [1, 5, 11, 24])
    func aJudgeStoppedAtAnyRecordResumesToTheSameGame(records: Int) throws {
        let dir = try makeTemporaryDirectory("ledger-resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = try spec()
        let uninterrupted = try InMemoryRun.play(s)
        let setup = GameSetup(spec: s)
        let network = InMemoryNetwork(defaultLatencyMilliseconds: 1)
        let clock = { UInt64(network.now) }
        let oracles = try setup.roster.parties.map { try setup.oracle(for: $0) }
        let initialRoot = StateTree(try s.task.boot().storage).root()
        let path = dir + "/chain.sqlite"
        let first = try setup.openLedger(path: path, initialRoot: initialRoot, tbsimVersion: "test")
        let endpoint1 = try network.endpoint(named: GameSetup.judgeName)
        let judge1 = try setup.judgeLoop(endpoint: endpoint1, initialRoot: initialRoot, clock: clock, journal: first.journal)
        let parties = try zip(setup.roster.parties, oracles).map { entry, oracle in
            try setup.partyLoop(entry, endpoint: try network.endpoint(named: entry.name), oracle: oracle, clock: clock,
                                wallClock: { 0 }, resyncMs: 1_000)
        }
        for p in parties { try p.start() }
        try InMemoryRun.drive(judge: judge1, others: parties, network: network) {
            ((try? first.journal.ledger.records().count) ?? 0) >= records
        }
        #expect(!judge1.isDone, "the game ended before record \(records)")
        endpoint1.close()
        first.journal.ledger.close()
        network.advanceTime(by: 3_000)        // the outage

        let again = try setup.openLedger(path: path, initialRoot: initialRoot, tbsimVersion: "test")
        let resumed = try #require(again.resumed)
        #expect(resumed.records.count == records)
        let judge2 = try setup.judgeLoop(endpoint: try network.endpoint(named: GameSetup.judgeName), initialRoot: initialRoot,
                                         clock: clock, journal: again.journal, resumed: resumed, helloNonces: again.helloNonces)
        try InMemoryRun.drive(judge: judge2, others: parties, network: network)
        let result = judge2.result()
        #expect(Figures(result.game) == Figures(uninterrupted.game))
        #expect(result.game.timeline.filter { $0.kind == .judgeRestarted }.count == 1, "the outage is on the timeline")
        // The finished ledger replays, restart included.
        let final = try ChainReplay.run(try ChainLedger.open(path: path, readOnly: true))
        #expect(final.incarnation == 2)
        #expect(final.judge.state == .settled(uninterrupted.game.outcome))
    }
}
