import Foundation
import Transport

/// The role processes a launcher started: each with its log in the work directory, all
/// stopped together — on success, failure or a signal — so no process is left behind.
/// Thread-safe: `stopAll` may be called from a signal handler's thread.
public final class ProcessGroup {
    /// The tbsim executable the roles run.
    public let executable: String
    /// Where each role's log goes (`NAME.log`).
    public let workDirectory: String
    private var children: [(name: String, process: Process)] = []
    /// Set once everything is being stopped; children started after that are killed.
    private var stopping = false
    private let lock = NSLock()

    /// A group starting `executable`, logging into `workDirectory`.
    public init(executable: String, workDirectory: String) {
        self.executable = executable
        self.workDirectory = workDirectory
    }

    /// Every child started so far, in order.
    public var all: [(name: String, process: Process)] { lock.lock(); defer { lock.unlock() }; return children }

    /// Starts `executable arguments` as `name`, its output in `logName`.log (default: the name).
    public func start(_ name: String, _ arguments: [String], log logName: String? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let logPath = workDirectory + "/\(logName ?? name).log"
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

    /// `what`, with the last lines of `logName`.log when there is one.
    public func failure(_ what: String, log logName: String?) -> RoleError {
        var text = what
        if let logName, let tail = try? String(contentsOfFile: workDirectory + "/\(logName).log", encoding: .utf8) {
            let lines = tail.split(separator: "\n", omittingEmptySubsequences: false).suffix(15)
            text += "\n--- last lines of \(workDirectory)/\(logName).log ---\n" + lines.joined(separator: "\n")
        }
        return RoleError(text)
    }

    /// How a child that ended did: "exited with status N" or "killed by signal N".
    public static func ending(of p: Process) -> String {
        p.terminationReason == .uncaughtSignal ? "killed by signal \(p.terminationStatus)" : "exited with status \(p.terminationStatus)"
    }

    /// Waits up to `seconds` for every child to end by itself.
    public func waitForAll(seconds: Double) {
        let grace = Stopwatch()
        while all.contains(where: { $0.process.isRunning }) && grace.seconds < seconds { usleep(20_000) }
    }

    private var interruptRequested = false

    /// True once `interrupt()` was called.
    public var isInterrupted: Bool { lock.lock(); defer { lock.unlock() }; return interruptRequested }

    /// Stops every child (from any thread, e.g. a signal handler) and marks the group
    /// interrupted: the launcher's run then throws `ScenarioLauncher.Interrupted`.
    public func interrupt() {
        lock.lock(); interruptRequested = true; lock.unlock()
        stopAll()
    }

    /// Waits for `process` (the judge or the chain, logging to `logName`.log) to write the
    /// endpoint it bound to `file`, at most 60 s; throws `Interrupted` once interrupted, and
    /// a failure with its log's tail if it exits first or takes too long.
    public func waitForEndpoint(_ file: String, of process: Process, role: String, log logName: String) throws -> String {
        let clock = Stopwatch()
        while true {
            if isInterrupted { throw ScenarioLauncher.Interrupted() }
            if !process.isRunning { throw failure("the \(role) exited before listening", log: logName) }
            if clock.seconds > 60 { throw failure("the \(role) did not start listening within 60 s", log: logName) }
            if let endpoint = try? String(contentsOfFile: file, encoding: .utf8) { return endpoint }
            usleep(20_000)
        }
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
