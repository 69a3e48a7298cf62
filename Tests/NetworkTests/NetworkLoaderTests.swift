import Game
import Scenario
import Testing
import TestSupport

/// The `population:` schema: what it loads to, and errors that name file, key and line.
struct NetworkLoaderTests {
    static let minimal = """
        population:
          tasks: 3
          programs: [{program: build/guests/hello.elf, max_steps: 100000}]
          solvers: [{name: s, balance_wei: 1000}]
          verifiers: [{name: v, strategy: {probability: 0.5}, balance_wei: 2000}]
        """

    func parse(_ yaml: String) throws -> ScenarioFile {
        try ScenarioLoader.parseFile(yaml: yaml, file: "n.yaml", baseDirectory: packageRoot)
    }

    func failure(_ yaml: String) -> ScenarioError? {
        do { _ = try parse(yaml); return nil } catch let e as ScenarioError { return e } catch { return nil }
    }

    @Test func aPopulationLoadsAsANetworkWithDefaults() throws {
        guard case let .network(n) = try parse(Self.minimal) else { Issue.record("not a network"); return }
        #expect(n.name == "n" && n.population.tasks == 3 && n.population.arrivalEveryBlocks == 10)
        #expect(n.population.solvers == [NetworkParty(name: "s", strategy: .honest, balanceWei: 1000)])
        #expect(n.population.verifiers == [NetworkParty(name: "v", strategy: .probability(0.5), balanceWei: 2000)])
        #expect(n.population.incentives == IncentiveSpec())
        #expect(n.totalMoney == 3000)
    }

    @Test func singleGameScenariosStillLoadAsGames() throws {
        guard case .game = try parse("task: {program: build/guests/hello.elf}\n") else { Issue.record("not a game"); return }
    }

    @Test func populationWithSolverOrVerifiersSaysWhy() {
        for key in ["solver", "verifiers", "task"] {
            let e = failure(Self.minimal + "\n\(key): {}\n")
            #expect(e?.key == key && e?.line == 6, "\(String(describing: e))")
            #expect(e?.message.contains("a network scenario") == true, "\(String(describing: e))")
        }
    }

    /// `network:` is every task's game's network; `accounts:` lists the account keys of
    /// parties (or the chain) that sign with key files, naming only the population.
    @Test func networkAppliesToEveryGameAndAccountsNameThePopulation() throws {
        guard case let .network(n) = try parse(Self.minimal + "\nnetwork: {latency_ms: 30, judge_bind: \"ipc:///tmp/j\"}\n") else {
            Issue.record("not a network"); return
        }
        #expect(n.network.latencyMs == 30 && n.network.judgeBind == "ipc:///tmp/j")
        let key = SigningKey.derived(scenarioSeed: 9, name: "k").account.hex
        guard case let .network(listed) = try parse(Self.minimal + "\naccounts: {v: \(key), judge: \(key)}\n") else {
            Issue.record("not a network"); return
        }
        #expect(listed.accounts == ["v": key, "judge": key])
        // The listed accounts are part of what every process must agree on.
        guard case let .network(plain) = try parse(Self.minimal) else { Issue.record("not a network"); return }
        #expect(listed.digest != plain.digest)
        let stranger = failure(Self.minimal + "\naccounts:\n  mallory: \(key)\n")
        #expect(stranger?.key == "accounts.mallory" && stranger?.line == 7, "\(String(describing: stranger))")
        let bad = failure(Self.minimal + "\naccounts: {s: 12}\n")
        #expect(bad?.key == "accounts.s" && bad?.message.contains("64 hex digits") == true, "\(String(describing: bad))")
    }

    @Test func theSingleGameLoaderRefusesANetworkFile() {
        do {
            _ = try ScenarioLoader.parse(yaml: Self.minimal, file: "n.yaml", baseDirectory: packageRoot)
            Issue.record("loaded")
        } catch let e as ScenarioError {
            #expect(e.key == "population" && e.line == 2 && e.message.contains("network scenario"))
        } catch { Issue.record("\(error)") }
    }

    @Test func badStrategiesAndPartiesNameTheKey() {
        let unknown = failure(Self.minimal.replacingOccurrences(of: "{probability: 0.5}", with: "alwys"))
        #expect(unknown?.key == "population.verifiers[0].strategy" && unknown?.message.contains("did you mean always") == true,
                "\(String(describing: unknown))")
        let colluder = failure(Self.minimal.replacingOccurrences(of: "{probability: 0.5}", with: "{colluding_with: nobody}"))
        #expect(colluder?.message.contains("names no solver") == true, "\(String(describing: colluder))")
        let q = failure(Self.minimal.replacingOccurrences(of: "0.5", with: "1.5"))
        #expect(q?.key == "population.verifiers[0].strategy.probability" && q?.line == 5, "\(String(describing: q))")
        let balance = failure(Self.minimal.replacingOccurrences(of: ", balance_wei: 1000", with: ""))
        #expect(balance?.key == "population.solvers[0].balance_wei", "\(String(describing: balance))")
        let twice = failure(Self.minimal.replacingOccurrences(of: "name: v", with: "name: s"))
        #expect(twice?.message.contains("used twice") == true)
        let window = failure(Self.minimal.replacingOccurrences(of: "balance_wei: 1000}", with: "balance_wei: 1000, strategy: {cheat_when_unwatched: {}}}"))
        #expect(window?.key == "population.solvers[0].strategy.cheat_when_unwatched.window", "\(String(describing: window))")
        let noSolver = failure(Self.minimal.replacingOccurrences(of: "[{name: s, balance_wei: 1000}]", with: "[]"))
        #expect(noSolver?.key == "population.solvers")
    }

    @Test func moneyThatCannotBeSummedIsRefused() {
        let e = failure(Self.minimal.replacingOccurrences(of: "balance_wei: 1000", with: "balance_wei: 4611686018427387904")
            .replacingOccurrences(of: "balance_wei: 2000", with: "balance_wei: 4611686018427387904"))
        #expect(e?.key == "population" && e?.message.contains("2^63") == true, "\(String(describing: e))")
    }

    @Test func networkExpectationsNameKnownParties() throws {
        guard case let .network(n) = try parse(Self.minimal + "\nexpect:\n  network: {tasks: 3, wrong_results_accepted: {max: 0}, net_wei: {v: {min: -5}}}\n")
        else { Issue.record("not a network"); return }
        #expect(n.expect.tasks == .exactly(3) && n.expect.wrongResultsAccepted == Bounds(max: 0))
        #expect(n.expect.netWei == [NamedBounds(party: "v", bounds: Bounds(min: -5))])
        let e = failure(Self.minimal + "\nexpect:\n  network: {net_wei: {w: 1}}\n")
        #expect(e?.key == "expect.network.net_wei.w", "\(String(describing: e))")
        let single = failure(Self.minimal + "\nexpect: {accepted: true}\n")
        #expect(single?.key == "expect.accepted", "\(String(describing: single))")
    }
}
