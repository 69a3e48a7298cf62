import Commitment

/// Every frame of the game. Transactions go from a party to the judge (the simulated
/// chain); notifications go from the judge to the parties (the public chain log they
/// watch). The binary encoding (`encode()` / `decode(_:)`) is specified in docs/GAME.md.
public enum GameMessage: Equatable, Sendable {
    // MARK: transactions (party → judge)

    /// Solver: commits to `claim`, locking its deposit; `haltProof` is the one-step proof
    /// of step `claim.steps`, showing the claimed final state is halted.
    case commit(taskID: UInt64, claim: Claim, haltProof: [UInt8])
    /// Verifier: disputes the solver's claim, locking its deposit; `claim` is its own result.
    case challenge(taskID: UInt64, kind: DisputeKind, claim: Claim)
    /// Solver: the roots at the points the judge named, in order.
    case postRoots(taskID: UInt64, dispute: UInt32, roots: [Digest])
    /// Challenger: names sub-interval `index` (0-based) as the first one it disputes.
    case pick(taskID: UInt64, dispute: UInt32, index: UInt32)
    /// Solver: the one-step proof of step lo → lo+1 once the interval is one step wide.
    case stepProof(taskID: UInt64, dispute: UInt32, proof: [UInt8])
    /// Solver: the opening of the final state's output, in an output dispute.
    case outputOpening(taskID: UInt64, dispute: UInt32, opening: [UInt8])

    // MARK: notifications (judge → parties)

    /// A task was posted.
    case taskPosted(PostedTask)
    /// The solver committed; challenges are accepted up to and including block `challengeDeadline`.
    case committed(taskID: UInt64, solver: PartyID, claim: Claim, challengeDeadline: UInt64)
    /// The solver must move in dispute `dispute` by block `deadline`: post roots at
    /// `points` (trace, hi − lo > 1), the step proof of lo (trace, hi − lo = 1), or the
    /// output opening (output dispute).
    case solverTurn(taskID: UInt64, dispute: UInt32, challenger: PartyID, kind: DisputeKind,
                    lo: UInt64, hi: UInt64, points: [UInt64], deadline: UInt64)
    /// The challenger must pick a sub-interval of lo, points…, hi by block `deadline`;
    /// `roots[i]` is the solver's root at `points[i]`.
    case challengerTurn(taskID: UInt64, dispute: UInt32, lo: UInt64, hi: UInt64,
                        points: [UInt64], roots: [Digest], deadline: UInt64)
    /// A dispute ended.
    case disputeResolved(taskID: UInt64, dispute: UInt32, challenger: PartyID, winner: PartyID, reason: Resolution)
    /// The game is over: the claim was accepted or not; `winner` is the solver on
    /// acceptance, the challenger that beat it on rejection, nil if nobody committed.
    case settled(taskID: UInt64, accepted: Bool, winner: PartyID?, reason: Resolution)

    /// True for frames a party sends to the judge.
    public var isTransaction: Bool {
        switch self {
        case .commit, .challenge, .postRoots, .pick, .stepProof, .outputOpening: return true
        default: return false
        }
    }

    /// The kinds of frame, named as in logs, ledgers and docs/GAME.md.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case commit, challenge, postRoots = "post_roots", pick, stepProof = "step_proof"
        case outputOpening = "output_opening", taskPosted = "task_posted", committed
        case solverTurn = "solver_turn", challengerTurn = "challenger_turn"
        case disputeResolved = "dispute_resolved", settled
    }

    /// Which kind of frame this is.
    public var kind: Kind {
        switch self {
        case .commit: return .commit
        case .challenge: return .challenge
        case .postRoots: return .postRoots
        case .pick: return .pick
        case .stepProof: return .stepProof
        case .outputOpening: return .outputOpening
        case .taskPosted: return .taskPosted
        case .committed: return .committed
        case .solverTurn: return .solverTurn
        case .challengerTurn: return .challengerTurn
        case .disputeResolved: return .disputeResolved
        case .settled: return .settled
        }
    }
}
