/// How a dispute ended, coarser than its `Resolution` and stable for tools and scenario
/// expectations: whether the chain checked a one-step proof, an output opening, or ruled
/// on a missed deadline.
public enum DisputeEnding: String, Codable, Sendable, CaseIterable {
    /// The judge checked the solver's one-step proof (valid or not).
    case stepProof = "step_proof"
    /// The judge checked the solver's output opening (matching or not).
    case outputOpening = "output_opening"
    /// A party missed its move's deadline; nothing was checked.
    case timeout
    /// A zero-step claim: nothing to bisect, the solver won at once.
    case zeroStepClaim = "zero_step_claim"
    /// Never played (the game settled first), or not yet resolved.
    case notPlayed = "not_played"
}

extension Resolution {
    /// How a dispute that ended for this reason ended (`notPlayed` for `.pending`,
    /// `.settledFirst` and the reasons of a whole game, which no dispute ends with).
    public var disputeEnding: DisputeEnding {
        switch self {
        case .stepProofVerified, .stepProofInvalid, .stepProofWrongStart, .stepProofWrongEnd: return .stepProof
        case .outputOpeningMatches, .outputOpeningInvalid, .outputMismatch: return .outputOpening
        case .missedDeadline: return .timeout
        case .zeroStepClaim: return .zeroStepClaim
        case .pending, .settledFirst, .solverDidNotCommit, .noChallenge, .solverWonEveryDispute, .solverLostDispute,
             .notSettled:
            return .notPlayed
        }
    }

    /// The step whose one-step proof the judge checked, when a dispute ended that way.
    public var provenStep: UInt64? {
        switch self {
        case let .stepProofVerified(step), let .stepProofInvalid(step, _), let .stepProofWrongStart(step, _, _),
             let .stepProofWrongEnd(step, _, _):
            return step
        default: return nil
        }
    }
}
