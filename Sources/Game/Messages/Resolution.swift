import Commitment

/// Why a dispute or a whole game ended. The judge records it in its report and sends it
/// in `disputeResolved` and `settled` notifications; words for it exist only in the
/// report's renderers, which spell parties by name.
public indirect enum Resolution: Equatable, Hashable, Codable, Sendable {
    // MARK: games

    /// The solver did not commit by block `deadline`.
    case solverDidNotCommit(deadline: UInt64)
    /// The challenge window closed without a challenge.
    case noChallenge
    /// Every dispute was won by the solver.
    case solverWonEveryDispute
    /// The solver lost dispute `dispute`, for `cause`.
    case solverLostDispute(dispute: UInt32, cause: Resolution)
    /// The game has not settled (a report taken early).
    case notSettled

    // MARK: disputes

    /// Accepted but not played yet.
    case pending
    /// Never played: the game settled first and the challenger's deposit was refunded.
    case settledFirst
    /// `party` did not move by block `deadline`.
    case missedDeadline(party: PartyID, deadline: UInt64)
    /// A zero-step claim's root is the agreed initial root, so nothing is disputed.
    case zeroStepClaim
    /// The step proof of `step` → `step + 1` connects the agreed and the claimed root.
    case stepProofVerified(step: UInt64)
    /// The step proof of `step` does not verify; `detail` is the verifier's diagnosis.
    case stepProofInvalid(step: UInt64, detail: String)
    /// The step proof of `step` starts from `proven`, not the agreed root `agreed`.
    case stepProofWrongStart(step: UInt64, proven: Digest, agreed: Digest)
    /// The step proof of `step` ends in `proven`, not the solver's root `claimed`.
    case stepProofWrongEnd(step: UInt64, proven: Digest, claimed: Digest)
    /// The output opening hashes to the claimed output hash.
    case outputOpeningMatches
    /// The output opening does not check against the root; `detail` says why.
    case outputOpeningInvalid(detail: String)
    /// The opened output hashes to `opened`, not the claimed `claimed`.
    case outputMismatch(opened: Digest, claimed: Digest)

    /// A short stable name for tools (`missed_deadline`, `step_proof_verified`, …).
    public var code: String {
        switch self {
        case .solverDidNotCommit: return "solver_did_not_commit"
        case .noChallenge: return "no_challenge"
        case .solverWonEveryDispute: return "solver_won_every_dispute"
        case .solverLostDispute: return "solver_lost_dispute"
        case .notSettled: return "not_settled"
        case .pending: return "pending"
        case .settledFirst: return "settled_first"
        case .missedDeadline: return "missed_deadline"
        case .zeroStepClaim: return "zero_step_claim"
        case .stepProofVerified: return "step_proof_verified"
        case .stepProofInvalid: return "step_proof_invalid"
        case .stepProofWrongStart: return "step_proof_wrong_start"
        case .stepProofWrongEnd: return "step_proof_wrong_end"
        case .outputOpeningMatches: return "output_opening_matches"
        case .outputOpeningInvalid: return "output_opening_invalid"
        case .outputMismatch: return "output_mismatch"
        }
    }
}

extension FrameWriter {
    /// A resolution: a tag byte, then its fields (nested causes recursively).
    public mutating func resolution(_ r: Resolution) {
        switch r {
        case let .solverDidNotCommit(d): u8(1); u64(d)
        case .noChallenge: u8(2)
        case .solverWonEveryDispute: u8(3)
        case let .solverLostDispute(d, cause): u8(4); u32(d); resolution(cause)
        case .notSettled: u8(5)
        case .pending: u8(6)
        case .settledFirst: u8(7)
        case let .missedDeadline(p, d): u8(8); u32(p.rawValue); u64(d)
        case .zeroStepClaim: u8(9)
        case let .stepProofVerified(s): u8(10); u64(s)
        case let .stepProofInvalid(s, detail): u8(11); u64(s); string(detail)
        case let .stepProofWrongStart(s, p, a): u8(12); u64(s); digest(p); digest(a)
        case let .stepProofWrongEnd(s, p, c): u8(13); u64(s); digest(p); digest(c)
        case .outputOpeningMatches: u8(14)
        case let .outputOpeningInvalid(detail): u8(15); string(detail)
        case let .outputMismatch(o, c): u8(16); digest(o); digest(c)
        }
    }
}

extension FrameReader {
    /// Reads what `FrameWriter.resolution` wrote; causes nest at most `depth` deep.
    public mutating func resolution(_ f: String, depth: Int = 4) throws -> Resolution {
        let at = offset
        switch try u8(f) {
        case 1: return .solverDidNotCommit(deadline: try u64(f + ".deadline"))
        case 2: return .noChallenge
        case 3: return .solverWonEveryDispute
        case 4:
            let d = try u32(f + ".dispute")
            guard depth > 0 else {
                throw GameMessageError(.invalidValue(field: f, detail: "causes nested too deep"), at: at)
            }
            return .solverLostDispute(dispute: d, cause: try resolution(f + ".cause", depth: depth - 1))
        case 5: return .notSettled
        case 6: return .pending
        case 7: return .settledFirst
        case 8: return .missedDeadline(party: PartyID(try u32(f + ".party")), deadline: try u64(f + ".deadline"))
        case 9: return .zeroStepClaim
        case 10: return .stepProofVerified(step: try u64(f + ".step"))
        case 11: return .stepProofInvalid(step: try u64(f + ".step"), detail: try string(f + ".detail"))
        case 12: return .stepProofWrongStart(step: try u64(f + ".step"), proven: try digest(f + ".proven"),
                                             agreed: try digest(f + ".agreed"))
        case 13: return .stepProofWrongEnd(step: try u64(f + ".step"), proven: try digest(f + ".proven"),
                                           claimed: try digest(f + ".claimed"))
        case 14: return .outputOpeningMatches
        case 15: return .outputOpeningInvalid(detail: try string(f + ".detail"))
        case 16: return .outputMismatch(opened: try digest(f + ".opened"), claimed: try digest(f + ".claimed"))
        case let tag:
            throw GameMessageError(.invalidValue(field: f, detail: "unknown resolution tag \(tag)"), at: at)
        }
    }
}
