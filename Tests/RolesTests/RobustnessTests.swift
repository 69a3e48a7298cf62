import Foundation
import Roles
import Testing
import TestSupport
import Transport

/// A short disputed game for process tests: 50 ms blocks and timeouts of a second or two,
/// a solver whose machine flips a register bit, one honest verifier.
func quickDisputeScenario(in dir: String, expect: String = "", moveTimeoutBlocks: Int = 30) throws -> String {
    let file = dir + "/quick.yaml"
    try """
    name: quick-dispute
    seed: 3
    task:
      program: \(packageRoot)/build/guests/sha256.elf
      stdin: \(packageRoot)/guests/expected/sha256.in
    game:
      k: 4
      block_interval_ms: 50
      commit_timeout_blocks: 60
      challenge_window_blocks: 20
      move_timeout_blocks: \(moveTimeoutBlocks)
    network:
      latency_ms: 150
    solver:
      faults:
        - corrupt: {step: 300000, register: 10, bit: 3}
    verifiers:
      - name: verifier-1
    \(expect)
    """.write(toFile: file, atomically: true, encoding: .utf8)
    return file
}

/// A process's resident memory in KiB (VmRSS), if it is still there.
func residentKiB(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
    return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
}

/// A `tbsim scenario` run in the background, its work directory and its role processes.
final class BackgroundScenario {
    let process = Process()
    let workDir: String
    let stdoutFile: String, stderrFile: String

    init(_ arguments: [String], workDir: String) throws {
        guard let bin = tbsimBinary() else { throw TestSupportError("no tbsim binary") }
        self.workDir = workDir
        stdoutFile = workDir + ".out"; stderrFile = workDir + ".err"
        FileManager.default.createFile(atPath: stdoutFile, contents: nil)
        FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: bin)
        process.arguments = arguments + ["--work-dir", workDir]
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrFile))
        try process.run()
    }

    /// The pid of the role whose command line has `--role role` (and `--name name`).
    func pid(role: String, name: String? = nil) -> Int32? {
        processes(mentioning: workDir).first { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let args = String(decoding: data, as: UTF8.self).split(separator: "\0").map(String.init)
            guard let i = args.firstIndex(of: "--role"), i + 1 < args.count, args[i + 1] == role else { return false }
            if let name { return args.contains(name) }
            return true
        }
    }

    /// Whether the launcher has a handler for `signal` (its SigCgt mask in /proc).
    func catches(_ signal: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }

    /// Waits until the judge's log contains `text` (or `seconds` pass); returns whether it did.
    func waitForJudgeLog(_ text: String, seconds: Double = 60) -> Bool {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds && process.isRunning {
            if let log = try? String(contentsOfFile: workDir + "/judge.log", encoding: .utf8), log.contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    func wait() -> (status: Int32, stdout: String, stderr: String) {
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: stdoutFile, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "")
    }

    func cleanUp() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for pid in processes(mentioning: workDir) { kill(pid, SIGKILL) }
        for p in [workDir, stdoutFile, stderrFile] { try? FileManager.default.removeItem(atPath: p) }
    }
}

