import Foundation
import Game
import Network
import Roles
import Scenario
import Testing
import TestSupport

/// Strategies, the ledger, determinism and conservation of money, over real games.
struct NetworkRunTests {
    static let hello = ScenarioTask(image: .program(path: packageRoot + "/build/guests/hello.elf"), maxSteps: 100_000)

    static func network(seed: UInt64, tasks: Int, solvers: [SolverStrategy], verifiers: [VerifierStrategy],
                        forced: Double = 0) -> NetworkScenario {
        var game = ScenarioSpec.defaultGame
        game.arity = 4
        game.solverDeposit = 40_000
        game.challengerDeposit = 10_000
        let pop = PopulationSpec(tasks: tasks, programs: [hello], gasPriceWei: 1, verifyPriceWeiPerInstruction: 3,
                                 taskGiverBalanceWei: 10_000_000,
                                 incentives: IncentiveSpec(rewardWei: 5_000, taxWei: 1_000, jackpotInitialWei: 50_000,
                                                           forcedErrorProbability: forced, jackpotPayoutBps: 5_000, jackpotHalving: true),
                                 solvers: solvers.enumerated().map { NetworkParty(name: "s\($0.offset)", strategy: $0.element, balanceWei: 5_000_000_000) },
                                 verifiers: verifiers.enumerated().map { NetworkParty(name: "v\($0.offset)", strategy: $0.element, balanceWei: 5_000_000_000) })
        return NetworkScenario(name: "mc-\(seed)", seed: seed, game: game, population: pop)
    }

    @Test func drawsDependOnlyOnSeedAndTask() {
        let a = TaskDraws(seed: 7, index: 3, verifiers: 4)
        #expect(a == TaskDraws(seed: 7, index: 3, verifiers: 4))
        #expect(a != TaskDraws(seed: 8, index: 3, verifiers: 4))
        #expect(a != TaskDraws(seed: 7, index: 4, verifiers: 4))
        // Another verifier's draw is appended, never shifting the ones before it.
        #expect(Array(TaskDraws(seed: 7, index: 3, verifiers: 5).verify.prefix(4)) == a.verify)
    }

    @Test func strategiesDecideAsDocumented() {
        #expect(!StrategyDecision.cheats(.honest, draw: 0, recentVerifiers: []))
        #expect(StrategyDecision.cheats(.cheat(probability: 0.3), draw: 0.29, recentVerifiers: []))
        #expect(!StrategyDecision.cheats(.cheat(probability: 0.3), draw: 0.3, recentVerifiers: []))
        #expect(!StrategyDecision.cheats(.cheatWhenUnwatched(window: 2), draw: 0, recentVerifiers: []))
        #expect(StrategyDecision.cheats(.cheatWhenUnwatched(window: 2), draw: 0.9, recentVerifiers: [3, 0, 0]))
        #expect(!StrategyDecision.cheats(.cheatWhenUnwatched(window: 2), draw: 0.9, recentVerifiers: [0, 1, 0]))
        #expect(StrategyDecision.verifies(.always, draw: 0.99, jackpot: 0, solver: "s", solverCheats: false))
        #expect(!StrategyDecision.verifies(.never, draw: 0, jackpot: 1 << 60, solver: "s", solverCheats: true))
        #expect(StrategyDecision.verifies(.probability(0.5), draw: 0.49, jackpot: 0, solver: "s", solverCheats: false))
        #expect(!StrategyDecision.verifies(.probability(0.5), draw: 0.5, jackpot: 0, solver: "s", solverCheats: false))
        #expect(StrategyDecision.verifies(.jackpotAtLeast(wei: 10), draw: 0, jackpot: 10, solver: "s", solverCheats: false))
        #expect(!StrategyDecision.verifies(.jackpotAtLeast(wei: 10), draw: 0, jackpot: 9, solver: "s", solverCheats: false))
        #expect(StrategyDecision.verifies(.colludingWith(solver: "s"), draw: 0.9, jackpot: 0, solver: "s", solverCheats: true))
        #expect(!StrategyDecision.verifies(.colludingWith(solver: "s"), draw: 0, jackpot: 0, solver: "s", solverCheats: false))
        #expect(!StrategyDecision.verifies(.colludingWith(solver: "s"), draw: 0, jackpot: 0, solver: "t", solverCheats: true))
    }

