import Foundation
import Commitment
import Game
import RISCV
import Roles
import Scenario
import Transport

/// Plays a network scenario in this process: tasks arrive one after another; for each,
/// the task giver escrows reward and tax, a solver is drawn by lottery, every verifier's
/// strategy decides whether it verifies, and the task is played as one real game on the
/// real machine (`InMemoryRun.play`) with each participant's current balance. Then gas
/// and compute are charged, the reward, tax and jackpot move, and the money is checked
/// to the wei. Deterministic: every choice comes from `TaskDraws`.
public enum NetworkRun {
    /// Plays one task's game: its scenario (every participant's starting balance in
    /// `startingBalances`) and its number (1-based) → the game's result.
    public typealias Player = (_ game: ScenarioSpec, _ task: Int) throws -> RunResult

    /// Every game in this process on the in-memory network (`InMemoryRun.play`).
    public static let inProcess: Player = { spec, _ in try InMemoryRun.play(spec) }

    /// Plays `scenario`, each task's game by `player`; `progress` hears one line per task.
    /// Throws `NetworkError` when the simulation itself fails (a game that does not end,
    /// money not conserved).
    public static func play(_ scenario: NetworkScenario, file: String = "", generator: String = "tbsim",
                            mode: NetworkMode = .inProcess, player: @escaping Player = inProcess,
                            progress: (String) -> Void = { _ in }) throws -> NetworkReport {
        try play(scenario, file: file, generator: generator, mode: mode, table: SequentialTable(player), progress: progress)
    }

    /// Plays `scenario` with its games on `table` (e.g. the chain process hosting them all
    /// at once); `progress` hears one line per task as it settles.
    public static func play(_ scenario: NetworkScenario, file: String = "", generator: String = "tbsim",
                            mode: NetworkMode, table: any GameTable,
                            progress: (String) -> Void = { _ in }) throws -> NetworkReport {
        let started = Date()
        var state = try NetworkState(scenario, table: table)
        // Events in the order of the network's blocks: task n arrives in block
        // (n − 1) × arrival_every_blocks; a game posted in block a that settles in its own
        // block d settles in the network's block a + d. A game settling in a block is seen by
        // a task arriving in that block. Each game is played when it is posted (it depends
        // on nothing but its own bonds) and its money moves when it settles, so games
        // overlap exactly as on a chain that holds them all at once.
        for index in 0..<scenario.population.tasks {
            let arrival = UInt64(index) &* scenario.population.arrivalEveryBlocks
            for done in try state.settle(through: arrival) { progress(NetworkRun.describe(done)) }
            if let unplayed = try state.post(index, at: arrival) { progress(NetworkRun.describe(unplayed)) }
        }
        for done in try state.settle(through: .max) { progress(NetworkRun.describe(done)) }
        var report = state.report(file: file, generator: generator, wallSeconds: Date().timeIntervalSince(started))
        report.mode = mode
        return report
    }

    /// One line about a task, for progress.
    static func describe(_ t: TaskRecord) -> String {
        guard let solver = t.solver else { return "task \(t.task): not played (\(t.notPlayed ?? ""))" }
        let verdict = t.accepted ? (t.wrongResult ? "WRONG result accepted" : "accepted") : "rejected, won by \(t.winner ?? "nobody")"
        return "task \(t.task): \(t.program) by \(solver)\(t.forcedError ? " (forced error)" : t.cheated ? " (cheats)" : ""), verified by \(t.verifiers.isEmpty ? "nobody" : t.verifiers.joined(separator: ", ")): \(verdict)"
    }
}

/// The run in progress.
struct NetworkState {
    let scenario: NetworkScenario
    var ledger: NetworkLedger
    var parties: [String: PartyLedger] = [:]
    let order: [String]
    var tasks: [TaskRecord] = []
    var participation: [Int] = []
    var jackpotOverTime: [UInt64]
    var checks = 0
    /// The honest claim of each program, computed once, when the program is first drawn
    /// (a program no task draws is never run).
    var honestClaims: [Claim?]
    var disputes = 0, gas: UInt64 = 0, solverInstructions: UInt64 = 0
    /// Plays each task's game.
    let table: any GameTable
    /// Games posted and not yet settled, in the order they were posted.
    var open: [OpenGame] = []

