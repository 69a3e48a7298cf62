import Commitment
import Foundation
@testable import Game
@testable import Report
import Scenario
import Testing

/// Builds GameReports by hand: a trace dispute over `steps` steps with arity 2 that an
/// honest challenger narrows to `divergence`, plus an optional queued (unplayed) second
/// challenge. Gas figures are made-up constants per move kind; the conversions use
/// 20 gwei and 3000 USD/ETH, so 1,000,000 gas = 0.02 ETH = 60 USD.
private enum Fixture {
    static let gasOf: [LedgerEntryKind: UInt64] = [.commit: 120_000, .challenge: 90_000, .postRoots: 50_000,
                                                   .pick: 30_000, .stepProof: 400_000, .finalize: 26_000]
    static func eth(_ g: UInt64) -> Double { Double(g) * 20e-9 }
    static func usd(_ g: UInt64) -> Double { Double(g) * 20e-9 * 3000 }

    static func spec(verifiers: [String] = ["alice", "bob"], expect: Expectations = Expectations()) -> ScenarioSpec {
        ScenarioSpec(name: "wrong-step", seed: 42, task: ScenarioTask(image: .program(path: "guests/sum.elf")),
                     solver: PartySpec(name: "solver"), verifiers: verifiers.map { PartySpec(name: $0) }, expect: expect)
    }

    /// The ledger and report of: task posted, commit, challenge by party 2 (and by party 3
    /// if `queued`), bisection down to `divergence`, step proof that fails, challenger wins.
    static func traceGame(steps: UInt64 = 1000, divergence: UInt64 = 613, queued: Bool = true) -> GameReport {
        var t: [TimelineEntry] = []
        var block: UInt64 = 0
        func add(_ p: UInt32, _ kind: LedgerEntryKind, dispute: UInt32? = nil, lo: UInt64? = nil, hi: UInt64? = nil) {
            t.append(TimelineEntry(block: block, timeMs: block * 100 + 7, party: PartyID(p), kind: kind,
                                   gas: gasOf[kind] ?? 0, bytes: gasOf[kind] == nil ? 0 : 60, dispute: dispute, lo: lo, hi: hi))
            block += 1
        }
        add(0, .taskPosted)
        add(1, .commit)
        add(2, .challenge, dispute: 1)
        if queued { add(3, .challenge, dispute: 2) }
        var lo: UInt64 = 0, hi = steps, picks = 0
        while hi - lo > 1 {
            add(1, .postRoots, dispute: 1, lo: lo, hi: hi)
            let mid = lo + (hi - lo) / 2
            if divergence < mid { hi = mid } else { lo = mid }
            add(2, .pick, dispute: 1, lo: lo, hi: hi)
            picks += 1
        }
        add(1, .stepProof, dispute: 1, lo: lo, hi: hi)
        add(0, .disputeResolved, dispute: 1, lo: lo, hi: hi)
        add(0, .settled)
        let disputeGas = t.filter { $0.dispute == 1 }.reduce(0) { $0 + $1.gas }
        var disputes = [DisputeReport(id: 1, challenger: PartyID(2), kind: .trace, rounds: picks + 2, picks: picks,
                                      divergenceStep: lo, winner: PartyID(2), proofBytes: 1234, gas: disputeGas,
                                      startBlock: 2, endBlock: block - 2, reason: .stepProofInvalid(step: lo, detail: "does not verify"))]
        if queued {
            disputes.append(DisputeReport(id: 2, challenger: PartyID(3), kind: .trace, rounds: 1, picks: 0,
                                          divergenceStep: nil, winner: nil, proofBytes: 0, gas: gasOf[.challenge]!,
                                          startBlock: nil, endBlock: nil, reason: .settledFirst))
        }
        return report(outcome: GameOutcome(accepted: false, winner: PartyID(2),
                                          reason: .solverLostDispute(dispute: 1, cause: .stepProofInvalid(step: lo, detail: "does not verify"))),
                      steps: steps, disputes: disputes, timeline: t)
    }

    /// Sums the ledger into a GameReport the way the judge does (per party by number,
    /// per kind in order of first appearance).
    static func report(outcome: GameOutcome, steps: UInt64?, disputes: [DisputeReport], timeline t: [TimelineEntry]) -> GameReport {
        var byParty: [PartyGas] = []
        for p in Set(t.filter { $0.gas > 0 }.map(\.party)).sorted() {
            let mine = t.filter { $0.party == p && $0.gas > 0 }
            let g = mine.reduce(0) { $0 + $1.gas }
            byParty.append(PartyGas(party: p, transactions: mine.count, gas: g, eth: eth(g), usd: usd(g)))
        }
        var byMove: [MoveGas] = []
        for e in t where e.gas > 0 {
            if let i = byMove.firstIndex(where: { $0.kind == e.kind }) {
                byMove[i].count += 1; byMove[i].gas += e.gas
            } else { byMove.append(MoveGas(kind: e.kind, count: 1, gas: e.gas, eth: 0, usd: 0)) }
        }
        for i in byMove.indices { byMove[i].eth = eth(byMove[i].gas); byMove[i].usd = usd(byMove[i].gas) }
        let total = byParty.reduce(0) { $0 + $1.gas }
        let claim = steps.map { Claim(root: Digest(w0: 0xab, w1: 0, w2: 0, w3: $0), steps: $0, outputHash: Digest(w0: 0xcd, w1: 0, w2: 0, w3: 0)) }
        return GameReport(taskID: 7, outcome: outcome, taskSteps: steps, claim: claim,
                          task: PostedTask(id: 7, initialRoot: initialRoot, stepLimit: 1 << 30), arity: 2, disputes: disputes,
                          gas: GasReport(byParty: byParty, byMove: byMove, gasPriceGwei: 20, ethPriceUsd: 3000,
                                         totalGas: total, totalEth: eth(total), totalUsd: usd(total)),
                          balances: [BalanceEntry(party: PartyID(1), start: 1000, end: 900),
                                     BalanceEntry(party: PartyID(2), start: 1000, end: 1050),
                                     BalanceEntry(party: PartyID(3), start: 1000, end: 1000)],
                          burned: 50, messages: 57, bytes: 12_345, rejectedFrames: 2, timeline: t,
                          finalBlock: t.last?.block ?? 0, finalTimeMs: (t.last?.block ?? 0) * 100 + 7)
    }

