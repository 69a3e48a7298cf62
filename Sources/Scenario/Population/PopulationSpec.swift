import Game

/// A network scenario: instead of one game, a population — tasks arriving over blocks,
/// a task giver, solvers drawn by lottery and verifiers that choose whether to verify —
/// under Truebit's incentive layer. Each task is still one real game (docs/NETWORK.md).
/// Loaded from YAML by `ScenarioLoader.loadFile` when the file has `population:`.
public struct NetworkScenario: Equatable, Codable, Sendable {
    /// Short name for reports (defaults to the file name without extension).
    public var name: String
    public var description: String
    /// Every draw (lottery, forced errors, strategies, corruption steps) derives from it.
    public var seed: UInt64
    /// The rules every task's game is played under (deposits are in wei).
    public var game: GameConfig
    public var gas: GasSchedule
    public var population: PopulationSpec
    public var expect: NetworkExpectations
    /// Every task's game's network: the judge's endpoint over processes and the latency
    /// of every message (`network:`, as in a single game).
    public var network = NetworkSpec()
    /// Account keys given by the network (`accounts:`), by party name or "judge" (the
    /// chain): Ed25519 public keys in hex. A listed party signs with its own key file
    /// (`tbsim node --key`); the others' keys derive from the seed and the name.
    public var accounts: [String: String] = [:]

    public init(name: String, description: String = "", seed: UInt64 = 1, game: GameConfig = ScenarioSpec.defaultGame,
                gas: GasSchedule = .default, population: PopulationSpec, expect: NetworkExpectations = NetworkExpectations()) {
        self.name = name; self.description = description; self.seed = seed; self.game = game; self.gas = gas
        self.population = population; self.expect = expect
    }

    /// Every wei in the network at the start: the parties', the task giver's and the
    /// jackpot's. Nil when it reaches 2^63 (the loader refuses such scenarios, so sums
    /// and signed P&L cannot overflow).
    public var totalMoney: UInt64? {
        var sum: UInt64 = 0
        for x in population.solvers.map(\.balanceWei) + population.verifiers.map(\.balanceWei)
            + [population.taskGiverBalanceWei, population.incentives.jackpotInitialWei] {
            let (r, o) = sum.addingReportingOverflow(x)
            if o { return nil }
            sum = r
        }
        return sum < 1 << 63 ? sum : nil
    }
}

/// Who and what makes up the network.
public struct PopulationSpec: Equatable, Codable, Sendable {
    /// How many tasks arrive.
    public var tasks: Int
    /// Blocks between two task arrivals.
    public var arrivalEveryBlocks: UInt64
    /// The programs (and inputs) a task is drawn from, uniformly with the seed.
    public var programs: [ScenarioTask]
    /// Wei per unit of gas: what a transaction's gas costs its sender.
    public var gasPriceWei: UInt64
    /// Wei per machine instruction a party executes (solving, verifying, proving).
    public var verifyPriceWeiPerInstruction: UInt64
    /// The task giver's starting balance.
    public var taskGiverBalanceWei: UInt64
    /// What a party must hold beyond its deposit to take part (its expected gas).
    public var gasReserveWei: UInt64
    public var incentives: IncentiveSpec
    public var solvers: [NetworkParty<SolverStrategy>]
    public var verifiers: [NetworkParty<VerifierStrategy>]

    public init(tasks: Int = 10, arrivalEveryBlocks: UInt64 = 10, programs: [ScenarioTask], gasPriceWei: UInt64 = 0,
                verifyPriceWeiPerInstruction: UInt64 = 0, taskGiverBalanceWei: UInt64 = 0, gasReserveWei: UInt64 = 0,
                incentives: IncentiveSpec = IncentiveSpec(), solvers: [NetworkParty<SolverStrategy>],
                verifiers: [NetworkParty<VerifierStrategy>]) {
        self.tasks = tasks; self.arrivalEveryBlocks = arrivalEveryBlocks; self.programs = programs
        self.gasPriceWei = gasPriceWei; self.verifyPriceWeiPerInstruction = verifyPriceWeiPerInstruction
        self.taskGiverBalanceWei = taskGiverBalanceWei; self.gasReserveWei = gasReserveWei
        self.incentives = incentives; self.solvers = solvers; self.verifiers = verifiers
    }
}

