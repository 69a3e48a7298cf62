import Foundation
import Report
import Roles
import Scenario
import Transport

/// Starts a network over processes: the chain (`tbsim node --role judge NETWORK.yaml`,
/// `NetworkChain`: the incentive layer and every task's game) and one long-lived process
/// per party of the population (`NetworkPartyNode`), all talking ZeroMQ; waits for the
/// chain's report and leaves no process behind. A party process that dies is an event of
/// the network, not a failure: the games it was drawn for go on without it and their
/// timeouts decide, and the report lists it under `process_events`.
///
/// The launcher is a convenience: each of these processes can be started by hand, on any
/// host, with the same network file (docs/NETWORK.md, "Roles on other hosts").
public final class NetworkLauncher {
    public let scenario: NetworkScenario
    /// The network file, as every process is given it.
    public let file: String
    /// Where the logs, each task's scenario and ledger, and the result go.
    public let workDirectory: String
    public var log: (String) -> Void
    /// Hears each task's line as the chain finishes it.
    public var progress: (String) -> Void = { _ in }
    /// Longest the whole network may take before everything is stopped.
    public var timeoutSeconds: Double = 3600
    private let group: ProcessGroup

    public init(scenario: NetworkScenario, file: String, executable: String, workDirectory: String,
                log: @escaping (String) -> Void) {
        self.scenario = scenario
        self.file = file
        self.workDirectory = workDirectory
        self.log = log
        group = ProcessGroup(executable: executable, workDirectory: workDirectory)
    }

    /// True once `interrupt()` was called.
    public var isInterrupted: Bool { group.isInterrupted }

    /// Stops every process (from any thread) and makes `run()` throw `ScenarioLauncher.Interrupted`.
    public func interrupt() { group.interrupt() }

    /// Stops every process still running.
    public func stopAll() { group.stopAll() }

    /// Runs the network; returns the chain's report with the launcher's process events.
    public func run() throws -> NetworkReport {
        let bind = scenario.network.judgeBind
        guard EndpointSyntax.crossesProcesses(bind) else {
            throw RoleError("\(file): key `network.judge_bind`: \(bind) cannot cross processes; use tcp:// or ipc://")
        }
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let endpointFile = workDirectory + "/chain.endpoint", resultFile = workDirectory + "/network-result.json"
        for f in [endpointFile, resultFile] { try? FileManager.default.removeItem(atPath: f) }
        defer { group.stopAll() }
        let clock = Stopwatch()
        let accounts = NetworkAccounts(scenario)
        guard accounts.foreignAccounts.isEmpty else {
            throw RoleError("\(file): the network lists account keys for \(accounts.foreignAccounts.joined(separator: ", ")); start those roles with `tbsim node --key FILE`")
        }
        let digest = accounts.chainID.hex
        let chain = try group.start("chain", ["node", "--role", "judge", file, "--bind", bind, "--endpoint-file", endpointFile,
                                              "--result", resultFile, "--work-dir", workDirectory,
                                              "--scenario-digest", digest, "--session", workDirectory])
        let endpoint = try group.waitForEndpoint(endpointFile, of: chain, role: "chain", log: "chain")
        log("chain at \(endpoint)")
        for name in accounts.names {
            _ = try group.start(name, ["node", "--role", accounts.role(of: name)!.rawValue, file, "--name", name,
                                       "--connect", endpoint, "--scenario-digest", digest, "--session", workDirectory])
        }
        var events: [ProcessEvent] = []
        var seen: Set<String> = []
        var forwarded = 0
        while chain.isRunning {
            if isInterrupted { throw ScenarioLauncher.Interrupted() }
            if clock.seconds > timeoutSeconds { throw group.failure("the network took longer than \(Int(timeoutSeconds)) s", log: nil) }
            for c in group.all where c.name != "chain" && !c.process.isRunning && !seen.contains(c.name) {
                seen.insert(c.name)
                // A party leaves with status 0 once the chain says the network is over.
                if c.process.terminationReason == .exit && c.process.terminationStatus == 0 { continue }
                let how = ProcessGroup.ending(of: c.process)
                events.append(ProcessEvent(process: c.name, atSeconds: clock.seconds, how: how))
                log("\(c.name) \(how); the tasks it is drawn for go on without it and their timeouts decide")
            }
            forwarded = forwardProgress(after: forwarded)
            usleep(100_000)
        }
        _ = forwardProgress(after: forwarded)
        if isInterrupted { throw ScenarioLauncher.Interrupted() }
        guard chain.terminationReason == .exit, chain.terminationStatus == 0 else {
            throw group.failure("the chain failed (\(ProcessGroup.ending(of: chain)))", log: "chain")
        }
        // Parties leave once the chain says the network is over.
        group.waitForAll(seconds: 3)
        var report = try JSONDecoder().decode(NetworkReport.self, from: Data(contentsOf: URL(fileURLWithPath: resultFile)))
        report.processEvents = events
        report.wallSeconds = clock.seconds
        return report
    }

    /// Hands `progress` the chain's task lines after the first `count`; returns how many there are.
    private func forwardProgress(after count: Int) -> Int {
        guard let text = try? String(contentsOfFile: workDirectory + "/chain.log", encoding: .utf8) else { return count }
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("progress: ") }
        for line in lines.dropFirst(count) { progress(String(line.dropFirst("progress: ".count))) }
        return max(count, lines.count)
    }
}
