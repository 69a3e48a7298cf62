import ArgumentParser
import Experiments
import Foundation
import Report
import Scenario

/// `tbsim sweep FILE --set KEY=VALUES…`: the same scenario over a grid of parameter
/// values and seeds, one run per point, with the results as CSV, JSON Lines and an HTML
/// page of plots. Shards split a sweep over machines; `--merge` joins them.
public struct SweepCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid of parameter values and seeds; results as CSV, JSON Lines and HTML.",
        discussion: """
        Each --set KEY=VALUES varies one scenario key (the dotted keys of docs/SCENARIOS.md, \
        e.g. game.k, network.latency_ms, verifiers[0].faults[0].corrupt.step). VALUES is a \
        comma-separated list of values and integer ranges: a..b (step 1), a..b+STEP, \
        a..b*FACTOR (e.g. 2..32*2 = 2,4,8,16,32). Every combination runs once per seed. \
        --random-fault adds to every run one fault drawn from its seed (a party, a fault \
        and, for a corruption, a step of the honest run), for Monte Carlo runs. \
        Each run is its own `tbsim scenario` (in one process on a virtual clock; with \
        --over-processes as role processes over ZeroMQ), up to --jobs at once. \
        --shard I/N runs every N-th point starting at I; write each shard with --jsonl and \
        join them with `tbsim sweep --merge A.jsonl B.jsonl … --csv out.csv --html out.html`. \
        Without an output option the CSV goes to standard output; "-" means standard output. \
        Exit status: 0 when every run reported, 1 when a run failed to, 2 for bad arguments.
        """)

    @Argument(help: ArgumentHelp("The scenario file (or, with --merge, the JSON Lines files of the shards).", valueName: "FILE"))
    public var files: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Vary a key: KEY=VALUES (repeat for more keys).", valueName: "KEY=VALUES"))
    public var sets: [String] = []

    @Option(help: ArgumentHelp("Seeds to run every point with, e.g. 1..20 or 3,7,11.", valueName: "SEEDS"))
    public var seeds: String?

    @Flag(help: "Add one fault per run, drawn from the run's seed: which party, which fault, at which step (column `fault`).")
    public var randomFault = false

    @Flag(help: "Play every run over role processes (ZeroMQ) instead of in one process.")
    public var overProcesses = false

    @Option(help: ArgumentHelp("Runs at once (default: the number of cores).", valueName: "N"))
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Run only shard I of N (1-based): every N-th point from the I-th.", valueName: "I/N"))
    public var shard: String?

    @Flag(help: "Join the JSON Lines files of a sharded sweep instead of running.")
    public var merge = false

    @Option(help: ArgumentHelp("Write the table as CSV.", valueName: "FILE"))
    public var csv: String?

    @Option(help: ArgumentHelp("Write one JSON object per run.", valueName: "FILE"))
    public var jsonl: String?

    @Option(help: ArgumentHelp("Write an HTML page with plots and the table.", valueName: "FILE"))
    public var html: String?

    @Option(help: ArgumentHelp("Keep every run's scenario, report and logs here (default: a temporary directory, removed after).", valueName: "DIR"))
    public var workDir: String?

    @Flag(help: "Print progress even when standard error is not a terminal.")
    public var progress = false

    public init() {}

    public func validate() throws {
        if merge {
            if files.isEmpty { throw ValidationError("--merge needs the JSON Lines files of the shards") }
            if !sets.isEmpty || seeds != nil || shard != nil { throw ValidationError("--merge takes only files and output options") }
        } else {
            if files.count != 1 { throw ValidationError("give one scenario file (or --merge with shard files)") }
            if sets.isEmpty && seeds == nil { throw ValidationError("nothing to sweep: give --set KEY=VALUES or --seeds") }
            if randomFault && seeds == nil { throw ValidationError("--random-fault draws from each run's seed: give --seeds") }
        }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let shard, parseShard(shard) == nil { throw ValidationError("--shard must be I/N with 1 ≤ I ≤ N, e.g. 2/4; got \(shard)") }
    }

    func parseShard(_ s: String) -> (Int, Int)? {
        let parts = s.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        return (i, n)
    }

    public func run() throws {
        let table: SweepTable
        var failed = 0
        if merge {
            var rows: [SweepRow] = []
            for file in files {
                let text = try String(decoding: readFile(file, what: "shard"), as: UTF8.self)
                do { rows += try SweepTable.rows(jsonLines: text, file: file) } catch let e as SweepTableError {
                    printError("tbsim: \(e)"); throw ExitCode(2)
                }
            }
            let runs = rows.map(\.run)
            if Set(runs).count != runs.count { printError("tbsim: the shards repeat runs; merge each shard once"); throw ExitCode(2) }
            table = SweepTable(keys: rows.first?.varied ?? [], rows: rows)
        } else {
            let plan: SweepPlan
            do { plan = try SweepPlan(sets: sets, seeds: seeds) } catch let e as SweepPlanError {
                printError("tbsim: \(e)"); throw ExitCode(2)
            }
            let (i, n) = shard.flatMap(parseShard) ?? (1, 1)
            var points = plan.points(shard: i, of: n)
            var keys = plan.axes.map(\.key)
            if randomFault {
                do {
                    let base = try ScenarioLoader.load(path: files[0])
                    let steps = try RandomFault.honestSteps(of: base)
                    points = try RandomFault.adding(to: points, scenarioFile: files[0], defaultSeed: base.seed, steps: steps)
                    keys.append("fault")
                } catch let e as ScenarioError {
                    printError("tbsim: \(e)"); throw ExitCode(2)
                } catch {
                    printError("tbsim: \(files[0]): \(error)"); throw ExitCode(2)
                }
            }
            let dir = workDir ?? NSTemporaryDirectory() + "tbsim-sweep-\(getpid())"
            var runner = SweepRunner(scenarioFile: files[0], keys: keys, executable: currentExecutable(),
                                     workDirectory: dir)
            runner.overProcesses = overProcesses
            runner.jobs = jobs
            do { try runner.prepare(points) } catch let e as ScenarioError {
                printError("tbsim: \(e)"); throw ExitCode(2)
            }
            let show = progress || isatty(2) == 1
            let terminal = isatty(2) == 1
            runner.progress = { done, total, row in
                guard show else { return }
                let line = "[sweep] \(done)/\(total) runs" + (row.error == nil ? "" : " (run \(row.run) failed: \(row.error!))")
                if terminal { FileHandle.standardError.write(("\r\u{1b}[K" + line).data(using: .utf8)!) } else { printError(line) }
            }
            let rows = runner.run(points)
            if show && terminal { FileHandle.standardError.write("\r\u{1b}[K".data(using: .utf8)!) }
            failed = rows.filter { $0.error != nil }.count
            table = SweepTable(keys: keys, rows: rows)
            if workDir == nil { try? FileManager.default.removeItem(atPath: dir) }
        }
        let title = "sweep of " + (merge ? files.joined(separator: ", ") : files[0])
        if csv == nil && jsonl == nil && html == nil { print(table.csv(), terminator: "") }
        if let csv { try write(Data(table.csv().utf8), to: csv) }
        if let jsonl { try write(Data(try table.jsonLines().utf8), to: jsonl) }
        if let html { try write(Data(table.html(title: title).utf8), to: html) }
        if failed > 0 {
            printError("tbsim: \(failed) of \(table.rows.count) runs gave no report (see the error column)")
            throw ExitCode(1)
        }
    }

    func write(_ data: Data, to path: String) throws {
        if path == "-" { FileHandle.standardOutput.write(data); return }
        guard FileManager.default.createFile(atPath: path, contents: data) else { throw CLIError("cannot write \(path)") }
    }
}
