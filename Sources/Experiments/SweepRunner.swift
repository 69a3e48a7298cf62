import Dispatch
import Foundation
import Report
import Scenario
import Transport

/// Runs the points of a sweep, each as its own `tbsim scenario` process (in-process mode
/// by default, over role processes on request), up to `jobs` at a time. A run that fails
/// becomes a row with its error; the sweep goes on.
public struct SweepRunner {
    /// The scenario file every point edits.
    public var scenarioFile: String
    /// The varied keys, in order.
    public var keys: [String]
    /// The tbsim executable the runs start.
    public var executable: String
    /// Where each run's edited scenario, report and logs go.
    public var workDirectory: String
    /// Play each run over role processes instead of in one process.
    public var overProcesses = false
    /// Runs at once.
    public var jobs = 2
    /// Called (on any thread, one call at a time) after each run with the rows so far.
    public var progress: (_ done: Int, _ total: Int, _ row: SweepRow) -> Void = { _, _, _ in }

    /// A runner of `scenarioFile` varying `keys`.
    public init(scenarioFile: String, keys: [String], executable: String, workDirectory: String) {
        self.scenarioFile = scenarioFile; self.keys = keys; self.executable = executable
        self.workDirectory = workDirectory
    }

    /// Checks every point loads (a bad value is reported before anything runs) and writes
    /// its edited scenario into the work directory. Throws the loader's `ScenarioError`.
    public func prepare(_ points: [SweepPlan.Point]) throws {
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        for p in points {
            let yaml = try ScenarioLoader.editedYAML(path: scenarioFile, overrides: p.overrides)
            _ = try ScenarioLoader.parse(editedYAML: yaml, path: scenarioFile, overrides: p.overrides)
            try yaml.write(toFile: scenarioPath(p), atomically: true, encoding: .utf8)
        }
    }

    func scenarioPath(_ p: SweepPlan.Point) -> String { workDirectory + "/run-\(p.index).yaml" }

    /// Runs every point (after `prepare`) and returns one row per point, by run number.
    public func run(_ points: [SweepPlan.Point]) -> [SweepRow] {
        let lock = NSLock()
        var rows: [SweepRow] = []
        var next = 0
        let workers = max(1, min(jobs, points.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                lock.lock()
                guard next < points.count else { lock.unlock(); return }
                let p = points[next]
                next += 1
                lock.unlock()
                let row = runOne(p)
                lock.lock()
                rows.append(row)
                progress(rows.count, points.count, row)
                lock.unlock()
            }
        }
        return rows.sorted { $0.run < $1.run }
    }

    func runOne(_ p: SweepPlan.Point) -> SweepRow {
        let parameters = Dictionary(uniqueKeysWithValues: zip(keys, p.values))
        let json = workDirectory + "/run-\(p.index).json"
        var arguments = ["scenario", scenarioPath(p), "--quiet", "--json", json]
        if overProcesses {
            arguments += ["--work-dir", workDirectory + "/run-\(p.index)"]
        } else {
            arguments.append("--in-process")
        }
        let clock = Stopwatch()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return SweepRow(run: p.index, varied: keys, parameters: parameters, seed: p.seed,
                            error: "cannot start \(executable): \(error)", wallSeconds: 0)
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let wall = clock.seconds
        // Exit 0: every expectation held; 1: one failed. Either way the run reported.
        if process.terminationStatus <= 1, let data = FileManager.default.contents(atPath: json),
           let report = try? ScenarioReport.decode(json: data) {
            return SweepRow(run: p.index, varied: keys, parameters: parameters, seed: p.seed, report: report,
                            wallSeconds: wall)
        }
        let last = stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
        return SweepRow(run: p.index, varied: keys, parameters: parameters, seed: p.seed, error: last, wallSeconds: wall)
    }
}
