import Game
import Scenario

/// Words for what the judge and the parties report as data: resolutions, rejections and
/// notes, with parties spelled by their names in the scenario. The only place where the
/// protocol's reasons become prose.
public struct ReasonText: Sendable {
    /// Names for party numbers.
    public let roster: Roster

    /// Renders with `roster`'s names.
    public init(roster: Roster) { self.roster = roster }

    func name(_ p: PartyID) -> String { roster.name(of: p) }

    /// Why a dispute or game ended.
    public func text(_ r: Resolution) -> String {
        switch r {
        case let .solverDidNotCommit(d): return "the solver did not commit by block \(d)"
        case .noChallenge: return "no challenge in the window"
        case .solverWonEveryDispute: return "solver won every dispute"
        case let .solverLostDispute(d, cause): return "solver lost dispute \(d): \(text(cause))"
        case .notSettled: return "not settled"
        case .pending: return "not played"
        case .settledFirst: return "not played: game settled first (deposit refunded)"
        case let .missedDeadline(p, d): return "\(name(p)) missed its deadline at block \(d)"
        case .zeroStepClaim: return "zero-step claim: the root is the agreed initial root"
        case let .stepProofVerified(s): return "step proof of \(s) → \(s + 1) verified"
        case let .stepProofInvalid(s, detail): return "step proof of \(s) invalid: \(detail)"
        case let .stepProofWrongStart(s, proven, agreed):
            return "step proof of \(s) starts from \(proven), not the agreed root \(agreed)"
        case let .stepProofWrongEnd(s, proven, claimed):
            return "step proof of \(s) ends in \(proven), not the solver's root \(claimed)"
        case .outputOpeningMatches: return "output opening matches the claimed output hash"
        case let .outputOpeningInvalid(detail): return "output opening invalid: \(detail)"
        case let .outputMismatch(opened, claimed): return "opened output hashes to \(opened), not the claimed \(claimed)"
        }
    }

    /// Why the judge refused a frame.
    public func text(_ r: Rejection) -> String {
        switch r {
        case let .undecodable(e): return "undecodable frame: \(e)"
        case let .oversized(bytes, max): return "frame of \(bytes) bytes exceeds the maximum of \(max)"
        case .unknownSender: return "not a party of this game"
        case let .notATransaction(k): return "\(k.rawValue) is a notification, not a transaction"
        case let .beforeChainClock(t, now): return "frame time \(t) ms is before the chain's clock \(now) ms"
        case let .unknownTask(id): return "unknown task \(id)"
        case let .wrongSender(k, allowed):
            if let allowed { return "only \(name(allowed)) may send \(k.rawValue)" }
            return "only verifiers may send \(k.rawValue)"
        case let .outOfTurn(k): return "\(k.rawValue) out of turn"
        case let .late(k, block, deadline): return "\(k.rawValue) in block \(block) after deadline \(deadline)"
        case let .stepLimitExceeded(steps, limit): return "claim of \(steps) steps exceeds the step limit \(limit)"
        case let .overBlockGasLimit(gas, limit): return "costs \(gas) gas, more than the block gas limit \(limit)"
        case .zeroStepClaimNotInitial: return "a zero-step claim must have the initial root"
        case let .insufficientBalance(needed, balance): return "balance \(balance) below the deposit of \(needed)"
        case let .cannotPayGas(fee, balance): return "balance \(balance) cannot pay the move's gas (\(fee) wei); not mined"
        case let .haltProofInvalid(detail): return "halt proof invalid: \(detail)"
        case let .haltProofMismatch(pre, post, halted):
            return "halt proof does not show the claimed root halted (pre \(pre), post \(post), halted \(halted))"
        case let .stepCountMismatch(claimed, halted):
            guard let halted else { return "halt proof does not open the step counter; the claim says \(claimed) steps" }
            return "claims \(claimed) steps, but the halted state records that it halted at step \(halted)"
        case .alreadyChallenged: return "already challenged"
        case let .challengeAgreesWithClaim(kind):
            return kind == .trace ? "trace challenge with the solver's own root" : "output challenge with the solver's own output hash"
        case let .noActiveDispute(d): return "no active dispute \(d)"
        case let .wrongRootCount(expected, got): return "expected \(expected) roots, got \(got)"
        case let .pickOutOfRange(index, max): return "pick index \(index) outside 0...\(max)"
        case let .wrongDomain(d): return "a signed message of domain \(d), not a transaction"
        case .wrongChain: return "signed for another chain"
        case let .unknownAccount(p): return "no account for party \(p.rawValue)"
        case .badSignature: return "signature does not verify"
        case let .staleNonce(nonce, last): return "nonce \(nonce) not above the last admitted \(last)"
        }
    }

