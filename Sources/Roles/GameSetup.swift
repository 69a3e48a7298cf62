import Foundation
import Commitment
import Game
import Ledger
import Report
import Scenario
import Transport

/// How a scenario becomes a game, decided once for both modes: the roster, the judge's
/// state machine with every party's starting balance, each party's faults split into
/// what its machine, its state machine and its network do, and the node loops on any
/// transport.
public struct GameSetup {
    /// The scenario.
    public let spec: ScenarioSpec
    /// Who plays.
    public let roster: Roster
    /// The scenario's digest every node checks (`ScenarioSpec.digest`).
    public let digest: Digest

    /// The setup of `spec`.
    public init(spec: ScenarioSpec) {
        self.spec = spec
        roster = Roster(spec)
        digest = spec.digest
    }

    /// Every party's starting balance (`ScenarioSpec.initialBalance`: ten times the larger
    /// deposit, at least 10).
    public var initialBalance: UInt64 { spec.initialBalance }

    /// Starting balances by party name that replace `initialBalance` (a network carries
    /// each party's balance from one task's game into the next).
    public var startingBalances: [String: UInt64] = [:]

    /// The task as the chain posts it, given its initial root (the task giver's part).
    public func postedTask(initialRoot: Digest) -> PostedTask {
        PostedTask(id: 1, initialRoot: initialRoot, stepLimit: spec.task.maxSteps)
    }

    /// The key `name` signs with: derived from the scenario seed and the name
    /// (`SigningKey.derived`) unless `keys` gives one (a key file).
    public func signingKey(for name: String) -> SigningKey {
        keys[name] ?? SigningKey.derived(scenarioSeed: spec.seed, name: name)
    }

    /// Keys read from key files, by party name (or "judge"); they replace derived keys.
    public var keys: [String: SigningKey] = [:]

    /// The chain's accounts: the judge's key (party 0) and every party's, on the chain
    /// whose id is the scenario's digest. Accounts the scenario lists under `accounts:`
    /// are taken from there; the others are derived from the seed.
    public var accounts: AccountBook {
        let listed = spec.accountKeys
        var book: [PartyID: AccountKey] = [.judge: listed[Self.judgeName] ?? signingKey(for: Self.judgeName).account]
        for p in roster.parties { book[p.id] = listed[p.name] ?? signingKey(for: p.name).account }
        return AccountBook(chainID: digest, keys: book)
    }

    /// Throws unless every account is one this process can sign for: a scenario listing
    /// keys under `accounts:` needs its nodes started by hand with their key files, so
    /// `tbsim scenario` (either mode) refuses it before any work.
    public func requireOwnKeys() throws {
        let listed = spec.accountKeys
        let missing = ([Self.judgeName] + roster.parties.map(\.name)).filter { name in
            listed[name].map { $0 != signingKey(for: name).account } ?? false
        }
        guard missing.isEmpty else {
            throw RoleError("the scenario lists account keys for \(missing.joined(separator: ", ")); start those roles with `tbsim node --key FILE`")
        }
    }

    /// The judge's state machine for the task with `initialRoot`.
    public func judgeMachine(initialRoot: Digest, checker: any ProofChecker = CommitmentProofChecker()) throws -> JudgeStateMachine {
        var balances: [PartyID: UInt64] = [:]
        for p in roster.parties { balances[p.id] = startingBalances[p.name] ?? spec.startingBalance(of: p.name) }
        return try JudgeStateMachine(task: postedTask(initialRoot: initialRoot), config: spec.game, gas: spec.gas,
                                     checker: checker, solver: roster.solver.id, verifiers: roster.verifiers.map(\.id),
                                     balances: balances, accounts: accounts)
    }

    /// The party named in `entry`'s scenario section.
    public func party(_ entry: Roster.Entry) -> PartySpec {
        entry.role == .solver ? spec.solver : spec.verifiers[Int(entry.id.rawValue) - 2]
    }

    /// Every bit flip a party's machine suffers (all its `corrupt` faults), in step order;
    /// flips at the same step keep the scenario's order (`MachineOracle.inStepOrder`).
    public func corruptions(of entry: Roster.Entry) -> [MachineOracle.Corruption] {
        MachineOracle.inStepOrder(party(entry).faults.compactMap {
            if case let .corrupt(step, target, bit) = $0 { return MachineOracle.Corruption(step: step, target: target, bit: bit) }
            return nil
        })
    }