    /// An accepted game without disputes.
    static func acceptedGame() -> GameReport {
        let t = [TimelineEntry(block: 0, timeMs: 0, party: .judge, kind: .taskPosted, gas: 0, bytes: 0, dispute: nil, lo: nil, hi: nil),
                 TimelineEntry(block: 1, timeMs: 100, party: PartyID(1), kind: .commit, gas: 120_000, bytes: 300, dispute: nil, lo: nil, hi: nil),
                 TimelineEntry(block: 22, timeMs: 2200, party: PartyID(1), kind: .finalize, gas: 26_000, bytes: 0, dispute: nil, lo: nil, hi: nil),
                 TimelineEntry(block: 22, timeMs: 2200, party: .judge, kind: .settled, gas: 0, bytes: 0, dispute: nil, lo: nil, hi: nil)]
        return report(outcome: GameOutcome(accepted: true, winner: PartyID(1), reason: .noChallenge), steps: 1000,
                      disputes: [], timeline: t)
    }

    static let initialRoot = Digest(w0: 0x11, w1: 0x22, w2: 0x33, w3: 0x44)
    /// The honest run's result: what alice computed (she wins the trace game).
    static let honestClaim = Claim(root: Digest(bytes: [UInt8](repeating: 0xab, count: 32)), steps: 1000,
                                   outputHash: Digest(bytes: [UInt8](repeating: 0xcd, count: 32)))

    static let metrics = [
        PartyMetrics(name: "judge", role: .judge, computeSeconds: 0.01, wallSeconds: 2.5, messagesSent: 30, bytesSent: 4000),
        PartyMetrics(name: "solver", role: .solver, stepsExecuted: 2000, rootsComputed: 20, proofsBuilt: 2,
                     computeSeconds: 1.25, wallSeconds: 2.5, messagesSent: 12, bytesSent: 5000, peakCheckpoints: 8),
        PartyMetrics(name: "alice", role: .verifier, stepsExecuted: 1500, rootsComputed: 11, proofsBuilt: 0,
                     computeSeconds: 1.0, wallSeconds: 2.4, messagesSent: 11, bytesSent: 700, peakCheckpoints: 6,
                     ownClaim: honestClaim),
    ]

    static func scenarioReport(spec: ScenarioSpec = spec(), game: GameReport = traceGame(), wall: Double = 3.5) -> ScenarioReport {
        ScenarioReport(spec: spec, file: "scenarios/wrong-step.yaml", game: game, parties: metrics, wallSeconds: wall)
    }
}

private func jsonObject(_ r: ScenarioReport) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any])
}

