import Foundation
import Testing
@testable import Scenario

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The tbsim binary the end-to-end tests start: $TBSIM_BIN (set by `make test` to the
/// release build), else the debug build next to the tests.
func tbsimBinary() -> String? {
    if let bin = ProcessInfo.processInfo.environment["TBSIM_BIN"], FileManager.default.isExecutableFile(atPath: bin) {
        return bin
    }
    for candidate in [".build/debug/tbsim", ".build/release/tbsim"] {
        let p = packageRoot + "/" + candidate
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

struct CommandResult { var status: Int32; var stdout: String; var stderr: String }

/// Runs tbsim with `arguments` in the package root.
func runTBSim(_ arguments: [String], timeout: Double = 600) throws -> CommandResult {
    let bin = try #require(tbsimBinary(), "no tbsim binary: run `swift build` (or `make test`)")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Processes whose command line mentions `marker` (to prove none are left behind).
func processes(mentioning marker: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
    }
}

/// Whether `make guest-linux` has built the Linux guest into build/linux.
let haveLinuxGuest = FileManager.default.fileExists(atPath: packageRoot + "/build/linux/Image")

/// Every scenario file shipped in scenarios/ and scenarios/k-sweep/, sorted.
private let allScenarios: [String] = {
    let fm = FileManager.default
    var files = ((try? fm.contentsOfDirectory(atPath: packageRoot + "/scenarios")) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { "scenarios/" + $0 }
    files += ((try? fm.contentsOfDirectory(atPath: packageRoot + "/scenarios/k-sweep")) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { "scenarios/k-sweep/" + $0 }
    return files.sorted()
}()

/// The Linux scenarios need `make guest-linux` (which `make test` runs); their test is
/// skipped, visibly, without it.
let linuxScenarios = allScenarios.filter { $0.hasPrefix("scenarios/linux") }
/// The other shipped scenarios need only the bare-metal guests.
let shippedScenarios = allScenarios.filter { !$0.hasPrefix("scenarios/linux") }

/// Every shipped scenario, end to end: judge, solver and verifiers as separate processes
/// over ZeroMQ; the scenario's own `expect:` block is the assertion.
@Suite(.serialized)
struct ShippedScenarioTests {
    @Test func theShippedScenariosAreFound() {
        #expect(shippedScenarios.contains("scenarios/honest.yaml"))
        #expect(shippedScenarios.contains("scenarios/faulty-solver.yaml"))
        #expect(shippedScenarios.filter { $0.hasPrefix("scenarios/k-sweep/") }.count == 5)
        #expect(linuxScenarios.contains("scenarios/linux-honest.yaml"))
    }

    @Test(arguments: shippedScenarios)
    func scenarioPassesOverProcesses(_ file: String) throws {
        try playOverProcesses(file)
    }

    @Test(.enabled(if: haveLinuxGuest, "no build/linux/Image: run `make guest-linux`"), arguments: linuxScenarios)
    func linuxScenarioPassesOverProcesses(_ file: String) throws {
        try playOverProcesses(file)
    }

    private func playOverProcesses(_ file: String) throws {
        let dir = NSTemporaryDirectory() + "tbsim-test-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = dir + "/report.json"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try runTBSim(["scenario", file, "--json", json, "--html", dir + "/report.html", "--work-dir", dir + "/work"])
        #expect(r.status == 0, "\(file): exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: json))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let outcome = try #require(object["outcome"] as? [String: Any])
        #expect(outcome["accepted"] is Bool)
        let task = try #require(object["task"] as? [String: Any])
        #expect((task["steps"] as? Int ?? 0) > 0)
        let gas = try #require(object["gas"] as? [String: Any])
        #expect(gas["total"] != nil && gas["by_party"] != nil)
        for key in ["messages", "bytes", "wall_seconds", "disputes"] { #expect(object[key] != nil, "missing \(key)") }
        for d in (object["disputes"] as? [[String: Any]]) ?? [] {
            for key in ["challenger", "rounds", "divergence_step", "winner", "proof_bytes", "gas"] {
                #expect(d.keys.contains(key), "dispute without \(key)")
            }
        }
        #expect(processes(mentioning: dir).isEmpty, "role processes left behind")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg"))
    }

    @Test func aBrokenTaskFailsCleanlyAndLeavesNoProcess() throws {
        let dir = NSTemporaryDirectory() + "tbsim-test-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/broken.yaml"
        try "task:\n  program: \(dir)/missing.elf\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try runTBSim(["scenario", file, "--work-dir", dir + "/work"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("missing.elf"), "the error names the file: \(r.stderr)")
        #expect(processes(mentioning: dir + "/work").isEmpty)
    }

    @Test func interruptStopsEveryRole() throws {
        let bin = try #require(tbsimBinary())
        let dir = NSTemporaryDirectory() + "tbsim-test-\(getpid())-\(UUID().uuidString)"
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
    let a = try InProcessScenario.run(spec)
    let b = try InProcessScenario.run(spec)
    let ra = ScenarioReport(spec: spec, file: path, game: a.game, parties: a.parties, wallSeconds: 1, finalRoot: nil, outputHash: nil)
    let rb = ScenarioReport(spec: spec, file: path, game: b.game, parties: b.parties, wallSeconds: 2, finalRoot: nil, outputHash: nil)
    #expect(ra.deterministicView() == rb.deterministicView())
    #expect(a.game.disputes.first?.divergenceStep == 300_000)
}

/// The seed workload: Linux boots, runs a script from its console and halts; stdout is
/// the console output. Needs `make guest-linux` (run by `make test`).
// Skipped (and counted as skipped) without the Linux guest; `make test` builds it first.
@Suite(.serialized, .enabled(if: haveLinuxGuest, "no build/linux/Image: run `make guest-linux`"))
struct LinuxGuestTests {

    func boot(script: String) throws -> (status: Int32, output: String) {
        let dir = NSTemporaryDirectory() + "tbsim-linux-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
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
