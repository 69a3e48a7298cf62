import Commitment
import Foundation
import Game
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

    private var children: [(name: String, process: Process)] = []
    /// Set once everything is being stopped; children started after that are killed.
    private var stopping = false
    private let lock = NSLock()

    public init(spec: ScenarioSpec, scenarioFile: String, executable: String, workDirectory: String,
                log: @escaping (String) -> Void) {
        self.spec = spec
        self.scenarioFile = scenarioFile
        self.executable = executable
        self.workDirectory = workDirectory
        self.log = log
    }

    /// The outcome of one launch.
    public struct Run {
        public var result: NodeResult
        public var wallSeconds: Double
    }

    public func run() throws -> Run {
        let clock = Stopwatch()
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let endpointFile = workDirectory + "/judge.endpoint"
        let resultFile = workDirectory + "/result.json"
        try? FileManager.default.removeItem(atPath: endpointFile)
        try? FileManager.default.removeItem(atPath: resultFile)
        defer { stopAll() }

        // Every role carries the work directory as its session tag, so its processes are
        // easy to find (and to prove gone) in a process listing.
        let judge = try start("judge", ["node", "--role", "judge", scenarioFile, "--bind", spec.network.judgeBind,
                                        "--endpoint-file", endpointFile, "--result", resultFile,
                                        "--session", workDirectory])
        var endpoint: String?
        while endpoint == nil {
            if !judge.isRunning { throw failure("the judge exited before listening", judge: "judge") }
            if clock.seconds > 60 { throw failure("the judge did not start listening within 60 s", judge: "judge") }
            endpoint = try? String(contentsOfFile: endpointFile, encoding: .utf8)
            if endpoint == nil { usleep(20_000) }
        }
        log("judge at \(endpoint!)")
        for (i, party) in ([spec.solver] + spec.verifiers).enumerated() {
            _ = try start(party.name, ["node", "--role", i == 0 ? "solver" : "verifier", scenarioFile,
                                       "--name", party.name, "--connect", endpoint!, "--session", workDirectory])
        }
        while judge.isRunning {
            if clock.seconds > timeoutSeconds { throw failure("the run took longer than \(Int(timeoutSeconds)) s", judge: nil) }
            for c in children where c.name != "judge" && !c.process.isRunning && c.process.terminationStatus != 0 {
                throw failure("\(c.name) failed (exit status \(c.process.terminationStatus))", judge: c.name)
            }
            usleep(50_000)
        }
        guard judge.terminationStatus == 0 else {
            throw failure("the judge failed (exit status \(judge.terminationStatus))", judge: "judge")
        }
        // Parties leave after reporting their metrics; give them a moment, then stop them.
        let grace = Stopwatch()
        while children.contains(where: { $0.process.isRunning }) && grace.seconds < 5 { usleep(20_000) }
        let data = try Data(contentsOf: URL(fileURLWithPath: resultFile))
        let result = try JSONDecoder().decode(NodeResult.self, from: data)
        return Run(result: result, wallSeconds: clock.seconds)
    }

    private func start(_ name: String, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let logPath = workDirectory + "/\(name).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        lock.lock()
        children.append((name, p))
        let late = stopping
        lock.unlock()
        // A signal arrived while this child was starting: it goes too.
        if late { kill(p.processIdentifier, SIGKILL) }
        return p
    }

    private func failure(_ what: String, judge name: String?) -> NodeError {
        var text = what
        if let name, let tail = try? String(contentsOfFile: workDirectory + "/\(name).log", encoding: .utf8) {
            let lines = tail.split(separator: "\n", omittingEmptySubsequences: false).suffix(15)
            text += "\n--- last lines of \(workDirectory)/\(name).log ---\n" + lines.joined(separator: "\n")
        }
        return NodeError(text)
    }

    /// Stops every child still running: SIGTERM, then SIGKILL after a short grace.
    public func stopAll() {
        lock.lock(); stopping = true; let all = children; lock.unlock()
        for c in all where c.process.isRunning { c.process.terminate() }
        let grace = Stopwatch()
        while all.contains(where: { $0.process.isRunning }) && grace.seconds < 2 { usleep(10_000) }
        for c in all where c.process.isRunning { kill(c.process.processIdentifier, SIGKILL) }
    }
}

/// Plays a scenario in one process with `LocalGame` and real machines: the same state
/// machines and the same frames, on a virtual clock. Quick, and deterministic to the
/// byte — used by tests and `tbsim scenario --in-process`.
public enum InProcessScenario {
    public static func run(_ spec: ScenarioSpec, log: @escaping (String) -> Void = { _ in }) throws -> NodeResult {
        let roles = PartyRole.all(in: spec)
        let clock = Stopwatch()
        var oracles: [MachineOracle] = []
        for r in roles {
            let o = try MachineOracle(boot: { try bootTask(spec.task) }, maxSteps: spec.task.maxSteps,
                                      corruption: corruption(of: r.spec))
            _ = try o.finalClaim()
            oracles.append(o)
        }
        let initialRoot = StateTree(try bootTask(spec.task).storage).root()
        let solverFaults = roles[0].spec.faults.compactMap { f -> SolverFault? in if case let .solver(x) = f { return x } else { return nil } }
        let verifiers = roles.dropFirst().enumerated().map { (i, r) -> (oracle: any TraceOracle, faults: [VerifierFault]) in
            (oracles[i + 1], r.spec.faults.compactMap { f -> VerifierFault? in if case let .verifier(x) = f { return x } else { return nil } })
        }
        let latency = spec.network.latencyMs
        var game = try LocalGame(task: TaskSpec(id: 1, initialRoot: initialRoot, stepLimit: spec.task.maxSteps),
                                 config: spec.game, gas: spec.gas, checker: CommitmentProofChecker(),
                                 solver: (oracles[0], solverFaults), verifiers: verifiers,
                                 initialBalance: 10 * max(spec.game.solverDeposit, spec.game.challengerDeposit, 1),
                                 latencyMs: { _, _ in max(1, latency) })
        let report = game.run()
        game.log.forEach(log)
        let metrics = zip(roles, oracles).map { r, o in
            PartyMetrics(name: r.spec.name, role: r.isSolver ? "solver" : "verifier", stepsExecuted: o.stepsExecuted,
                         rootsComputed: o.rootsComputed, proofsBuilt: o.proofsBuilt, computeSeconds: o.computeSeconds,
                         wallSeconds: clock.seconds, messagesSent: 0, bytesSent: 0, peakCheckpoints: o.checkpointCount)
        }
        return NodeResult(game: report, parties: metrics, initialRoot: initialRoot.hex, log: game.log)
    }
}
