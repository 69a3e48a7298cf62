/// `k: auto`: the k of the bisection chosen by the chain, once the claim's step count is
/// known, as the one whose bisection costs the least gas under the gas schedule.
///
/// A trace dispute over n steps takes P(k) = ⌈log_k n⌉ picks (n padded to a power of k),
/// and each pick round costs one post_roots transaction (k − 1 roots as calldata, k
/// storage writes) and one pick transaction. More roots per round mean fewer rounds; the
/// schedule decides where the two balance. The challenge, the step proof and the timeouts
/// cost the same for every k and are left out of the comparison.
public struct ArityChoice: Codable, Equatable, Sendable {
    /// The k.
    public var k: Int
    /// Picks a dispute over the claim takes with it.
    public var picks: Int
    /// Gas of those pick rounds (post_roots + pick per round; every frame byte priced as
    /// non-zero calldata, as roots nearly all are).
    public var gas: UInt64

    /// The candidates `k: auto` chooses from.
    public static let candidates = 2...64

    /// The estimate for `k` over a claim of `steps` steps.
    public static func estimate(k: Int, steps: UInt64, gas g: GasSchedule) -> ArityChoice {
        let picks = Bisection.ceilLog(Bisection.paddedLength(steps, arity: k), base: k)
        let header: UInt64 = 2 + 8 + 4 + 4
        let postRoots = g.txBase + g.calldataNonZeroByte * (header + 32 * UInt64(k - 1)) + g.storageWrite * UInt64(k)
        let pick = g.txBase + g.calldataNonZeroByte * (header + 4) + g.storageWrite
        return ArityChoice(k: k, picks: picks, gas: UInt64(picks) * (postRoots + pick))
    }

    /// Every candidate's estimate, cheapest first (ties: the smaller k).
    public static func ranked(steps: UInt64, gas: GasSchedule) -> [ArityChoice] {
        candidates.map { estimate(k: $0, steps: steps, gas: gas) }.sorted { ($0.gas, $0.k) < ($1.gas, $1.k) }
    }

    /// The cheapest candidate for a claim of `steps` steps.
    public static func cheapest(steps: UInt64, gas: GasSchedule) -> ArityChoice { ranked(steps: steps, gas: gas)[0] }
}
