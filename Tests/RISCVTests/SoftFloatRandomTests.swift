// Randomised comparison of SoftFloat against the host's IEEE-754 hardware in
// round-to-nearest-even (the host's default mode). The host is only an oracle
// here; the library itself never touches host floating point.
import Testing
@testable import RISCV

/// SplitMix64: a tiny seeded generator so every run draws the same operands.
struct SoftFloatTestRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }

    /// A binary64 pattern biased towards the interesting regions: specials,
    /// subnormals, the overflow edge, values near one, sparse significands.
    mutating func double() -> UInt64 {
        let sign = next() & (1 << 63)
        let frac = next() & ((1 << 52) - 1)
        switch below(9) {
        case 0, 1: return next()
        case 2:
            let specials: [UInt64] = [0, 1, 0x000F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000,
                                      0x3FF0_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF,
                                      0x7FF0_0000_0000_0000, 0x7FF8_0000_0000_0000,
                                      0x7FF0_0000_0000_0001, 0x4340_0000_0000_0000]
            return sign | specials[Int(below(UInt64(specials.count)))]
        case 3: return sign | (below(60) << 52) | frac
        case 4: return sign | ((2046 - below(60)) << 52) | frac
        case 5: return sign | ((1023 - 30 + below(60)) << 52) | frac
        case 6: return sign | ((1023 - 100 + below(200)) << 52) | (frac & (next() | next() << 40))
        case 7: return sign | ((1023 - 100 + below(200)) << 52) | (frac | next() >> 20)
        default: return sign | (below(2047) << 52) | (frac >> below(52))
        }
    }

    mutating func single() -> UInt32 {
        let sign = UInt32(truncatingIfNeeded: next()) & 0x8000_0000
        let frac = UInt32(truncatingIfNeeded: next()) & 0x7F_FFFF
        switch below(9) {
        case 0, 1: return UInt32(truncatingIfNeeded: next())
        case 2:
            let specials: [UInt32] = [0, 1, 0x7F_FFFF, 0x80_0000, 0x3F80_0000, 0x7F7F_FFFF,
                                      0x7F80_0000, 0x7FC0_0000, 0x7F80_0001, 0x4B00_0000]
            return sign | specials[Int(below(UInt64(specials.count)))]
        case 3: return sign | (UInt32(below(30)) << 23) | frac
        case 4: return sign | (UInt32(254 - below(30)) << 23) | frac
        case 5: return sign | (UInt32(127 - 15 + below(30)) << 23) | frac
        case 6: return sign | (UInt32(127 - 40 + below(80)) << 23) | (frac & UInt32(truncatingIfNeeded: next() | next()))
        case 7: return sign | (UInt32(127 - 40 + below(80)) << 23) | (frac | UInt32(truncatingIfNeeded: next()) >> 12)
        default: return sign | (UInt32(below(255)) << 23) | (frac >> UInt32(below(23)))
        }
    }

    /// A second operand close to `a` (same exponent region) to provoke
    /// cancellation and ties, or an independent one.
    mutating func partner64(_ a: UInt64) -> UInt64 {
        switch below(4) {
        case 0: return a &+ (below(5) &- 2)
        case 1: return (a ^ (1 << 63)) &+ (below(5) &- 2)
        case 2: return (a & ~((1 << 52) - 1)) | (next() >> 12) ^ (next() & (1 << 63))
        default: return double()
        }
    }

    mutating func partner32(_ a: UInt32) -> UInt32 {
        switch below(4) {
        case 0: return a &+ UInt32(truncatingIfNeeded: below(5) &- 2)
        case 1: return (a ^ 0x8000_0000) &+ UInt32(truncatingIfNeeded: below(5) &- 2)
        case 2: return (a & ~0x7F_FFFF) | (UInt32(truncatingIfNeeded: next()) >> 9) ^ (UInt32(truncatingIfNeeded: next()) & 0x8000_0000)
        default: return single()
        }
    }
}

/// Bit-exact comparison that treats any two NaNs as equal and demands the
/// canonical NaN from SoftFloat.
func sfSameF64(_ soft: UInt64, _ host: Double) -> Bool {
    host.isNaN ? soft == SoftFloat.canonicalNaN64 : soft == host.bitPattern
}

