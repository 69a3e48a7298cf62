import Game

/// One scenario: a task, the game's rules, the parties with their faults, the network,
/// a seed and the expectations that make the scenario a test. Loaded from YAML by
/// `ScenarioLoader`; paths inside are already resolved (absolute or relative to the
/// current directory) when loading succeeds.
public struct ScenarioSpec: Equatable, Codable, Sendable {
    /// Short name for reports (defaults to the file name without extension).
    public var name: String
    public var description: String
    /// Every random choice (message drops, …) derives from this.
    public var seed: UInt64
    public var task: ScenarioTask
    public var game: GameConfig
    public var gas: GasSchedule
    public var network: NetworkSpec
    public var solver: PartySpec
    public var verifiers: [PartySpec]
    public var expect: Expectations
    /// Account keys given by the scenario (`accounts:`), by party name or "judge": the
    /// Ed25519 public key in hex. A party listed here must be run with its key file
    /// (`tbsim node --key`); the others sign with keys derived from `seed`.
    public var accounts: [String: String] = [:]
    /// Starting balances by party name (`starting_balances:`) that replace
    /// `initialBalance` for those parties; nil when the scenario gives none (the field is
    /// then left out of the scenario's encoding, so its digest is what it was).
    public var startingBalances: [String: UInt64]?

    /// The `accounts:` keys, parsed (the loader has checked every one).
    public var accountKeys: [String: AccountKey] { accounts.compactMapValues { AccountKey(hex: $0) } }

    public init(name: String, description: String = "", seed: UInt64 = 1, task: ScenarioTask,
                game: GameConfig = ScenarioSpec.defaultGame, gas: GasSchedule = .default,
                network: NetworkSpec = NetworkSpec(), solver: PartySpec = PartySpec(name: "solver"),
                verifiers: [PartySpec] = [PartySpec(name: "verifier-1")], expect: Expectations = Expectations()) {
        self.name = name; self.description = description; self.seed = seed; self.task = task
        self.game = game; self.gas = gas; self.network = network; self.solver = solver
        self.verifiers = verifiers; self.expect = expect
    }

    /// Every party's starting balance unless `starting_balances` names it: ten times the
    /// larger deposit (at least 10), so deposits and gas never run a party dry in a
    /// single game.
    public var initialBalance: UInt64 { 10 * max(game.solverDeposit, game.challengerDeposit, 1) }

    /// The balance the party named `name` starts with.
    public func startingBalance(of name: String) -> UInt64 { startingBalances?[name] ?? initialBalance }

    /// Whether the money of the whole game — every party's starting balance, which
    /// balances, escrow and burned funds always sum to — fits in a UInt64. The loader
    /// refuses scenarios where it does not (deposits near 2^56 with many verifiers).
    public var totalMoneyFits: Bool {
        var total: UInt64 = 0
        for name in [solver.name] + verifiers.map(\.name) {
            let (t, o) = total.addingReportingOverflow(startingBalance(of: name))
            if o { return false }
            total = t
        }
        return true
    }

    /// An upper bound on the gas a whole game can charge, or nil when it does not fit in
    /// 2^63: every transaction a full `max_frame_bytes` frame of nonzero bytes, charged
    /// every fee at once (base, calldata with the roots a move may resupply, every slot it
    /// may touch read cold and written fresh, keccak, one-step verification per byte and
    /// per node hash), and as many transactions as the game
    /// allows (the commit, then per verifier a challenge, two moves per bisection round and
    /// the closing proof). The judge sums charges in UInt64; the loader refuses scenarios
    /// where this bound does not fit, so those sums cannot overflow.
    public var worstCaseGas: UInt64? {
        func mul(_ a: UInt64, _ b: UInt64) -> UInt64? {
            let (r, o) = a.multipliedReportingOverflow(by: b); return o ? nil : r
        }
        func add(_ terms: [UInt64?]) -> UInt64? {
            var sum: UInt64 = 0
            for t in terms {
                guard let t else { return nil }
                let (r, o) = sum.addingReportingOverflow(t)
                if o { return nil }
                sum = r
            }
            return sum
        }
        let frame = UInt64(max(0, game.maxFrameBytes))
        let words = frame / 32 + 1
        // Slots one transaction may touch: a round's roots, the move's own slots, a
        // resolution, and a settlement's refunds (an escrow and a balance per party).
        let slots = UInt64(max(4, game.largestArity)) + 16 + 2 * UInt64(verifiers.count + 1)
        let resupplied = 32 * UInt64(game.largestArity + 2)
        let calldataByte = max(gas.calldataZeroByte, gas.calldataNonZeroByte)
        let hashedWords = words + 2 * (resupplied / 32 + 1)
        guard let perSlot = add([gas.sstoreSet, gas.sstoreReset, mul(3, max(gas.sloadCold, gas.sloadWarm))]),
              let perTx = add([gas.txBase, mul(frame + resupplied, calldataByte), mul(perSlot, slots),
                               mul(3, gas.keccakBase), mul(gas.keccakPerWord, hashedWords),
                               gas.stepVerifyBase, mul(gas.stepVerifyPerProofByte, frame),
                               mul(gas.stepVerifyPerWorkUnit, 2 * words)])
        else { return nil }
        let rounds = UInt64(Bisection.ceilLog(task.maxSteps, base: max(2, game.smallestArity)))
        guard let perDispute = add([2, mul(2, rounds + 2)]), let txs = add([1, mul(UInt64(verifiers.count), perDispute)]),
              let total = mul(txs, perTx), total <= 1 << 63 else { return nil }
        return total
    }

    /// Game settings suited to real processes: blocks every 100 ms, generous timeouts so
    /// a party busy computing is not mistaken for a silent one.
    public static let defaultGame = GameConfig(arity: 2, blockIntervalMs: 100, commitTimeoutBlocks: 600,
                                               challengeWindowBlocks: 20, moveTimeoutBlocks: 300)
}

/// How the role processes reach each other.
public struct NetworkSpec: Equatable, Codable, Sendable {
    /// Where the judge binds (port 0 = any free port), e.g. "tcp://127.0.0.1:0".
    public var judgeBind: String
    /// Extra one-way delay added to every message, in ms.
    public var latencyMs: UInt64

    public init(judgeBind: String = "tcp://127.0.0.1:0", latencyMs: UInt64 = 0) {
        self.judgeBind = judgeBind; self.latencyMs = latencyMs
    }
}

/// One party: a name (used as its network identity) and its faults.
public struct PartySpec: Equatable, Codable, Sendable {
    public var name: String
    public var faults: [FaultSpec]
    /// A verifier's wait between seeing the commit and challenging, in blocks (0: at
    /// once): how a scenario orders several challengers.
    public var challengeDelayBlocks: UInt64

    public init(name: String, faults: [FaultSpec] = [], challengeDelayBlocks: UInt64 = 0) {
        self.name = name; self.faults = faults; self.challengeDelayBlocks = challengeDelayBlocks
    }

    enum CodingKeys: String, CodingKey { case name, faults, challengeDelayBlocks = "challenge_delay_blocks" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), faults: try c.decode([FaultSpec].self, forKey: .faults),
                  challengeDelayBlocks: try c.decodeIfPresent(UInt64.self, forKey: .challengeDelayBlocks) ?? 0)
    }
}