/// Truebit's incentive layer; every part is off at its default (0).
public struct IncentiveSpec: Equatable, Codable, Sendable {
    /// Paid by the task giver to the solver of an accepted result.
    public var rewardWei: UInt64
    /// Paid by the task giver into the jackpot with every task.
    public var taxWei: UInt64
    /// The jackpot at the start.
    public var jackpotInitialWei: UInt64
    /// Probability that a task's solver is required to post a wrong result.
    public var forcedErrorProbability: Double
    /// Share of the jackpot (basis points) paid out when a forced error is caught.
    public var jackpotPayoutBps: UInt64
    /// Truebit's Sybil guard: the payout to k catchers is divided by 2^(k−1).
    public var jackpotHalving: Bool

    public init(rewardWei: UInt64 = 0, taxWei: UInt64 = 0, jackpotInitialWei: UInt64 = 0, forcedErrorProbability: Double = 0,
                jackpotPayoutBps: UInt64 = 10_000, jackpotHalving: Bool = false) {
        self.rewardWei = rewardWei; self.taxWei = taxWei; self.jackpotInitialWei = jackpotInitialWei
        self.forcedErrorProbability = forcedErrorProbability; self.jackpotPayoutBps = jackpotPayoutBps
        self.jackpotHalving = jackpotHalving
    }
}

/// One party of the network: its name, strategy and starting balance.
public struct NetworkParty<Strategy: Equatable & Codable & Sendable>: Equatable, Codable, Sendable {
    public var name: String
    public var strategy: Strategy
    public var balanceWei: UInt64
    public init(name: String, strategy: Strategy, balanceWei: UInt64) {
        self.name = name; self.strategy = strategy; self.balanceWei = balanceWei
    }
}

/// How a solver decides to cheat (post a wrong result of its own accord).
public enum SolverStrategy: Equatable, Codable, Sendable {
    /// Never cheats.
    case honest
    /// Cheats with this probability on every task it solves.
    case cheat(probability: Double)
    /// Cheats only when no verifier verified any of the last `window` tasks.
    case cheatWhenUnwatched(window: Int)

    /// How reports name it.
    public var label: String {
        switch self {
        case .honest: "honest"
        case let .cheat(p): "cheat p=\(p)"
        case let .cheatWhenUnwatched(w): "cheat when unwatched (\(w) tasks)"
        }
    }
}

/// How a verifier decides to verify a task.
public enum VerifierStrategy: Equatable, Codable, Sendable {
    /// Verifies every task.
    case always
    /// Never verifies (free-rides on the others).
    case never
    /// Verifies each task with this probability.
    case probability(Double)
    /// Verifies while the jackpot holds at least this many wei.
    case jackpotAtLeast(wei: UInt64)
    /// Colludes with the named solver: on that solver's wrong results it challenges
    /// first and throws its dispute; otherwise it does not verify.
    case colludingWith(solver: String)

    /// How reports name it.
    public var label: String {
        switch self {
        case .always: "always"
        case .never: "never"
        case let .probability(q): "probability q=\(q)"
        case let .jackpotAtLeast(w): "jackpot ≥ \(w) wei"
        case let .colludingWith(s): "colluding with \(s)"
        }
    }
}

/// What a network scenario promises (`expect.network`); all optional.
public struct NetworkExpectations: Equatable, Codable, Sendable {
    public var tasks: Bounds<Int>?
    public var tasksCompleted: Bounds<Int>?
    public var wrongResultsAccepted: Bounds<Int>?
    public var disputes: Bounds<Int>?
    public var forcedErrorsCaught: Bounds<Int>?
    /// Net P&L per party (by name), in wei.
    public var netWei: [NamedBounds<Int64>]?
    /// Tasks each verifier verified, by name.
    public var verified: [NamedBounds<Int>]?

    public init(tasks: Bounds<Int>? = nil, tasksCompleted: Bounds<Int>? = nil, wrongResultsAccepted: Bounds<Int>? = nil,
                disputes: Bounds<Int>? = nil, forcedErrorsCaught: Bounds<Int>? = nil, netWei: [NamedBounds<Int64>]? = nil,
                verified: [NamedBounds<Int>]? = nil) {
        self.tasks = tasks; self.tasksCompleted = tasksCompleted; self.wrongResultsAccepted = wrongResultsAccepted
        self.disputes = disputes; self.forcedErrorsCaught = forcedErrorsCaught; self.netWei = netWei; self.verified = verified
    }
}
