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
public struct SolverStateMachine: PartyStateMachine {
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

    /// Handles a notification from the judge arriving at virtual time `now`.
    public mutating func receive(_ message: GameMessage, from sender: PartyID, now: UInt64) -> [GameAction] {
        guard sender == .judge else { return [.note(.notFromJudge(message.kind, sender: sender))] }
        if case .done = state { return [] }
        do {
            switch message {
            case let .taskPosted(spec):
                guard case .waitingForTask = state else { return [] }
                var claim = try oracle.finalClaim()
                // The halt proof is of the step the run really halted at: a wrong step
                // count comes with the one valid halt proof there is.
                let proof = try oracle.stepProof(atStep: claim.steps)
                if faults.contains(.wrongOutput) { claim.outputHash = corrupted(claim.outputHash) }
                if let by = stepCountError {
                    claim.steps = by < 0 ? claim.steps - min(claim.steps, by.magnitude) : claim.steps &+ UInt64(by)
                }
                state = .committed(taskID: spec.id, claim: claim)
                return send(.commit(taskID: spec.id, claim: claim, haltProof: proof))
            case let .solverTurn(task, dispute, _, kind, lo, hi, points, _):
                guard case .committed = state else { return [] }
                if kind == .output {
                    if faults.contains(.refuseFinalProof) { return [.note(.refusesFinalProof(.output))] }
                    return send(.outputOpening(taskID: task, dispute: dispute, opening: try oracle.outputOpening()))
                }
                if points.isEmpty {
                    guard hi - lo == 1 else { return [.note(.unexpectedTurn(.solverTurn))] }
                    if faults.contains(.refuseFinalProof) { return [.note(.refusesFinalProof(.trace))] }
                    return send(.stepProof(taskID: task, dispute: dispute, proof: try oracle.stepProof(atStep: lo)))
                }
                let round = rootPostings[dispute, default: 0] + 1
                rootPostings[dispute] = round
                var roots = try points.map { try oracle.root(atStep: $0) }
                if let from = lieFrom, round >= from {
                    roots = points.map { fabricatedRoot(step: $0, salt: UInt64(id.rawValue)) }
                }
                return send(.postRoots(taskID: task, dispute: dispute, roots: roots))
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

    private var stepCountError: Int64? {
        for f in faults { if case let .wrongStepCount(by) = f { return by } }
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
