import Commitment

/// A root no honest execution produces, used by parties told to lie in bisection.
func fabricatedRoot(step: UInt64, salt: UInt64) -> Digest {
    Digest(w0: 0xBAD0_BAD0_BAD0_BAD0 ^ salt, w1: step, w2: ~step, w3: 0xFAB0_1CA7_ED00_0000 | (salt & 0xffff))
}

/// Flips every bit: a digest guaranteed to differ from `d`.
func corrupted(_ d: Digest) -> Digest { Digest(w0: ~d.w0, w1: ~d.w1, w2: ~d.w2, w3: ~d.w3) }

/// The solver's side of the game: runs the task through its oracle, commits, answers
/// every turn the judge gives it (roots, step proof, output opening), optionally
/// misbehaving as its faults say.
public struct SolverStateMachine {
    /// Where the solver stands.
    public enum State: Equatable {
        /// Waiting for the judge to post the task.
        case waitingForTask
        /// Committed to `claim`; answering disputes.
        case committed(taskID: UInt64, claim: Claim)
        /// The game settled.
        case done(GameOutcome)
        /// Its oracle failed; it can no longer play (and will time out).
        case failed(String)
    }

    /// This party's number.
    public let id: PartyID
    /// Deviations to act out.
    public let faults: [SolverFault]
    private let oracle: any TraceOracle
    /// Current state.
    public private(set) var state: State = .waitingForTask
    /// Transactions sent so far (and suppressed ones counted as attempts for `.silent`).
    public private(set) var movesAttempted = 0
    private var rootPostings: [UInt32: Int] = [:]

    /// A solver whose execution is `oracle`.
    public init(id: PartyID, oracle: any TraceOracle, faults: [SolverFault] = []) {
        self.id = id; self.oracle = oracle; self.faults = faults
    }

    /// Handles a raw frame from the judge: decodes it (an undecodable frame is logged and
    /// ignored) and passes it on to `receive(_:from:now:)`.
    public mutating func receive(frame: [UInt8], from sender: PartyID, now: UInt64) -> [GameAction] {
        do { return receive(try GameMessage.decode(frame), from: sender, now: now) } catch {
            return [.log("\(id): ignored an undecodable frame from \(sender): \(error)")]
        }
    }

    /// Handles a notification from the judge arriving at virtual time `now`.
    public mutating func receive(_ message: GameMessage, from sender: PartyID, now: UInt64) -> [GameAction] {
        guard sender == .judge else { return [.log("\(id): ignored \(message.kindName) from \(sender)")] }
        if case .done = state { return [] }
        do {
            switch message {
            case let .taskPosted(spec):
                guard case .waitingForTask = state else { return [] }
                var claim = try oracle.finalClaim()
                if faults.contains(.wrongOutput) { claim.outputHash = corrupted(claim.outputHash) }
                let proof = try oracle.stepProof(atStep: claim.steps)
                state = .committed(taskID: spec.id, claim: claim)
                return send(.commit(taskID: spec.id, claim: claim, haltProof: proof))
            case let .solverTurn(task, dispute, _, kind, lo, hi, points, _):
                guard case .committed = state else { return [] }
                if kind == .output {
                    if faults.contains(.refuseFinalProof) { return [.log("\(id): refuses the output opening")] }
                    return send(.outputOpening(taskID: task, dispute: dispute, opening: try oracle.outputOpening()))
                }
                if points.isEmpty {
                    guard hi - lo == 1 else { return [.log("\(id): solver turn with an empty interval")] }
                    if faults.contains(.refuseFinalProof) { return [.log("\(id): refuses the step proof")] }
                    return send(.stepProof(taskID: task, dispute: dispute, proof: try oracle.stepProof(atStep: lo)))
                }
                let round = rootPostings[dispute, default: 0] + 1
                rootPostings[dispute] = round
                var roots = try points.map { try oracle.root(atStep: $0) }
                if let from = lieFrom, round >= from {
                    roots = points.map { fabricatedRoot(step: $0, salt: UInt64(id.rawValue)) }
                }
                return send(.postRoots(taskID: task, dispute: dispute, roots: roots))
            case let .disputeResolved(_, dispute, challenger, winner, reason):
                return [.log("\(id): dispute \(dispute) with \(challenger) won by \(winner): \(reason)")]
            case let .settled(_, accepted, winner, reason):
                let o = GameOutcome(accepted: accepted, winner: winner, reason: reason)
                state = .done(o)
                return [.settled(o)]
            default:
                return []
            }
        } catch {
            state = .failed("\(error)")
            return [.log("\(id): oracle failed: \(error)")]
        }
    }

    /// Timer event. The judge enforces every deadline, so the solver has nothing to do.
    public mutating func tick(now: UInt64) -> [GameAction] { [] }

    private var lieFrom: Int? {
        for f in faults { if case let .lieInBisection(r) = f { return r } }
        return nil
    }

    private mutating func send(_ m: GameMessage) -> [GameAction] {
        movesAttempted += 1
        for f in faults {
            if case let .silent(from) = f, movesAttempted >= from {
                return [.log("\(id): silent, withholds \(m.kindName)")]
            }
        }
        return [.send(to: .judge, m)]
    }
}

