import Foundation
import Experiments
@testable import Report
import Scenario
import Testing
import TestSupport

/// The sweep grid: values and ranges, combinations, seeds, shards.
@Suite struct SweepPlanTests {
    @Test func listsAndRangesExpand() throws {
        let p = try SweepPlan(sets: ["game.k=2..32*2", "network.latency_ms=0..300+100,1000", "seed=7"])
        #expect(p.axes.map(\.values) == [["2", "4", "8", "16", "32"], ["0", "100", "200", "300", "1000"], ["7"]])
        #expect(p.points.count == 25)
        // The last key varies fastest; each point overrides every key.
        #expect(p.points[1].values == ["2", "100", "7"])
        #expect(p.points[5].overrides.map(\.description) == ["game.k=4", "network.latency_ms=0", "seed=7"])
    }

    @Test func seedsMultiplyEveryPoint() throws {
        let p = try SweepPlan(sets: ["game.k=2,4"], seeds: "1..3")
        #expect(p.points.count == 6)
        #expect(p.points.map(\.seed) == [1, 2, 3, 1, 2, 3])
        #expect(p.points[4].overrides.last == ScenarioOverride(key: "seed", value: "2"))
    }

    @Test func shardsPartitionTheGrid() throws {
        let p = try SweepPlan(sets: ["game.k=2..9"], seeds: "1..5")
        let shards = (1...3).map { p.points(shard: $0, of: 3).map(\.index) }
        #expect(shards.flatMap { $0 }.sorted() == Array(0..<40))
        #expect(Set(shards[0]).isDisjoint(with: shards[1]) && shards.allSatisfy { $0.count >= 13 })
    }

    @Test(arguments: [
        ("game.k", "expected KEY=VALUES"), ("=4", "expected KEY=VALUES"), ("game..k=4", "not a dotted scenario key"),
        ("game.k=", "an empty value"), ("game.k=4..2", "is empty"), ("game.k=2..8*1", "never ends"),
        ("game.k=a..b", "not an integer range"), ("game.k=2..8+x", "bad step"),
    ])
    func badArgumentsAreNamed(_ arg: String, _ says: String) {
        #expect { _ = try SweepPlan(sets: [arg]) } throws: { ($0 as? SweepPlanError)?.description.contains(says) == true }
    }

    @Test func aKeyGivenTwiceIsRefused() {
        #expect(throws: SweepPlanError.self) { _ = try SweepPlan(sets: ["game.k=2", "game.k=4"]) }
        #expect(throws: SweepPlanError.self) { _ = try SweepPlan(sets: ["seed=1"], seeds: "1..2") }
    }
}

/// Overrides edit the scenario before the loader checks it, so errors name the key.
@Suite struct ScenarioOverrideTests {
    let file = packageRoot + "/scenarios/faulty-solver.yaml"

    @Test func overridesReachTheModel() throws {
        let spec = try ScenarioLoader.load(path: file, overrides: [
            ScenarioOverride(key: "game.k", value: "16"), ScenarioOverride(key: "network.latency_ms", value: "250"),
            ScenarioOverride(key: "solver.faults[0].corrupt.step", value: "1234"), ScenarioOverride(key: "seed", value: "99"),
        ])
        #expect(spec.game.arity == 16 && spec.network.latencyMs == 250 && spec.seed == 99)
        #expect(spec.solver.faults.first == .corrupt(step: 1234, target: .register(10), bit: 3))
        #expect(spec.name == "faulty-solver")
    }

    @Test func theEditedScenarioKeepsItsName() throws {
        let yaml = try ScenarioLoader.editedYAML(path: packageRoot + "/scenarios/honest.yaml",
                                                 overrides: [ScenarioOverride(key: "game.k", value: "8")])
        let spec = try ScenarioLoader.parse(yaml: yaml, file: "/tmp/run-3.yaml", baseDirectory: "")
        #expect(spec.game.arity == 8 && spec.name != "run-3")
    }

