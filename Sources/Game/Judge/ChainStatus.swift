/// Where the chain stands, as data: what a progress line shows while a game is played
/// (`ReasonText` puts it in words).
public struct ChainStatus: Equatable, Sendable {
    /// The game's phase.
    public enum Phase: Equatable, Sendable {
        /// Not started.
        case idle
        /// Waiting for the solver's commit until `deadline`.
        case awaitingCommit(deadline: UInt64)
        /// A claim of `steps` steps is committed; challenges until `windowEnd`.
        case verifying(steps: UInt64, windowEnd: UInt64, queued: Int)
        /// Over.
        case settled(accepted: Bool)
    }

    /// A dispute in play.
    public struct Dispute: Equatable, Sendable {
        /// Its number.
        public var id: UInt32
        /// Who challenged.
        public var challenger: PartyID
        /// Rounds so far (the challenge is round 1).
        public var round: Int
        /// Rounds the dispute can take at most (⌈log_k steps⌉ + 2 for a trace dispute).
        public var maxRounds: Int
        /// Whose move it is: the solver or the challenger.
        public var mover: PartyID
        /// The block by which it must move.
        public var deadline: UInt64
    }

    /// The current block.
    public var block: UInt64
    /// The phase.
    public var phase: Phase
    /// Disputes in play.
    public var disputes: [Dispute]
    /// The solver.
    public var solver: PartyID
}

extension JudgeStateMachine {
    /// The chain's status now.
    public var status: ChainStatus {
        switch state {
        case .idle: return ChainStatus(block: currentBlock, phase: .idle, disputes: [], solver: solver)
        case let .awaitingCommit(deadline): return ChainStatus(block: currentBlock, phase: .awaitingCommit(deadline: deadline), disputes: [], solver: solver)
        case let .settled(o): return ChainStatus(block: currentBlock, phase: .settled(accepted: o.accepted), disputes: [], solver: solver)
        case let .verifying(v):
            let most = Bisection.ceilLog(Bisection.paddedLength(v.claim.steps, arity: arity), base: arity) + 2
            let playing = v.playing.map { a -> ChainStatus.Dispute in
                let mover: PartyID
                switch a.turn { case .solver: mover = solver; case .challenger: mover = a.challenger }
                return ChainStatus.Dispute(id: a.id, challenger: a.challenger, round: disputes[Int(a.id) - 1].rounds,
                                           maxRounds: a.kind == .trace ? most : 2, mover: mover, deadline: a.turn.deadline)
            }
            return ChainStatus(block: currentBlock, phase: .verifying(steps: v.claim.steps, windowEnd: v.windowEnd, queued: v.queue.count),
                               disputes: playing, solver: solver)
        }
    }
}
