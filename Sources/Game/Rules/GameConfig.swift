/// How the chain plays several challenges of one claim.
public enum ChallengeMode: String, Codable, CaseIterable, Sendable {
    /// Truebit's rule: one dispute at a time, in the order the challenges came; every move
    /// has `move_timeout_blocks`. Settlement can wait for every challenger in turn.
    case sequential
    /// Every challenge is played at once against the solver, which must answer them all;
    /// every move has `move_timeout_blocks`. Settlement waits for the longest dispute only.
    case concurrent
    /// Concurrent disputes where each side of a dispute has a chess clock: `clock_blocks`
    /// for all its moves in that dispute together, running only while it is that side's
    /// turn (as in Optimism's fault dispute game and Arbitrum's BoLD). A dispute lasts at
    /// most 2 × `clock_blocks` (+ a block per move), however many rounds it needs.
    case chessClock = "chess-clock"
}

/// The chain's rules for one game: arity, clock, timeouts, deposits and how a loser's
/// deposit is split. Shared by the judge and the drivers; parties learn what they need
/// from the judge's messages.
public struct GameConfig: Codable, Equatable, Sendable {
    /// k of the k-ary bisection (≥ 2): each round splits the interval into up to k parts.
    /// `GameConfig.autoArity` (0): the chain chooses k at the commit (`ArityChoice`).
    public var arity: Int

    /// The `arity` that means `k: auto`.
    public static let autoArity = 0
    /// True for `k: auto`.
    public var isAutoArity: Bool { arity == Self.autoArity }
    /// The largest k a game may play (for bounds on a round's roots).
    public var largestArity: Int { isAutoArity ? ArityChoice.candidates.upperBound : arity }
    /// The smallest k a game may play (for bounds on its number of rounds).
    public var smallestArity: Int { isAutoArity ? ArityChoice.candidates.lowerBound : arity }
    /// Virtual milliseconds between blocks; block number = ⌊time / blockIntervalMs⌋.
    public var blockIntervalMs: UInt64
    /// Blocks the solver has after the task is posted to commit.
    public var commitTimeoutBlocks: UInt64
    /// Blocks after the commit during which challenges are accepted.
    public var challengeWindowBlocks: UInt64
    /// Blocks a party has for each move once it is its turn.
    public var moveTimeoutBlocks: UInt64
    /// Deposit the solver locks with its commit.
    public var solverDeposit: UInt64
    /// Deposit each challenger locks with its challenge.
    public var challengerDeposit: UInt64
    /// Share of a loser's deposit paid to the winner, in basis points (0…10000); the rest burns.
    public var winnerShareBps: UInt64
    /// Largest frame the judge will look at; anything longer is rejected unread.
    public var maxFrameBytes: Int
    /// How several challenges are played.
    public var challenges: ChallengeMode
    /// Chess-clock mode: each side's total time for all its moves in one dispute, in blocks.
    public var clockBlocks: UInt64
    /// How the contract stores a bisection round's roots (gas only: the moves are the same).
    public var storage: RootStorage
    /// The gas price in the deposit currency (wei) per gas unit, or 0: with a price, every
    /// transaction's gas is paid from its sender's balance as it is mined, and a party
    /// that cannot pay cannot move (docs/GAME.md, "Paying for gas"). 0 keeps gas a figure
    /// only, apart from the balances.
    public var gasPriceWei: UInt64 = 0
    /// The largest `gasPriceWei` (~1 100 gwei): with every game's gas below 2^63 (the
    /// loader's `worstCaseGas`), fees stay far from overflow.
    public static let maxGasPriceWei: UInt64 = 1 << 40

    /// Builds a configuration; the defaults give quick games with 1 s blocks.
    public init(arity: Int = 2, blockIntervalMs: UInt64 = 1_000, commitTimeoutBlocks: UInt64 = 10,
                challengeWindowBlocks: UInt64 = 10, moveTimeoutBlocks: UInt64 = 5,
                solverDeposit: UInt64 = 1_000, challengerDeposit: UInt64 = 1_000,
                winnerShareBps: UInt64 = 5_000, maxFrameBytes: Int = GameMessage.defaultMaxFrameBytes,
                challenges: ChallengeMode = .sequential, clockBlocks: UInt64 = 60, storage: RootStorage = .perRoot) {
        self.arity = arity; self.blockIntervalMs = blockIntervalMs
        self.commitTimeoutBlocks = commitTimeoutBlocks; self.challengeWindowBlocks = challengeWindowBlocks
        self.moveTimeoutBlocks = moveTimeoutBlocks; self.solverDeposit = solverDeposit
        self.challengerDeposit = challengerDeposit; self.winnerShareBps = winnerShareBps
        self.maxFrameBytes = maxFrameBytes; self.challenges = challenges; self.clockBlocks = clockBlocks
        self.storage = storage
    }

