import Foundation
import Network
import Scenario
import Testing
import TestSupport

/// The network benchmark's workload (configs/network-bench.yaml, played by
/// `tbsim bench --only network`): it loads as the 100 tasks × 10 verifiers × 3
/// solvers with every strategy in it, and a slice of it plays as a real network. Timings
/// are the benchmark's business; this checks behaviour only.
struct NetworkBenchConfigTests {
    static func load() throws -> NetworkScenario? {
        let path = packageRoot + "/configs/network-bench.yaml"
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        guard case let .network(n) = try ScenarioLoader.parseFile(yaml: yaml, file: path, baseDirectory: packageRoot) else { return nil }
        return n
    }

    @Test func itIsTheHundredTaskNetworkWithEveryStrategy() throws {
        let n = try #require(try Self.load(), "configs/network-bench.yaml is not a network scenario")
        #expect(n.population.tasks == 100 && n.population.verifiers.count == 10 && n.population.solvers.count == 3)
        let kinds = Set(n.population.verifiers.map { v -> String in
            switch v.strategy {
            case .always: "always"
            case .never: "never"
            case .probability: "probability"
            case .jackpotAtLeast: "jackpot"
            case .colludingWith: "colluding"
            }
        })
        #expect(kinds == ["always", "never", "probability", "jackpot", "colluding"])
        #expect(n.population.solvers.contains { if case .cheat = $0.strategy { true } else { false } })
        #expect(n.population.incentives.forcedErrorProbability > 0)
    }

    /// Its first four tasks, as the benchmark plays them: a forced error among them is
    /// disputed and caught, every game's messages are counted, and money is conserved to
    /// the wei after every task.
    @Test func aSlicePlaysWithMoneyConserved() throws {
        var n = try #require(try Self.load())
        n.population.tasks = 4
        let r = try NetworkRun.play(n)
        #expect(r.money.conserved && r.money.checks == 4)
        #expect(r.network.tasksPlayed == 4 && r.network.disputes > 0 && r.network.forcedErrorsCaught == r.network.forcedErrors)
        #expect(r.tasks.allSatisfy { $0.messages > 0 })
        #expect(r.network.messages == r.tasks.reduce(0) { $0 + $1.messages })
        // A disputed game sends more than an undisputed one.
        let disputed = r.tasks.filter { $0.disputes > 0 }.map(\.messages), quiet = r.tasks.filter { $0.disputes == 0 }.map(\.messages)
        #expect(!disputed.isEmpty && !quiet.isEmpty && disputed.min()! > quiet.max()!)
    }
}
