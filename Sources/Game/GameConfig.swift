/// The chain's rules for one game: arity, clock, timeouts, deposits and how a loser's
/// deposit is split. Shared by the judge and the drivers; parties learn what they need
/// from the judge's messages.
public struct GameConfig: Codable, Equatable, Sendable {
    /// k of the k-ary bisection (≥ 2): each round splits the interval into up to k parts.
    public var arity: Int
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

    /// Builds a configuration; the defaults give quick games with 1 s blocks.
    public init(arity: Int = 2, blockIntervalMs: UInt64 = 1_000, commitTimeoutBlocks: UInt64 = 10,
                challengeWindowBlocks: UInt64 = 10, moveTimeoutBlocks: UInt64 = 5,
                solverDeposit: UInt64 = 1_000, challengerDeposit: UInt64 = 1_000,
                winnerShareBps: UInt64 = 5_000, maxFrameBytes: Int = GameMessage.defaultMaxFrameBytes) {
        self.arity = arity; self.blockIntervalMs = blockIntervalMs
        self.commitTimeoutBlocks = commitTimeoutBlocks; self.challengeWindowBlocks = challengeWindowBlocks
        self.moveTimeoutBlocks = moveTimeoutBlocks; self.solverDeposit = solverDeposit
        self.challengerDeposit = challengerDeposit; self.winnerShareBps = winnerShareBps
        self.maxFrameBytes = maxFrameBytes
    }

    enum CodingKeys: String, CodingKey {
        case arity, blockIntervalMs = "block_interval_ms", commitTimeoutBlocks = "commit_timeout_blocks"
        case challengeWindowBlocks = "challenge_window_blocks", moveTimeoutBlocks = "move_timeout_blocks"
        case solverDeposit = "solver_deposit", challengerDeposit = "challenger_deposit"
        case winnerShareBps = "winner_share_bps", maxFrameBytes = "max_frame_bytes"
    }

    /// Problems that make the configuration unusable, each naming its key; empty when fine.
    public func problems() -> [String] {
        var p: [String] = []
        if arity < 2 || arity > 1 << 16 { p.append("`arity` must be in 2...65536, got \(arity)") }
        if blockIntervalMs == 0 { p.append("`block_interval_ms` must be > 0") }
        if moveTimeoutBlocks == 0 { p.append("`move_timeout_blocks` must be > 0") }
        if winnerShareBps > 10_000 { p.append("`winner_share_bps` must be ≤ 10000, got \(winnerShareBps)") }
        // Bounds that keep every block and money sum far from UInt64 overflow.
        let blockBound: UInt64 = 1 << 32, moneyBound: UInt64 = 1 << 56
        for (key, v) in [("commit_timeout_blocks", commitTimeoutBlocks), ("challenge_window_blocks", challengeWindowBlocks),
                         ("move_timeout_blocks", moveTimeoutBlocks), ("block_interval_ms", blockIntervalMs)] where v > blockBound {
            p.append("`\(key)` must be ≤ \(blockBound), got \(v)")
        }
        for (key, v) in [("solver_deposit", solverDeposit), ("challenger_deposit", challengerDeposit)] where v > moneyBound {
            p.append("`\(key)` must be ≤ \(moneyBound), got \(v)")
        }
        if maxFrameBytes < 256 { p.append("`max_frame_bytes` must be ≥ 256, got \(maxFrameBytes)") }
        // A round's post_roots frame carries k − 1 roots and must fit in a frame.
        let rootsFrame = 2 + 8 + 4 + 4 + 32 * max(0, arity - 1)
        if arity >= 2, rootsFrame > maxFrameBytes {
            p.append("`arity` \(arity) needs post_roots frames of \(rootsFrame) bytes, more than `max_frame_bytes` (\(maxFrameBytes))")
        }
        return p
    }
}

/// An unusable game configuration; `problems` names each offending key.
public struct GameConfigError: Error, Equatable, CustomStringConvertible {
    /// One line per problem, each naming its key.
    public var problems: [String]
    /// "invalid game config: " + the problems.
    public var description: String { "invalid game config: " + problems.joined(separator: "; ") }
}