func sfSameF32(_ soft: UInt32, _ host: Float) -> Bool {
    host.isNaN ? soft == SoftFloat.canonicalNaN32 : soft == host.bitPattern
}

@Suite struct SoftFloatRandomTests {
    static let count = 20_000

    @Test func binary64ArithmeticMatchesHost() {
        var rng = SoftFloatTestRNG(seed: 0x5EED_0064)
        var failures: [String] = []
        for _ in 0..<Self.count {
            let a = rng.double(), b = rng.partner64(a), c = rng.double()
            let x = Double(bitPattern: a), y = Double(bitPattern: b), z = Double(bitPattern: c)
            // An addend cancelling most of the product: exercises the wide fma path.
            let w = (x * y).bitPattern ^ (1 << 63) &+ (rng.below(5) &- 2)
            var fl: UInt8 = 0
            let checks: [(String, UInt64, Double)] = [
                ("add", SoftFloat.add64(a, b, .rne, &fl), x + y),
                ("sub", SoftFloat.sub64(a, b, .rne, &fl), x - y),
                ("mul", SoftFloat.mul64(a, b, .rne, &fl), x * y),
                ("div", SoftFloat.div64(a, b, .rne, &fl), x / y),
                ("sqrt", SoftFloat.sqrt64(a, .rne, &fl), x.squareRoot()),
                ("fma", SoftFloat.fma64(a, b, c, .rne, &fl), z.addingProduct(x, y)),
                ("fma2", SoftFloat.fma64(a, b, b, .rne, &fl), y.addingProduct(x, y)),
                ("fma3", SoftFloat.fma64(a, b, w, .rne, &fl), Double(bitPattern: w).addingProduct(x, y)),
            ]
            for (name, soft, host) in checks where !sfSameF64(soft, host) && failures.count < 10 {
                failures.append("\(name) \(sfHex(a)) \(sfHex(b)) \(sfHex(c)): soft \(sfHex(soft)) host \(sfHex(host.bitPattern))")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func binary32ArithmeticMatchesHost() {
        var rng = SoftFloatTestRNG(seed: 0x5EED_0032)
        var failures: [String] = []
        for _ in 0..<Self.count {
            let a = rng.single(), b = rng.partner32(a), c = rng.single()
            let x = Float(bitPattern: a), y = Float(bitPattern: b), z = Float(bitPattern: c)
            let w = (x * y).bitPattern ^ 0x8000_0000 &+ UInt32(truncatingIfNeeded: rng.below(5) &- 2)
            var fl: UInt8 = 0
            let checks: [(String, UInt32, Float)] = [
                ("add", SoftFloat.add32(a, b, .rne, &fl), x + y),
                ("sub", SoftFloat.sub32(a, b, .rne, &fl), x - y),
                ("mul", SoftFloat.mul32(a, b, .rne, &fl), x * y),
                ("div", SoftFloat.div32(a, b, .rne, &fl), x / y),
                ("sqrt", SoftFloat.sqrt32(a, .rne, &fl), x.squareRoot()),
                ("fma", SoftFloat.fma32(a, b, c, .rne, &fl), z.addingProduct(x, y)),
                ("fma2", SoftFloat.fma32(a, b, b, .rne, &fl), y.addingProduct(x, y)),
                ("fma3", SoftFloat.fma32(a, b, w, .rne, &fl), Float(bitPattern: w).addingProduct(x, y)),
            ]
            for (name, soft, host) in checks where !sfSameF32(soft, host) && failures.count < 10 {
                failures.append("\(name) \(sfHex(UInt64(a))) \(sfHex(UInt64(b))) \(sfHex(UInt64(c))): soft \(sfHex(UInt64(soft))) host \(sfHex(UInt64(host.bitPattern)))")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func conversionsMatchHost() {
        var rng = SoftFloatTestRNG(seed: 0x5EED_C0DE)
        var failures: [String] = []
        func note(_ s: String) { if failures.count < 10 { failures.append(s) } }
        for _ in 0..<Self.count {
            var fl: UInt8 = 0
            let d = rng.double(), s = rng.single()
            let x = Double(bitPattern: d), y = Float(bitPattern: s)
            if !sfSameF32(SoftFloat.f64ToF32(d, .rne, &fl), Float(x)) { note("f64ToF32 \(sfHex(d))") }
            if !sfSameF64(SoftFloat.f32ToF64(s, &fl), Double(y)) { note("f32ToF64 \(sfHex(UInt64(s)))") }
            let i = Int64(bitPattern: rng.next()) >> rng.below(64)
            let u = rng.next() >> rng.below(64)
            if !sfSameF64(SoftFloat.i64ToF64(i, .rne, &fl), Double(i)) { note("i64ToF64 \(i)") }
            if !sfSameF64(SoftFloat.u64ToF64(u, .rne, &fl), Double(u)) { note("u64ToF64 \(u)") }
            if !sfSameF32(SoftFloat.i64ToF32(i, .rne, &fl), Float(i)) { note("i64ToF32 \(i)") }
            if !sfSameF32(SoftFloat.u64ToF32(u, .rne, &fl), Float(u)) { note("u64ToF32 \(u)") }
            let i32 = Int32(truncatingIfNeeded: i), u32 = UInt32(truncatingIfNeeded: u)
            if !sfSameF32(SoftFloat.i32ToF32(i32, .rne, &fl), Float(i32)) { note("i32ToF32 \(i32)") }
            if !sfSameF32(SoftFloat.u32ToF32(u32, .rne, &fl), Float(u32)) { note("u32ToF32 \(u32)") }
            if !sfSameF64(SoftFloat.i32ToF64(i32, .rne, &fl), Double(i32)) { note("i32ToF64 \(i32)") }
            if !sfSameF64(SoftFloat.u32ToF64(u32, .rne, &fl), Double(u32)) { note("u32ToF64 \(u32)") }
            // Float to integer, in range only (saturation is checked elsewhere).
            let r = x.rounded(.toNearestOrEven)
            if let v = Int64(exactly: r), SoftFloat.f64ToI64(d, .rne, &fl) != v { note("f64ToI64 \(sfHex(d))") }
            if let v = UInt64(exactly: r), SoftFloat.f64ToU64(d, .rne, &fl) != v { note("f64ToU64 \(sfHex(d))") }
            if let v = Int32(exactly: r), SoftFloat.f64ToI32(d, .rne, &fl) != v { note("f64ToI32 \(sfHex(d))") }
            if let v = UInt32(exactly: r), SoftFloat.f64ToU32(d, .rne, &fl) != v { note("f64ToU32 \(sfHex(d))") }
            let rs = y.rounded(.toNearestOrEven)
            if let v = Int64(exactly: rs), SoftFloat.f32ToI64(s, .rne, &fl) != v { note("f32ToI64 \(sfHex(UInt64(s)))") }
            if let v = UInt64(exactly: rs), SoftFloat.f32ToU64(s, .rne, &fl) != v { note("f32ToU64 \(sfHex(UInt64(s)))") }
            if let v = Int32(exactly: rs), SoftFloat.f32ToI32(s, .rne, &fl) != v { note("f32ToI32 \(sfHex(UInt64(s)))") }
            if let v = UInt32(exactly: rs), SoftFloat.f32ToU32(s, .rne, &fl) != v { note("f32ToU32 \(sfHex(UInt64(s)))") }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func comparisonsMatchHost() {
        var rng = SoftFloatTestRNG(seed: 0x5EED_C0AA)
        var failures: [String] = []
        for _ in 0..<Self.count {
            var fl: UInt8 = 0
            let a = rng.double(), b = rng.partner64(a)
            let x = Double(bitPattern: a), y = Double(bitPattern: b)
            if SoftFloat.eq64(a, b, &fl) != (x == y) || SoftFloat.lt64(a, b, &fl) != (x < y)
                || SoftFloat.le64(a, b, &fl) != (x <= y) {
                if failures.count < 10 { failures.append("cmp64 \(sfHex(a)) \(sfHex(b))") }
            }
            let s = rng.single(), t = rng.partner32(s)
            let p = Float(bitPattern: s), q = Float(bitPattern: t)
            if SoftFloat.eq32(s, t, &fl) != (p == q) || SoftFloat.lt32(s, t, &fl) != (p < q)
                || SoftFloat.le32(s, t, &fl) != (p <= q) {
                if failures.count < 10 { failures.append("cmp32 \(sfHex(UInt64(s))) \(sfHex(UInt64(t)))") }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}

func sfHex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