/// Faults from outside the protocol, over real processes: the judge survives any frame,
/// dead parties are decided by the timeouts, signals always give exit status 130.
@Suite(.serialized)
struct RobustnessTests {
    /// Random multipart junk from strangers, through the whole game (join, play, wind
    /// down): counted and ignored, bounded in the result, and the verdict unchanged.
    @Test func junkFramesNeverBreakTheJudge() throws {
        let dir = try makeTemporaryDirectory("junk")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Generous move timeouts: the flood competes for the CPU with the parties.
        let file = try quickDisputeScenario(in: dir, expect: "expect: {accepted: false, winner: verifier-1, disputes: 1}",
                                            moveTimeoutBlocks: 200)
        let run = try BackgroundScenario(["scenario", file, "--json", dir + "/report.json"], workDir: dir + "/work")
        defer { run.cleanUp() }
        var endpoint: String?
        for _ in 0..<3000 where endpoint == nil && run.process.isRunning {
            endpoint = try? String(contentsOfFile: run.workDir + "/judge.endpoint", encoding: .utf8)
            if endpoint == nil { usleep(10_000) }
        }
        let target = try #require(endpoint, "the judge never listened")
        let context = try ZMQContext()
        var rng = SplitMix64(seed: 10)
        var judgeRSS: [Int] = []
        var sent = 0
        var socket: ZMQSocket?
        while run.process.isRunning {
            if sent % 500 == 0 {
                socket?.close()
                var options = ZMQSocket.Options()
                options.sendTimeoutMilliseconds = 5
                options.lingerMilliseconds = 0
                // Routing ids: none, binary, too long for a name, or a name not in the game.
                switch rng.next() % 4 {
                case 0: options.routingID = nil
                case 1: options.routingID = (0..<Int(1 + rng.next() % 16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                case 2: options.routingID = Array(repeating: 0x41, count: 200)
                default: options.routingID = Array("stranger-\(rng.next() % 1000)".utf8)
                }
                if options.routingID?.first == 0 { options.routingID![0] = 1 }  // a leading 0 byte is reserved by libzmq
                let s = try ZMQSocket(context: context, kind: .dealer, options: options)
                try s.connect(target)
                socket = s
            }
            let parts = (0..<Int(1 + rng.next() % 4)).map { _ -> [UInt8] in
                let n = Int(rng.next() % 200)
                var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if n > 0 && rng.next() % 2 == 0 { bytes[0] = UInt8(rng.next() % 4) }  // plausible wire tags
                return bytes
            }
            try? socket?.send(frames: parts)
            sent += 1
            if sent % 2_000 == 0, let pid = run.pid(role: "judge"), let kb = residentKiB(pid) { judgeRSS.append(kb) }
        }
        socket?.close()
        let r = run.wait()
        print("junk: \(sent) messages; judge resident KiB \(judgeRSS.first ?? 0) … \(judgeRSS.max() ?? 0)")
        #expect(sent > 20_000, "too little junk was sent (\(sent))")
        // Past its start-up (booting the task for the initial root), the judge's memory
        // stays flat under the flood.
        let settled = judgeRSS.dropFirst(judgeRSS.count / 3)
        if let low = settled.min(), let high = settled.max() {
            #expect(high - low < 64 * 1024, "the judge grew from \(low) to \(high) KiB under junk")
        }
        #expect(r.status == 0, "exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        let result = try Data(contentsOf: URL(fileURLWithPath: run.workDir + "/result.json"))
        #expect(result.count < 400_000, "result.json grew to \(result.count) bytes")
        let object = try #require(try JSONSerialization.jsonObject(with: result) as? [String: Any])
        #expect((object["stray_frames"] as? Int ?? 0) > 100, "junk was not counted: \(object["stray_frames"] ?? "none")")
        let log = (object["log"] as? [String]) ?? []
        #expect(log.contains { $0.contains("more like this not logged") }, "no aggregation in \(log.suffix(5))")
        #expect(processes(mentioning: run.workDir).isEmpty, "role processes left behind")
    }

    /// A party that dies before it joined leaves a game that can never start: the run
    /// fails at once (exit 2, naming the party), it does not wait for the join timeout.
    @Test func aPartyKilledBeforeJoiningFailsTheRun() throws {
        let dir = try makeTemporaryDirectory("early")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try quickDisputeScenario(in: dir)
        let run = try BackgroundScenario(["scenario", file], workDir: dir + "/work")
        defer { run.cleanUp() }
        var pid: Int32?
        for _ in 0..<3000 where pid == nil && run.process.isRunning {
            pid = run.pid(role: "verifier", name: "verifier-1")
            if pid == nil { usleep(5_000) }
        }
        kill(try #require(pid), SIGKILL)
        let r = run.wait()
        #expect(r.status == 2, "exit \(r.status)\n\(r.stderr)")
        #expect(r.stderr.contains("verifier-1 killed by signal 9 before the game began"), "\(r.stderr)")
        #expect(processes(mentioning: run.workDir).isEmpty, "role processes left behind")
    }

    /// SIGINT or SIGTERM to `tbsim scenario` at any moment: exit 130, nothing left behind.
    @Test(arguments: [(SIGTERM, 0.0), (SIGINT, 0.3), (SIGTERM, 1.0), (SIGINT, 2.0)])
    func signalsAlwaysExit130(_ signal: Int32, _ afterSeconds: Double) throws {
        let dir = try makeTemporaryDirectory("signal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try quickDisputeScenario(in: dir)
        let run = try BackgroundScenario(["scenario", file], workDir: dir + "/work")
        defer { run.cleanUp() }
        // Wait until tbsim handles the signal at all (a signal during its start-up, before
        // main runs, can only kill it); 0 s = at once, while it loads the scenario.
        for _ in 0..<500 where !run.catches(signal) { usleep(2_000) }
        if afterSeconds > 0 { _ = run.waitForJudgeLog("listening", seconds: 30) }
        usleep(UInt32(afterSeconds * 1_000_000))
        kill(run.process.processIdentifier, signal)
        let r = run.wait()
        #expect(r.status == 130, "signal \(signal) after \(afterSeconds) s: exit \(r.status)\n\(r.stderr)")
        usleep(200_000)
        #expect(processes(mentioning: run.workDir).isEmpty, "role processes survived the signal")
    }

    /// kill -9 of a party is an event of the game: the run goes on, the timeouts decide
    /// and the report names the dead process.
    /// (Every message takes 150 ms, so a dispute lasts seconds.)
    @Test(arguments: [
        ("solver", 0.0, "accepted: false"),                          // around its commit
        ("solver", 1.5, "accepted: false, winner: verifier-1"),      // during the dispute
        ("verifier-1", 0.0, "accepted: true"),                       // before it can challenge
    ])
    func aKilledPartyLosesByTheRules(_ victim: String, _ afterSeconds: Double, _ expected: String) throws {
        let dir = try makeTemporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try quickDisputeScenario(in: dir, expect: "expect: {\(expected)}")
        let run = try BackgroundScenario(["scenario", file, "--json", dir + "/report.json"], workDir: dir + "/work")
        defer { run.cleanUp() }
        #expect(run.waitForJudgeLog("solver joined") && run.waitForJudgeLog("verifier-1 joined"), "the parties never joined")
        usleep(UInt32(afterSeconds * 1_000_000))
        let role = victim == "solver" ? "solver" : "verifier"
        let pid = try #require(run.pid(role: role, name: victim))
        kill(pid, SIGKILL)
        let r = run.wait()
        #expect(r.status == 0, "exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("\(victim) killed by signal 9"), "\(r.stdout)")
        let report = try Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
        let events = try #require(object["process_events"] as? [[String: Any]])
        #expect(events.first?["process"] as? String == victim)
        #expect(events.first?["how"] as? String == "killed by signal 9")
        #expect(processes(mentioning: run.workDir).isEmpty, "role processes left behind")
    }
}
