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
        removed after a successful run and kept (and named) when the run fails. A network \
        scenario (`population:`) plays every task's game so, one after another, each in \
        WORK/task-N with its own judge, ledger and logs (docs/NETWORK.md).
        """)

    @Argument(help: "The scenario file (YAML). See docs/SCENARIOS.md.")
    public var file: String = "scenarios/honest.yaml"

    @Option(help: ArgumentHelp("Write the report as JSON to this file (- for standard output).", valueName: "FILE"))
    public var json: String?

    @Option(help: ArgumentHelp("Write the report as a self-contained HTML page with plots to this file (- for standard output).", valueName: "FILE"))
    public var html: String?

    @Option(help: "Directory for role logs and the raw result.")
    public var workDir: String?

    @Option(help: ArgumentHelp("Keep the chain's ledger (SQLite) in this new file; check it later with `tbsim replay`. Default: in the work directory (removed with it after a successful run).",
                               valueName: "PATH"))
    public var ledger: String?

    @Flag(help: "Play the game in this process on a virtual clock: the same node loops, network latency and faults, over an in-memory network instead of ZeroMQ. (For a network scenario, with `population:`, every task's game plays so.)")
    public var inProcess = false

    @Flag(help: "Print only the verdict line.")
    public var quiet = false

    @Flag(help: "After the summary, print the moves table: the chain's ledger with each move's block, party, gas and the deadline it set.")
    public var moves = false

    @Option(help: "Stop everything if the run (for a network scenario: one task's game) takes longer than this many seconds.")
    public var timeout: Double = 3600

    public init() {}

    /// Over processes the judge's endpoint must be one other processes can reach: an
    /// inproc:// bind is refused before any work (exit status 2).
    func requireCrossProcessBind(_ network: NetworkSpec) throws {
        guard !inProcess && !EndpointSyntax.crossesProcesses(network.judgeBind) else { return }
        printError("tbsim: \(file): key `network.judge_bind`: \(network.judgeBind) cannot cross processes "
                   + "(inproc:// lives inside one process); use tcp:// or ipc://, or play with --in-process")
        throw ExitCode(2)
    }

    /// Output paths are checked before anything is loaded or computed ("-" is standard output).
    public func validate() throws {
        if json == "-" && html == "-" { throw ValidationError("only one of --json and --html can go to standard output (-)") }
        if let json, json != "-" { try checkWritableFile(json, option: "--json") }
        if let html, html != "-" { try checkWritableFile(html, option: "--html") }
        if let workDir { try checkWritableDirectory(workDir, option: "--work-dir") }
        if let ledger {
            if FileManager.default.fileExists(atPath: ledger) {
                throw ValidationError("--ledger \(ledger): already exists; a new run needs a new ledger (check an old one with `tbsim replay \(ledger)`)")
            }
            try checkWritableFile(ledger, option: "--ledger")
        }
        if !(timeout > 0) { throw ValidationError("--timeout must be > 0 seconds, got \(timeout)") }
    }

    public func run() throws {
        let watch = InterruptWatch()
        let spec: ScenarioSpec
        switch try loadScenarioFile(file) {
        case let .game(s): spec = s
        case let .network(n): return try runNetwork(n, watch: watch)
        }
        try requireCrossProcessBind(spec.network)
        let log: (String) -> Void = quiet ? { _ in } : { printError($0) }
        let result: RunResult
        let wall: Double
        var processEvents: [ProcessEvent] = []
        do {
            if inProcess {
                let clock = Stopwatch()
                result = try InMemoryRun.play(spec, ledgerPath: ledger, tbsimVersion: TBSimVersion.current)
                wall = clock.seconds
            } else {
                let dir = workDir ?? NSTemporaryDirectory() + "tbsim-\(getpid())-\(spec.name)"
                let launcher = ScenarioLauncher(spec: spec, scenarioFile: file, executable: currentExecutable(),
                                                workDirectory: dir, log: log)
                launcher.timeoutSeconds = timeout
                launcher.ledgerPath = ledger
                let progress = ProgressLine(quiet: quiet)
                launcher.progress = progress.show
                defer { progress.finish() }
                watch.onInterrupt { launcher.interrupt() }
                defer { watch.onInterrupt(nil) }
                log("running \(spec.name): 1 judge, 1 solver, \(spec.verifiers.count) verifier(s)" + (workDir != nil ? "; logs in \(dir)" : ""))
                let run: ScenarioLauncher.Run
                do {
                    run = try launcher.run()
                } catch where launcher.isInterrupted {
                    // Whatever the stopped roles made of it (a judge killed by SIGTERM…),
                    // an interrupted run exits 130.
                    throw ScenarioLauncher.Interrupted()
                }
                if launcher.isInterrupted { throw ScenarioLauncher.Interrupted() }
                result = run.result
                wall = run.wallSeconds
                processEvents = run.processEvents
                // Logs of a run that worked are kept only when asked for (--work-dir).
                if workDir == nil { try? FileManager.default.removeItem(atPath: dir) }
            }
        } catch is ScenarioLauncher.Interrupted {
            InterruptWatch.exitInterrupted()
        } catch {
            printError("tbsim: scenario \(file) failed: \(error)")
            throw ExitCode(2)
        }
        // A signal that came as the run ended still means "interrupted".
        if watch.interrupted { InterruptWatch.exitInterrupted() }
        let report = ScenarioReport(spec: spec, file: file, game: result.game, parties: result.parties, wallSeconds: wall,
                                    generator: "tbsim \(TBSimVersion.current)", clock: inProcess ? .virtual : .realTime,
                                    processEvents: processEvents)
        // A report written to standard output keeps it to itself: the summary goes to stderr.
        let reportToStdout = json == "-" || html == "-"
        let say: (String) -> Void = reportToStdout ? { printError($0) } : { print($0) }
        if quiet {
            say("\(spec.name): \(report.outcome.accepted ? "accepted" : "rejected"), expectations \(report.passed ? "passed" : "FAILED")")
        } else {
            say(report.terminalSummary(color: useColor(fileDescriptor: reportToStdout ? 2 : 1)))
            if moves { say(report.terminalMoves()) }
        }
        if let ledger, !quiet { printError("ledger: \(ledger) (check it offline with `tbsim replay \(ledger)`)") }
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

/// The write end of the pipe the SIGINT/SIGTERM handler writes to (the self-pipe trick:
/// write(2) is async-signal-safe, and the watcher thread blocks on the read end).
private var interruptPipeWriteEnd: Int32 = -1

/// Catches SIGINT and SIGTERM for the whole of `tbsim scenario`, from its first line:
/// the handler only writes a byte to a pipe, and a watcher thread acts on it — stopping
/// the roles through `onInterrupt` (the launcher then makes its run throw `Interrupted`,
/// which the command turns into exit status 130), or exiting 130 itself when nothing is
/// running. A handler (not SIG_IGN) is reset by exec, so role processes start with the
/// default dispositions. Exiting on the handler's own thread raced the main thread's
/// verdict on the stopped judge (exit 2); ignoring the signals until a dispatch source
/// was ready lost a signal sent early (exit 0).
final class InterruptWatch {
    private let lock = NSLock()
    private var action: (() -> Void)?
    private var received = false

    init() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        interruptPipeWriteEnd = fds[1]
        let readEnd = fds[0]
        let watcher = Thread { [self] in
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            lock.lock(); received = true; let act = action; lock.unlock()
            if let act { act() } else { InterruptWatch.exitInterrupted() }
        }
        watcher.start()
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in
                var byte: UInt8 = 1
                _ = write(interruptPipeWriteEnd, &byte, 1)
            }
        }
        // Only now, with the handlers in place: a signal left pending while blocked is
        // delivered here and handled.
        unblockStopSignals()
    }

    /// True once the watcher saw SIGINT or SIGTERM.
    var interrupted: Bool { lock.lock(); defer { lock.unlock() }; return received }

    /// What to do on a signal from now on (nil: exit 130 at once).
    func onInterrupt(_ action: (() -> Void)?) {
        lock.lock(); self.action = action; let late = received; lock.unlock()
        if late, let action { action() }
    }

    static func exitInterrupted() -> Never {
        printError("tbsim: interrupted; every role process stopped")
        exit(130)
    }
}

/// Unblocks SIGINT and SIGTERM in the calling thread (and so in threads it starts and
/// processes it execs): a parent that started this process from a thread blocking them
/// (test runners do) would otherwise leave them pending forever.
func unblockStopSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// Loads a scenario file; a bad file is one line on standard error and exit status 2.
func loadScenario(_ file: String) throws -> ScenarioSpec {
    try exitingOnScenarioError { try ScenarioLoader.load(path: file) }
}

/// Runs a scenario load; a `ScenarioError` becomes one line on standard error and exit
/// status 2.
func exitingOnScenarioError<T>(_ load: () throws -> T) throws -> T {
    do {
        return try load()
    } catch let e as ScenarioError {
        printError("tbsim: \(e)")
        throw ExitCode(2)
    }
}

/// The run's progress on standard error: one line rewritten in place on a terminal; on
/// anything else (a log, CI) a line whenever the phase changes, at most every 5 s.
final class ProgressLine {
    private let terminal: Bool
    private let quiet: Bool
    private var last = ""
    private var lastPrinted = Stopwatch()
    private var printed = false

    init(quiet: Bool) {
        self.quiet = quiet
        terminal = isatty(2) == 1
    }

    func show(_ line: String) {
        guard !quiet, line != last else { return }
        last = line
        if terminal {
            let width = 118
            let cut = line.count > width ? String(line.prefix(width - 1)) + "…" : line
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + cut).utf8))
            printed = true
        } else if lastPrinted.seconds >= 5 || !printed {
            lastPrinted = Stopwatch()
            printed = true
            printError("progress: " + line)
        }
    }

    /// Clears the line on a terminal, so what follows starts clean.
    func finish() {
        if terminal && printed { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