    @Test func theLedgerMovesMoneyWithoutMakingOrLosingAny() throws {
        var l = NetworkLedger(balances: ["task-giver": 100, "a": 50, "b": 50], jackpot: 10)
        #expect(l.total == 210 && l.isConserved)
        let refused = l.escrowFromTaskGiver(101), posted = l.escrowFromTaskGiver(30)
        #expect(!refused && posted && l.balance("task-giver") == 70)
        l.payFromEscrow(20, to: "a"); l.escrowToJackpot(10)
        let compute = l.chargeCompute("a", 5), short = l.chargeCompute("b", 70)
        #expect(compute == 5 && short == 50 && l.balance("b") == 0)
        l.payFromJackpot(20, to: "b")
        // A game: each party locks its bond, pays gas from it as the game is played, and a
        // deposit is burned; what is left of each bond comes back.
        #expect(!l.lockBonds(["a": 66, "b": 20]) && l.balance("a") == 65, "a bond past the balance locks nothing")
        #expect(l.lockBonds(["a": 65, "b": 20]) && l.locked == 85 && l.balance("a") == 0 && l.isConserved)
        try l.settleGame(start: ["a": 65, "b": 20], end: ["a": 50, "b": 0], burned: 10, gasPaid: ["a": 5, "b": 20])
        #expect(l.isConserved && l.locked == 0 && l.balance("a") == 50 && l.jackpot == 0 && l.burned == 10 && l.gasPaid == 25
                && l.computePaid == 55)
        #expect(throws: NetworkError.self) { try l.settleGame(start: ["a": 50], end: ["a": 50], burned: 0, gasPaid: ["a": 1]) }
        // Bonds that were never locked cannot be settled.
        #expect(throws: NetworkError.self) { try l.settleGame(start: ["a": 5], end: ["a": 5], burned: 0) }
    }

    /// Two runs of one network give the same report but for the host's seconds.
    @Test func aNetworkRunIsReproducible() throws {
        let n = Self.network(seed: 5, tasks: 4, solvers: [.cheat(probability: 0.5), .honest], verifiers: [.probability(0.5), .never], forced: 0.3)
        var a = try NetworkRun.play(n), b = try NetworkRun.play(n)
        a.wallSeconds = 0; b.wallSeconds = 0
        #expect(a == b)
    }

    /// Tens of seeded networks with every strategy mixed in: money sums to the start, to
    /// the wei, after every task (the run throws otherwise); and what the rules promise
    /// holds in each — with an `always` verifier no cheat is ever accepted, with no
    /// verifier every cheat is, and a caught forced error never costs its solver a deposit.
    @Test func moneyIsConservedOverASeededMonteCarlo() throws {
        let verifierMixes: [[VerifierStrategy]] = [
            [.always, .never], [.probability(0.5), .jackpotAtLeast(wei: 40_000)], [.colludingWith(solver: "s0"), .always], [],
        ]
        var wrongWithoutVerifiers = 0, cheatsWithoutVerifiers = 0
        for seed in UInt64(1)...24 {
            let mix = verifierMixes[Int(seed) % verifierMixes.count]
            let n = Self.network(seed: seed, tasks: 3, solvers: [.cheat(probability: 0.6), .cheatWhenUnwatched(window: 1)],
                                 verifiers: mix, forced: seed % 2 == 0 ? 0.3 : 0)
            let r = try NetworkRun.play(n)
            #expect(r.money.conserved && r.money.checks == 3, "seed \(seed)")
            let end = r.parties.reduce(UInt64(0)) { $0 + $1.endWei }
            #expect(end + r.network.jackpotWei.last! + r.money.burnedWei + r.money.gasPaidWei + r.money.computePaidWei == r.money.totalWei)
            #expect(r.parties.allSatisfy { Int64($0.endWei) - Int64($0.startWei) == $0.netWei })
            // Every bond covered its party's gas: nobody ran short inside a game.
            #expect(r.parties.allSatisfy { !$0.insolvent }, "seed \(seed): \(r.parties.filter(\.insolvent).map(\.name))")
            if mix.contains(.always) { #expect(r.network.wrongResultsAccepted == 0, "seed \(seed): \(r.network.wrongResults)") }
            if mix.isEmpty {
                wrongWithoutVerifiers += r.network.wrongResultsAccepted
                cheatsWithoutVerifiers += r.network.cheats
                #expect(r.network.wrongResultsAccepted == r.network.cheats, "seed \(seed)")
            }
            for t in r.tasks where t.forcedError && !t.accepted {
                #expect(!t.jackpotPaidTo.isEmpty, "seed \(seed) task \(t.task): a caught forced error paid nobody")
            }
        }
        #expect(cheatsWithoutVerifiers > 0 && wrongWithoutVerifiers == cheatsWithoutVerifiers)
    }

    /// A party that cannot cover its deposit sits the task out, and the report says why.
    @Test func aPartyThatCannotPaySitsOut() throws {
        var n = Self.network(seed: 3, tasks: 2, solvers: [.honest, .honest], verifiers: [.always])
        n.population.solvers[1].balanceWei = 100
        n.population.verifiers[0].balanceWei = 100
        let r = try NetworkRun.play(n)
        #expect(r.tasks.allSatisfy { $0.solver == "s0" && $0.verifiers.isEmpty })
        let poor = r.parties.first { $0.name == "s1" }!
        #expect(poor.skipped.count == 2 && poor.skipped[0].why.contains("cannot lock the solver's bond"))
        #expect(r.parties.first { $0.name == "v0" }!.skipped.count == 2)
        n.population.taskGiverBalanceWei = 0
        let broke = try NetworkRun.play(n)
        #expect(broke.network.tasksPlayed == 0 && broke.tasks[0].notPlayed?.contains("task giver") == true)
    }

    /// The task giver pays for posting each task: the base fee, 104 bytes of calldata
    /// and 4 fresh slots plus its balance update (116 064 gas under the default
    /// schedule); a task giver that can pay the reward and tax but not that gas posts
    /// nothing, and a posting no solver can take costs nothing.
    @Test func theTaskGiverPaysGasForEveryPosting() throws {
        let g = GasSchedule.default
        #expect(TaskPosting.gas(g) == 21_000 + 104 * 16 + 4 * (2_100 + 20_000) + 2_100 + 2_900)
        var n = Self.network(seed: 5, tasks: 3, solvers: [.honest], verifiers: [.always])
        n.population.gasPriceWei = 7
        let fee = TaskPosting.gas(g) * 7
        let r = try NetworkRun.play(n)
        let giver = try #require(r.parties.first { $0.role == "task_giver" })
        #expect(r.network.tasksPlayed == 3 && giver.gasWei == 3 * fee)
        #expect(giver.netWei == -Int64(3 * (fee + 5_000 + 1_000)), "the reward paid to the solver, the tax to the jackpot, and the gas")
        #expect(r.tasks.allSatisfy { $0.gas > TaskPosting.gas(g) } && r.money.conserved)
        // Enough for reward and tax, one wei short of the gas.
        n.population.taskGiverBalanceWei = 6_000 + fee - 1
        let short = try NetworkRun.play(n)
        #expect(short.network.tasksPlayed == 0 && short.tasks[0].notPlayed?.contains("posting's gas") == true)
        // No solver can cover its deposit: the posting reverts, nothing is charged.
        n.population.taskGiverBalanceWei = 10_000_000
        n.population.solvers[0].balanceWei = 1
        let unplayed = try NetworkRun.play(n)
        let idle = try #require(unplayed.parties.first { $0.role == "task_giver" })
        #expect(unplayed.network.tasksPlayed == 0 && idle.gasWei == 0 && idle.netWei == 0 && unplayed.money.conserved)
    }

    /// Games overlap: a task arriving before an earlier game settles is decided with the
    /// money as it stands, each open game holding its participants' bonds. A verifier that
    /// can afford one bond verifies the first task and sits out the next if it arrives a
    /// block later (the first game is still open), but verifies both when they arrive far
    /// enough apart. Every played task's `settled_block` is its arrival block plus its own
    /// game's settlement block.
    @Test func gamesOverlapAndEachHoldsItsBonds() throws {
        var n = Self.network(seed: 6, tasks: 2, solvers: [.honest, .honest], verifiers: [.always])
        let steps = try MachineOracle(boot: { try Self.hello.boot() }, maxSteps: Self.hello.maxSteps).finalClaim().steps
        var game = n.game
        game.gasPriceWei = 1
        let bond = GameBond.wei(role: .verifier, deposit: game.challengerDeposit, steps: steps, challengers: 1, config: game,
                                gas: n.gas, price: 1)
        n.population.verifiers[0].balanceWei = bond + bond / 2
        n.population.arrivalEveryBlocks = 1
        let close = try NetworkRun.play(n)
        #expect(close.tasks.map(\.verifiers) == [["v0"], []], "\(close.tasks)")
        #expect(close.parties.first { $0.name == "v0" }!.skipped.map(\.why) == ["cannot lock a challenger's bond (deposit and gas) and the gas reserve"])
        let first = try #require(close.tasks.first?.settledBlock)
        #expect(first > close.tasks[1].block, "task 2 arrived while task 1's game was open")
        n.population.arrivalEveryBlocks = 1_000
        let apart = try NetworkRun.play(n)
        #expect(apart.tasks.map(\.verifiers) == [["v0"], ["v0"]])
        #expect(apart.tasks.allSatisfy { ($0.settledBlock ?? 0) > $0.block } && apart.money.conserved)
    }

    /// The chain process writes its report as JSON and the launcher reads it back: the
    /// round trip loses nothing.
    @Test func theNetworkReportReadsBackAsWritten() throws {
        let n = Self.network(seed: 9, tasks: 2, solvers: [.cheat(probability: 1)], verifiers: [.always])
        let r = try NetworkRun.play(n)
        let back = try JSONDecoder().decode(NetworkReport.self, from: r.jsonData())
        #expect(back == r)
    }
}

