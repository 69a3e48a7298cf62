import Foundation
import Report
import Scenario

/// What a network run measured: the network's figures, every party's P&L and every
/// task's story. Everything in it is deterministic for a scenario and seed except
/// `wall_seconds`. Keys are snake_case (docs/REPORT.md, "Network reports").
public struct NetworkReport: Codable, Equatable, Sendable {
    /// Bumped when a key changes meaning or disappears.
    public static let currentSchemaVersion = 3

    public var schemaVersion = NetworkReport.currentSchemaVersion
    /// Always "network": tells this report from a single game's.
    public var kind = "network"
    public var scenario: String
    public var file: String
    public var seed: UInt64
    public var generator: String
    /// How the games were played: every figure but `wall_seconds` is the same either way
    /// as long as no role process was slower than a block (docs/NETWORK.md).
    public var mode: NetworkMode = .inProcess
    public var network: NetworkFigures
    public var parties: [PartyLedger]
    public var tasks: [TaskRecord]
    /// The money check after every task: the invariant total and whether it held each time.
    public var money: MoneyCheck
    public var expectations: ExpectationOutcome
    /// Host seconds the run took (not deterministic).
    public var wallSeconds: Double
    /// Party processes that ended before the network did (over processes only): the
    /// games they were drawn for afterwards went on without them.
    public var processEvents: [ProcessEvent] = []

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", kind, scenario, file, seed, generator, mode, network, parties, tasks, money
        case expectations, wallSeconds = "wall_seconds", processEvents = "process_events"
    }
}

/// Where a network's games were played.
public enum NetworkMode: String, Codable, Equatable, Sendable {
    /// In the tbsim process, on the in-memory network and its virtual clock.
    case inProcess = "in_process"
    /// Each game's judge, solver and verifiers as their own processes over ZeroMQ.
    case processes
}

/// The network as a whole.
public struct NetworkFigures: Codable, Equatable, Sendable {
    /// Tasks that arrived.
    public var tasks: Int
    /// Tasks whose game was played (a task is not played when the task giver cannot pay
    /// or no solver can cover its deposit).
    public var tasksPlayed: Int
    /// Tasks that ended with an accepted result (right or wrong).
    public var tasksCompleted: Int
    /// Wrong results the network accepted that were not forced errors.
    public var wrongResultsAccepted: Int
    /// Which, and why.
    public var wrongResults: [WrongResult]
    /// Solvers' own cheats, forced errors, and how many of each were caught.
    public var cheats: Int
    public var cheatsCaught: Int
    public var forcedErrors: Int
    public var forcedErrorsCaught: Int
    /// Disputes played over all tasks.
    public var disputes: Int
    /// Frames delivered between the judge and the parties over all tasks' games (both
    /// directions): the network's message load.
    public var messages: Int
    /// Gas over all tasks (each game's and the task giver's posting), and its wei.
    public var gas: UInt64
    public var gasWei: UInt64
    public var computeWei: UInt64
    /// Per played task: gas wei + compute wei of everyone, against the compute of
    /// running the task once (the solver's instructions at the same price).
    public var costPerTaskWei: UInt64
    public var runOnceCostPerTaskWei: UInt64
    /// The jackpot at the start and after every task.
    public var jackpotWei: [UInt64]
    /// How many verifiers verified each task (0 for tasks not played).
    public var participation: [Int]
    /// Share of all (task, verifier) pairs in which the verifier verified, in basis points.
    public var participationBps: Int
    public var burnedWei: UInt64

    enum CodingKeys: String, CodingKey {
        case tasks, tasksPlayed = "tasks_played", tasksCompleted = "tasks_completed"
        case wrongResultsAccepted = "wrong_results_accepted", wrongResults = "wrong_results", cheats
        case cheatsCaught = "cheats_caught", forcedErrors = "forced_errors", forcedErrorsCaught = "forced_errors_caught"
        case disputes, messages, gas, gasWei = "gas_wei", computeWei = "compute_wei", costPerTaskWei = "cost_per_task_wei"
        case runOnceCostPerTaskWei = "run_once_cost_per_task_wei", jackpotWei = "jackpot_wei", participation
        case participationBps = "participation_bps", burnedWei = "burned_wei"
    }
}

