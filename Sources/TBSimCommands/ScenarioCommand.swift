import ArgumentParser
import Dispatch
import Foundation
import Report
import Roles
import Scenario
import Transport

/// `tbsim scenario FILE`: plays a whole verification game — judge, solver and verifiers
/// as separate processes over ZeroMQ — and reports rounds, gas and time.
public struct ScenarioCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run a scenario: the judge, the solver and every verifier as separate processes over ZeroMQ (or in this process with --in-process).",
        discussion: """
        Prints a summary; --json and --html write the full report. The exit status is 0 when \
        every `expect:` of the scenario holds, 1 when one fails, 2 when the run itself failed. \
        Role logs go to --work-dir; without it they go to a fresh directory under /tmp that is \
        removed after a successful run and kept (and named) when the run fails.
        """)

    @Argument(help: "The scenario file (YAML). See docs/SCENARIOS.md.")
    public var file: String = "scenarios/honest.yaml"

    @Option(help: ArgumentHelp("Write the report as JSON to this file (- for standard output).", valueName: "FILE"))
    public var json: String?

    @Option(help: ArgumentHelp("Write the report as a self-contained HTML page with plots to this file (- for standard output).", valueName: "FILE"))
    public var html: String?

    @Option(help: "Directory for role logs and the raw result.")
    public var workDir: String?

    @Flag(help: "Play the game in this process on a virtual clock: the same node loops, network latency and faults, over an in-memory network instead of ZeroMQ.")
    public var inProcess = false

    @Flag(help: "Print only the verdict line.")
    public var quiet = false

    @Option(help: "Stop everything if the run takes longer than this many seconds.")
    public var timeout: Double = 3600

    public init() {}

    public func validate() throws {
        if json == "-" && html == "-" { throw ValidationError("only one of --json and --html can go to standard output (-)") }
    }

    public func run() throws {
        let spec = try loadScenario(file)
        let log: (String) -> Void = quiet ? { _ in } : { printError($0) }
        let result: RunResult
        let wall: Double
        do {
            if inProcess {
                let clock = Stopwatch()
                result = try InMemoryRun.play(spec)
                wall = clock.seconds
            } else {
                let dir = workDir ?? NSTemporaryDirectory() + "tbsim-\(getpid())-\(spec.name)"
                let launcher = ScenarioLauncher(spec: spec, scenarioFile: file, executable: currentExecutable(),
                                                workDirectory: dir, log: log)
                launcher.timeoutSeconds = timeout
                let signals = installSignalHandlers { launcher.stopAll() }
                defer { signals.forEach { $0.cancel() } }
                log("running \(spec.name): 1 judge, 1 solver, \(spec.verifiers.count) verifier(s)" + (workDir != nil ? "; logs in \(dir)" : ""))
                let run = try launcher.run()
                result = run.result
                wall = run.wallSeconds
                // Logs of a run that worked are kept only when asked for (--work-dir).
                if workDir == nil { try? FileManager.default.removeItem(atPath: dir) }
            }
        } catch {
            printError("tbsim: scenario \(file) failed: \(error)")
            throw ExitCode(2)
        }
        let report = ScenarioReport(spec: spec, file: file, game: result.game, parties: result.parties, wallSeconds: wall,
                                    generator: "tbsim \(TBSimVersion.current)")
        // A report written to standard output keeps it to itself: the summary goes to stderr.
        let reportToStdout = json == "-" || html == "-"
        let say: (String) -> Void = reportToStdout ? { printError($0) } : { print($0) }
        if quiet {
            say("\(spec.name): \(report.outcome.accepted ? "accepted" : "rejected"), expectations \(report.passed ? "passed" : "FAILED")")
        } else {
            say(report.terminalSummary(color: useColor(fileDescriptor: reportToStdout ? 2 : 1)))
        }
        if let json { try write(report.jsonData(), to: json) }
        if let html { try write(Data(report.html().utf8), to: html) }
        if !report.passed { throw ExitCode(1) }
    }

    func write(_ data: Data, to path: String) throws {
        if path == "-" { FileHandle.standardOutput.write(data); return }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw CLIError("cannot write \(path)")
        }
    }
}

/// Whether to colour what goes to `fileDescriptor`: only on a terminal, and never when
/// the NO_COLOR environment variable is set (no-color.org).
func useColor(fileDescriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    isatty(fileDescriptor) == 1 && environment["NO_COLOR"] == nil
}

/// The path of the running tbsim binary (role processes are started from it).
func currentExecutable() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

/// On SIGINT/SIGTERM: run `cleanup` (stop children) and exit 130.
func installSignalHandlers(_ cleanup: @escaping () -> Void) -> [DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { sig in
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler {
            cleanup()
            printError("tbsim: interrupted; every role process stopped")
            exit(130)
        }
        source.resume()
        return source
    }
}

/// Loads a scenario file; a bad file is one line on standard error and exit status 2.
func loadScenario(_ file: String) throws -> ScenarioSpec {
    do {
        return try ScenarioLoader.load(path: file)
    } catch let e as ScenarioError {
        printError("tbsim: \(e)")
        throw ExitCode(2)
    }
}
