import Foundation
import Report
import Roles
import Scenario
import Testing
import TestSupport

/// The Linux workload is built by `make guest-linux` (which `make test` runs); without it
/// the tests that need it are skipped, visibly.
let haveLinux = FileManager.default.fileExists(atPath: packageRoot + "/build/linux/Image")

func scenarioFiles(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/" + folder)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { folder + "/" + $0 }.sorted()
}

let shippedScenarios = scenarioFiles(in: "scenarios")
let linuxScenarios = shippedScenarios.filter { $0.hasPrefix("scenarios/linux") }
/// Network scenarios (`population:`) play many games (in one process here, to keep the
/// suite short; `aNetworkPlaysTheSameOverProcesses` plays one over processes); they are checked
/// by `networkScenarioPassesItsExpectations`, not played in both modes.
let networkScenarios = shippedScenarios.filter { $0.hasPrefix("scenarios/network-") }
let machineScenarios = shippedScenarios.filter { !$0.hasPrefix("scenarios/linux") && !$0.hasPrefix("scenarios/network-") }

/// What must not depend on the mode a scenario is played in: the verdict, every
/// dispute's rounds, divergence step and winner, and every gas figure.
struct ModeInvariantView: Equatable, CustomStringConvertible {
    var accepted: Bool, winner: String?, disputes: [String], disputeGas: [UInt64], gas: UInt64, byMove: [String]

    init(_ r: ScenarioReport) {
        accepted = r.outcome.accepted
        winner = r.outcome.winner
        // By challenger, not by dispute number: challengers that challenge at the same
        // moment reach the chain in either order over processes (a scenario whose outcome
        // depends on the order fixes it with network delays, as multi-verifier.yaml does).
        disputes = r.disputes.map { "\($0.challenger) \($0.kind) rounds \($0.rounds) step \($0.divergenceStep.map(String.init) ?? "-") won by \($0.winner ?? "-")" }.sorted()
        // A dispute's gas depends on its place in the order too (the last one played also
        // pays for the settlement), so the dispute gas figures are compared as a set.
        disputeGas = r.disputes.map(\.gas).sorted()
        gas = r.gas.total
        byMove = r.gas.byMove.map { "\($0.kind.rawValue) ×\($0.count) \($0.gas)" }
    }

    var description: String { "accepted \(accepted), winner \(winner ?? "none"), gas \(gas), disputes \(disputes), dispute gas \(disputeGas), moves \(byMove)" }
}

/// Every shipped scenario, end to end: judge, solver and verifiers as separate processes
/// over ZeroMQ, then the same file in one process over the in-memory network. The
/// scenario's own `expect:` block is the assertion in both modes, and the two modes must
/// agree on everything but wall-clock figures and block numbers.
@Suite(.serialized)
struct ShippedScenarioTests {
    @Test func theShippedScenariosAreFound() {
        #expect(shippedScenarios.contains("scenarios/honest.yaml"))
        #expect(shippedScenarios.contains("scenarios/faulty-solver.yaml"))
        #expect(linuxScenarios.count == 2)
    }

    @Test(arguments: machineScenarios)
    func scenarioGivesTheSameGameInBothModes(_ file: String) throws {
        try playBothModes(file)
    }

    @Test(.enabled(if: haveLinux, "needs the Linux workload: make guest-linux"), arguments: linuxScenarios)
    func linuxScenarioGivesTheSameGameInBothModes(_ file: String) throws {
        try playBothModes(file)
    }

