import Commitment
import Foundation
import Game
import Ledger
import Report
import Scenario
import Transport

/// Starts the judge, the solver and every verifier of a scenario as separate OS
/// processes (`tbsim node …`) talking ZeroMQ, waits for settlement, collects the result,
/// and leaves no process behind — on success, failure or a signal.
public final class ScenarioLauncher {
    public let spec: ScenarioSpec
    public let scenarioFile: String
    /// The tbsim executable to start the roles with.
    public let executable: String
    /// Where role logs and the result go.
    public let workDirectory: String
    public var log: (String) -> Void
    /// Longest a whole run may take before everything is stopped.
    public var timeoutSeconds: Double = 3600
    /// The chain's ledger (default: `ledger.sqlite` in the work directory). Must not exist.
    public var ledgerPath: String?
    /// How many times a judge killed by a signal is restarted from the ledger.
    public var judgeRestarts = 3
    /// Hears a progress line about twice a second while the run goes on: each party's
    /// own run until every party joined, then the chain's status.
    public var progress: (String) -> Void = { _ in }

    private let group: ProcessGroup

    public init(spec: ScenarioSpec, scenarioFile: String, executable: String, workDirectory: String,
                log: @escaping (String) -> Void) {
        self.spec = spec
        self.scenarioFile = scenarioFile
        self.executable = executable
        self.workDirectory = workDirectory
        self.log = log
        group = ProcessGroup(executable: executable, workDirectory: workDirectory)
    }

    /// The outcome of one launch.
    public struct Run {
        /// What the judge wrote.
        public var result: RunResult
        /// Seconds from start to the result.
        public var wallSeconds: Double
        /// Parties whose process ended before the game did, in the order seen.
        public var processEvents: [ProcessEvent]
    }

    /// Thrown by `run()` once `interrupt()` was called: the run was stopped on request.
    public struct Interrupted: Error, CustomStringConvertible {
        /// "interrupted".
        public var description: String { "interrupted" }
        /// The error.
        public init() {}
    }

    /// True once `interrupt()` was called.
    public var isInterrupted: Bool { group.isInterrupted }

    /// Stops every role (from any thread, e.g. a signal handler) and makes `run()` throw
    /// `Interrupted`, whatever state the roles were in when they were stopped.
    public func interrupt() { group.interrupt() }

