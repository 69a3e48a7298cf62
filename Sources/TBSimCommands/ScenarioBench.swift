import Foundation
import Roles
import Scenario

/// Runs scenarios end to end (separate processes) for the benchmark figures.
enum ScenarioBench {
    struct Figure { var wall: Double; var rounds: Int }

    static func wallSeconds(scenario: String) throws -> Figure {
        let spec = try ScenarioLoader.load(path: scenario)
        let dir = NSTemporaryDirectory() + "tbsim-bench-\(getpid())-\(spec.name)"
        let launcher = ScenarioLauncher(spec: spec, scenarioFile: scenario, executable: currentExecutable(),
                                        workDirectory: dir, log: { _ in })
        let run = try launcher.run()
        try? FileManager.default.removeItem(atPath: dir)
        return Figure(wall: run.wallSeconds, rounds: run.result.game.disputes.map(\.rounds).max() ?? 0)
    }
}
