/// Ways a solver deviates from the protocol. (A wrong execution is not a fault here: it
/// is injected into the solver's `TraceOracle` by the scenario layer.)
public enum SolverFault: Codable, Equatable, Hashable, Sendable {
    /// Runs the task correctly but claims a different output hash.
    case wrongOutput
    /// From pick round `fromRound` (1-based) of every trace dispute, posts fabricated roots.
    case lieInBisection(fromRound: Int)
    /// Never sends the closing move: neither the one-step proof nor the output opening.
    case refuseFinalProof
    /// Sends nothing from its `fromMove`-th transaction on (1 = the commit).
    case silent(fromMove: Int)
    /// Runs the task correctly but claims `by` more steps than it took (fewer when
    /// negative; never below 0), with the valid halt proof of the step it halted at.
    case wrongStepCount(by: Int64)
}

/// Ways a verifier deviates from the protocol.
public enum VerifierFault: Codable, Equatable, Hashable, Sendable {
    /// Challenges even when its own run agrees with the solver's claim.
    case challengeCorrectResult(kind: DisputeKind)
    /// From pick round `fromRound` (1-based), names a sub-interval it does not dispute.
    case lieInBisection(fromRound: Int)
    /// Sends nothing from its `fromMove`-th transaction on (1 = the challenge).
    case silent(fromMove: Int)
}