    public func run() throws -> Run {
        try GameSetup(spec: spec).requireOwnKeys()
        let clock = Stopwatch()
        guard EndpointSyntax.crossesProcesses(spec.network.judgeBind) else {
            throw RoleError("\(scenarioFile): key `network.judge_bind`: \(spec.network.judgeBind) cannot cross processes; use tcp:// or ipc://")
        }
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let endpointFile = workDirectory + "/judge.endpoint"
        let resultFile = workDirectory + "/result.json"
        let ledger = ledgerPath ?? workDirectory + "/ledger.sqlite"
        if ledgerPath == nil { ChainLedger.removeFiles(at: ledger) }
        guard !FileManager.default.fileExists(atPath: ledger) else {
            throw RoleError("ledger \(ledger) already exists; a new run needs a new ledger (to resume its chain, start its judge by hand: tbsim node --role judge --ledger \(ledger))")
        }
        try? FileManager.default.removeItem(atPath: endpointFile)
        try? FileManager.default.removeItem(atPath: startedFile)
        try? FileManager.default.removeItem(atPath: resultFile)
        defer { stopAll() }

        // Every role carries the work directory as its session tag, so its processes are
        // easy to find (and to prove gone) in a process listing.
        let digest = spec.digest.hex
        func judgeArguments(bind: String) -> [String] {
            ["node", "--role", "judge", scenarioFile, "--bind", bind, "--endpoint-file", endpointFile, "--result", resultFile,
             "--started-file", startedFile, "--ledger", ledger, "--status-file", statusFile,
             "--scenario-digest", digest, "--session", workDirectory]
        }
        var judge = try start("judge", judgeArguments(bind: spec.network.judgeBind))
        let endpoint = try group.waitForEndpoint(endpointFile, of: judge, role: "judge", log: "judge")
        log("judge at \(endpoint)")
        for party in Roster(spec).parties {
            _ = try start(party.name, ["node", "--role", party.role.rawValue, scenarioFile, "--name", party.name,
                                       "--connect", endpoint, "--scenario-digest", digest, "--session", workDirectory])
        }
        // A party that dies is an event of the game, not a failure of the run: the judge's
        // timeouts decide, and the report says who died and when.
        var events: [ProcessEvent] = []
        var seen: Set<String> = []
        var restarts = 0
        var judgeLog = "judge"
        var progressClock = Stopwatch()
        while true {
            if !judge.isRunning {
                // A judge killed by a signal is a crashed chain node: restart it from the
                // ledger on the same endpoint; the parties reconnect and the game resumes.
                guard judge.terminationReason == .uncaughtSignal, restarts < judgeRestarts, !isInterrupted,
                      !FileManager.default.fileExists(atPath: resultFile) else { break }
                restarts += 1
                let how = "killed by signal \(judge.terminationStatus)"
                events.append(ProcessEvent(process: "judge", atSeconds: clock.seconds, how: how + "; restarted from the ledger"))
                log("the judge was \(how); restarting it from the ledger \(ledger)")
                judgeLog = "judge.\(restarts + 1)"
                judge = try start("judge", judgeArguments(bind: endpoint), log: judgeLog)
                continue
            }
            if isInterrupted { throw Interrupted() }
            if clock.seconds > timeoutSeconds { throw failure("the run took longer than \(Int(timeoutSeconds)) s", judge: nil) }
            for c in group.all where c.name != "judge" && !c.process.isRunning && !seen.contains(c.name) {
                seen.insert(c.name)
                // A party leaves with status 0 once the judge sends it home.
                if c.process.terminationReason == .exit && c.process.terminationStatus == 0 { continue }
                let how = ProcessGroup.ending(of: c.process)
                // Before the game began, no game can start without it: that is a failed run.
                guard gameStarted else { throw failure("\(c.name) \(how) before the game began", judge: c.name) }
                events.append(ProcessEvent(process: c.name, atSeconds: clock.seconds, how: how))
                log("\(c.name) \(how); the game goes on and its timeouts decide")
            }
            if progressClock.seconds >= 0.5 { progressClock = Stopwatch(); progress(progressLine()) }
            usleep(50_000)
        }
        if isInterrupted { throw Interrupted() }
        // A judge killed after it wrote its result (the file is written whole, then the
        // process ends) still gave the game's result.
        let killedAfterResult = judge.terminationReason == .uncaughtSignal && FileManager.default.fileExists(atPath: resultFile)
        guard judge.terminationStatus == 0 || killedAfterResult else {
            throw failure("the judge failed (exit status \(judge.terminationStatus))", judge: judgeLog)
        }
        // Parties leave after reporting their metrics; give them a moment, then stop them.
        group.waitForAll(seconds: 5)
        let data = try Data(contentsOf: URL(fileURLWithPath: resultFile))
        let result = try JSONDecoder().decode(RunResult.self, from: data)
        return Run(result: result, wallSeconds: clock.seconds, processEvents: events)
    }

    private var statusFile: String { workDirectory + "/judge.status" }

    /// What is going on: before the game, each party's progress through its own run (the
    /// last "N steps" line of its log); then the judge's status line.
    private func progressLine() -> String {
        if gameStarted, let status = try? String(contentsOfFile: statusFile, encoding: .utf8), !status.isEmpty { return status }
        let parties = Roster(spec).parties.map { p -> String in
            let log = (try? String(contentsOfFile: workDirectory + "/\(p.name).log", encoding: .utf8)) ?? ""
            let lines = log.split(separator: "\n")
            if lines.contains(where: { $0.contains("run ends after") }) { return "\(p.name) ready" }
            if let last = lines.last(where: { $0.hasSuffix(" steps") }), let n = last.split(separator: " ").dropLast().last,
               let steps = UInt64(n) {
                return "\(p.name) \(ReportFormat.grouped(steps)) steps"
            }
            return "\(p.name) starting"
        }
        return "running the task: " + parties.joined(separator: ", ")
    }

    /// Whether the judge has said (by creating its started file) that every party joined.
    private var gameStarted: Bool { FileManager.default.fileExists(atPath: startedFile) }

    private var startedFile: String { workDirectory + "/judge.started" }

    private func start(_ name: String, _ arguments: [String], log logName: String? = nil) throws -> Process {
        try group.start(name, arguments, log: logName)
    }

    private func failure(_ what: String, judge name: String?) -> RoleError {
        group.failure(what, log: name)
    }

    /// Stops every child still running: SIGTERM, then SIGKILL after a short grace.
    public func stopAll() { group.stopAll() }
}
