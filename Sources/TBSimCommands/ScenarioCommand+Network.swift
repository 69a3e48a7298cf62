import ArgumentParser
import Foundation
import Network
import Scenario

extension ScenarioCommand {
    /// Plays a network scenario (`population:`): in this process for now, every task a
    /// real game on the in-memory network (docs/NETWORK.md). Options that only mean
    /// something over processes are refused with the reason, never ignored.
    func runNetwork(_ scenario: NetworkScenario) throws {
        if let ledger {
            printError("tbsim: \(file): --ledger \(ledger): a network scenario plays in one process and keeps no chain ledger yet (one judge process hosting many tasks is not yet built; docs/NETWORK.md)")
            throw ExitCode(2)
        }
        if workDir != nil {
            printError("tbsim: \(file): --work-dir holds role processes' logs; a network scenario plays in one process (networks over processes are not yet built; docs/NETWORK.md)")
            throw ExitCode(2)
        }
        let reportToStdout = json == "-" || html == "-"
        let progress: (String) -> Void = quiet ? { _ in } : { printError("progress: " + $0) }
        let report: NetworkReport
        do {
            report = try NetworkRun.play(scenario, file: file, generator: "tbsim \(TBSimVersion.current)", progress: progress)
        } catch {
            printError("tbsim: scenario \(file) failed: \(error)")
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
