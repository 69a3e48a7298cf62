import Foundation
import Game
import Yams

/// A scenario file as loaded: one game, or a network of many (`population:`).
public enum ScenarioFile: Equatable, Sendable {
    case game(ScenarioSpec)
    case network(NetworkScenario)
}

extension ScenarioLoader {
    /// Loads the scenario at `path`, a single game or a network (a file with a top-level
    /// `population:` key). Same strictness and error format as `load(path:)`.
    public static func loadFile(path: String) throws -> ScenarioFile {
        try parseFile(yaml: readText(path, file: path, from: nil), file: path, baseDirectory: "")
    }

    /// Parses scenario text of either kind; see `loadFile(path:)`.
    public static func parseFile(yaml: String, file: String, baseDirectory: String) throws -> ScenarioFile {
        let document = YAMLDocument(file: file, baseDirectory: baseDirectory)
        let root = try document.compose(yaml, what: "a scenario mapping with at least a `task:` or `population:` key")
        if case let .mapping(m) = root.node, m.keys.contains(where: { $0.string == "population" }) {
            return .network(try parseNetworkScenario(root, file: file))
        }
        return .game(try parse(yaml: yaml, file: file, baseDirectory: baseDirectory))
    }

    /// Most tasks one network scenario may play.
    static let maxNetworkTasks = 10_000
    /// Most parties of one kind in a network.
    static let maxNetworkParties = 256

    static func parseNetworkScenario(_ root: YAMLValue, file: String) throws -> NetworkScenario {
        let top = try root.mapping(allowed: ["name", "description", "seed", "game", "population", "expect",
                                             "task", "solver", "verifiers", "network", "accounts"])
        // Keys of a single game that a population replaces: say why rather than "unknown key".
        for key in ["task", "solver", "verifiers"] {
            if let v = top.present(key) {
                throw v.error("`\(key)` describes one game; a network scenario (`population:`) draws its tasks from `population.programs` and its parties from `population.solvers` / `population.verifiers` — move it there or drop `population`")
            }
        }
        let defaultName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let popNode = try top.required("population")
        var game = ScenarioSpec.defaultGame, gas = GasSchedule.default
        if let v = top.optional("game") { (game, gas) = try parseGame(v, maxSteps: nil) }
        var scenario = NetworkScenario(name: defaultName.isEmpty ? "network" : defaultName, game: game, gas: gas,
                                       population: try parsePopulation(popNode, game: game))
        if let v = top.optional("game") {
            try checkChessClock(game, maxSteps: scenario.population.programs.map(\.maxSteps).max() ?? 1, game: v)
        }
        try checkSettlementFits(game, gas, challengers: scenario.population.verifiers.count, at: popNode)
        if let v = top.optional("network") { scenario.network = try parseNetwork(v) }
        if let v = top.optional("accounts") {
            let p = scenario.population
            scenario.accounts = try parseAccounts(v, names: p.solvers.map(\.name) + p.verifiers.map(\.name))
        }
        if let v = top.optional("name") { scenario.name = try v.nonEmptyString() }
        if let v = top.optional("description") { scenario.description = try v.string() }
        if let v = top.optional("seed") { scenario.seed = try v.integer(UInt64.min...UInt64.max) }
        if scenario.totalMoney == nil {
            throw popNode.error("the network's money (every balance_wei, the task giver's and the initial jackpot) reaches 2^63 wei in total; use smaller balances")
        }
        if let v = top.optional("expect") {
            scenario.expect = try parseNetworkExpectations(v, population: scenario.population)
        }
        return scenario
    }

