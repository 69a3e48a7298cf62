import Foundation
import Commitment
import Game
import Report
import Scenario
import Transport

/// Plays node loops on an `InMemoryNetwork` in one thread, on the network's virtual
/// clock: deliver everything due, let every loop act, then jump the clock to the next
/// delivery or wake-up. Deterministic: no threads, no host clock, ties broken by loop
/// order (the judge first, then the parties in roster order) and send order.
public enum InMemoryRun {
    /// Runs until the judge is done (`others`: the parties, in roster order, and any other
    /// loop on the network, such as a test's stranger); throws when nothing is left to happen before it is
    /// (a bug, never a game outcome) or after `maxRounds` rounds.
    /// `until` stops the run early once it holds (checked between rounds).
    public static func drive(judge: JudgeLoop, others: [any NodeLoop], network: InMemoryNetwork,
                             maxRounds: Int = 10_000_000, until: () -> Bool = { false }) throws {
        let loops: [any NodeLoop] = [judge] + others
        var rounds = 0
        while !judge.isDone && !until() {
            rounds += 1
            guard rounds <= maxRounds else { throw RoleError("the in-memory game did not end within \(maxRounds) rounds") }
            var handled = false
            for loop in loops {
                while loop.pump(timeoutMilliseconds: 0) { handled = true }
            }
            if handled || judge.isDone { continue }
            let now = network.now
            let wakeups = loops.compactMap(\.nextWakeup).map { Int(clamping: $0) }
            guard let next = (wakeups + [network.nextDeliveryTime].compactMap { $0 }).min() else {
                throw RoleError("the in-memory game stalled at \(now) ms: nothing in flight and no deadline")
            }
            network.advanceTime(to: max(next, now + 1))
        }
    }

    /// Plays `spec` in this process: every party's run on the real machine, the same
    /// node loops and frames as over ZeroMQ, on a virtual clock. Every message takes
    /// `baseLatencyMs` (1 ms: about what a local socket takes) plus the scenario's latency
    /// and faults. A slower base would let a dispute outlast the challenge window here
    /// but not over processes, and the two modes must play the same game.
    /// With `ledgerPath` (a file that must not exist), the chain's ledger is written there
    /// as over processes.
    /// `startingBalances` (by party name) replace the scenario's `initialBalance` (see
    /// `GameSetup.startingBalances`).
    public static func play(_ spec: ScenarioSpec, baseLatencyMs: Int = 1, ledgerPath: String? = nil, tbsimVersion: String = "",
                            startingBalances: [String: UInt64] = [:],
                            log: @escaping (String) -> Void = { _ in }) throws -> RunResult {
        var setup = GameSetup(spec: spec)
        setup.startingBalances = startingBalances
        try setup.requireOwnKeys()
        let wall = Stopwatch()
        // Parties whose machines are the same share one run and its checkpoints.
        var machines: [String: SharedMachine] = [:]
        var oracles: [OracleView] = []
        for entry in setup.roster.parties {
            let key = setup.machineKey(of: entry)
            if machines[key] == nil { machines[key] = SharedMachine(try setup.oracle(for: entry)) }
            let view = machines[key]!.view()
            _ = try view.finalClaim()
            oracles.append(view)
        }
        let initialRoot = try spec.task.initialRoot()
        let network = InMemoryNetwork(defaultLatencyMilliseconds: baseLatencyMs)
        let clock = { UInt64(network.now) }
        if let ledgerPath, FileManager.default.fileExists(atPath: ledgerPath) {
            throw RoleError("ledger \(ledgerPath) already exists; a new run needs a new ledger")
        }
        let ledger = try ledgerPath.map { try setup.openLedger(path: $0, initialRoot: initialRoot, tbsimVersion: tbsimVersion) }
        defer { ledger?.journal.ledger.close() }
        let judge = try setup.judgeLoop(endpoint: try network.endpoint(named: GameSetup.judgeName), initialRoot: initialRoot,
                                        clock: clock, journal: ledger?.journal, log: log)
        let parties = try zip(setup.roster.parties, oracles).map { entry, oracle in
            try setup.partyLoop(entry, endpoint: try network.endpoint(named: entry.name), oracle: oracle, clock: clock,
                                wallClock: { wall.seconds }, log: log)
        }
        for p in parties { try p.start() }
        try drive(judge: judge, others: parties, network: network)
        if let failure = judge.failure { throw failure }
        return judge.result()
    }
}