    /// The configuration's keys, named as in scenario files (`k` is the arity).
    public enum Key: String, CodingKey, CaseIterable, Sendable {
        case k, blockIntervalMs = "block_interval_ms", commitTimeoutBlocks = "commit_timeout_blocks"
        case challengeWindowBlocks = "challenge_window_blocks", moveTimeoutBlocks = "move_timeout_blocks"
        case solverDeposit = "solver_deposit", challengerDeposit = "challenger_deposit"
        case winnerShareBps = "winner_share_bps", maxFrameBytes = "max_frame_bytes"
        case challenges, clockBlocks = "clock_blocks", storage, gasPriceWei = "gas_price_wei"
    }

    /// Encodes with the scenario keys.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(arity, forKey: .k); try c.encode(blockIntervalMs, forKey: .blockIntervalMs)
        try c.encode(commitTimeoutBlocks, forKey: .commitTimeoutBlocks)
        try c.encode(challengeWindowBlocks, forKey: .challengeWindowBlocks)
        try c.encode(moveTimeoutBlocks, forKey: .moveTimeoutBlocks); try c.encode(solverDeposit, forKey: .solverDeposit)
        try c.encode(challengerDeposit, forKey: .challengerDeposit); try c.encode(winnerShareBps, forKey: .winnerShareBps)
        try c.encode(maxFrameBytes, forKey: .maxFrameBytes)
        try c.encode(challenges, forKey: .challenges); try c.encode(clockBlocks, forKey: .clockBlocks)
        try c.encode(storage, forKey: .storage)
        // Left out when 0, so configurations from before it encode (and digest) as they did.
        if gasPriceWei != 0 { try c.encode(gasPriceWei, forKey: .gasPriceWei) }
    }

    /// Decodes the scenario keys; every key is required but `gas_price_wei` (0).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(arity: try c.decode(Int.self, forKey: .k), blockIntervalMs: try c.decode(UInt64.self, forKey: .blockIntervalMs),
                  commitTimeoutBlocks: try c.decode(UInt64.self, forKey: .commitTimeoutBlocks),
                  challengeWindowBlocks: try c.decode(UInt64.self, forKey: .challengeWindowBlocks),
                  moveTimeoutBlocks: try c.decode(UInt64.self, forKey: .moveTimeoutBlocks),
                  solverDeposit: try c.decode(UInt64.self, forKey: .solverDeposit),
                  challengerDeposit: try c.decode(UInt64.self, forKey: .challengerDeposit),
                  winnerShareBps: try c.decode(UInt64.self, forKey: .winnerShareBps),
                  maxFrameBytes: try c.decode(Int.self, forKey: .maxFrameBytes),
                  challenges: try c.decode(ChallengeMode.self, forKey: .challenges),
                  clockBlocks: try c.decode(UInt64.self, forKey: .clockBlocks),
                  storage: try c.decode(RootStorage.self, forKey: .storage))
        gasPriceWei = try c.decodeIfPresent(UInt64.self, forKey: .gasPriceWei) ?? 0
    }

    /// Longest span one timeout may cover, in ms: (timeout blocks + 1) × `blockIntervalMs`
    /// ≤ 2^42 (about 139 years). With every per-key bound this makes the deadline
    /// arithmetic overflow-free.
    public static let maxSpanMs: UInt64 = 1 << 42

    /// Problems that make the configuration unusable, each naming its key; empty when fine.
    public func problems() -> [ConfigProblem] {
        var p: [ConfigProblem] = []
        func add(_ key: Key, _ message: String) { p.append(ConfigProblem(key: key, message: message)) }
        if !isAutoArity && (arity < 2 || arity > 1 << 16) { add(.k, "must be in 2...65536 or auto, got \(arity)") }
        if blockIntervalMs == 0 { add(.blockIntervalMs, "must be > 0") }
        // Every move is mined at least one block after the state it answers (docs/GAME.md,
        // "Clock"), so a timeout or window of 0 blocks would refuse every move it is for.
        if commitTimeoutBlocks == 0 { add(.commitTimeoutBlocks, "must be > 0") }
        if challengeWindowBlocks == 0 { add(.challengeWindowBlocks, "must be > 0") }
        if moveTimeoutBlocks == 0 { add(.moveTimeoutBlocks, "must be > 0") }
        if winnerShareBps > 10_000 { add(.winnerShareBps, "must be ≤ 10000, got \(winnerShareBps)") }
        if gasPriceWei > Self.maxGasPriceWei { add(.gasPriceWei, "must be ≤ \(Self.maxGasPriceWei) wei, got \(gasPriceWei)") }
        // Bounds that keep every block and money sum far from UInt64 overflow.
        let blockBound: UInt64 = 1 << 32, moneyBound: UInt64 = 1 << 56
        if clockBlocks == 0 { add(.clockBlocks, "must be > 0") }
        for (key, v) in [(Key.commitTimeoutBlocks, commitTimeoutBlocks), (.challengeWindowBlocks, challengeWindowBlocks),
                         (.moveTimeoutBlocks, moveTimeoutBlocks), (.blockIntervalMs, blockIntervalMs),
                         (.clockBlocks, clockBlocks)] where v > blockBound {
            add(key, "must be ≤ \(blockBound), got \(v)")
        }
        // Every deadline is computed as (block + timeout + 1) × block_interval_ms; bounding
        // each timeout's span in ms keeps those products, and a game's virtual time (a sum
        // of such spans), far from UInt64 overflow whatever the individual values.
        if blockIntervalMs > 0, blockIntervalMs <= blockBound {
            for (key, v) in [(Key.commitTimeoutBlocks, commitTimeoutBlocks), (.challengeWindowBlocks, challengeWindowBlocks),
                             (.moveTimeoutBlocks, moveTimeoutBlocks), (.clockBlocks, clockBlocks)] where v <= blockBound {
                let (span, overflow) = blockIntervalMs.multipliedReportingOverflow(by: v + 1)
                if overflow || span > Self.maxSpanMs {
                    add(key, "spans too long: (\(v) + 1) blocks × `block_interval_ms` \(blockIntervalMs) ms exceeds 2^42 ms (about 139 years); shorten one of them")
                }
            }
        }
        for (key, v) in [(Key.solverDeposit, solverDeposit), (.challengerDeposit, challengerDeposit)] where v > moneyBound {
            add(key, "must be ≤ \(moneyBound), got \(v)")
        }
        if maxFrameBytes < 256 { add(.maxFrameBytes, "must be ≥ 256, got \(maxFrameBytes)") }
        // A round's post_roots frame carries k − 1 roots and must fit in a frame.
        let rootsFrame = 2 + 8 + 4 + 4 + 32 * max(0, largestArity - 1)
        if largestArity >= 2, rootsFrame > maxFrameBytes {
            add(.k, "\(isAutoArity ? "auto (up to \(largestArity))" : "\(arity)") needs post_roots frames of \(rootsFrame) bytes, more than `max_frame_bytes` (\(maxFrameBytes))")
        }
        return p
    }
}

