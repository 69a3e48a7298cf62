import Foundation
import Report
import Testing
import TestSupport
import Transport
@testable import Roles

/// The chain node under the worst a host can do to it, over real processes: kill -9 of
/// the judge at seeded random points (before the game and during the dispute) and a
/// SIGSTOP of the judge longer than a move's timeout. The game must end exactly as the
/// uninterrupted game does, and no process may be left behind.
@Suite(.serialized)
struct ChainCrashTests {
    /// A running `tbsim scenario`.
    final class Run {
        let dir: String
        let process = Process()
        let json: String
        init(_ scenario: String, purpose: String, extra: [String] = []) throws {
            dir = try makeTemporaryDirectory(purpose)
            json = dir + "/report.json"
            process.executableURL = URL(fileURLWithPath: try #require(tbsimBinary()))
            process.arguments = ["scenario", scenario, "--work-dir", dir + "/work", "--json", json, "--ledger", dir + "/chain.sqlite"] + extra
            process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            FileManager.default.createFile(atPath: dir + "/stderr", contents: nil)
            process.standardError = FileHandle(forWritingAtPath: dir + "/stderr")
            try process.run()
        }

        func waitFor(_ file: String, seconds: Double = 120) -> Bool {
            let w = Stopwatch()
            while w.seconds < seconds && process.isRunning {
                if FileManager.default.fileExists(atPath: dir + "/work/" + file) { return true }
                usleep(20_000)
            }
            return false
        }

        /// The judge process of this run (the newest, if it was restarted).
        var judge: Int32? {
            processes(mentioning: dir + "/work").filter { pid in
                let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
                return cmd.contains("judge\u{0}") && cmd.contains("--role")
            }.max()
        }

        func finish() throws -> ScenarioReport {
            process.waitUntilExit()
            let err = (try? String(contentsOfFile: dir + "/stderr", encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "exit \(process.terminationStatus): \(err)")
            #expect(processes(mentioning: dir).isEmpty, "role processes left behind")
            return try ScenarioReport.decode(json: Data(contentsOf: URL(fileURLWithPath: json)))
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    func uninterrupted(_ scenario: String) throws -> ScenarioReport {
        let dir = try makeTemporaryDirectory("crash-reference")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runTBSim(["scenario", scenario, "--in-process", "--quiet", "--json", dir + "/r.json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try ScenarioReport.decode(json: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json")))
    }

    /// kill -9 of the judge while the parties compute (before the game), and at one or two
    /// seeded random points of the dispute: same verdict, rounds and gas; the ledger replays.
    @Test(arguments: [(seed: UInt64(1), kills: 0), (2, 1), (3, 2)])
    func killingTheJudgeChangesNothing(seed: UInt64, kills: Int) throws {
        // The faulty-solver game, slowed so that the kills land mid-dispute.
        let files = try makeTemporaryDirectory("crash-scenario")
        defer { try? FileManager.default.removeItem(atPath: files) }
        let scenario = files + "/faulty-solver-slowed.yaml"
        try faultySolverScenario(name: "faulty-solver-slowed", game: "{k: 4, gas: \(packageRoot)/configs/gas-default.yaml}", delayMs: 150)
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        let reference = try uninterrupted(scenario)
        let run = try Run(scenario, purpose: "crash")
        var random = SplitMix64(seed: seed)
        if kills == 0 {
            // Before every party has joined: the parties are still computing their runs.
            #expect(run.waitFor("judge.endpoint"))
            usleep(100_000)
            if let pid = run.judge { kill(pid, SIGKILL) }
        } else {
            #expect(run.waitFor("judge.started"))
            for _ in 0..<kills {
                usleep(UInt32(100_000 + random.next() % 700_000))
                let before = Stopwatch()
                if let pid = run.judge { kill(pid, SIGKILL) }
                // Wait for the restarted judge before the next kill.
                while run.judge == nil && before.seconds < 30 && run.process.isRunning { usleep(20_000) }
            }
        }
        let report = try run.finish()
        #expect(ModeInvariantView(report) == ModeInvariantView(reference))
        let restarts = (report.processEvents ?? []).filter { $0.process == "judge" }.count
        #expect(restarts == max(kills, 1), "\(report.processEvents ?? [])")
        let replay = try runTBSim(["replay", run.dir + "/chain.sqlite"])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        // A judge killed before it created the ledger leaves no chain to resume: only
        // resumes of a chain are on its timeline.
        let resumes = report.timeline.filter { $0.kind == .judgeRestarted }.count
        #expect(kills == 0 ? resumes <= 1 : resumes == kills, "\(report.timeline.map(\.kind))")
        #expect(replay.stdout.contains("\(resumes) judge restarts"), "\(replay.stdout)")
    }

    /// The judge stopped (SIGSTOP) for three times a move's timeout in the middle of the
    /// dispute: moves that reached it in time still count, nobody loses by timeout. (The
    /// timeout is 2 s so that a party slowed by a loaded machine is not late on its own.)
    @Test func aPausedJudgeMakesNoMoveLate() throws {
        let dir = try makeTemporaryDirectory("paused")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/paused.yaml"
        try faultySolverScenario(name: "paused-judge",
                                 game: "{k: 4, block_interval_ms: 250, move_timeout_blocks: 8, commit_timeout_blocks: 40, challenge_window_blocks: 8}",
                                 expect: "{accepted: false, winner: verifier-1, divergence_step: 300000}")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let reference = try uninterrupted(file)
        let run = try Run(file, purpose: "paused")
        #expect(run.waitFor("judge.started"))
        usleep(300_000)
        let pid = try #require(run.judge)
        kill(pid, SIGSTOP)
        usleep(6_000_000)               // 6 s: three move timeouts of 2 s
        kill(pid, SIGCONT)
        let report = try run.finish()
        #expect(ModeInvariantView(report) == ModeInvariantView(reference))
        #expect(!report.timeline.contains { $0.kind == .timeout }, "a move was made late by the pause")
        let log = (try? String(contentsOfFile: run.dir + "/work/judge.log", encoding: .utf8)) ?? ""
        #expect(log.contains("did not run for"), "the judge says it was paused: \(log)")
    }
}

/// The faulty-solver dispute (sha256; the solver's machine flips a bit after step 300000)
/// with absolute paths and the given game settings, as a scenario file's text.
/// The faulty-solver game; with `delayMs`, every message of both parties is held that
/// long, so the dispute lasts long enough (about 24 moves × the delay) for a test to
/// interrupt it mid-way however fast the machines compute.
func faultySolverScenario(name: String, game: String, expect: String? = nil, delayMs: UInt64? = nil) -> String {
    let delay = delayMs.map { "\n    - delay_messages: {ms: \($0)}" } ?? ""
    return """
    name: \(name)
    seed: 2
    task:
      program: \(packageRoot)/build/guests/sha256.elf
      stdin: \(packageRoot)/guests/expected/sha256.in
      max_steps: 10000000
    game: \(game)
    solver:
      faults:
        - corrupt: {step: 300000, register: 10, bit: 3}\(delay)
    verifiers:
      - name: verifier-1
        faults: [\(delayMs.map { "{delay_messages: {ms: \($0)}}" } ?? "")]
    """ + (expect.map { "\nexpect: \($0)\n" } ?? "\n")
}