    var pop: PopulationSpec { scenario.population }

    init(_ scenario: NetworkScenario, table: any GameTable = SequentialTable(NetworkRun.inProcess)) throws {
        self.scenario = scenario
        self.table = table
        let pop = scenario.population
        var balances = [NetworkLedger.taskGiver: pop.taskGiverBalanceWei]
        func blank(_ name: String, _ role: String, _ strategy: String, _ start: UInt64) -> PartyLedger {
            PartyLedger(name: name, role: role, strategy: strategy, startWei: start, endWei: start, netWei: 0, incomeWei: 0,
                        spentWei: 0, gasWei: 0, computeWei: 0, depositsLostWei: 0, tasks: 0, disputesWon: 0, disputesLost: 0,
                        skipped: [], insolvent: false, netOverTime: [])
        }
        parties[NetworkLedger.taskGiver] = blank(NetworkLedger.taskGiver, "task_giver", "posts every task", pop.taskGiverBalanceWei)
        for s in pop.solvers {
            balances[s.name] = s.balanceWei
            parties[s.name] = blank(s.name, "solver", s.strategy.label, s.balanceWei)
        }
        for v in pop.verifiers {
            balances[v.name] = v.balanceWei
            parties[v.name] = blank(v.name, "verifier", v.strategy.label, v.balanceWei)
        }
        order = [NetworkLedger.taskGiver] + pop.solvers.map(\.name) + pop.verifiers.map(\.name)
        ledger = NetworkLedger(balances: balances, jackpot: pop.incentives.jackpotInitialWei)
        jackpotOverTime = [ledger.jackpot]
        // Every program boots (a bad one is reported before any task is played); each is
        // run when first drawn.
        for task in pop.programs {
            do { _ = try task.boot() } catch { throw NetworkError("program \(task.imageFile) does not run: \(error)") }
        }
        honestClaims = Array(repeating: nil, count: pop.programs.count)
    }

    /// The honest claim of program `index`: its run to the end, once.
    mutating func honestClaim(_ index: Int) throws -> Claim {
        if let claim = honestClaims[index] { return claim }
        let task = pop.programs[index]
        let claim: Claim
        do {
            claim = try MachineOracle(boot: { try task.boot() }, maxSteps: task.maxSteps, checkpointBudgetBytes: 1 << 24).finalClaim()
        } catch {
            throw NetworkError("program \(task.imageFile) does not run: \(error)")
        }
        honestClaims[index] = claim
        return claim
    }

    /// What a party needs to take part: its bond for the game and the gas reserve, free.
    func canCover(_ name: String, bond: UInt64) -> Bool {
        let (need, o) = bond.addingReportingOverflow(pop.gasReserveWei)
        return !(parties[name]?.insolvent ?? true) && !o && ledger.balance(name) >= need
    }

    mutating func skip(_ name: String, task: Int, _ why: String) {
        parties[name]?.skipped.append(Skip(task: task, why: why))
    }