    static func parsePopulation(_ v: YAMLValue, game: GameConfig) throws -> PopulationSpec {
        let m = try v.mapping(allowed: ["tasks", "arrival_every_blocks", "programs", "gas_price_wei",
                                        "verify_price_wei_per_instruction", "task_giver", "gas_reserve_wei",
                                        "incentives", "solvers", "verifiers"])
        let wei = UInt64(0)...(1 << 62)
        let programs = try m.required("programs").sequence(of: "programs (each a mapping like `task:`: program, stdin, max_steps, ram_mib)")
        guard !programs.isEmpty else { throw try m.required("programs").error("give at least one program") }
        var p = PopulationSpec(programs: try programs.map { item in
            let task = try parseTask(item)
            if case .linux = task.image {
                throw item.error("a network task must be a bare-metal `program`: the Linux workload is too large to play many times")
            }
            return task
        }, solvers: [], verifiers: [])
        if let s = m.optional("tasks") { p.tasks = try s.integer(1...maxNetworkTasks) }
        if let s = m.optional("arrival_every_blocks") { p.arrivalEveryBlocks = try s.integer(UInt64(1)...(1 << 32)) }
        if let s = m.optional("gas_price_wei") { p.gasPriceWei = try s.integer(UInt64(0)...(1 << 40)) }
        if let s = m.optional("verify_price_wei_per_instruction") { p.verifyPriceWeiPerInstruction = try s.integer(UInt64(0)...(1 << 40)) }
        if let s = m.optional("gas_reserve_wei") { p.gasReserveWei = try s.integer(wei) }
        if let s = m.optional("task_giver") {
            let t = try s.mapping(allowed: ["balance_wei"])
            if let b = t.optional("balance_wei") { p.taskGiverBalanceWei = try b.integer(wei) }
        }
        if let s = m.optional("incentives") { p.incentives = try parseIncentives(s) }
        var names: [String: YAMLValue] = [:]
        func party(_ item: YAMLValue, defaultName: String) throws -> (String, YAMLMapping, UInt64) {
            let pm = try item.mapping(allowed: ["name", "strategy", "balance_wei"])
            var name = defaultName
            var at = item
            if let n = pm.optional("name") { name = try n.string(); at = n; try checkPartyName(name, at: n) }
            if name == "task-giver" { throw at.error("`task-giver` is reserved for the network's task giver") }
            if let first = firstUse(of: name, in: names) {
                throw at.error("party name `\(name)` is used twice\(first); names must be unique")
            }
            names[name] = at
            let balance = try pm.required("balance_wei").integer(wei)
            return (name, pm, balance)
        }
        let solverItems = try m.required("solvers").sequence(of: "solvers (each a mapping with name, strategy, balance_wei)")
        guard (1...maxNetworkParties).contains(solverItems.count) else {
            throw try m.required("solvers").error("give 1…\(maxNetworkParties) solvers, got \(solverItems.count)")
        }
        for (i, item) in solverItems.enumerated() {
            let (name, pm, balance) = try party(item, defaultName: "solver-\(i + 1)")
            p.solvers.append(NetworkParty(name: name, strategy: try parseSolverStrategy(pm.optional("strategy")), balanceWei: balance))
        }
        let verifierItems = try m.optional("verifiers")?.sequence(of: "verifiers (each a mapping with name, strategy, balance_wei)") ?? []
        guard verifierItems.count <= maxNetworkParties else {
            throw try m.required("verifiers").error("give at most \(maxNetworkParties) verifiers, got \(verifierItems.count)")
        }
        var colluders: [(String, YAMLValue)] = []
        for (i, item) in verifierItems.enumerated() {
            let (name, pm, balance) = try party(item, defaultName: "verifier-\(i + 1)")
            let strategy = try parseVerifierStrategy(pm.optional("strategy"))
            if case let .colludingWith(s) = strategy { colluders.append((s, pm.optional("strategy")!)) }
            p.verifiers.append(NetworkParty(name: name, strategy: strategy, balanceWei: balance))
        }
        for (solver, at) in colluders where !p.solvers.contains(where: { $0.name == solver }) {
            throw at.error("`colluding_with: \(solver)` names no solver of the population (solvers: \(p.solvers.map(\.name).joined(separator: ", ")))")
        }
        // A colluder challenges first and the others one block later: that block must
        // lie inside the challenge window (a verifier's wait must be shorter than it).
        if let (_, at) = colluders.first, game.challengeWindowBlocks < 2 {
            throw at.error("a colluding verifier challenges one block before the others, which needs `game.challenge_window_blocks` ≥ 2 (it is \(game.challengeWindowBlocks))")
        }
        return p
    }

    static func parseIncentives(_ v: YAMLValue) throws -> IncentiveSpec {
        let m = try v.mapping(allowed: ["reward_wei", "tax_wei", "jackpot_initial_wei", "forced_error_probability",
                                        "jackpot_payout_bps", "jackpot_halving"])
        let wei = UInt64(0)...(1 << 56)
        var i = IncentiveSpec()
        if let s = m.optional("reward_wei") { i.rewardWei = try s.integer(wei) }
        if let s = m.optional("tax_wei") { i.taxWei = try s.integer(wei) }
        if let s = m.optional("jackpot_initial_wei") { i.jackpotInitialWei = try s.integer(UInt64(0)...(1 << 62)) }
        if let s = m.optional("forced_error_probability") { i.forcedErrorProbability = try s.number(0...1) }
        if let s = m.optional("jackpot_payout_bps") { i.jackpotPayoutBps = try s.integer(UInt64(0)...10_000) }
        if let s = m.optional("jackpot_halving") { i.jackpotHalving = try s.bool() }
        return i
    }