/// A wrong result the network accepted.
public struct WrongResult: Codable, Equatable, Sendable {
    /// The task's number (1-based).
    public var task: Int
    public var solver: String
    /// Why nobody stopped it.
    public var why: String
}

/// One party's money over the run.
public struct PartyLedger: Codable, Equatable, Sendable {
    public var name: String
    /// "solver", "verifier" or "task_giver".
    public var role: String
    public var strategy: String
    public var startWei: UInt64
    public var endWei: UInt64
    /// end − start.
    public var netWei: Int64
    /// Rewards, winner shares of slashed deposits and jackpot payouts.
    public var incomeWei: UInt64
    /// What it paid the task giver's side (reward + tax; the task giver only).
    public var spentWei: UInt64
    public var gasWei: UInt64
    public var computeWei: UInt64
    public var depositsLostWei: UInt64
    /// Tasks it solved (solvers) or verified (verifiers).
    public var tasks: Int
    /// Disputes it won and lost.
    public var disputesWon: Int
    public var disputesLost: Int
    /// Tasks it had to sit out, and why (e.g. it could not cover its deposit).
    public var skipped: [Skip]
    /// Gas it could not pay in full (its balance ran out): it takes no further part.
    public var insolvent: Bool
    /// Net P&L after each task (index 0 = after task 1).
    public var netOverTime: [Int64]

    enum CodingKeys: String, CodingKey {
        case name, role, strategy, startWei = "start_wei", endWei = "end_wei", netWei = "net_wei", incomeWei = "income_wei"
        case spentWei = "spent_wei", gasWei = "gas_wei", computeWei = "compute_wei", depositsLostWei = "deposits_lost_wei"
        case tasks, disputesWon = "disputes_won", disputesLost = "disputes_lost", skipped, insolvent
        case netOverTime = "net_over_time"
    }
}

/// A task a party sat out.
public struct Skip: Codable, Equatable, Sendable {
    public var task: Int
    public var why: String
}

/// One task's story.
public struct TaskRecord: Codable, Equatable, Sendable {
    /// 1-based.
    public var task: Int
    /// The block it arrived in.
    public var block: UInt64
    public var program: String
    /// Nil when the task was not played.
    public var solver: String?
    /// Why it was not played, if it was not.
    public var notPlayed: String?
    public var forcedError: Bool
    public var cheated: Bool
    /// The verifiers that verified, in the order they took part.
    public var verifiers: [String]
    public var accepted: Bool
    /// The accepted claim differs from the honest run's.
    public var wrongResult: Bool
    public var winner: String?
    public var disputes: Int
    /// Frames delivered between the judge and the parties in this task's game (0 when not played).
    public var messages: Int
    /// The game's gas plus the task giver's posting (`TaskPosting`).
    public var gas: UInt64
    /// Verifiers paid from the jackpot for catching a forced error, and how much each.
    public var jackpotPaidTo: [String]
    public var jackpotPaidWei: UInt64
    /// The jackpot after the task settled.
    public var jackpotWei: UInt64
    /// The network block its game settled in (its arrival block + the game's own
    /// settlement block); null when not played. Games overlap: a task arrives while the
    /// games of earlier ones are still open.
    public var settledBlock: UInt64? = nil

    enum CodingKeys: String, CodingKey {
        case task, block, program, solver, notPlayed = "not_played", forcedError = "forced_error", cheated, verifiers
        case accepted, wrongResult = "wrong_result", winner, disputes, messages, gas, jackpotPaidTo = "jackpot_paid_to"
        case jackpotPaidWei = "jackpot_paid_wei", jackpotWei = "jackpot_wei", settledBlock = "settled_block"
    }

