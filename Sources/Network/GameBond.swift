import Game

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
    /// Rounds of a dispute over `steps` steps when each round divides the interval by `k`.
    public static func rounds(steps: UInt64, arity k: Int) -> UInt64 {
        var covered: UInt64 = 1, rounds: UInt64 = 0
        while covered < max(1, steps) {
            let (next, o) = covered.multipliedReportingOverflow(by: UInt64(max(2, k)))
            covered = o ? .max : next
            rounds += 1
        }
        return rounds + 1
    }

    /// The most gas `role` may spend in a game over `steps` steps with `challengers`
    /// challengers (saturating).
    public static func gas(role: Role, steps: UInt64, challengers: Int, config: GameConfig, gas: GasSchedule) -> UInt64 {
        let moves = RequiredMove.all(config: config, gas: gas, challengers: max(1, challengers))
        func most(_ kinds: [GameMessage.Kind]) -> UInt64 { moves.filter { kinds.contains($0.kind) }.map(\.gas).max() ?? 0 }
        let closing = most([.stepProof, .outputOpening])   // also bounds a timeout claim and the finalize call
        let largest = moves.map(\.gas).max() ?? 0
        let r = rounds(steps: steps, arity: config.smallestArity)
        var total = Saturating(0)
        switch role {
        case .solver:
            total += most([.commit])
            total += Saturating(UInt64(max(1, challengers))) * (Saturating(r) * most([.postRoots]) + Saturating(closing) * 2)
            total += closing
        case .verifier, .judge:
            total += most([.challenge])
            total += Saturating(r) * most([.pick])
            total += Saturating(closing) * 2
        }
        total += Saturating(largest) * 2
        return total.value
    }

    /// The bond: `deposit` + `gas(…)` × `price` wei (saturating).
    public static func wei(role: Role, deposit: UInt64, steps: UInt64, challengers: Int, config: GameConfig,
                           gas schedule: GasSchedule, price: UInt64) -> UInt64 {
        (Saturating(gas(role: role, steps: steps, challengers: challengers, config: config, gas: schedule)) * price + deposit).value
    }
}

/// UInt64 arithmetic that stops at UInt64.max instead of trapping.
struct Saturating {
    var value: UInt64
    init(_ v: UInt64) { value = v }
    static func + (a: Saturating, b: UInt64) -> Saturating {
        let (r, o) = a.value.addingReportingOverflow(b); return Saturating(o ? .max : r)
    }
    static func + (a: Saturating, b: Saturating) -> Saturating { a + b.value }
    static func += (a: inout Saturating, b: UInt64) { a = a + b }
    static func += (a: inout Saturating, b: Saturating) { a = a + b.value }
    static func * (a: Saturating, b: UInt64) -> Saturating {
        let (r, o) = a.value.multipliedReportingOverflow(by: b); return Saturating(o ? .max : r)
    }
    static func * (a: Saturating, b: Saturating) -> Saturating { a * b.value }
}