    /// `honest`, `{cheat: P}` or `{cheat_when_unwatched: {window: W}}`; absent = honest.
    static func parseSolverStrategy(_ v: YAMLValue?) throws -> SolverStrategy {
        guard let v else { return .honest }
        let allowed = "one of `honest`, `{cheat: P}` (0…1), `{cheat_when_unwatched: {window: W}}`"
        if case .scalar = v.node {
            let s = try v.string(allowed)
            guard s == "honest" else {
                throw v.error("expected \(allowed), got \(quoted(s))" + (closest(to: s, in: ["honest"]).map { " (did you mean \($0)?)" } ?? ""))
            }
            return .honest
        }
        let m = try v.mapping(allowed: ["cheat", "cheat_when_unwatched"], what: allowed)
        guard m.entries.count == 1, let e = m.entries.first else { throw v.error("give exactly one strategy: \(allowed)") }
        if e.name == "cheat" { return .cheat(probability: try e.value.number(0...1)) }
        let w = try e.value.mapping(allowed: ["window"], what: "a mapping with `window` (tasks)")
        return .cheatWhenUnwatched(window: try w.required("window").integer(1...maxNetworkTasks))
    }

    /// `always`, `never`, `{probability: Q}`, `{jackpot_at_least: WEI}` or
    /// `{colluding_with: SOLVER}`; absent = always.
    static func parseVerifierStrategy(_ v: YAMLValue?) throws -> VerifierStrategy {
        guard let v else { return .always }
        let allowed = "one of `always`, `never`, `{probability: Q}` (0…1), `{jackpot_at_least: WEI}`, `{colluding_with: SOLVER}`"
        if case .scalar = v.node {
            let s = try v.string(allowed)
            switch s {
            case "always": return .always
            case "never": return .never
            default:
                throw v.error("expected \(allowed), got \(quoted(s))" + (closest(to: s, in: ["always", "never"]).map { " (did you mean \($0)?)" } ?? ""))
            }
        }
        let m = try v.mapping(allowed: ["probability", "jackpot_at_least", "colluding_with"], what: allowed)
        guard m.entries.count == 1, let e = m.entries.first else { throw v.error("give exactly one strategy: \(allowed)") }
        switch e.name {
        case "probability": return .probability(try e.value.number(0...1))
        case "jackpot_at_least": return .jackpotAtLeast(wei: try e.value.integer(UInt64(0)...(1 << 62)))
        default: return .colludingWith(solver: try e.value.nonEmptyString("a solver's name"))
        }
    }

    static func parseNetworkExpectations(_ v: YAMLValue, population: PopulationSpec) throws -> NetworkExpectations {
        let top = try v.mapping(allowed: ["network"], what: "a mapping with `network` (a network scenario's expectations)")
        guard let n = top.optional("network") else { return NetworkExpectations() }
        let m = try n.mapping(allowed: ["tasks", "tasks_completed", "wrong_results_accepted", "disputes",
                                        "forced_errors_caught", "net_wei", "verified"])
        var e = NetworkExpectations()
        let count = 0...Int.max
        if let s = m.optional("tasks") { e.tasks = try parseBounds(s, count) }
        if let s = m.optional("tasks_completed") { e.tasksCompleted = try parseBounds(s, count) }
        if let s = m.optional("wrong_results_accepted") { e.wrongResultsAccepted = try parseBounds(s, count) }
        if let s = m.optional("disputes") { e.disputes = try parseBounds(s, count) }
        if let s = m.optional("forced_errors_caught") { e.forcedErrorsCaught = try parseBounds(s, count) }
        let all = ["task-giver"] + population.solvers.map(\.name) + population.verifiers.map(\.name)
        if let s = m.optional("net_wei") { e.netWei = try parseNamedBounds(s, parties: all, Int64.min...Int64.max) }
        if let s = m.optional("verified") { e.verified = try parseNamedBounds(s, parties: population.verifiers.map(\.name), count) }
        return e
    }
}