    /// A network scenario through `tbsim scenario --in-process` (the shipped networks are
    /// tens of tasks; `aNetworkPlaysTheSameOverProcesses` plays one over processes): its
    /// `expect.network` holds (exit 0) and its JSON report has the `network` object and
    /// per-party `net_wei` the schema promises (docs/REPORT.md).
    @Test(arguments: networkScenarios)
    func networkScenarioPassesItsExpectations(_ file: String) throws {
        let dir = try makeTemporaryDirectory("network")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runTBSim(["scenario", file, "--in-process", "--quiet", "--json", dir + "/report.json", "--html", dir + "/report.html"])
        #expect(r.status == 0, "\(file): exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))) as? [String: Any])
        #expect(object["kind"] as? String == "network" && object["mode"] as? String == "in_process")
        let network = try #require(object["network"] as? [String: Any])
        #expect(network["tasks"] is Int && network["wrong_results_accepted"] is Int)
        let parties = try #require(object["parties"] as? [[String: Any]])
        #expect(!parties.isEmpty && parties.allSatisfy { $0["net_wei"] is Int })
        #expect((object["money"] as? [String: Any])?["conserved"] as? Bool == true)
        #expect(try String(contentsOfFile: dir + "/report.html", encoding: .utf8).contains("<svg"))
        // One ledger for a whole network is refused with the reason, not ignored.
        let ledger = try runTBSim(["scenario", file, "--quiet", "--ledger", dir + "/l.sqlite"])
        #expect(ledger.status == 2 && ledger.stderr.contains("each task's game's ledger in --work-dir/task-N/ledger.sqlite"),
                "\(ledger.stderr)")
    }

    /// The multi-process network run end to end: the first three tasks of
    /// network-collusion (task 2: the solver cheats, its shill and the honest verifier
    /// both challenge) over processes: one chain process hosting every task's game and
    /// one long-lived process per party, over ZeroMQ. The report is the in-process one
    /// but for `mode` and the wall time — the money, every party's P&L, every task's
    /// story — and each task's chain ledger is kept in the work directory.
    @Test func aNetworkPlaysTheSameOverProcesses() throws {
        let dir = try makeTemporaryDirectory("network-processes")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var text = try String(contentsOfFile: packageRoot + "/scenarios/network-collusion.yaml", encoding: .utf8)
        text = String(text[..<text.range(of: "\nexpect:")!.lowerBound]).replacingOccurrences(of: "tasks: 12", with: "tasks: 3")
        let file = dir + "/network.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try runTBSim(["scenario", file, "--json", dir + "/processes.json", "--work-dir", dir + "/work"])
        #expect(r.status == 0, "exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("one chain process hosting every game"), "\(r.stdout)")
        // One process per role of the network, not per task.
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir + "/work").filter { $0.hasSuffix(".log") }.sorted()
        #expect(logs == ["chain.log", "crooked.log", "honest.log", "shill.log"])
        let q = try runTBSim(["scenario", file, "--in-process", "--quiet", "--json", dir + "/in-process.json"])
        #expect(q.status == 0, "\(q.stderr)")
        func load(_ name: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))) as? [String: Any])
        }
        var over = try load("processes.json"), inProcess = try load("in-process.json")
        #expect(over["mode"] as? String == "processes" && inProcess["mode"] as? String == "in_process")
        #expect((over["process_events"] as? [Any])?.isEmpty == true, "no party process died")
        #expect((over["network"] as? [String: Any])?["disputes"] as? Int == 2, "task 2's two disputes")
        for key in ["mode", "wall_seconds", "process_events"] { over[key] = nil; inProcess[key] = nil }
        #expect(NSDictionary(dictionary: over).isEqual(to: inProcess), "the two modes' reports differ")
        for task in 1...3 {
            #expect(FileManager.default.fileExists(atPath: dir + "/work/task-\(task)/ledger.sqlite"), "task \(task)'s chain ledger")
            #expect(FileManager.default.fileExists(atPath: dir + "/work/task-\(task)/scenario.yaml"))
        }
        // The disputed task's ledger stands on its own: its accounts are in its genesis.
        let replay = try runTBSim(["replay", dir + "/work/task-2/ledger.sqlite"])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
    }

    func playBothModes(_ file: String) throws {
        let dir = try makeTemporaryDirectory("scenario")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = dir + "/report.json"
        let r = try runTBSim(["scenario", file, "--json", json, "--html", dir + "/report.html", "--work-dir", dir + "/work",
                              "--ledger", dir + "/processes.sqlite"])
        #expect(r.status == 0, "\(file): exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: json))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // The launcher reports progress from the judge's status as it polls it; a game that
        // is over within a few seconds may end before the first poll.
        if (object["wall_seconds"] as? Double ?? 0) > 5 {
            #expect(r.stderr.contains("progress: "), "\(file): no progress line in \(r.stderr)")
        }
        let outcome = try #require(object["outcome"] as? [String: Any])
        #expect(outcome["accepted"] is Bool)
        let task = try #require(object["task"] as? [String: Any])
        #expect((task["initial_root"] as? String)?.count == 66, "task.initial_root is a root: \(task["initial_root"] ?? "missing")")
        // A game nobody committed to has no claimed steps and no result.
        if outcome["reason_code"] as? String != "solver_did_not_commit" {
            #expect((task["steps"] as? Int ?? 0) > 0)
            for key in ["final_root", "output_hash"] {
                #expect((task[key] as? String)?.count == 66, "task.\(key) is a root: \(task[key] ?? "missing")")
            }
        }
        let gas = try #require(object["gas"] as? [String: Any])
        #expect(gas["total"] != nil && gas["by_party"] != nil)
        for key in ["messages", "bytes", "wall_seconds", "disputes"] { #expect(object[key] != nil, "missing \(key)") }
        for d in (object["disputes"] as? [[String: Any]]) ?? [] {
            for key in ["challenger", "rounds", "divergence_step", "winner", "proof_bytes", "gas"] {
                #expect(d.keys.contains(key), "dispute without \(key)")
            }
        }
        #expect(!String(decoding: data, as: UTF8.self).contains("party1"), "party numbers leaked into the report")
        #expect(processes(mentioning: dir).isEmpty, "role processes left behind")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg"))

        let inProcessJSON = dir + "/in-process.json"
        let q = try runTBSim(["scenario", file, "--in-process", "--quiet", "--json", inProcessJSON, "--ledger", dir + "/in-process.sqlite"])
        #expect(q.status == 0, "\(file) in-process: exit \(q.status)\n\(q.stdout)\n\(q.stderr)")
        let overProcesses = try ScenarioReport.decode(json: data)
        let inProcess = try ScenarioReport.decode(json: Data(contentsOf: URL(fileURLWithPath: inProcessJSON)))
        #expect(ModeInvariantView(overProcesses) == ModeInvariantView(inProcess), "\(file): the modes disagree")
        #expect(overProcesses.task == inProcess.task)

        // Both chains' ledgers re-verify offline, to the verdict the run reported.
        for (ledger, report) in [("processes", overProcesses), ("in-process", inProcess)] {
            let replay = try runTBSim(["replay", dir + "/\(ledger).sqlite"])
            #expect(replay.status == 0, "\(file): replay of the \(ledger) ledger: exit \(replay.status)\n\(replay.stdout)\n\(replay.stderr)")
            let verdict = "verdict: \(report.outcome.accepted ? "ACCEPTED" : "REJECTED")"
            #expect(replay.stdout.contains(verdict), "\(file): \(ledger) replay: \(replay.stdout)")
        }
    }

    @Test func aBrokenTaskFailsCleanlyAndLeavesNoProcess() throws {
        let dir = try makeTemporaryDirectory("broken")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/broken.yaml"
        try "task:\n  program: \(dir)/missing.elf\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try runTBSim(["scenario", file, "--work-dir", dir + "/work"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("missing.elf"), "the error names the file: \(r.stderr)")
        #expect(processes(mentioning: dir + "/work").isEmpty)
    }

    @Test func interruptStopsEveryRole() throws {
        let bin = try #require(tbsimBinary())
        let dir = NSTemporaryDirectory() + "tbsim-interrupt-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["scenario", "scenarios/timeout.yaml", "--work-dir", dir]
        p.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until the judge and both parties run, then interrupt the launcher.
        var waited = 0.0
        while processes(mentioning: dir).count < 3 && waited < 60 && p.isRunning {
            usleep(100_000); waited += 0.1
        }
        #expect(processes(mentioning: dir).count >= 3, "the roles never started")
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        usleep(300_000)
        #expect(processes(mentioning: dir).isEmpty, "role processes survived Ctrl-C")
    }
}

