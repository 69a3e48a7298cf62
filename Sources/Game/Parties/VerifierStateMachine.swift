import Commitment

/// A verifier's side: runs the task through its oracle, compares with the solver's
/// commit, challenges on disagreement (trace if the root differs, output if only the
/// output hash does), and names the first disputed sub-interval in every round.
public struct VerifierStateMachine: PartyStateMachine {
    /// Where the verifier stands.
    public enum State: Equatable {
        /// Waiting for the judge to post the task.
        case waitingForTask
        /// Task posted, waiting for the solver's commit.
        case watching(taskID: UInt64)
        /// Its own run agrees with the claim; nothing to do.
        case agreed(Claim)
        /// Will challenge with `challenge` at `due` (its challenge delay).
        case waitingToChallenge(due: UInt64, kind: DisputeKind, challenge: GameMessage)
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
    /// How long after seeing the commit it sends its challenge (virtual ms): a scenario
    /// orders several challengers this way.
    public let challengeDelay: UInt64

    /// A verifier whose execution is `oracle`.
    public init(id: PartyID, oracle: any TraceOracle, faults: [VerifierFault] = [], challengeDelay: UInt64 = 0) {
        self.id = id; self.oracle = oracle; self.faults = faults; self.challengeDelay = challengeDelay
    }

    /// Sends a delayed challenge once it is due.
    public mutating func tick(now: UInt64) -> [GameAction] {
        guard case let .waitingToChallenge(due, kind, challenge) = state, now >= due else { return [] }
        state = .challenging(kind: kind)
        return send(challenge)
    }

    /// When a delayed challenge is due.
    public var nextWakeup: UInt64? {
        if case let .waitingToChallenge(due, _, _) = state { return due }
        return nil
    }

    /// Handles a notification from the judge arriving at virtual time `now`.
    public mutating func receive(_ message: GameMessage, from sender: PartyID, now: UInt64) -> [GameAction] {
        guard sender == .judge else { return [.note(.notFromJudge(message.kind, sender: sender))] }
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
                    return [.note(.agrees(ownSteps: mine.steps, claimedSteps: claim.steps))]
                }
                let challenge = GameMessage.challenge(taskID: task, kind: kind, claim: mine)
                if challengeDelay > 0 {
                    state = .waitingToChallenge(due: now &+ challengeDelay, kind: kind, challenge: challenge)
                    return []
                }
                state = .challenging(kind: kind)
                return send(challenge)
            case let .challengerTurn(task, dispute, _, _, points, roots, _):
                guard case .challenging(.trace) = state, points.count == roots.count, !points.isEmpty else {
                    return [.note(.unexpectedTurn(.challengerTurn))]
                }
                picks += 1
                var index = points.count            // agrees with every posted root: the last part
                for (i, p) in points.enumerated() where try oracle.root(atStep: p) != roots[i] {
                    index = i; break
                }
                if let from = lieFrom, picks >= from { index = (index + 1) % (points.count + 1) }
                return send(.pick(taskID: task, dispute: dispute, index: UInt32(index)))
            default:
                return handleCommon(message) ?? []
            }
        } catch {
            return failed(error)
        }
    }

    /// Ends this party's part: the game settled.
    public mutating func finish(_ outcome: GameOutcome) { state = .done(outcome) }

    /// Its execution failed; it can no longer play.
    public mutating func fail(_ why: String) { state = .failed(why) }

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
        var silentFrom: Int?
        for f in faults { if case let .silent(from) = f { silentFrom = min(silentFrom ?? from, from) } }
        return transaction(m, attempt: movesAttempted, silentFrom: silentFrom)
    }
}