    @Test func badOverridesNameTheKey() {
        func error(_ key: String, _ value: String) -> ScenarioError? {
            do { _ = try ScenarioLoader.load(path: file, overrides: [ScenarioOverride(key: key, value: value)]); return nil } catch {
                return error as? ScenarioError
            }
        }
        let k = error("game.k", "1")
        #expect(k?.key == "game.k" && k?.message.contains("2...65536") == true && k?.file.contains("with game.k=1") == true)
        #expect(error("game.kk", "4")?.message.contains("did you mean `k`") == true)
        #expect(error("verifiers[5].name", "x")?.message.contains("past its end") == true)
        #expect(error("task.program.x", "1")?.message.contains("not a mapping") == true)
        #expect(error("game.k", "[1, 2]")?.message.contains("plain scalar") == true)
    }
}

/// Faults drawn from seeds: reproducible, varied, and always a scenario the loader takes.
@Suite struct RandomFaultTests {
    @Test func aSeedDrawsTheSameFaultEverywhereAndEveryDrawLoads() throws {
        let file = packageRoot + "/scenarios/multi-verifier.yaml"
        let spec = try ScenarioLoader.load(path: file)
        var labels: Set<String> = []
        for seed in UInt64(1)...60 {
            let a = RandomFault.draw(seed: seed, spec: spec, steps: 127_024)
            #expect(a == RandomFault.draw(seed: seed, spec: spec, steps: 127_024))
            labels.insert(a.label.split(separator: " ").prefix(2).joined(separator: " "))
            let faulty = try ScenarioLoader.load(path: file, overrides: a.overrides)
            let before = [spec.solver] + spec.verifiers, after = [faulty.solver] + faulty.verifiers
            #expect(zip(before, after).map { $1.faults.count - $0.faults.count }.reduce(0, +) == 1, "\(a.label)")
        }
        // Every party is drawn, and the solver's kinds vary.
        for who in ["solver corrupt", "solver wrong_output", "liar-1 challenges", "honest lies"] {
            #expect(labels.contains(who), "never drew \(who): \(labels.sorted())")
        }
    }

    @Test func overridesAppendAListItemAtIndexCount() throws {
        let spec = try ScenarioLoader.load(path: packageRoot + "/scenarios/honest.yaml", overrides: [
            ScenarioOverride(key: "solver.faults[0].corrupt.step", value: "7"),
            ScenarioOverride(key: "solver.faults[0].corrupt.pc", value: "true"),
            ScenarioOverride(key: "solver.faults[0].corrupt.bit", value: "1"),
            ScenarioOverride(key: "verifiers[0].faults[0]", value: "silent"),
        ])
        #expect(spec.solver.faults == [.corrupt(step: 7, target: .pc, bit: 1)])
        #expect(spec.verifiers[0].faults == [.verifier(.silent(fromMove: 1))])
    }
}

/// The table's renderings.
@Suite struct SweepTableTests {
    static func row(_ run: Int, k: String, rounds: Int, gas: UInt64) -> SweepRow {
        var r = SweepRow(run: run, varied: ["game.k"], parameters: ["game.k": k], seed: 1, error: "x", wallSeconds: 0.5)
        r.error = nil; r.accepted = false; r.winner = "verifier-1"; r.disputes = 1; r.rounds = rounds
        r.gasTotal = gas; r.eth = Double(gas) * 2e-8; r.usd = Double(gas) * 6e-5; r.settlementBlock = 40; r.passed = true
        return r
    }

    @Test func csvHasAHeaderAndOneRowPerRun() {
        let t = SweepTable(keys: ["game.k"], rows: [Self.row(1, k: "4", rounds: 12, gas: 1_762_940), Self.row(0, k: "2", rounds: 21, gas: 2_277_600)])
        let lines = t.csv().split(separator: "\n")
        #expect(lines[0].hasPrefix("run,k,seed,accepted,winner,disputes,rounds,divergence_step,gas_total,solver_gas,verifier_gas,eth,usd,settlement_block"))
        #expect(lines.count == 3 && lines[1].hasPrefix("0,2,1,false,verifier-1,1,21,,2277600,"))
        #expect(SweepTable.csvField("a,\"b\"") == "\"a,\"\"b\"\"\"")
    }

