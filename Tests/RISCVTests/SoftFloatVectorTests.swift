// Replays the host-oracle vectors (SoftFloatVectors.swift, produced by
// oracle/fpvectors.c) through SoftFloat: results and fflags must match
// bit for bit in RNE, RTZ, RDN and RUP.
import Testing
@testable import RISCV

@Suite struct SoftFloatVectorTests {
    /// Runs one vector line; returns nil on agreement, or a description.
    static func check(_ line: Substring) -> String? {
        let p = line.split(separator: " ")
        guard p.count >= 5, let mode = UInt8(p[1]), let rm = RoundingMode(rawValue: mode) else {
            return "malformed vector: \(line)"
        }
        let values = p[2...].map { UInt64($0, radix: 16) }
        guard values.allSatisfy({ $0 != nil }) else { return "malformed vector: \(line)" }
        let v = values.map { $0! }
        let expectedFlags = UInt8(v[v.count - 1])
        let expected = v[v.count - 2]
        let a = v[0], b = v.count > 3 ? v[1] : 0, c = v.count > 4 ? v[2] : 0
        let a32 = UInt32(truncatingIfNeeded: a), b32 = UInt32(truncatingIfNeeded: b)
        let c32 = UInt32(truncatingIfNeeded: c)
        var fl: UInt8 = 0
        let got: UInt64
        switch p[0] {
        case "add.s": got = UInt64(SoftFloat.add32(a32, b32, rm, &fl))
        case "sub.s": got = UInt64(SoftFloat.sub32(a32, b32, rm, &fl))
        case "mul.s": got = UInt64(SoftFloat.mul32(a32, b32, rm, &fl))
        case "div.s": got = UInt64(SoftFloat.div32(a32, b32, rm, &fl))
        case "sqrt.s": got = UInt64(SoftFloat.sqrt32(a32, rm, &fl))
        case "fma.s": got = UInt64(SoftFloat.fma32(a32, b32, c32, rm, &fl))
        case "add.d": got = SoftFloat.add64(a, b, rm, &fl)
        case "sub.d": got = SoftFloat.sub64(a, b, rm, &fl)
        case "mul.d": got = SoftFloat.mul64(a, b, rm, &fl)
        case "div.d": got = SoftFloat.div64(a, b, rm, &fl)
        case "sqrt.d": got = SoftFloat.sqrt64(a, rm, &fl)
        case "fma.d": got = SoftFloat.fma64(a, b, c, rm, &fl)
        case "cvt.s.d": got = UInt64(SoftFloat.f64ToF32(a, rm, &fl))
        case "cvt.d.s": got = SoftFloat.f32ToF64(a32, &fl)
        case "cvt.w.s": got = UInt64(UInt32(bitPattern: SoftFloat.f32ToI32(a32, rm, &fl)))
        case "cvt.wu.s": got = UInt64(SoftFloat.f32ToU32(a32, rm, &fl))
        case "cvt.l.s": got = UInt64(bitPattern: SoftFloat.f32ToI64(a32, rm, &fl))
        case "cvt.lu.s": got = SoftFloat.f32ToU64(a32, rm, &fl)
        case "cvt.w.d": got = UInt64(UInt32(bitPattern: SoftFloat.f64ToI32(a, rm, &fl)))
        case "cvt.wu.d": got = UInt64(SoftFloat.f64ToU32(a, rm, &fl))
        case "cvt.l.d": got = UInt64(bitPattern: SoftFloat.f64ToI64(a, rm, &fl))
        case "cvt.lu.d": got = SoftFloat.f64ToU64(a, rm, &fl)
        case "cvt.s.w": got = UInt64(SoftFloat.i32ToF32(Int32(bitPattern: a32), rm, &fl))
        case "cvt.s.wu": got = UInt64(SoftFloat.u32ToF32(a32, rm, &fl))
        case "cvt.s.l": got = UInt64(SoftFloat.i64ToF32(Int64(bitPattern: a), rm, &fl))
        case "cvt.s.lu": got = UInt64(SoftFloat.u64ToF32(a, rm, &fl))
        case "cvt.d.w": got = SoftFloat.i32ToF64(Int32(bitPattern: a32), rm, &fl)
        case "cvt.d.wu": got = SoftFloat.u32ToF64(a32, rm, &fl)
        case "cvt.d.l": got = SoftFloat.i64ToF64(Int64(bitPattern: a), rm, &fl)
        case "cvt.d.lu": got = SoftFloat.u64ToF64(a, rm, &fl)
        case "feq.s": got = SoftFloat.eq32(a32, b32, &fl) ? 1 : 0
        case "flt.s": got = SoftFloat.lt32(a32, b32, &fl) ? 1 : 0
        case "fle.s": got = SoftFloat.le32(a32, b32, &fl) ? 1 : 0
        case "feq.d": got = SoftFloat.eq64(a, b, &fl) ? 1 : 0
        case "flt.d": got = SoftFloat.lt64(a, b, &fl) ? 1 : 0
        case "fle.d": got = SoftFloat.le64(a, b, &fl) ? 1 : 0
        default: return "unknown operation: \(line)"
        }
        if got == expected && fl == expectedFlags { return nil }
        return "\(line) → got \(String(got, radix: 16)) flags \(String(fl, radix: 16))"
    }

    @Test func oracleVectorsMatch() {
        let lines = softFloatOracleVectors.split(separator: "\n")
        #expect(lines.count > 10_000)
        var failures: [String] = []
        var failed = 0
        for line in lines {
            if let f = Self.check(line) {
                failed += 1
                if failures.count < 400 { failures.append(f) }
            }
        }
        #expect(failed == 0, "\(failed) of \(lines.count) vectors differ, first: \(failures.joined(separator: "\n"))")
    }
}
