/// What a state machine asks its driver to do after an event. The machines never touch
/// I/O; a driver (`LocalGame`, or the ZeroMQ runner) carries these out.
public enum GameAction: Equatable, Sendable {
    /// Deliver `message` to one party.
    case send(to: PartyID, GameMessage)
    /// Deliver `message` to every party of the game (judge notifications: the public log).
    case broadcast(GameMessage)
    /// A line for the log; no effect on the game.
    case log(String)
    /// The judge refused a frame from `from`; nothing changed and nobody was charged.
    case rejected(from: PartyID, reason: String)
    /// The game (for the judge) or this party's part in it is over.
    case settled(GameOutcome)
}

/// How a game ended.
public struct GameOutcome: Equatable, Codable, Sendable {
    /// True if the solver's claim stands.
    public var accepted: Bool
    /// The solver if accepted; the challenger that won if rejected; nil if nobody committed.
    public var winner: PartyID?
    /// Why, in words.
    public var reason: String

    /// Builds an outcome.
    public init(accepted: Bool, winner: PartyID?, reason: String) {
        self.accepted = accepted; self.winner = winner; self.reason = reason
    }
}
