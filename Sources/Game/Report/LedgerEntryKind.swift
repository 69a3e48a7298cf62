/// What a ledger entry records: an accepted transaction (named as the move it carries)
/// or an event of the chain itself.
public enum LedgerEntryKind: String, Codable, CaseIterable, Sendable {
    /// The task was posted and the commit deadline opened.
    case taskPosted = "task_posted"
    /// The solver's commit.
    case commit
    /// A verifier's challenge.
    case challenge
    /// The solver's roots for one bisection round.
    case postRoots = "post_roots"
    /// The challenger's pick of a sub-interval.
    case pick
    /// The solver's one-step proof.
    case stepProof = "step_proof"
    /// The solver's output opening.
    case outputOpening = "output_opening"
    /// A party missed its deadline; the winner pays for the call that says so.
    case timeout
    /// The window closed with the claim standing; the solver pays for the call.
    case finalize
    /// A queued challenge's dispute began (sequential mode, after the dispute before it
    /// ended): the solver's first move is due.
    case disputeStarted = "dispute_started"
    /// A dispute ended.
    case disputeResolved = "dispute_resolved"
    /// The game ended.
    case settled
    /// A transaction from a party that the rules refused while the game was open: mined
    /// and reverted, its sender pays for what the contract did before the revert.
    case reverted
    /// A judge process took over from the ledger after the previous one stopped: the
    /// chain was down from the entry before until this one (its clock did not run).
    case judgeRestarted = "judge_restarted"

    /// The kinds that are parties' transactions (the rest are the chain's own entries).
    public static let transactionKinds: Set<LedgerEntryKind> = [.commit, .challenge, .postRoots, .pick, .stepProof, .outputOpening]

    /// The ledger kind of an accepted transaction.
    public init?(transaction kind: GameMessage.Kind) {
        switch kind {
        case .commit: self = .commit
        case .challenge: self = .challenge
        case .postRoots: self = .postRoots
        case .pick: self = .pick
        case .stepProof: self = .stepProof
        case .outputOpening: self = .outputOpening
        default: return nil
        }
    }
}