    /// Task `index` arrives in network block `block`: the task giver posts it, a solver is
    /// drawn, strategies decide, every participant locks its bond, and the game is played
    /// (`player`); its money moves when it settles (`settle(through:)`). Returns the record
    /// of a task that could not be played (it is finished at once), nil otherwise.
    mutating func post(_ index: Int, at block: UInt64) throws -> TaskRecord? {
        let number = index + 1
        let draws = TaskDraws(seed: scenario.seed, index: index, verifiers: pop.verifiers.count)
        let programIndex = Int(draws.program % UInt64(pop.programs.count))
        let task = pop.programs[programIndex]
        var record = TaskRecord(task: number, block: block,
                                program: (task.imageFile as NSString).lastPathComponent, solver: nil, notPlayed: nil,
                                forcedError: false, cheated: false, verifiers: [], accepted: false, wrongResult: false,
                                winner: nil, disputes: 0, messages: 0, gas: 0, jackpotPaidTo: [], jackpotPaidWei: 0, jackpotWei: 0)
        func unplayed(_ why: String) throws -> TaskRecord {
            record.notPlayed = why
            participation.append(0)
            try finish(record)
            return tasks.last!
        }
        let inc = pop.incentives
        let posted = inc.rewardWei + inc.taxWei
        // The task giver's own transaction: posting the task costs it gas too.
        let postingGas = TaskPosting.gas(scenario.gas), postingFee = TaskPosting.fee(scenario.gas, price: pop.gasPriceWei)
        guard ledger.escrowFromTaskGiver(posted, gasFee: postingFee) else {
            let why = "the task giver cannot pay the reward and tax (\(posted) wei) and the posting's gas (\(postingFee) wei)"
            skip(NetworkLedger.taskGiver, task: number, why)
            return try unplayed(why)
        }
        parties[NetworkLedger.taskGiver]!.spentWei += posted
        parties[NetworkLedger.taskGiver]!.gasWei += postingFee
        let honest = try honestClaim(programIndex)
        var game = scenario.game
        // Every transaction's gas is paid from its sender's balance as it is mined.
        game.gasPriceWei = pop.gasPriceWei
        func bond(_ role: Role, deposit: UInt64, challengers: Int) -> UInt64 {
            GameBond.wei(role: role, deposit: deposit, steps: honest.steps, challengers: challengers, config: game,
                         gas: scenario.gas, price: pop.gasPriceWei)
        }
        // Who verifies: each verifier's strategy decides; those that cannot lock a
        // challenger's bond sit out. Colluders come first (they challenge at once), then the
        // others in population order, each held one block so the colluder's dispute is
        // played first.
        let verifierBond = bond(.verifier, deposit: game.challengerDeposit, challengers: 1)
        // The lottery among solvers that can lock the solver's bond for as many challengers
        // as there are verifiers.
        let solverBondMost = bond(.solver, deposit: game.solverDeposit, challengers: pop.verifiers.count)
        var eligible: [NetworkParty<SolverStrategy>] = []
        for s in pop.solvers {
            if canCover(s.name, bond: solverBondMost) { eligible.append(s) }
            else { skip(s.name, task: number, parties[s.name]!.insolvent ? "insolvent (could not pay its gas)" : "cannot lock the solver's bond (deposit and gas) and the gas reserve") }
        }
        guard !eligible.isEmpty else {
            ledger.refundPosting(posted, gasFee: postingFee)
            parties[NetworkLedger.taskGiver]!.spentWei -= posted
            parties[NetworkLedger.taskGiver]!.gasWei -= postingFee
            return try unplayed("no solver can lock the solver's bond")
        }
        let solver = eligible[Int(draws.lottery % UInt64(eligible.count))]
        record.solver = solver.name
        record.forcedError = draws.forcedError < inc.forcedErrorProbability
        record.cheated = !record.forcedError && StrategyDecision.cheats(solver.strategy, draw: draws.cheat, recentVerifiers: participation)
        let wrong = record.forcedError || record.cheated

        var colluders: [String] = [], others: [String] = []
        for (i, v) in pop.verifiers.enumerated() {
            guard StrategyDecision.verifies(v.strategy, draw: draws.verify[i], jackpot: ledger.jackpot, solver: solver.name,
                                            solverCheats: record.cheated) else { continue }
            guard canCover(v.name, bond: verifierBond) else {
                skip(v.name, task: number, parties[v.name]!.insolvent ? "insolvent (could not pay its gas)" : "cannot lock a challenger's bond (deposit and gas) and the gas reserve")
                continue
            }
            if case .colludingWith = v.strategy { colluders.append(v.name) } else { others.append(v.name) }
        }
        record.verifiers = colluders + others
        participation.append(record.verifiers.count)

        var faults: [FaultSpec] = []
        if wrong {
            // A bit of RAM far from anything the program touches, flipped after a drawn
            // step: the final root differs, and the one-step proof at that step exposes it.
            let step = 1 + draws.corruptionStep % max(1, max(1, honest.steps) - 1)
            let address = MachineMap.ramBase + (task.ramMiB << 19)
            faults = [.corrupt(step: step, target: .memory(address: address), bit: 0)]
        }
        // Truebit does not slash a solver for an error it was forced to post.
        if record.forcedError { game.solverDeposit = 0 }
        let delay: UInt64 = colluders.isEmpty ? 0 : 1
        var spec = ScenarioSpec(name: "\(scenario.name)-task-\(number)", seed: scenario.seed ^ UInt64(number), task: task,
                                game: game, gas: scenario.gas, network: scenario.network,
                                solver: PartySpec(name: solver.name, faults: faults),
                                verifiers: colluders.map { PartySpec(name: $0, faults: [.verifier(.lieInBisection(fromRound: 1))]) }
                                    + others.map { PartySpec(name: $0, challengeDelayBlocks: delay) })
        let roster = Roster(spec)
        // Every participant enters the game with its bond, locked until the game settles.
        var bonds: [String: UInt64] = [:]
        for p in roster.parties {
            bonds[p.name] = p.role == .solver ? bond(.solver, deposit: game.solverDeposit, challengers: record.verifiers.count)
                                              : verifierBond
        }
        guard ledger.lockBonds(bonds) else {
            throw NetworkError("task \(number): a participant could not lock the bond it was found able to cover")
        }
        spec.startingBalances = bonds
        do {
            try table.start(spec, task: number, arrival: block)
        } catch {
            throw NetworkError("task \(number) (\(record.program), solver \(solver.name)) could not be played: \(error)")
        }
        open.append(OpenGame(index: index, arrival: block, record: record, roster: roster, bonds: bonds, honest: honest,
                             game: game, postingGas: postingGas))
        return nil
    }

