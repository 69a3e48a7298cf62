/// The arithmetic of k-ary bisection, shared by the judge (which dictates the points) and
/// the tests and reports (which predict round counts).
public enum Bisection {
    /// Steps strictly inside (lo, hi) at which the solver must post roots: with n = hi − lo
    /// and m = min(k, n) sub-intervals, the points lo + ⌊i·n/m⌋ for i = 1…m−1. Every
    /// sub-interval then has ⌊n/m⌋ or ⌈n/m⌉ steps, and when n ≤ k every intermediate step
    /// is a point. Empty when n < 2 (nothing left to split).
    public static func points(lo: UInt64, hi: UInt64, arity k: Int) -> [UInt64] {
        precondition(hi >= lo && k >= 2)
        let n = hi - lo
        guard n >= 2 else { return [] }
        let m = min(UInt64(k), n)
        var out: [UInt64] = []
        out.reserveCapacity(Int(m) - 1)
        for i in 1..<m {
            let (high, low) = i.multipliedFullWidth(by: n)
            out.append(lo + m.dividingFullWidth((high, low)).quotient)
        }
        return out
    }

    /// The disputed interval for a claim of `n` steps: [0, k^⌈log_k n⌉]. Steps past the
    /// halt are the identity (the halted state's root), so padding the trace to a power of
    /// k changes no root, and every sub-interval is then a power of k: every dispute takes
    /// exactly ⌈log_k n⌉ picks, whatever the divergence step. Falls back to n when the
    /// power would not fit in 64 bits.
    public static func paddedLength(_ n: UInt64, arity k: Int) -> UInt64 {
        var reach: UInt64 = 1
        while reach < n {
            let (p, o) = reach.multipliedReportingOverflow(by: UInt64(k))
            if o { return n }
            reach = p
        }
        return n == 0 ? 0 : reach
    }

    /// ⌈log_k n⌉ (0 for n ≤ 1): the most pick rounds any dispute over n steps can take.
    public static func ceilLog(_ n: UInt64, base k: Int) -> Int {
        var r = 0
        var reach: UInt64 = 1            // k^r, saturating
        while reach < n {
            let (p, o) = reach.multipliedReportingOverflow(by: UInt64(k))
            reach = o ? .max : p
            r += 1
        }
        return r
    }

    /// ⌊log_k n⌋ (0 for n ≤ 1): the fewest pick rounds any dispute over n steps can take.
    public static func floorLog(_ n: UInt64, base k: Int) -> Int {
        var r = 0
        var rest = n
        while rest >= UInt64(k) { rest /= UInt64(k); r += 1 }
        return r
    }
}
