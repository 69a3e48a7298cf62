import Testing
@testable import Game

@Suite struct BisectionTests {
    static let arities = [2, 3, 4, 8, 16, 32]

    @Test(arguments: arities)
    func pointsSplitEvenlyStrictlyInside(k: Int) {
        for lo: UInt64 in [0, 5, 1 << 40] {
            for n: UInt64 in Array(0...70) + [1000, 1023, 1024, 1025, 123_456_789] {
                let p = Bisection.points(lo: lo, hi: lo + n, arity: k)
                if n < 2 { #expect(p.isEmpty); continue }
                #expect(p.count == Int(min(UInt64(k), n)) - 1)
                let ends = [lo] + p + [lo + n]
                let lengths = zip(ends.dropFirst(), ends).map { $0 - $1 }
                #expect(lengths.allSatisfy { $0 >= 1 })
                #expect(lengths.max()! - lengths.min()! <= 1)
                if n <= UInt64(k) { #expect(p == Array(lo + 1 ..< lo + n)) }
            }
        }
    }

    @Test func pointsDoNotOverflowNearTheTop() {
        let hi = UInt64.max, lo = hi - (1 << 62)
        let p = Bisection.points(lo: lo, hi: hi, arity: 32)
        #expect(p.count == 31 && p.first! > lo && p.last! < hi && p == p.sorted())
    }

    @Test(arguments: arities)
    func logsMatchPowersOfK(k: Int) {
        #expect(Bisection.ceilLog(1, base: k) == 0 && Bisection.floorLog(1, base: k) == 0)
        var power: UInt64 = 1
        var r = 0
        while true {
            #expect(Bisection.ceilLog(power, base: k) == r)
            #expect(Bisection.floorLog(power, base: k) == r)
            #expect(Bisection.ceilLog(power + 1, base: k) == r + 1 || power == 1 && k > 2 && r == 0)
            if power > 1 { #expect(Bisection.floorLog(power - 1, base: k) == r - 1) }
            let (next, o) = power.multipliedReportingOverflow(by: UInt64(k))
            if o { break }
            power = next; r += 1
        }
        #expect(Bisection.ceilLog(.max, base: k) == r + 1)
    }
}