    /// A party's own execution of the task, with every corruption. `progress` hears the
    /// step count at every checkpoint of the first run.
    public func oracle(for entry: Roster.Entry, progress: ((UInt64) -> Void)? = nil) throws -> MachineOracle {
        try MachineOracle(boot: { try spec.task.boot() }, maxSteps: spec.task.maxSteps, corruptions: corruptions(of: entry),
                          progress: progress)
    }

    /// What decides a party's machine beyond the task: its corruptions, in the order they
    /// are applied. Parties with the same key run the same machine (`InMemoryRun` lets them
    /// share one).
    public func machineKey(of entry: Roster.Entry) -> String { "\(corruptions(of: entry))" }

    /// The party's protocol state machine over `oracle`, with its protocol faults.
    public func stateMachine(for entry: Roster.Entry, oracle: any TraceOracle) -> any PartyStateMachine {
        let faults = party(entry).faults
        switch entry.role {
        case .solver:
            return SolverStateMachine(id: entry.id, oracle: oracle,
                faults: faults.compactMap { if case let .solver(f) = $0 { return f } else { return nil } })
        case .verifier, .judge:
            return VerifierStateMachine(id: entry.id, oracle: oracle,
                faults: faults.compactMap { if case let .verifier(f) = $0 { return f } else { return nil } },
                challengeDelay: party(entry).challengeDelayBlocks &* spec.game.blockIntervalMs)
        }
    }

    /// What the network does to the messages a party sends: the scenario's latency, then
    /// the party's own delay and drop faults.
    /// `sender` is the name the party's endpoint sends under (its connection), the
    /// party's own name by default.
    public func linkFaults(of entry: Roster.Entry, sender: String? = nil) -> LinkFaults {
        let name = sender ?? entry.name
        var faults = latency(from: name)
        for f in party(entry).faults {
            switch f {
            case .delayMessages(let ms): faults = faults.delaying(from: name, by: Int(ms))
            case .dropMessages(let p, let after):
                // `after: n` drops every message from the n-th on; otherwise each message is
                // dropped with probability p (seeded).
                if let after {
                    faults = faults.droppingAfter(from: name, messages: after)
                } else if p > 0 {
                    faults = faults.dropping(from: name, probability: p)
                }
            default: break
            }
        }
        return faults
    }

    /// What the network does to the judge's messages: the scenario's latency.
    public var judgeLinkFaults: LinkFaults { latency(from: Self.judgeName) }

    private func latency(from name: String) -> LinkFaults {
        spec.network.latencyMs > 0 ? LinkFaults.none.delaying(from: name, by: Int(spec.network.latencyMs)) : .none
    }

    /// How long the judge keeps listening after settlement: a frame sent just before it
    /// settled still arrives (and is refused) within twice the slowest link's delay.
    public var lateFrameGraceMs: UInt64 {
        var slowest = spec.network.latencyMs
        for entry in roster.parties {
            var delay = spec.network.latencyMs
            for case let .delayMessages(ms) in party(entry).faults { delay += ms }
            slowest = max(slowest, delay)
        }
        return 300 + 2 * slowest
    }

    /// An upper bound, in ms, on how long the game can still need a party after the judge
    /// last spoke to it: the commit and challenge spans, then every verifier's dispute
    /// played out with every move taken at its deadline (⌈log_k steps⌉ + 2 rounds, two
    /// moves each, each move's span plus the slowest link twice), then the judge's grace
    /// and its wait for metrics. A party that hears nothing for longer has lost the judge.
    /// Saturating: a bound past UInt64 means "never".
    public var lastPossibleDeadlineMs: UInt64 {
        let g = spec.game
        func span(_ blocks: UInt64) -> UInt64 { mul(blocks &+ 1, g.blockIntervalMs) }
        let rounds = UInt64(Bisection.ceilLog(spec.task.maxSteps, base: g.smallestArity))
        let move = add(span(g.moveTimeoutBlocks), lateFrameGraceMs)
        let disputes = mul(UInt64(max(1, spec.verifiers.count)), mul(2 * (rounds + 2), move))
        let timing = JudgeLoop.Timing()
        return add(add(span(g.commitTimeoutBlocks), span(g.challengeWindowBlocks)),
                   add(disputes, add(lateFrameGraceMs, timing.collectTimeoutMs)))
    }

    private func mul(_ a: UInt64, _ b: UInt64) -> UInt64 { a.saturatingMultiply(b) }

    private func add(_ a: UInt64, _ b: UInt64) -> UInt64 { a.saturatingAdd(b) }