/// Every shipped network scenario, in process: its `expect.network` holds.
struct ShippedNetworkScenarioTests {
    static let files = ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/scenarios")) ?? [])
        .filter { $0.hasPrefix("network-") && $0.hasSuffix(".yaml") }.sorted()

    @Test func theThreeAreShipped() {
        #expect(Self.files == ["network-collusion.yaml", "network-forced-errors.yaml", "network-free-riding.yaml"])
    }

    @Test(arguments: files)
    func passesItsExpectations(_ file: String) throws {
        let path = packageRoot + "/scenarios/" + file
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        guard case let .network(n) = try ScenarioLoader.parseFile(yaml: yaml, file: path, baseDirectory: packageRoot) else {
            Issue.record("\(file) is not a network scenario"); return
        }
        let r = try NetworkRun.play(n)
        #expect(r.passed, "\(file): \(r.expectations.failures)")
        #expect(r.money.conserved && r.money.checks == n.population.tasks)
    }
}

/// The JSON report has every key docs/REPORT.md lists for networks, nulls included.
@Test func theNetworkReportWritesEveryDocumentedKey() throws {
    var n = NetworkRunTests.network(seed: 2, tasks: 2, solvers: [.honest], verifiers: [.always])
    n.population.taskGiverBalanceWei = 0
    let r = try NetworkRun.play(n)
    let o = try #require(try JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any])
    #expect(Set(o.keys) == ["schema_version", "kind", "scenario", "file", "seed", "generator", "mode", "network", "parties", "tasks",
                            "money", "expectations", "wall_seconds", "process_events"])
    let task = try #require((o["tasks"] as? [[String: Any]])?.first)
    #expect(task["solver"] is NSNull && task["winner"] is NSNull && task["not_played"] is String && task["settled_block"] is NSNull)
    #expect((o["parties"] as? [[String: Any]])?.allSatisfy { $0["net_wei"] is Int } == true)
    #expect(r.terminalSummary().contains("tasks 2 (played 0, completed 0)"))
    #expect(r.html().contains("<svg"))
}