/// A verifier's side: runs the task through its oracle, compares with the solver's
/// commit, challenges on disagreement (trace if the root differs, output if only the
/// output hash does), and names the first disputed sub-interval in every round.
public struct VerifierStateMachine {
    /// Where the verifier stands.
    public enum State: Equatable {
        /// Waiting for the judge to post the task.
        case waitingForTask
        /// Task posted, waiting for the solver's commit.
        case watching(taskID: UInt64)
        /// Its own run agrees with the claim; nothing to do.
        case agreed(Claim)
        /// Challenged the claim of the solver with `kind`.
        case challenging(kind: DisputeKind)
        /// The game settled.
        case done(GameOutcome)
        /// Its oracle failed.
        case failed(String)
    }

    /// This party's number.
    public let id: PartyID
    /// Deviations to act out.
    public let faults: [VerifierFault]
    private let oracle: any TraceOracle
    /// Current state.
    public private(set) var state: State = .waitingForTask
    /// Transactions attempted so far.
    public private(set) var movesAttempted = 0
    /// Pick rounds played so far.
    public private(set) var picks = 0

    /// A verifier whose execution is `oracle`.
    public init(id: PartyID, oracle: any TraceOracle, faults: [VerifierFault] = []) {
        self.id = id; self.oracle = oracle; self.faults = faults
    }

    /// Handles a raw frame from the judge: decodes it (an undecodable frame is logged and
    /// ignored) and passes it on to `receive(_:from:now:)`.
    public mutating func receive(frame: [UInt8], from sender: PartyID, now: UInt64) -> [GameAction] {
        do { return receive(try GameMessage.decode(frame), from: sender, now: now) } catch {
            return [.log("\(id): ignored an undecodable frame from \(sender): \(error)")]
        }
    }

    /// Handles a notification from the judge arriving at virtual time `now`.
    public mutating func receive(_ message: GameMessage, from sender: PartyID, now: UInt64) -> [GameAction] {
        guard sender == .judge else { return [.log("\(id): ignored \(message.kindName) from \(sender)")] }
        if case .done = state { return [] }
        do {
            switch message {
            case let .taskPosted(spec):
                guard case .waitingForTask = state else { return [] }
                state = .watching(taskID: spec.id)
                return []
            case let .committed(task, _, claim, _):
                // (A commit seen before the task itself is fine: the commit names the task.)
                switch state {
                case .waitingForTask, .watching: break
                default: return []
                }
                var mine = try oracle.finalClaim()
                let kind: DisputeKind
                if mine.root != claim.root {
                    kind = .trace
                } else if mine.outputHash != claim.outputHash {
                    kind = .output
                } else if let forced = forcedChallenge {
                    kind = forced
                    if kind == .trace { mine.root = corrupted(claim.root) } else { mine.outputHash = corrupted(claim.outputHash) }
                } else {
                    state = .agreed(claim)
                    let note = mine.steps == claim.steps ? "" : " (step counts differ, \(mine.steps) vs \(claim.steps), but a halted root is final)"
                    return [.log("\(id): agrees with the claim\(note)")]
                }
                state = .challenging(kind: kind)
                return send(.challenge(taskID: task, kind: kind, claim: mine))
            case let .challengerTurn(task, dispute, _, _, points, roots, _):
                guard case .challenging(.trace) = state, points.count == roots.count, !points.isEmpty else {
                    return [.log("\(id): unexpected challenger turn")]
                }
                picks += 1
                var index = points.count            // agrees with every posted root: the last part
                for (i, p) in points.enumerated() where try oracle.root(atStep: p) != roots[i] {
                    index = i; break
                }
                if let from = lieFrom, picks >= from { index = (index + 1) % (points.count + 1) }
                return send(.pick(taskID: task, dispute: dispute, index: UInt32(index)))
            case let .disputeResolved(_, dispute, _, winner, reason):
                return [.log("\(id): dispute \(dispute) won by \(winner): \(reason)")]
            case let .settled(_, accepted, winner, reason):
                let o = GameOutcome(accepted: accepted, winner: winner, reason: reason)
                state = .done(o)
                return [.settled(o)]
            default:
                return []
            }
        } catch {
            state = .failed("\(error)")
            return [.log("\(id): oracle failed: \(error)")]
        }
    }

    /// Timer event. The judge enforces every deadline, so the verifier has nothing to do.
    public mutating func tick(now: UInt64) -> [GameAction] { [] }

    private var forcedChallenge: DisputeKind? {
        for f in faults { if case let .challengeCorrectResult(k) = f { return k } }
        return nil
    }

    private var lieFrom: Int? {
        for f in faults { if case let .lieInBisection(r) = f { return r } }
        return nil
    }

    private mutating func send(_ m: GameMessage) -> [GameAction] {
        movesAttempted += 1
        for f in faults {
            if case let .silent(from) = f, movesAttempted >= from {
                return [.log("\(id): silent, withholds \(m.kindName)")]
            }
        }
        return [.send(to: .judge, m)]
    }
}