    /// Writes every key, absent values as null, so the schema does not depend on the task.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(task, forKey: .task); try c.encode(block, forKey: .block); try c.encode(program, forKey: .program)
        try c.encode(solver, forKey: .solver); try c.encode(notPlayed, forKey: .notPlayed)
        try c.encode(forcedError, forKey: .forcedError); try c.encode(cheated, forKey: .cheated)
        try c.encode(verifiers, forKey: .verifiers); try c.encode(accepted, forKey: .accepted)
        try c.encode(wrongResult, forKey: .wrongResult); try c.encode(winner, forKey: .winner)
        try c.encode(disputes, forKey: .disputes); try c.encode(messages, forKey: .messages); try c.encode(gas, forKey: .gas)
        try c.encode(jackpotPaidTo, forKey: .jackpotPaidTo); try c.encode(jackpotPaidWei, forKey: .jackpotPaidWei)
        try c.encode(jackpotWei, forKey: .jackpotWei); try c.encode(settledBlock, forKey: .settledBlock)
    }
}

/// The conservation check over the run.
public struct MoneyCheck: Codable, Equatable, Sendable {
    /// Σ balances + escrow + jackpot + burned + gas paid + compute paid, at every check.
    public var totalWei: UInt64
    /// Checks made (one after every task).
    public var checks: Int
    public var conserved: Bool
    public var burnedWei: UInt64
    public var gasPaidWei: UInt64
    public var computePaidWei: UInt64

    enum CodingKeys: String, CodingKey {
        case totalWei = "total_wei", checks, conserved, burnedWei = "burned_wei", gasPaidWei = "gas_paid_wei"
        case computePaidWei = "compute_paid_wei"
    }
}

/// Whether `expect.network` held, and which checks failed.
public struct ExpectationOutcome: Codable, Equatable, Sendable {
    public var passed: Bool
    public var failures: [String]
}

extension NetworkReport {
    /// The report as pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    /// Whether every expectation held.
    public var passed: Bool { expectations.passed }

    /// Checks `expect` against the figures; one line per failure.
    public static func check(_ expect: NetworkExpectations, network n: NetworkFigures, parties: [PartyLedger]) -> [String] {
        var failures: [String] = []
        func bounds<T>(_ b: Bounds<T>?, _ value: T, _ what: String) {
            guard let b, !b.contains(value) else { return }
            failures.append("\(what) is \(value), expected \(describe(b))")
        }
        bounds(expect.tasks, n.tasks, "tasks")
        bounds(expect.tasksCompleted, n.tasksCompleted, "tasks_completed")
        bounds(expect.wrongResultsAccepted, n.wrongResultsAccepted, "wrong_results_accepted")
        bounds(expect.disputes, n.disputes, "disputes")
        bounds(expect.forcedErrorsCaught, n.forcedErrorsCaught, "forced_errors_caught")
        for e in expect.netWei ?? [] {
            guard let p = parties.first(where: { $0.name == e.party }) else { failures.append("no party \(e.party)"); continue }
            bounds(e.bounds, p.netWei, "net_wei of \(e.party)")
        }
        for e in expect.verified ?? [] {
            guard let p = parties.first(where: { $0.name == e.party }) else { failures.append("no party \(e.party)"); continue }
            bounds(e.bounds, p.tasks, "tasks verified by \(e.party)")
        }
        return failures
    }

    static func describe<T>(_ b: Bounds<T>) -> String {
        switch (b.min, b.max) {
        case let (lo?, hi?) where lo == hi: "\(lo)"
        case let (lo?, hi?): "\(lo)…\(hi)"
        case let (lo?, nil): "≥ \(lo)"
        case let (nil, hi?): "≤ \(hi)"
        default: "anything"
        }
    }
}