/// docs/REPORT.md lists exactly the keys the code writes, at the top level and in
/// each object it describes.
@Test func theReportPageNamesEveryKeyTheCodeWrites() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let doc = try String(contentsOf: root.appendingPathComponent("docs/REPORT.md"), encoding: .utf8)
    var documented: [String: String] = [:]          // top-level key → its row's text
    for line in doc.split(separator: "\n") where line.hasPrefix("| `") {
        let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        for key in cells[0].split(separator: ",") {
            let k = key.trimmingCharacters(in: CharacterSet(charactersIn: " `[]"))
            documented[k] = cells.count > 1 ? cells[1] : ""
        }
    }
    let o = try jsonObject(Fixture.scenarioReport())
    #expect(Set(documented.keys) == Set(o.keys), "docs/REPORT.md and the code disagree on the top-level keys")
    #expect(o["schema_version"] as? Int == ScenarioReport.currentSchemaVersion)
    #expect(doc.contains("`schema_version` is \(ScenarioReport.currentSchemaVersion)"))
    // Every nested object's keys appear in its row, in braces.
    func nestedKeys(_ v: Any?) -> Set<String> {
        if let d = v as? [String: Any] { return Set(d.keys) }
        if let a = v as? [[String: Any]], let first = a.first { return Set(first.keys) }
        return []
    }
    for (key, row) in documented {
        let inner = nestedKeys(o[key])
        guard !inner.isEmpty else { continue }
        let braces = row.components(separatedBy: "{").dropFirst().first?.components(separatedBy: "}").first ?? ""
        let named = Set(braces.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `[]")) })
        #expect(named == inner, "row `\(key)` names \(named.sorted()), the code writes \(inner.sorted())")
    }
}

/// docs/REPORT.md names every kind of timeline entry the chain writes.
@Test func theReportPageNamesEveryTimelineKind() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let doc = try String(contentsOf: root.appendingPathComponent("docs/REPORT.md"), encoding: .utf8)
    let row = try #require(doc.split(separator: "\n").first { $0.hasPrefix("| `timeline[]`") })
    for kind in LedgerEntryKind.allCases {
        #expect(row.contains("`\(kind.rawValue)`"), "docs/REPORT.md's timeline row does not name `\(kind.rawValue)`")
    }
}

@Suite struct ScenarioReportTests {
    @Test func jsonHasEveryRequiredKeyWithTheRightValues() throws {
        let o = try jsonObject(Fixture.scenarioReport())
        let sc = try #require(o["scenario"] as? [String: Any])
        #expect(sc["name"] as? String == "wrong-step")
        #expect(sc["file"] as? String == "scenarios/wrong-step.yaml")
        #expect((sc["seed"] as? NSNumber)?.uint64Value == 42)
        #expect((sc["digest"] as? String) == Fixture.spec().digest.hex)
        let resolved = try #require(sc["resolved"] as? [String: Any])
        #expect((resolved["game"] as? [String: Any])?["k"] as? Int == 2)
        #expect(((resolved["verifiers"] as? [[String: Any]])?.map { $0["name"] as? String }) == ["alice", "bob"])
        #expect(o["generator"] as? String == "tbsim")

        let out = try #require(o["outcome"] as? [String: Any])
        #expect(out["accepted"] as? Bool == false)
        #expect(out["winner"] as? String == "alice")
        #expect(out["reason"] as? String == "solver lost dispute 1: step proof of 613 invalid: does not verify")
        #expect(out["reason_code"] as? String == "solver_lost_dispute")

        let task = try #require(o["task"] as? [String: Any])
        #expect(task["program"] as? String == "guests/sum.elf")
        #expect((task["steps"] as? NSNumber)?.uint64Value == 1000)
        #expect(task["output_hash"] as? String == "0x" + String(repeating: "cd", count: 32))
        #expect(task["final_root"] as? String == "0x" + String(repeating: "ab", count: 32))

        // 1000 steps, arity 2: 10 picks (⌈log2 1000⌉), so 12 rounds; divergence at 613.
        let ds = try #require(o["disputes"] as? [[String: Any]])
        #expect(ds.count == 2)
        let d = ds[0]
        #expect(d["challenger"] as? String == "alice")
        #expect(d["kind"] as? String == "trace")
        #expect((d["rounds"] as? NSNumber)?.intValue == 12)
        #expect((d["picks"] as? NSNumber)?.intValue == 10)
        #expect((d["divergence_step"] as? NSNumber)?.uint64Value == 613)
        #expect(d["ended_by"] as? String == "step_proof")
        #expect((d["lo"] as? NSNumber)?.uint64Value == 613 && (d["hi"] as? NSNumber)?.uint64Value == 614)
        #expect(d["winner"] as? String == "alice")
        #expect((d["proof_bytes"] as? NSNumber)?.intValue == 1234)
        // challenge 90k + 10 × (50k + 30k) + step proof 400k
        #expect((d["gas"] as? NSNumber)?.uint64Value == 1_290_000)
        #expect(d["reason"] as? String == "step proof of 613 invalid: does not verify")
        #expect(d["reason_code"] as? String == "step_proof_invalid")
        // The unplayed dispute: winner and divergence_step present as null.
        #expect(ds[1]["challenger"] as? String == "bob")
        #expect(ds[1]["winner"] is NSNull)
        #expect(ds[1]["divergence_step"] is NSNull)
        #expect(ds[1]["ended_by"] as? String == "not_played")
        #expect(ds[1]["lo"] is NSNull && ds[1]["hi"] is NSNull)

        // solver: commit 120k + 10 × 50k + 400k = 1,020,000; alice: 90k + 10 × 30k = 390,000; bob 90k.
        let gas = try #require(o["gas"] as? [String: Any])
        #expect((gas["total"] as? NSNumber)?.uint64Value == 1_500_000)
        #expect(abs(((gas["total_eth"] as? NSNumber)?.doubleValue ?? 0) - 0.03) < 1e-12)
        #expect(abs(((gas["total_usd"] as? NSNumber)?.doubleValue ?? 0) - 90) < 1e-9)
        let byParty = try #require(gas["by_party"] as? [String: Any])
        #expect((byParty["solver"] as? NSNumber)?.uint64Value == 1_020_000)
        #expect((byParty["alice"] as? NSNumber)?.uint64Value == 390_000)
        #expect((byParty["bob"] as? NSNumber)?.uint64Value == 90_000)
        #expect(byParty.count == 3)
        let detail = try #require(gas["by_party_detail"] as? [[String: Any]])
        #expect(detail.map { $0["party"] as? String } == ["solver", "alice", "bob"])
        #expect((detail[1]["transactions"] as? NSNumber)?.intValue == 11)
        let byMove = try #require(gas["by_move"] as? [[String: Any]])
        #expect(byMove.map { $0["kind"] as? String } == ["commit", "challenge", "post_roots", "pick", "step_proof"])
        #expect((byMove[3]["count"] as? NSNumber)?.intValue == 10)
        #expect((byMove[3]["gas"] as? NSNumber)?.uint64Value == 300_000)

        #expect((o["messages"] as? NSNumber)?.intValue == 57)
        #expect((o["bytes"] as? NSNumber)?.intValue == 12_345)
        #expect((o["rejected_frames"] as? NSNumber)?.intValue == 2)
        #expect((o["wall_seconds"] as? NSNumber)?.doubleValue == 3.5)

        let parties = try #require(o["parties"] as? [[String: Any]])
        #expect(parties.count == 3)
        #expect(Set(parties[1].keys) == ["name", "role", "steps_executed", "roots_computed", "proofs_built",
                                         "compute_seconds", "wall_seconds", "messages_sent", "bytes_sent", "peak_checkpoints", "own_claim"])
        #expect((parties[1]["steps_executed"] as? NSNumber)?.uint64Value == 2000)

        let timeline = try #require(o["timeline"] as? [[String: Any]])
        // task_posted, commit, 2 challenges, 10 × (post_roots, pick), step_proof, resolved, settled
        #expect(timeline.count == 27)
        for e in timeline {
            #expect(Set(e.keys) == ["block", "time_ms", "party", "kind", "gas", "bytes", "dispute", "lo", "hi", "deadline"])
        }
        #expect(timeline.map { $0["party"] as? String }.prefix(4) == ["judge", "solver", "alice", "bob"])
        #expect(timeline[0]["dispute"] is NSNull)
        let lastPick = try #require(timeline.last { $0["kind"] as? String == "pick" })
        #expect((lastPick["lo"] as? NSNumber)?.uint64Value == 613)
        #expect((lastPick["hi"] as? NSNumber)?.uint64Value == 614)
        #expect((timeline[1]["time_ms"] as? NSNumber)?.uint64Value == 107)

        #expect((o["expectations"] as? [Any])?.isEmpty == true)
        #expect(o["passed"] as? Bool == true)
    }

    @Test func jsonIsStableAndRoundTrips() throws {
        let r = Fixture.scenarioReport()
        let a = try r.jsonData(), b = try Fixture.scenarioReport().jsonData()
        if let dir = ProcessInfo.processInfo.environment["TBSIM_REPORT_PREVIEW"] {
            try a.write(to: URL(fileURLWithPath: dir + "/report-preview.json"))
        }
        #expect(a == b)
        #expect(try ScenarioReport.decode(json: a) == r)
        // Keys sorted: "arity" comes before "balances" before "burned" at the top level.
        let text = try #require(String(data: a, encoding: .utf8))
        let i = try #require(text.range(of: "\"arity\"")), j = try #require(text.range(of: "\"balances\""))
        #expect(i.lowerBound < j.lowerBound)
    }

    @Test func partyNumbersMapToScenarioNames() {
        let names = Roster(Fixture.spec(verifiers: ["alice", "bob"]))
        #expect(names.name(of: .judge) == "judge")
        #expect(names.name(of: PartyID(1)) == "solver")
        #expect(names.name(of: PartyID(2)) == "alice")
        #expect(names.name(of: PartyID(3)) == "bob")
        #expect(names.name(of: PartyID(9)) == "#9")

        var spec = Fixture.spec(verifiers: ["v-one", "v-two"])
        spec.solver.name = "sol"
        var game = Fixture.traceGame()
        game.outcome.winner = PartyID(3)
        game.disputes[0].challenger = PartyID(3)
        let r = ScenarioReport(spec: spec, file: "f", game: game, parties: [], wallSeconds: 0)
        #expect(r.outcome.winner == "v-two")
        #expect(r.disputes[0].challenger == "v-two")
        #expect(r.disputes[0].winner == "v-one")
        #expect(r.gas.byParty["sol"] == 1_020_000)
        #expect(r.balances.map(\.party) == ["sol", "v-one", "v-two"])
        #expect(r.timeline[1].party == "sol")
    }

    @Test func nullWhereTheGameHasNoValue() throws {
        var game = Fixture.acceptedGame()
        game.outcome = GameOutcome(accepted: false, winner: nil, reason: .solverDidNotCommit(deadline: 600))
        game.taskSteps = nil
        game.claim = nil
        let r = ScenarioReport(spec: Fixture.spec(), file: "f", game: game, parties: [], wallSeconds: 0)
        let o = try jsonObject(r)
        #expect((o["outcome"] as? [String: Any])?["winner"] is NSNull)
        let task = try #require(o["task"] as? [String: Any])
        #expect(task["steps"] is NSNull)
        #expect(task["output_hash"] is NSNull)
        #expect(task["final_root"] is NSNull)
        var linux = Fixture.spec()
        linux.task.image = .linux(firmware: "fw", kernel: "k", initrd: "i", bootargs: "")
        let lr = ScenarioReport(spec: linux, file: "f", game: game, parties: [], wallSeconds: 0)
        #expect(lr.task.program == "linux")
    }

    // MARK: expectations

    private func check(_ e: Expectations, _ game: GameReport = Fixture.traceGame()) -> ScenarioReport {
        Fixture.scenarioReport(spec: Fixture.spec(expect: e), game: game)
    }

    @Test func acceptedExpectation() {
        let ok = check(Expectations(accepted: false))
        #expect(ok.expectations == [.init(key: "accepted", expected: "false", actual: "false", passed: true)])
        #expect(ok.passed)
        let bad = check(Expectations(accepted: true))
        #expect(bad.expectations.map(\.passed) == [false])
        #expect(!bad.passed)
        #expect(check(Expectations(accepted: true), Fixture.acceptedGame()).passed)
    }

    @Test func winnerExpectationComparesNames() {
        #expect(check(Expectations(winner: "alice")).passed)
        let wrong = check(Expectations(winner: "solver"))
        #expect(!wrong.passed)
        #expect(wrong.expectations[0].actual == "alice")
        #expect(check(Expectations(winner: "solver"), Fixture.acceptedGame()).passed)
        var unsolved = Fixture.acceptedGame()
        unsolved.outcome = GameOutcome(accepted: false, winner: nil, reason: .solverDidNotCommit(deadline: 600))
        #expect(check(Expectations(winner: "none"), unsolved).passed)
        #expect(!check(Expectations(winner: "none")).passed)
        #expect(!check(Expectations(winner: "solver"), unsolved).passed)
    }

    @Test func disputeCountExpectation() {
        #expect(check(Expectations(disputes: 2)).passed)
        #expect(!check(Expectations(disputes: 1)).passed)
        #expect(check(Expectations(disputes: 0), Fixture.acceptedGame()).passed)
    }

    @Test func roundBoundsApplyToEveryPlayedDispute() {
        // The played dispute has 12 rounds; the queued one (1 round, never played) does not count.
        #expect(check(Expectations(minRounds: 12, maxRounds: 12)).passed)
        #expect(check(Expectations(minRounds: 3)).passed)
        #expect(!check(Expectations(minRounds: 13)).passed)
        #expect(!check(Expectations(maxRounds: 11)).passed)
        let both = check(Expectations(minRounds: 2, maxRounds: 11))
        #expect(both.expectations.map(\.key) == ["min_rounds", "max_rounds"])
        #expect(both.expectations.map(\.passed) == [true, false])
        #expect(!both.passed)
        // Two played disputes: each must lie within the bounds.
        var two = Fixture.traceGame()
        two.disputes[1].winner = PartyID(1)
        two.disputes[1].rounds = 5
        #expect(check(Expectations(minRounds: 5, maxRounds: 12), two).passed)
        #expect(!check(Expectations(minRounds: 6), two).passed)
        #expect(!check(Expectations(maxRounds: 11), two).passed)
        // No dispute played: a bound on rounds cannot be met.
        #expect(!check(Expectations(minRounds: 0), Fixture.acceptedGame()).passed)
        #expect(!check(Expectations(maxRounds: 100), Fixture.acceptedGame()).passed)
    }

    @Test func divergenceStepExpectation() {
        #expect(check(Expectations(divergenceStep: 613)).passed)
        let other = check(Expectations(divergenceStep: 612))
        #expect(!other.passed)
        #expect(other.expectations[0].actual == "613")
        #expect(check(Expectations(divergenceStep: 0), Fixture.traceGame(divergence: 0)).passed)
        #expect(check(Expectations(divergenceStep: 999), Fixture.traceGame(divergence: 999)).passed)
        // Only trace disputes count.
        var out = Fixture.traceGame()
        out.disputes[0].kind = .output
        #expect(!check(Expectations(divergenceStep: 613), out).passed)
        #expect(!check(Expectations(divergenceStep: 0), Fixture.acceptedGame()).passed)
    }

    // MARK: how disputes ended

    /// The fixture's dispute, ended instead by the solver missing its deadline when the
    /// interval was [lo, hi] (the judge still records lo as its divergence step when
    /// hi − lo = 1, as it did before: the report must not).
    private func timedOut(lo: UInt64 = 613, hi: UInt64 = 614) -> GameReport {
        var game = Fixture.traceGame()
        game.timeline.removeAll { $0.kind == .stepProof }
        let i = game.timeline.firstIndex { $0.kind == .disputeResolved }!
        game.timeline[i].lo = lo; game.timeline[i].hi = hi
        game.disputes[0].divergenceStep = hi - lo == 1 ? lo : nil
        game.disputes[0].rounds -= 1
        game.disputes[0].proofBytes = 0
        game.disputes[0].reason = .missedDeadline(party: PartyID(1), deadline: 40)
        game.outcome.reason = .solverLostDispute(dispute: 1, cause: game.disputes[0].reason)
        return game
    }

    @Test func aDisputeEndedByTimeoutHasNoDivergenceStepButItsInterval() throws {
        let r = Fixture.scenarioReport(game: timedOut())
        let d = r.disputes[0]
        #expect(d.divergenceStep == nil)
        #expect(d.endedBy == .timeout && d.reasonCode == "missed_deadline")
        #expect(d.lo == 613 && d.hi == 614)
        let o = try jsonObject(r)
        let json = try #require((o["disputes"] as? [[String: Any]])?.first)
        #expect(json["divergence_step"] is NSNull)
        #expect(json["ended_by"] as? String == "timeout")
        #expect(r.terminalSummary(color: false).contains("alice · trace · winner alice · 11 rounds (10 picks) · timeout in [613, 614]"))
        #expect(!r.terminalSummary(color: false).contains("divergence step"))
        // An earlier timeout: the interval still disputed.
        let early = Fixture.scenarioReport(game: timedOut(lo: 512, hi: 768)).disputes[0]
        #expect(early.divergenceStep == nil && early.lo == 512 && early.hi == 768)
        // So a divergence_step expectation no longer holds for it.
        #expect(!check(Expectations(divergenceStep: 613), timedOut()).passed)
    }

    @Test func aStepProofDecidesTheDivergenceStepInsideTheClaimedRunOnly() throws {
        // Proven inside the run: the divergence step, won by the solver or lost.
        var won = Fixture.traceGame()
        won.disputes[0].reason = .stepProofVerified(step: 613)
        won.disputes[0].winner = PartyID(1)
        let inside = Fixture.scenarioReport(game: won).disputes[0]
        #expect(inside.divergenceStep == 613 && inside.endedBy == .stepProof && inside.lo == 613 && inside.hi == 614)
        // Proven past the claimed halt (padding: 1000 steps claimed, bisected over [0, 1024]):
        // the identity step of the halted machine, not a divergence.
        var past = Fixture.traceGame(steps: 1024, divergence: 1023)
        past.taskSteps = 1000
        past.claim?.steps = 1000
        past.disputes[0].reason = .stepProofVerified(step: 1023)
        past.disputes[0].winner = PartyID(1)
        let r = Fixture.scenarioReport(game: past)
        let d = r.disputes[0]
        #expect(d.divergenceStep == nil && d.endedBy == .stepProof && d.lo == 1023 && d.hi == 1024)
        #expect(r.terminalSummary(color: false).contains("step proof of step 1,023 (past the claimed halt at 1,000)"))
        // An output dispute has neither a divergence step nor an interval.
        var output = Fixture.traceGame()
        output.disputes[0].kind = .output
        output.disputes[0].reason = .outputMismatch(opened: Digest(w0: 1, w1: 0, w2: 0, w3: 0), claimed: Digest(w0: 2, w1: 0, w2: 0, w3: 0))
        let o = Fixture.scenarioReport(game: output).disputes[0]
        #expect(o.divergenceStep == nil && o.endedBy == .outputOpening && o.lo == nil && o.hi == nil)
    }

    @Test func reportsWithoutTheNewDisputeKeysStillLoad() throws {
        // A version-2 report (no ended_by, lo, hi) still decodes, for `tbsim compare`.
        var o = try jsonObject(Fixture.scenarioReport())
        o["disputes"] = (o["disputes"] as? [[String: Any]])?.map { d in
            var d = d; d["ended_by"] = nil; d["lo"] = nil; d["hi"] = nil; return d
        }
        let r = try ScenarioReport.decode(json: try JSONSerialization.data(withJSONObject: o))
        #expect(r.disputes[0].endedBy == nil && r.disputes[0].divergenceStep == 613)
    }

    // MARK: expectations on disputes, gas, balances, settlement

    @Test func disputeResultsAreCheckedPerChallenger() {
        let all = DisputeExpectation(challenger: "alice", kind: .trace, winner: "alice", rounds: .exactly(12),
                                     divergenceStep: 613, endedBy: .stepProof)
        let ok = check(Expectations(disputeResults: [all, DisputeExpectation(challenger: "bob", winner: "none", endedBy: .notPlayed)]))
        #expect(ok.expectations.map(\.key) == ["dispute_results[alice].kind", "dispute_results[alice].winner",
                                               "dispute_results[alice].rounds", "dispute_results[alice].divergence_step",
                                               "dispute_results[alice].ended_by", "dispute_results[bob].winner",
                                               "dispute_results[bob].ended_by"])
        #expect(ok.passed, "\(ok.expectations)")
        let wrong = check(Expectations(disputeResults: [
            DisputeExpectation(challenger: "alice", kind: .output, winner: "solver", rounds: Bounds(max: 11),
                               divergenceStep: 612, endedBy: .timeout),
        ]))
        #expect(wrong.expectations.allSatisfy { !$0.passed })
        #expect(wrong.expectations.map(\.actual) == ["trace", "alice", "12", "613", "step_proof"])
        #expect(wrong.expectations[2].expected == "≤ 11")
        // A dispute never played has no rounds; a challenger with no dispute fails every field.
        #expect(!check(Expectations(disputeResults: [DisputeExpectation(challenger: "bob", rounds: Bounds(min: 0))])).passed)
        let none = check(Expectations(disputeResults: [DisputeExpectation(challenger: "bob", winner: "none")]),
                         Fixture.traceGame(queued: false))
        #expect(none.expectations == [.init(key: "dispute_results[bob].winner", expected: "none", actual: "no dispute", passed: false)])
        // After a timeout: no divergence step to match.
        let late = check(Expectations(disputeResults: [DisputeExpectation(challenger: "alice", divergenceStep: 613, endedBy: .timeout)]),
                         timedOut())
        #expect(late.expectations.map(\.passed) == [false, true])
        #expect(late.expectations[0].actual == "none")
    }

    @Test func gasBalanceAndSettlementExpectations() {
        // The fixture: 1,500,000 gas in total (solver 1,020,000, alice 390,000, bob 90,000),
        // balances solver 1000 → 900, alice 1000 → 1050, bob unchanged; settled in block 26.
        let ok = check(Expectations(totalGas: Bounds(min: 1_000_000, max: 2_000_000),
                                    partyGas: [NamedBounds(party: "solver", bounds: .exactly(1_020_000)),
                                               NamedBounds(party: "bob", bounds: Bounds(max: 90_000))],
                                    balanceChanges: [NamedBounds(party: "solver", bounds: .exactly(-100)),
                                                     NamedBounds(party: "alice", bounds: Bounds(min: 1)),
                                                     NamedBounds(party: "bob", bounds: .exactly(0))],
                                    settlementBlock: Bounds(max: 26)))
        #expect(ok.expectations.map(\.key) == ["gas.total", "gas.by_party.solver", "gas.by_party.bob", "balances.solver",
                                               "balances.alice", "balances.bob", "settlement_block"])
        #expect(ok.passed, "\(ok.expectations)")
        #expect(ok.expectations.map(\.actual) == ["1500000", "1020000", "90000", "-100", "+50", "0", "26"])
        #expect(ok.expectations.map(\.expected) == ["1000000…2000000", "1020000", "≤ 90000", "-100", "≥ +1", "0", "≤ 26"])
        let bad = check(Expectations(totalGas: Bounds(max: 1_499_999), partyGas: [NamedBounds(party: "alice", bounds: Bounds(min: 400_000))],
                                     balanceChanges: [NamedBounds(party: "solver", bounds: Bounds(min: 0))],
                                     settlementBlock: Bounds(max: 25)))
        #expect(bad.expectations.map(\.passed) == [false, false, false, false])
        // A party that sent no transaction paid no gas.
        #expect(check(Expectations(partyGas: [NamedBounds(party: "bob", bounds: .exactly(0))]), Fixture.acceptedGame()).passed)
        let text = bad.terminalSummary(color: false)
        #expect(text.contains("✗ settlement_block: expected ≤ 25, got 26"))
        #expect(text.contains("✗ balances.solver: expected ≥ 0, got -100"))
    }

    @Test func allExpectationsTogetherInFixedOrder() {
        let r = check(Expectations(accepted: false, winner: "alice", minRounds: 12, maxRounds: 12, divergenceStep: 613,
                                   disputes: 2))
        #expect(r.expectations.map(\.key) == ["accepted", "winner", "disputes", "min_rounds", "max_rounds", "divergence_step"])
        #expect(r.passed)
        let one = check(Expectations(accepted: false, winner: "alice", minRounds: 12, maxRounds: 12, divergenceStep: 613,
                                     disputes: 3))
        #expect(!one.passed)
        #expect(one.expectations.filter { !$0.passed }.map(\.key) == ["disputes"])
    }

    // MARK: determinism

    @Test func deterministicViewIgnoresOnlyWallClockFields() {
        let a = Fixture.scenarioReport(wall: 3.5)
        var game = Fixture.traceGame()
        for i in game.timeline.indices { game.timeline[i].timeMs += 1234 }
        game.finalTimeMs += 99
        var b = Fixture.scenarioReport(game: game, wall: 9.25)
        b.parties[1].computeSeconds = 7; b.parties[2].wallSeconds = 8
        #expect(a != b)
        #expect(a.deterministicView() == b.deterministicView())
        #expect(a.deterministicView().wallSeconds == 0)
        #expect(a.deterministicView().timeline.allSatisfy { $0.timeMs == 0 })

        var c = b
        c.parties[1].stepsExecuted += 1
        #expect(a.deterministicView() != c.deterministicView())
        var g2 = Fixture.traceGame()
        g2.timeline[3].gas += 1
        #expect(a.deterministicView() != Fixture.scenarioReport(game: g2).deterministicView())
    }

    // MARK: renderings

    @Test func htmlHasTheThreePlotsAndTables() throws {
        let r = Fixture.scenarioReport(spec: Fixture.spec(expect: Expectations(accepted: false, winner: "solver")))
        let html = r.html()
        if let dir = ProcessInfo.processInfo.environment["TBSIM_REPORT_PREVIEW"] {
            try html.write(toFile: dir + "/report-preview.html", atomically: true, encoding: .utf8)
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Intervals shrink by up to k per pick: drawn on a log scale, every bar visible.
        #expect(html.contains("Disputed interval per round (log scale)"))
        #expect(html.contains("steps in the interval (log)"))
        // Long hashes in reasons wrap instead of forcing a horizontal scrollbar.
        #expect(html.contains("overflow-wrap: anywhere"))
        for id in ["timeline", "intervals", "gas-per-move"] {
            let start = try #require(html.range(of: "<section id=\"\(id)\">"))
            let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
            let body = html[start.upperBound..<end.lowerBound]
            #expect(body.contains("<svg"), "section \(id) has an SVG plot")
            #expect(body.contains("<title>"), "section \(id) has tooltips")
        }
        // The moves table: one row per ledger entry, in order, with its interval.
        let moves = try #require(html.range(of: "<h3>Moves (the chain&#39;s ledger, in order)</h3>") ?? html.range(of: "<h3>Moves (the chain's ledger, in order)</h3>"))
        let movesEnd = try #require(html.range(of: "</table>", range: moves.upperBound..<html.endIndex))
        let movesBody = html[moves.upperBound..<movesEnd.lowerBound]
        #expect(movesBody.components(separatedBy: "<tr").count - 2 == r.timeline.count, "one row per ledger entry")
        if let pick = r.timeline.first(where: { $0.kind == .pick }), let lo = pick.lo {
            #expect(movesBody.contains("[\(ReportFormat.grouped(lo)), "), "a pick's interval is shown")
        }
        // One marker per ledger entry in the timeline, one bar per charged move, one bar per round.
        let timeline = try section(html, "timeline")
        #expect(timeline.components(separatedBy: "<g class=\"mark\">").count - 1 == r.timeline.count)
        let gas = try section(html, "gas-per-move")
        #expect(gas.components(separatedBy: "<g class=\"mark\">").count - 1 == r.timeline.filter { $0.gas > 0 }.count)
        let intervals = try section(html, "intervals")
        #expect(intervals.components(separatedBy: "<g class=\"mark\">").count - 1 == 11)  // start + 10 picks
        #expect(intervals.contains("divergence</text>"))
        #expect(intervals.contains(">613</text>"))
        #expect(html.contains("FAIL"))
        #expect(html.contains("REJECTED"))
        #expect(html.contains("1,500,000"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
    }

    private func section(_ html: String, _ id: String) throws -> Substring {
        let start = try #require(html.range(of: "<section id=\"\(id)\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        return html[start.upperBound..<end.lowerBound]
    }

    @Test func htmlEscapesUserText() {
        let evil = "<script>alert('x')</script>"
        var spec = Fixture.spec(verifiers: [evil, "b&b \"q\""])
        spec.name = "<img src=x onerror=alert(1)>"
        let r = ScenarioReport(spec: spec, file: "<file>", game: Fixture.traceGame(), parties: [], wallSeconds: 1)
        let html = r.html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<file>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("b&amp;b &quot;q&quot;"))
    }

    @Test func htmlOfALongDispute() throws {
        // 2^30 steps, arity 2: 30 picks, so 31 interval bars (start + one per pick).
        let r = Fixture.scenarioReport(game: Fixture.traceGame(steps: 1 << 30, divergence: 123_456_789))
        let html = r.html()
        if let dir = ProcessInfo.processInfo.environment["TBSIM_REPORT_PREVIEW"] {
            try html.write(toFile: dir + "/report-preview-long.html", atomically: true, encoding: .utf8)
        }
        let intervals = try section(html, "intervals")
        #expect(intervals.components(separatedBy: "<g class=\"mark\">").count - 1 == 31)
        #expect(intervals.contains(">123,456,789</text>"))
        #expect(r.disputes[0].picks == 30)
    }

    @Test func numberFormattingIsLocaleFree() {
        #expect(ReportFormat.grouped(0) == "0")
        #expect(ReportFormat.grouped(999) == "999")
        #expect(ReportFormat.grouped(1000) == "1,000")
        #expect(ReportFormat.grouped(-1_234_567) == "-1,234,567")
        #expect(ReportFormat.grouped(UInt64.max) == "18,446,744,073,709,551,615")
        #expect(ReportFormat.compact(1500) == "1,500")
        #expect(ReportFormat.compact(25_000) == "25k")
        #expect(ReportFormat.compact(2.5e8) == "250M")
        #expect(ReportFormat.compact(1e9) == "1G")
        #expect(ReportFormat.eth(0.03) == "0.03 ETH")
        #expect(ReportFormat.usd(90) == "$90.00")
        #expect(ReportFormat.usd(0.00123) == "$0.0012")
        #expect(ReportFormat.seconds(3.5) == "3.500 s")
        #expect(ReportFormat.seconds(125) == "2 min 5.0 s")
    }

    @Test func htmlOfAGameWithoutDisputes() {
        let r = Fixture.scenarioReport(game: Fixture.acceptedGame())
        let html = r.html()
        #expect(html.contains("ACCEPTED"))
        #expect(html.contains("No disputes."))
        #expect(html.contains("<section id=\"timeline\">"))
    }

    @Test func terminalSummaryHasTheKeyFigures() throws {
        let r = Fixture.scenarioReport(spec: Fixture.spec(expect: Expectations(accepted: false, winner: "solver")))
        let s = r.terminalSummary(color: false)
        if let dir = ProcessInfo.processInfo.environment["TBSIM_REPORT_PREVIEW"] {
            try s.write(toFile: dir + "/report-preview.txt", atomically: true, encoding: .utf8)
            try r.terminalSummary(color: true).write(toFile: dir + "/report-preview-color.txt", atomically: true, encoding: .utf8)
        }
        #expect(!s.contains("\u{1B}"))
        for needle in ["wrong-step", "REJECTED", "winner: alice", "1,000 steps", "dispute #1", "alice · trace · winner alice · 12 rounds (10 picks)",
                       "divergence step 613", "proof 1,234 B", "1,290,000 gas", "1,020,000 gas", "1,500,000 gas",
                       "0.03 ETH", "$90.00", "bob · trace · not played", "57 messages", "12,345 bytes", "2 rejected frames", "3.500 s",
                       "✓ accepted", "✗ winner: expected solver, got alice", "FAIL"] {
            #expect(s.contains(needle), "summary contains \(needle)")
        }
        #expect(!s.contains("PASS"))
        let colored = r.terminalSummary(color: true)
        #expect(colored.contains("\u{1B}["))
        #expect(Fixture.scenarioReport().terminalSummary(color: false).contains("PASS"))
    }

    @Test func terminalSummaryNeutralisesControlCharacters() {
        let spec = Fixture.spec(verifiers: ["evil\u{1B}[2J\nname"])
        let r = ScenarioReport(spec: spec, file: "f", game: Fixture.traceGame(), parties: [], wallSeconds: 0)
        let s = r.terminalSummary(color: false)
        #expect(!s.contains("\u{1B}"))
        #expect(s.contains("evil?[2J?name"))
    }
}

/// The progress line says the block, the phase and, per dispute, its round, who is to
/// move and by when — with the scenario's names.
@Test func chainStatusReadsAsAProgressLine() {
    let roster = Roster(solver: "sol", verifiers: ["v1", "v2"])
    let words = ReasonText(roster: roster)
    let solver = roster.solver.id, v2 = roster.entry(named: "v2")!.id
    #expect(words.text(ChainStatus(block: 3, phase: .awaitingCommit(deadline: 600), disputes: [], solver: solver))
            == "block 3 · waiting for sol's commit (until block 600)")
    let playing = ChainStatus(block: 31, phase: .verifying(steps: 452_673, windowEnd: 20, queued: 1),
                              disputes: [.init(id: 2, challenger: v2, round: 5, maxRounds: 12, mover: v2, deadline: 40)],
                              solver: solver)
    #expect(words.text(playing) == "block 31 · claim of 452,673 steps, challenge window closed, 1 challenge(s) queued · dispute 2 (v2): round 5 of ≤ 12, v2 to move by block 40")
    #expect(words.text(ChainStatus(block: 50, phase: .settled(accepted: false), disputes: [], solver: solver)) == "block 50 · settled: rejected")
}
