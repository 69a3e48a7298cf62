import Game
import Transport

/// What a party locks for one task's game while the game is open: its deposit and the gas
/// of every move it may have to make there, at the population's gas price. A game starts
/// each participant with exactly its bond (`starting_balances:`) and gives back what is
/// left when it settles, so games that overlap never spend the same wei, and an honest
/// party never runs short of gas inside a game.
///
/// The gas is bounded per role from the required moves (`RequiredMove`, the largest of
/// each kind the configuration allows), over the most rounds a dispute over the task's
/// steps can take (`smallestArity`): the solver commits, plays every challenger's dispute
/// (posting roots each round, closing it, claiming a timeout) and finalizes; a verifier
/// challenges, picks each round, closes its dispute and claims a timeout. Two more of the
/// largest move cover transactions mined and reverted (a move that arrives late).
public enum GameBond {
    /// Rounds of a dispute over `steps` steps when each round divides the interval by `k`,
    /// plus the closing move's.
    public static func rounds(steps: UInt64, arity k: Int) -> UInt64 {
        UInt64(Bisection.ceilLog(max(1, steps), base: max(2, k))) + 1
    }

    /// The most gas `role` may spend in a game over `steps` steps with `challengers`
    /// challengers (saturating).
    public static func gas(role: Role, steps: UInt64, challengers: Int, config: GameConfig, gas: GasSchedule) -> UInt64 {
        let moves = RequiredMove.all(config: config, gas: gas, challengers: max(1, challengers))
        func most(_ kinds: [GameMessage.Kind]) -> UInt64 { moves.filter { kinds.contains($0.kind) }.map(\.gas).max() ?? 0 }
        let closing = most([.stepProof, .outputOpening])   // also bounds a timeout claim and the finalize call
        let largest = moves.map(\.gas).max() ?? 0
        let r = rounds(steps: steps, arity: config.smallestArity)
        let own: UInt64
        switch role {
        case .solver:
            // Its commit, every challenger's dispute (roots each round, the closing move, a
            // timeout claim) and the finalize call.
            let dispute = r.saturatingMultiply(most([.postRoots])).saturatingAdd(closing.saturatingMultiply(2))
            own = most([.commit]).saturatingAdd(UInt64(max(1, challengers)).saturatingMultiply(dispute)).saturatingAdd(closing)
        case .verifier, .judge:
            // Its challenge, a pick each round, the closing move and a timeout claim.
            own = most([.challenge]).saturatingAdd(r.saturatingMultiply(most([.pick]))).saturatingAdd(closing.saturatingMultiply(2))
        }
        return own.saturatingAdd(largest.saturatingMultiply(2))
    }

    /// The bond: `deposit` + `gas(…)` × `price` wei (saturating).
    public static func wei(role: Role, deposit: UInt64, steps: UInt64, challengers: Int, config: GameConfig,
                           gas schedule: GasSchedule, price: UInt64) -> UInt64 {
        gas(role: role, steps: steps, challengers: challengers, config: config, gas: schedule).saturatingMultiply(price)
            .saturatingAdd(deposit)
    }
}
