import ArgumentParser
import Foundation
import Network
import Roles
import Scenario

extension ScenarioCommand {
    /// Plays a network scenario (`population:`): every task a real game, over processes
    /// (one chain hosting every game, one long-lived process per party, over ZeroMQ) or
    /// with `--in-process` on the in-memory network (docs/NETWORK.md). Options that mean
    /// nothing for a network are refused with the reason, never ignored.
    func runNetwork(_ scenario: NetworkScenario, watch: InterruptWatch) throws {
        if let ledger {
            printError("tbsim: \(file): --ledger \(ledger): a network's chain keeps each task's game's ledger in --work-dir/task-N/ledger.sqlite (docs/NETWORK.md)")
            throw ExitCode(2)
        }
        if inProcess, workDir != nil {
            printError("tbsim: \(file): --work-dir holds role processes' logs and ledgers; with --in-process there are none")
            throw ExitCode(2)
        }
        let foreign = NetworkAccounts(scenario).foreignAccounts
        if !foreign.isEmpty {
            printError("tbsim: \(file): the network lists account keys for \(foreign.joined(separator: ", ")) under `accounts:`; tbsim cannot sign for them, so start each role by hand with `tbsim node --key FILE` (docs/NETWORK.md, \"Roles on other hosts\")")
            throw ExitCode(2)
        }
        try requireCrossProcessBind(scenario.network)
        let reportToStdout = json == "-" || html == "-"
        let progress: (String) -> Void = quiet ? { _ in } : { printError("progress: " + $0) }
        let report: NetworkReport
        let dir = workDir ?? NSTemporaryDirectory() + "tbsim-\(getpid())-\(scenario.name)"
        do {
            if inProcess {
                report = try NetworkRun.play(scenario, file: file, generator: "tbsim \(TBSimVersion.current)",
                                             mode: .inProcess, progress: progress)
            } else {
                let log: (String) -> Void = quiet ? { _ in } : { printError($0) }
                let launcher = NetworkLauncher(scenario: scenario, file: file, executable: currentExecutable(),
                                               workDirectory: dir, log: log)
                launcher.timeoutSeconds = timeout
                launcher.progress = progress
                if !quiet {
                    printError("running \(scenario.name) over processes: one chain hosting every task's game, one process per party" + (workDir != nil ? "; logs and ledgers in \(dir)" : ""))
                }
                watch.onInterrupt { launcher.interrupt() }
                defer { watch.onInterrupt(nil) }
                report = try launcher.run()
            }
            // Logs of a run that worked are kept only when asked for (--work-dir).
            if !inProcess, workDir == nil { try? FileManager.default.removeItem(atPath: dir) }
        } catch is ScenarioLauncher.Interrupted {
            InterruptWatch.exitInterrupted()
        } catch {
            if watch.interrupted { InterruptWatch.exitInterrupted() }
            printError("tbsim: scenario \(file) failed: \(error)" + (inProcess ? "" : " (role logs in \(dir))"))
            throw ExitCode(2)
        }
        let say: (String) -> Void = reportToStdout ? { printError($0) } : { print($0) }
        if quiet {
            say("\(scenario.name): \(report.network.tasks) tasks, \(report.network.wrongResultsAccepted) wrong result(s) accepted, expectations \(report.passed ? "passed" : "FAILED")")
        } else {
            say(report.terminalSummary())
        }
        if let json { try write(report.jsonData(), to: json) }
        if let html { try write(Data(report.html().utf8), to: html) }
        if !report.passed { throw ExitCode(1) }
    }
}

/// Loads a scenario file of either kind; a bad file is one line on standard error and
/// exit status 2.
func loadScenarioFile(_ file: String) throws -> ScenarioFile {
    try exitingOnScenarioError { try ScenarioLoader.loadFile(path: file) }
}
