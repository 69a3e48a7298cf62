/// What a state machine asks its driver to do after an event. The machines never touch
/// I/O; a driver (the node loops in `Roles`, over ZeroMQ or the in-memory network)
/// carries these out.
public enum GameAction: Equatable, Sendable {
    /// Deliver `message` to one party.
    case send(to: PartyID, GameMessage)
    /// Deliver `message` to every party of the game (judge notifications: the public log).
    case broadcast(GameMessage)
    /// Something worth a line in the party's log; no effect on the game.
    case note(GameNote)
    /// The judge refused a frame from `from`; nothing changed and nobody was charged.
    case rejected(from: PartyID, Rejection)
    /// The game (for the judge) or this party's part in it is over.
    case settled(GameOutcome)
}

/// Events of a party's or the judge's own that do not change the game, as data: the
/// driver's log renders them.
public enum GameNote: Equatable, Sendable {
    /// `start` called twice.
    case alreadyStarted
    /// A challenge was accepted while another dispute is played; it waits its turn.
    case challengeQueued(dispute: UInt32, challenger: PartyID)
    /// A frame that is not a protocol frame reached a party.
    case undecodableFrame(GameMessageError)
    /// A frame from someone other than the judge reached a party.
    case notFromJudge(GameMessage.Kind, sender: PartyID)
    /// The party's own run ends in the claim the solver committed to.
    case agrees(ownSteps: UInt64, claimedSteps: UInt64)
    /// The party withholds a move (a `silent` fault).
    case withholds(GameMessage.Kind)
    /// The solver withholds its closing move (a `refuse_final_proof` fault).
    case refusesFinalProof(DisputeKind)
    /// A turn message that does not fit the party's state.
    case unexpectedTurn(GameMessage.Kind)
    /// The party's execution failed; it can no longer play (and will time out).
    case oracleFailed(String)
    /// `k: auto`: the chain chose `choice` for a claim of `steps` steps; `next` was the
    /// runner-up.
    case arityChosen(steps: UInt64, choice: ArityChoice, next: ArityChoice?)
    /// The judge resolved a dispute this party plays in.
    case disputeResolved(dispute: UInt32, winner: PartyID, reason: Resolution)
}

/// How a game ended.
public struct GameOutcome: Equatable, Codable, Sendable {
    /// True if the solver's claim stands.
    public var accepted: Bool
    /// The solver if accepted; the challenger that won if rejected; nil if nobody committed.
    public var winner: PartyID?
    /// Why.
    public var reason: Resolution

    /// Builds an outcome.
    public init(accepted: Bool, winner: PartyID?, reason: Resolution) {
        self.accepted = accepted; self.winner = winner; self.reason = reason
    }
}