    /// A state machine's note, as a log line.
    public func text(_ n: GameNote) -> String {
        switch n {
        case .alreadyStarted: return "start ignored, already started"
        case let .challengeQueued(d, c): return "challenge \(d) by \(name(c)) queued"
        case let .undecodableFrame(e): return "ignored an undecodable frame: \(e)"
        case let .notFromJudge(k, sender): return "ignored \(k.rawValue) from \(name(sender))"
        case let .agrees(own, claimed):
            return own == claimed ? "agrees with the claim"
                : "agrees with the claim (step counts differ, \(own) vs \(claimed), but a halted root is final)"
        case let .withholds(k): return "silent, withholds \(k.rawValue)"
        case let .refusesFinalProof(kind): return kind == .trace ? "refuses the step proof" : "refuses the output opening"
        case let .unexpectedTurn(k): return "unexpected \(k.rawValue)"
        case let .oracleFailed(why): return "its execution failed: \(why)"
        case let .disputeResolved(d, winner, reason): return "dispute \(d) won by \(name(winner)): \(text(reason))"
        case let .arityChosen(steps, c, next): return text(arityChoice: c, steps: steps, next: next)
        }
    }

    /// An outcome as one line: accepted or rejected, the winner and why.
    public func text(_ o: GameOutcome) -> String {
        "accepted=\(o.accepted) winner=\(o.winner.map(name) ?? "none") (\(text(o.reason)))"
    }

    /// Why `k: auto` chose what it did.
    public func text(arityChoice c: ArityChoice, steps: UInt64, next: ArityChoice?) -> String {
        var s = "k = \(c.k) (auto): the cheapest bisection of \(ReportFormat.grouped(steps)) steps among k = "
            + "\(ArityChoice.candidates.lowerBound)…\(ArityChoice.candidates.upperBound), \(c.picks) picks ≈ \(ReportFormat.grouped(c.gas)) gas"
        if let n = next { s += " (next best: k = \(n.k), \(n.picks) picks ≈ \(ReportFormat.grouped(n.gas)) gas)" }
        return s
    }

    /// A progress line: the block, the phase, and per dispute its round, who is to move
    /// and by when.
    public func text(_ c: ChainStatus) -> String {
        var parts = ["block \(c.block)"]
        switch c.phase {
        case .idle: parts.append("task not posted yet")
        case let .awaitingCommit(deadline): parts.append("waiting for \(name(c.solver))'s commit (until block \(deadline))")
        case let .verifying(steps, windowEnd, queued):
            let window = c.block <= windowEnd ? "challenges until block \(windowEnd)" : "challenge window closed"
            parts.append("claim of \(ReportFormat.grouped(steps)) steps, \(window)" + (queued > 0 ? ", \(queued) challenge(s) queued" : ""))
            for d in c.disputes {
                parts.append("dispute \(d.id) (\(name(d.challenger))): round \(d.round) of ≤ \(d.maxRounds), \(name(d.mover)) to move by block \(d.deadline)")
            }
        case let .settled(accepted): parts.append("settled: \(accepted ? "accepted" : "rejected")")
        }
        return parts.joined(separator: " · ")
    }
}
