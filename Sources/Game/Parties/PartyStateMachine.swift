/// What the solver's and the verifier's machines share: events from the judge in,
/// actions out, and the way a raw frame becomes a message for them.
public protocol PartyStateMachine {
    /// This party's number.
    var id: PartyID { get }
    /// Handles a notification from the judge arriving at virtual time `now`.
    mutating func receive(_ message: GameMessage, from sender: PartyID, now: UInt64) -> [GameAction]
    /// Timer event.
    mutating func tick(now: UInt64) -> [GameAction]
    /// When this party next wants `tick` (virtual ms), or nil.
    var nextWakeup: UInt64? { get }
    /// Ends this party's part in the game with `outcome`.
    mutating func finish(_ outcome: GameOutcome)
    /// Marks this party unable to play: its own execution failed.
    mutating func fail(_ why: String)
}

extension PartyStateMachine {
    /// Handles a raw frame from the judge: decodes it (an undecodable frame is noted and
    /// ignored) and passes it on to `receive(_:from:now:)`.
    public mutating func receive(frame: [UInt8], from sender: PartyID, now: UInt64) -> [GameAction] {
        switch GameMessage.decoded(frame) {
        case .success(let m): return receive(m, from: sender, now: now)
        case .failure(let e): return [.note(.undecodableFrame(e))]
        }
    }

    /// Timer event. The judge enforces every deadline, so a party has nothing to do.
    public mutating func tick(now: UInt64) -> [GameAction] { [] }

    /// No timer by default.
    public var nextWakeup: UInt64? { nil }

    /// The notifications every party handles alike: a resolved dispute is noted, the
    /// settlement ends its part. Nil for every other message.
    mutating func handleCommon(_ message: GameMessage) -> [GameAction]? {
        switch message {
        case let .disputeResolved(_, dispute, _, winner, reason):
            return [.note(.disputeResolved(dispute: dispute, winner: winner, reason: reason))]
        case let .settled(_, accepted, winner, reason):
            let o = GameOutcome(accepted: accepted, winner: winner, reason: reason)
            finish(o)
            return [.settled(o)]
        default:
            return nil
        }
    }

    /// What a party does when its own execution throws: it can no longer play.
    mutating func failed(_ error: Error) -> [GameAction] {
        fail("\(error)")
        return [.note(.oracleFailed("\(error)"))]
    }

    /// The action for transaction `m`, the `attempt`-th this party tries: sent, or
    /// withheld by a `silent` fault active from move `silentFrom` on.
    func transaction(_ m: GameMessage, attempt: Int, silentFrom: Int?) -> [GameAction] {
        if let from = silentFrom, attempt >= from { return [.note(.withholds(m.kind))] }
        return [.send(to: .judge, m)]
    }
}