    /// The ledger's first record for this scenario's chain, given the task's initial root.
    public func genesis(initialRoot: Digest, tbsimVersion: String) -> ChainGenesis {
        ChainGenesis(chainID: digest, judgeAccount: accounts.keys[.judge]!, initialRoot: initialRoot,
                     scenario: spec.canonicalEncoding(), tbsimVersion: tbsimVersion)
    }

    /// Opens (or creates) the chain's ledger at `path` for a judge: a new file gets this
    /// chain's genesis; an existing one must be this chain's, is replayed in full (see
    /// `ChainReplay`) and is continued. Returns the journal and, when resuming, the replay.
    public func openLedger(path: String, initialRoot: Digest, tbsimVersion: String)
        throws -> (journal: ChainJournal, resumed: ChainReplay.Outcome?, helloNonces: [PartyID: UInt64]) {
        let key = signingKey(for: Self.judgeName)
        guard FileManager.default.fileExists(atPath: path) else {
            let ledger = try ChainLedger.create(path: path, genesis: genesis(initialRoot: initialRoot, tbsimVersion: tbsimVersion))
            return (ChainJournal(ledger: ledger, key: key), nil, [:])
        }
        let ledger = try ChainLedger.open(path: path)
        guard ledger.genesis.chainID == digest else {
            throw RoleError("ledger \(path) is the chain of another scenario (chain id \(ledger.genesis.chainID), this scenario's is \(digest))")
        }
        guard ledger.genesis.initialRoot == initialRoot else {
            throw RoleError("ledger \(path) posted a task with initial root \(ledger.genesis.initialRoot); this task boots to \(initialRoot)")
        }
        let replay: ChainReplay.Outcome
        do { replay = try ChainReplay.run(ledger) } catch {
            throw RoleError("ledger \(path) does not replay, so the judge cannot resume from it: \(error)")
        }
        return (ChainJournal(ledger: ledger, key: key, after: replay.records), replay, try ledger.sessionNonces())
    }

    /// The judge's name on every transport.
    public static let judgeName = "judge"

    /// The judge's node loop on `endpoint`, with the network's latency on what it sends.
    /// `clock` is in ms; held messages are released by the same clock.
    public func judgeLoop<E: MessageEndpoint>(endpoint: E, initialRoot: Digest, clock: @escaping () -> UInt64,
                                              timing: JudgeLoop.Timing? = nil,
                                              checker: any ProofChecker = CommitmentProofChecker(),
                                              journal: ChainJournal? = nil, resumed: ChainReplay.Outcome? = nil,
                                              helloNonces: [PartyID: UInt64] = [:],
                                              log: @escaping (String) -> Void = { _ in }) throws -> JudgeLoop {
        var timing = timing ?? JudgeLoop.Timing()
        if timing.graceMs < lateFrameGraceMs { timing.graceMs = lateFrameGraceMs }
        let faulty = FaultyEndpoint(wrapping: endpoint,
                                    faults: try FaultInjector(faults: judgeLinkFaults, generator: SeededGenerator(seed: spec.seed)),
                                    clock: { Int(clamping: clock()) })
        return JudgeLoop(judge: try judgeMachine(initialRoot: initialRoot, checker: checker), roster: roster,
                         scenario: digest, key: signingKey(for: Self.judgeName), accounts: accounts, endpoint: faulty, control: endpoint,
                         clock: clock, timing: timing, journal: journal, resumed: resumed, helloNonces: helloNonces, log: log)
    }

    /// A party's node loop on `endpoint`, playing over `oracle` with the party's faults.
    /// `wallClock` gives the party's wall-clock seconds for its metrics.
    public func partyLoop<E: MessageEndpoint>(_ entry: Roster.Entry, endpoint: E, oracle: any PartyOracle,
                                              clock: @escaping () -> UInt64, wallClock: @escaping () -> Double,
                                              resyncMs: UInt64? = nil,
                                              log: @escaping (String) -> Void = { _ in }) throws -> PartyLoop {
        let faulty = FaultyEndpoint(wrapping: endpoint,
                                    faults: try FaultInjector(faults: linkFaults(of: entry, sender: endpoint.name), generator: SeededGenerator(seed: spec.seed)),
                                    clock: { Int(clamping: clock()) })
        return PartyLoop(entry: entry, machine: stateMachine(for: entry, oracle: oracle), roster: roster, scenario: digest,
                         key: signingKey(for: entry.name), accounts: accounts,
                         endpoint: faulty, control: endpoint, judgeName: Self.judgeName, clock: clock,
                         metrics: { oracle.metrics(name: entry.name, role: entry.role, wallSeconds: wallClock()) },
                         resyncMs: resyncMs, log: log)
    }
}