/// The same scenario played twice in-process gives the same report but for wall-clock fields.
@Test func inProcessRunsAreReproducible() throws {
    let path = packageRoot + "/scenarios/faulty-solver.yaml"
    let yaml = try String(contentsOfFile: path, encoding: .utf8)
    let spec = try ScenarioLoader.parse(yaml: yaml, file: path, baseDirectory: packageRoot)
    let a = try InMemoryRun.play(spec)
    let b = try InMemoryRun.play(spec)
    let ra = ScenarioReport(spec: spec, file: path, game: a.game, parties: a.parties, wallSeconds: 1)
    let rb = ScenarioReport(spec: spec, file: path, game: b.game, parties: b.parties, wallSeconds: 2)
    #expect(ra.deterministicView() == rb.deterministicView())
    #expect(a.game.disputes.first?.divergenceStep == 300_000)
}

/// The seed workload: Linux boots, runs a script from its console and halts; stdout is
/// the console output. Needs `make guest-linux` (run by `make test`).
@Suite(.serialized, .enabled(if: haveLinux, "needs the Linux workload: make guest-linux"))
struct LinuxGuestTests {
    func boot(script: String) throws -> (status: Int32, output: String) {
        let dir = try makeTemporaryDirectory("linux")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try script.write(toFile: dir + "/stdin.txt", atomically: true, encoding: .utf8)
        let r = try runTBSim(["run", "--linux", "--stdin", dir + "/stdin.txt", "--stdout", dir + "/stdout.txt",
                              "--max-steps", "1000000000"])
        let output = (try? String(contentsOfFile: dir + "/stdout.txt", encoding: .utf8)) ?? ""
        return (r.status, output)
    }

    @Test func scriptRunsAndPowersOff() throws {
        let (status, output) = try boot(script: "echo hello from linux\nexpr 6 \\* 7\nseq 1 3 | tr '\\n' ,\necho\npoweroff -f\n")
        #expect(status == 0)
        let afterReady = try #require(output.components(separatedBy: "tbsim-guest: ready").last)
        #expect(afterReady.contains("hello from linux"))
        #expect(afterReady.contains("42"))
        #expect(afterReady.contains("1,2,3,"))
        #expect(!afterReady.contains("echo hello"), "typed commands must not be echoed")
    }

    @Test func haltDashFEndsTheRunHalted() throws {
        let (status, output) = try boot(script: "echo before halt\nhalt -f\necho never printed\n")
        #expect(status == 0, "the run must end with the machine halted")
        #expect(output.contains("before halt"))
        #expect(!output.contains("never printed"))
    }

    @Test func scriptWithoutPoweroffStillEnds() throws {
        let (status, output) = try boot(script: "uname -s")
        #expect(status == 0)
        #expect(output.contains("Linux"))
        #expect(output.contains("input ended"))
    }
}