    @Test func jsonLinesRoundTripForMerging() throws {
        let t = SweepTable(keys: ["game.k"], rows: [Self.row(0, k: "2", rounds: 21, gas: 5), Self.row(1, k: "4", rounds: 12, gas: 4)])
        let text = try t.jsonLines()
        #expect(text.split(separator: "\n").count == 2)
        #expect(try SweepTable.rows(jsonLines: text, file: "s.jsonl") == t.rows)
        #expect(throws: SweepTableError.self) { _ = try SweepTable.rows(jsonLines: "{}\n", file: "s.jsonl") }
    }

    @Test func htmlPlotsNumericKeys() {
        var rows = [Self.row(0, k: "2", rounds: 21, gas: 5), Self.row(1, k: "32", rounds: 6, gas: 9)]
        for i in rows.indices { rows[i].solverGas = 3 + UInt64(i); rows[i].verifierGas = 2 + UInt64(i) }
        let t = SweepTable(keys: ["game.k"], rows: rows)
        let html = t.html(title: "sweep")
        #expect(html.contains("<svg") && html.contains("rounds against game.k") && html.contains("(log scale)"))
        #expect(html.contains("solver_gas against game.k") && html.contains("verifier_gas against game.k"))
        #expect(html.contains("<td>2277600</td>") == false && html.contains("<td>21</td>"))
    }
}

/// A small sweep end to end through the binary: two arities, in-process runs.
@Suite(.serialized) struct SweepCommandTests {
    @Test func aSweepWritesCSVJSONLinesAndHTML() throws {
        let dir = try makeTemporaryDirectory("sweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runTBSim(["sweep", "scenarios/faulty-solver.yaml", "--set", "game.k=4,16",
                              "--csv", dir + "/out.csv", "--jsonl", dir + "/out.jsonl", "--html", dir + "/out.html"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(csv.count == 3)
        let header = csv[0].split(separator: ",").map(String.init)
        for column in ["k", "accepted", "rounds", "gas_total"] { #expect(header.contains(column)) }
        let cells = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let col = { (name: String) in header.firstIndex(of: name)! }
        // ⌈log_4 452673⌉ + 2 = 12 and ⌈log_16 452673⌉ + 2 = 7 rounds; the verifier wins both.
        #expect(cells.map { $0[col("k")] } == ["4", "16"])
        #expect(cells.map { $0[col("rounds")] } == ["12", "7"])
        #expect(cells.allSatisfy { $0[col("accepted")] == "false" && $0[col("divergence_step")] == "300000" })
        #expect(try String(contentsOfFile: dir + "/out.html", encoding: .utf8).contains("<svg"))

        // The same grid in two shards, merged, gives the same table.
        for i in 1...2 {
            let s = try runTBSim(["sweep", "scenarios/faulty-solver.yaml", "--set", "game.k=4,16", "--shard", "\(i)/2",
                                  "--jsonl", dir + "/shard\(i).jsonl"])
            #expect(s.status == 0, "\(s.stderr)")
        }
        let m = try runTBSim(["sweep", "--merge", dir + "/shard2.jsonl", dir + "/shard1.jsonl", "--csv", "-"])
        #expect(m.status == 0, "\(m.stderr)")
        func stable(_ lines: [String]) -> [String] {
            // Everything but the wall time (the second-to-last column).
            lines.map { l in var c = l.split(separator: ",", omittingEmptySubsequences: false); c.remove(at: c.count - 2); return c.joined(separator: ",") }
        }
        #expect(stable(m.stdout.split(separator: "\n").map(String.init)) == stable(csv))
    }

    @Test func aBadValueIsReportedBeforeAnythingRuns() throws {
        let r = try runTBSim(["sweep", "scenarios/faulty-solver.yaml", "--set", "game.k=4,1"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("with game.k=1") && r.stderr.contains("key `game.k`"), "\(r.stderr)")
    }
}
