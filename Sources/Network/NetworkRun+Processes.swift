import Foundation
import Roles
import Scenario

extension NetworkRun {
    /// Every task's game over real processes: a judge process, a solver process and one
    /// process per verifier that verifies, talking ZeroMQ, started by `ScenarioLauncher`
    /// from `executable` (a tbsim binary). Task n's game is written to
    /// `workDirectory/task-n/scenario.yaml` (its participants' starting balances under
    /// `starting_balances:`) and played there; the role logs and the chain's ledger stay
    /// beside it. `launched` hears each launcher before it runs (to interrupt it).
    public static func overProcesses(executable: String, workDirectory: String, timeoutSeconds: Double = 3600,
                                     log: @escaping (String) -> Void = { _ in },
                                     launched: @escaping (ScenarioLauncher?) -> Void = { _ in }) -> Player {
        { game, task in
            let dir = workDirectory + "/task-\(task)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let file = dir + "/scenario.yaml"
            try Data(game.yaml.utf8).write(to: URL(fileURLWithPath: file))
            // The processes read the file: play what they will read.
            let written = try ScenarioLoader.load(path: file)
            let launcher = ScenarioLauncher(spec: written, scenarioFile: file, executable: executable, workDirectory: dir,
                                            log: { log("task \(task): " + $0) })
            launcher.timeoutSeconds = timeoutSeconds
            launched(launcher)
            defer { launched(nil) }
            let run = try launcher.run()
            if launcher.isInterrupted { throw ScenarioLauncher.Interrupted() }
            return run.result
        }
    }
}