    /// Settles every open game whose settlement block is at most `block`, in the order of
    /// their settlement blocks (ties: the older task first); returns their records.
    mutating func settle(through block: UInt64) throws -> [TaskRecord] {
        let finished: [Int: RunResult]
        do { finished = try table.run(through: block) } catch {
            throw NetworkError("the games could not be played: \(error)")
        }
        for i in open.indices { if let r = finished[open[i].index + 1] { open[i].result = r } }
        var done: [TaskRecord] = []
        while let next = open.enumerated().compactMap({ e in e.element.settles.map { (e.offset, $0, e.element.index) } })
            .filter({ $0.1 <= block }).min(by: { ($0.1, $0.2) < ($1.1, $1.2) }) {
            let game = open.remove(at: next.0)
            try settle(game)
            done.append(tasks.last!)
        }
        if block == .max, let stuck = open.first {
            throw NetworkError("task \(stuck.index + 1)'s game never reported its end")
        }
        return done
    }

    /// A game has settled: its balances come back, compute is charged, the reward, tax and
    /// jackpot move, and the money is checked.
    mutating func settle(_ o: OpenGame) throws {
        var record = o.record
        let result = o.result!
        let g = result.game, roster = o.roster, inc = pop.incentives, game = o.game
        let solver = record.solver!
        var end: [String: UInt64] = [:], gasPaid: [String: UInt64] = [:]
        for b in g.balances {
            let name = roster.name(of: b.party)
            end[name] = b.end
            gasPaid[name] = b.gasPaid ?? 0
            parties[name]!.gasWei += b.gasPaid ?? 0
            // Could not pay for a move (or a call made for it): insolvent from now on.
            if (b.gasShort ?? 0) > 0 { parties[name]!.insolvent = true }
        }
        try ledger.settleGame(start: o.bonds, end: end, burned: g.burned, gasPaid: gasPaid)

        // Income and deposits lost, per participant.
        record.accepted = g.outcome.accepted
        record.winner = g.outcome.winner.map(roster.name(of:))
        record.wrongResult = g.claim.map { $0 != o.honest } ?? false
        record.disputes = g.disputes.count
        record.messages = g.messages
        record.gas = g.gas.totalGas.saturatingAdd(o.postingGas)
        record.settledBlock = o.settles!
        disputes += g.disputes.count
        gas = gas.saturatingAdd(record.gas)
        var lost: [String: UInt64] = [:]
        for d in g.disputes {
            let challenger = roster.name(of: d.challenger)
            guard let w = d.winner else { continue }
            if w == d.challenger {
                parties[challenger]!.disputesWon += 1; parties[solver]!.disputesLost += 1
                lost[solver] = game.solverDeposit
            } else {
                parties[challenger]!.disputesLost += 1; parties[solver]!.disputesWon += 1
                lost[challenger, default: 0] += game.challengerDeposit
            }
        }
        for name in o.bonds.keys.sorted() {
            // The game's own money moves: gas paid is counted apart (`gasWei`).
            let delta = Int64(end[name]! + gasPaid[name]!) - Int64(o.bonds[name]!)
            var l = Int64(lost[name] ?? 0), income = delta + l
            if income < 0 { (l, income) = (-delta, 0) }
            parties[name]!.incomeWei += UInt64(income)
            parties[name]!.depositsLostWei += UInt64(l)
        }
        parties[solver]!.tasks += 1
        for v in record.verifiers { parties[v]!.tasks += 1 }

        // Compute at the price per instruction (gas was paid in the game); a party that
        // cannot pay all of it is insolvent from now on.
        for m in result.parties {
            let (cost, o) = m.stepsExecuted.multipliedReportingOverflow(by: pop.verifyPriceWeiPerInstruction)
            let owed = o ? UInt64.max : cost
            let paid = ledger.chargeCompute(m.name, owed)
            parties[m.name]!.computeWei += paid
            if paid < owed { parties[m.name]!.insolvent = true }
            if m.name == solver { solverInstructions += m.stepsExecuted }
        }

        // The task giver's escrow: the reward to the solver of an accepted result (a
        // forced error is not the solver's fault), back to the task giver otherwise; the
        // tax into the jackpot.
        if record.accepted {
            ledger.payFromEscrow(inc.rewardWei, to: solver)
            parties[solver]!.incomeWei += inc.rewardWei
        } else {
            ledger.payFromEscrow(inc.rewardWei, to: NetworkLedger.taskGiver)
            parties[NetworkLedger.taskGiver]!.spentWei -= inc.rewardWei
        }
        ledger.escrowToJackpot(inc.taxWei)

        // A caught forced error pays the jackpot to the verifiers who won their disputes.
        if record.forcedError {
            // Every challenger that flagged it: the one whose dispute exposed it and those
            // whose disputes were never played because the game ended first; not one
            // that lost its dispute.
            let catchers = g.disputes.filter { $0.winner == $0.challenger || $0.winner == nil }.map { roster.name(of: $0.challenger) }
            if !record.accepted && !catchers.isEmpty {
                var pot = ledger.jackpot / 10_000 * inc.jackpotPayoutBps + ledger.jackpot % 10_000 * inc.jackpotPayoutBps / 10_000
                if inc.jackpotHalving { pot >>= UInt64(min(63, catchers.count - 1)) }
                let each = pot / UInt64(catchers.count)
                for c in catchers {
                    ledger.payFromJackpot(each, to: c)
                    parties[c]!.incomeWei += each
                }
                record.jackpotPaidTo = catchers
                record.jackpotPaidWei = each
            }
        }
        try finish(record)
    }