/// One reason a game configuration is unusable: the key (as in scenario files) and what
/// is wrong with its value.
public struct ConfigProblem: Equatable, Sendable, CustomStringConvertible {
    /// The offending key.
    public var key: GameConfig.Key
    /// What is wrong, without the key's name.
    public var message: String
    /// Builds a problem.
    public init(key: GameConfig.Key, message: String) { self.key = key; self.message = message }
    /// "`key` message".
    public var description: String { "`\(key.rawValue)` \(message)" }
}

/// An unusable game: a configuration with problems, or parties that cannot play it.
public struct GameConfigError: Error, Equatable, CustomStringConvertible {
    /// The configuration's problems, each naming its key.
    public var problems: [ConfigProblem]
    /// Party numbers used twice or taken by the judge.
    public var badParties: [PartyID]
    /// Builds an error.
    public init(problems: [ConfigProblem], badParties: [PartyID] = []) {
        self.problems = problems; self.badParties = badParties
    }
    /// "invalid game config: " + the problems.
    public var description: String {
        var parts = problems.map(\.description)
        if !badParties.isEmpty {
            parts.append("party numbers must be distinct and not 0 (the judge's): \(badParties.map(\.rawValue))")
        }
        return "invalid game config: " + parts.joined(separator: "; ")
    }
}