/// Who signs for whom in a network over processes: listed accounts need their key files,
/// the rest derive from the seed, and every task's game carries every account with it.
@Test func networkAccountsAreListedOrDerivedAndTravelWithEachGame() throws {
    var n = NetworkRunTests.network(seed: 4, tasks: 1, solvers: [.honest], verifiers: [.always, .never])
    let own = SigningKey.derived(scenarioSeed: 77, name: "elsewhere")
    n.accounts = ["v1": own.account.hex]
    let chain = NetworkAccounts(n)
    #expect(chain.foreignAccounts == ["v1"])
    #expect(throws: (any Error).self) { try chain.requireKey(for: "v1") }
    try chain.requireKey(for: "v0")
    #expect(chain.account(of: "v0") == SigningKey.derived(scenarioSeed: 4, name: "v0").account)
    let holder = NetworkAccounts(n, ownKeys: ["v1": own])
    try holder.requireKey(for: "v1")
    #expect(holder.foreignAccounts.isEmpty)
    let wrong = NetworkAccounts(n, ownKeys: ["v1": SigningKey.derived(scenarioSeed: 78, name: "x")])
    #expect(throws: (any Error).self) { try wrong.requireKey(for: "v1") }
    #expect(chain.id(of: "s0") == PartyID(1) && chain.id(of: "v1") == PartyID(3) && chain.id(of: "judge") == nil)
    // A posted game names every account of its judge and parties.
    let game = ScenarioSpec(name: "g", seed: 1, task: NetworkRunTests.hello, game: n.game, gas: n.gas, network: n.network,
                            solver: PartySpec(name: "s0"), verifiers: [PartySpec(name: "v1")])
    let posted = chain.posted(game)
    #expect(posted.accountKeys == ["judge": chain.account(of: "judge"), "s0": chain.account(of: "s0"), "v1": own.account])
    #expect(holder.setup(posted).accounts == chain.setup(posted).accounts)
}