    /// Records a task that settled (or could not be played), every party's P&L after it,
    /// and checks the money.
    mutating func finish(_ record: TaskRecord) throws {
        var r = record
        r.jackpotWei = ledger.jackpot
        tasks.append(r)
        jackpotOverTime.append(ledger.jackpot)
        for name in order {
            let net = Int64(ledger.balance(name)) - Int64(parties[name]!.startWei)
            parties[name]!.netOverTime.append(net)
        }
        guard ledger.isConserved else {
            throw NetworkError("money not conserved after task \(r.task): \(ledger.sum.map(String.init) ?? "overflow") wei, expected \(ledger.total)")
        }
        checks += 1
    }

    func report(file: String, generator: String, wallSeconds: Double) -> NetworkReport {
        var ps = order.map { parties[$0]! }
        for i in ps.indices {
            ps[i].endWei = ledger.balance(ps[i].name)
            ps[i].netWei = Int64(ps[i].endWei) - Int64(ps[i].startWei)
        }
        // In the order of the tasks (they finished in the order they settled).
        let tasks = self.tasks.sorted { $0.task < $1.task }
        let played = tasks.filter { $0.solver != nil }
        let wrong = played.filter { $0.accepted && $0.wrongResult && !$0.forcedError }.map { t -> WrongResult in
            let why: String
            if t.verifiers.isEmpty { why = "no verifier verified" }
            else if t.verifiers.allSatisfy({ v in pop.verifiers.first { $0.name == v }.map { if case .colludingWith = $0.strategy { true } else { false } } ?? false }) {
                why = "only the solver's colluder checked, and it threw its dispute"
            } else { why = "every challenger lost its dispute" }
            return WrongResult(task: t.task, solver: t.solver!, why: why)
        }
        let verifierSlots = played.count * pop.verifiers.count
        let verifiedSlots = played.reduce(0) { $0 + $1.verifiers.count }
        let cost = ledger.gasPaid + ledger.computePaid
        let n = NetworkFigures(
            tasks: tasks.count, tasksPlayed: played.count, tasksCompleted: played.filter(\.accepted).count,
            wrongResultsAccepted: wrong.count, wrongResults: wrong,
            cheats: played.filter(\.cheated).count, cheatsCaught: played.filter { $0.cheated && !$0.accepted }.count,
            forcedErrors: played.filter(\.forcedError).count,
            forcedErrorsCaught: played.filter { $0.forcedError && !$0.accepted }.count,
            disputes: disputes, messages: played.reduce(0) { $0 + $1.messages }, gas: gas, gasWei: ledger.gasPaid, computeWei: ledger.computePaid,
            costPerTaskWei: played.isEmpty ? 0 : cost / UInt64(played.count),
            runOnceCostPerTaskWei: played.isEmpty ? 0 : solverInstructions / UInt64(played.count) &* pop.verifyPriceWeiPerInstruction,
            jackpotWei: jackpotOverTime, participation: participation,
            participationBps: verifierSlots == 0 ? 0 : verifiedSlots * 10_000 / verifierSlots, burnedWei: ledger.burned)
        let failures = NetworkReport.check(scenario.expect, network: n, parties: ps)
        return NetworkReport(scenario: scenario.name, file: file, seed: scenario.seed, generator: generator, network: n,
                             parties: ps, tasks: tasks,
                             money: MoneyCheck(totalWei: ledger.total, checks: checks, conserved: ledger.isConserved,
                                               burnedWei: ledger.burned, gasPaidWei: ledger.gasPaid, computePaidWei: ledger.computePaid),
                             expectations: ExpectationOutcome(passed: failures.isEmpty, failures: failures),
                             wallSeconds: wallSeconds)
    }
}

/// A game posted and not yet settled: what its settlement needs.
struct OpenGame {
    /// The task's index (0-based).
    let index: Int
    /// The network block it was posted in.
    let arrival: UInt64
    let record: TaskRecord
    /// The game's result, once the table reported it.
    var result: RunResult?
    let roster: Roster
    /// Each participant's bond (its starting balance in the game).
    let bonds: [String: UInt64]
    let honest: Claim
    /// The rules it was played under (a forced error's solver deposit is 0).
    let game: GameConfig
    let postingGas: UInt64

    /// The network block it settles in: its arrival block + its own settlement block (nil
    /// while it is played).
    var settles: UInt64? {
        result.map { arrival.saturatingAdd($0.game.finalBlock) }
    }
}
