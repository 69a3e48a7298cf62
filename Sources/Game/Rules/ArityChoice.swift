/// `k: auto`: the k of the bisection chosen by the chain, once the claim's step count is
/// known, as the one whose bisection costs the least gas under the gas schedule and the
/// contract's root storage (`game.storage`).
///
/// A trace dispute over n steps takes P(k) = ⌈log_k n⌉ picks (n padded to a power of k),
/// and each pick round costs one post_roots and one pick transaction, metered slot by
/// slot as the judge meters them (`StorageMeter`): the k − 1 roots as calldata, and under
/// `per_root` k − 1 root slots (fresh in the first round, updated after) and the two end
/// slots a pick copies; under `roots_hash` one hash slot, with the roots resupplied as
/// calldata and re-hashed. More roots per round mean fewer rounds; the schedule and the
/// storage strategy decide where the two balance. The challenge, the step proof and the
/// timeouts cost nearly the same for every k and are left out of the comparison.
public struct ArityChoice: Codable, Equatable, Sendable {
    /// The k.
    public var k: Int
    /// Picks a dispute over the claim takes with it.
    public var picks: Int
    /// Gas of those pick rounds (post_roots + an interior pick per round; every frame and
    /// resupplied root byte priced as non-zero calldata, as roots nearly all are).
    public var gas: UInt64

    /// The candidates `k: auto` chooses from.
    public static let candidates = 2...64

    /// The estimate for `k` over a claim of `steps` steps.
    public static func estimate(k: Int, steps: UInt64, gas g: GasSchedule, storage: RootStorage = .perRoot,
                                chessClock: Bool = false) -> ArityChoice {
        let picks = Bisection.ceilLog(Bisection.paddedLength(steps, arity: k), base: k)
        let header: UInt64 = 2 + 8 + 4 + 4
        let roots = k - 1
        func nonZero(_ n: Int) -> [UInt8] { [UInt8](repeating: 0xff, count: n) }
        var total: UInt64 = 0
        for round in 0..<picks {
            var post = StorageMeter(gas: g)
            post.readDispute(1)
            post.postRoots(dispute: 1, roots: roots, firstRound: round == 0, ends: nonZero(64),
                           slotsUsed: round == 0 ? 0 : roots, chessClock: chessClock, storage: storage)
            var pick = StorageMeter(gas: g)
            pick.readDispute(1)
            pick.pick(dispute: 1, index: 1, roots: roots, allRoots: nonZero(32 * (roots + 2)),
                      loStored: round > 0, hiStored: round > 0, storage: storage)
            total += 2 * g.txBase + g.calldataNonZeroByte * (2 * header + 32 * UInt64(roots) + 4) + post.used + pick.used
        }
        return ArityChoice(k: k, picks: picks, gas: total)
    }

    /// Every candidate's estimate, cheapest first (ties: the smaller k).
    public static func ranked(steps: UInt64, gas: GasSchedule, storage: RootStorage = .perRoot,
                              chessClock: Bool = false) -> [ArityChoice] {
        candidates.map { estimate(k: $0, steps: steps, gas: gas, storage: storage, chessClock: chessClock) }
            .sorted { ($0.gas, $0.k) < ($1.gas, $1.k) }
    }

    /// The cheapest candidate for a claim of `steps` steps.
    public static func cheapest(steps: UInt64, gas: GasSchedule, storage: RootStorage = .perRoot,
                                chessClock: Bool = false) -> ArityChoice {
        ranked(steps: steps, gas: gas, storage: storage, chessClock: chessClock)[0]
    }
}
