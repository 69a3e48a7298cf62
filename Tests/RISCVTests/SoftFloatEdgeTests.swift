// Hand-written edge cases, each expected value derived from the IEEE-754 and
// RISC-V F/D rules stated beside it (not from running the implementation).
import Testing
@testable import RISCV

/// Runs `body` with a fresh fflags byte and returns its result and the flags.
func sfWithFlags<T>(_ body: (inout UInt8) -> T) -> (T, UInt8) {
    var fl: UInt8 = 0
    let r = body(&fl)
    return (r, fl)
}

private let nx = FFlag.nx, uf = FFlag.uf, of = FFlag.of, dz = FFlag.dz, nv = FFlag.nv

// binary32 patterns
private let one32: UInt32 = 0x3F80_0000, two32: UInt32 = 0x4000_0000
private let inf32: UInt32 = 0x7F80_0000, ninf32: UInt32 = 0xFF80_0000
private let qnan32: UInt32 = 0x7FC0_0000, snan32: UInt32 = 0x7F80_0001
private let payloadNaN32: UInt32 = 0xFFC1_2345
private let max32: UInt32 = 0x7F7F_FFFF, minSub32: UInt32 = 1
private let maxSub32: UInt32 = 0x007F_FFFF, minNorm32: UInt32 = 0x0080_0000
private let pz32: UInt32 = 0, nz32: UInt32 = 0x8000_0000
// binary64 patterns
private let one64: UInt64 = 0x3FF0_0000_0000_0000, two64: UInt64 = 0x4000_0000_0000_0000
private let inf64: UInt64 = 0x7FF0_0000_0000_0000, ninf64: UInt64 = 0xFFF0_0000_0000_0000
private let qnan64: UInt64 = 0x7FF8_0000_0000_0000, snan64: UInt64 = 0x7FF0_0000_0000_0001
private let max64: UInt64 = 0x7FEF_FFFF_FFFF_FFFF, minSub64: UInt64 = 1
private let pz64: UInt64 = 0, nz64: UInt64 = 0x8000_0000_0000_0000

@Suite struct SoftFloatEdgeTests {
    @Test func nanInputsGiveCanonicalNaN() {
        // Quiet NaN in: canonical NaN out, no flags; payloads are not propagated.
        #expect(sfWithFlags { SoftFloat.add32(payloadNaN32, one32, .rne, &$0) } == (qnan32, 0))
        #expect(sfWithFlags { SoftFloat.mul64(0xFFF8_0000_0000_1234, one64, .rne, &$0) } == (qnan64, 0))
        // Signalling NaN in: canonical NaN and NV.
        #expect(sfWithFlags { SoftFloat.sub32(one32, snan32, .rne, &$0) } == (qnan32, nv))
        #expect(sfWithFlags { SoftFloat.div64(snan64, qnan64, .rne, &$0) } == (qnan64, nv))
        #expect(sfWithFlags { SoftFloat.sqrt32(snan32, .rne, &$0) } == (qnan32, nv))
        #expect(sfWithFlags { SoftFloat.sqrt64(qnan64, .rne, &$0) } == (qnan64, 0))
        #expect(sfWithFlags { SoftFloat.fma64(one64, one64, snan64, .rne, &$0) } == (qnan64, nv))
        #expect(sfWithFlags { SoftFloat.f32ToF64(snan32, &$0) } == (qnan64, nv))
        #expect(sfWithFlags { SoftFloat.f32ToF64(payloadNaN32, &$0) } == (qnan64, 0))
        #expect(sfWithFlags { SoftFloat.f64ToF32(0x7FF0_0000_0000_0001, .rne, &$0) } == (qnan32, nv))
        #expect(sfWithFlags { SoftFloat.f64ToF32(0x7FF8_0000_DEAD_0000, .rne, &$0) } == (qnan32, 0))
    }

    @Test func invalidOperations() {
        #expect(sfWithFlags { SoftFloat.add32(inf32, ninf32, .rne, &$0) } == (qnan32, nv))
        #expect(sfWithFlags { SoftFloat.sub64(inf64, inf64, .rne, &$0) } == (qnan64, nv))
        #expect(sfWithFlags { SoftFloat.mul32(pz32, ninf32, .rne, &$0) } == (qnan32, nv))
        #expect(sfWithFlags { SoftFloat.div64(pz64, nz64, .rne, &$0) } == (qnan64, nv))
        #expect(sfWithFlags { SoftFloat.div32(inf32, ninf32, .rne, &$0) } == (qnan32, nv))
        #expect(sfWithFlags { SoftFloat.sqrt64(0xBFF0_0000_0000_0000, .rne, &$0) } == (qnan64, nv))
        #expect(sfWithFlags { SoftFloat.sqrt32(0x8000_0001, .rne, &$0) } == (qnan32, nv))  // -min subnormal
        #expect(sfWithFlags { SoftFloat.sqrt64(ninf64, .rne, &$0) } == (qnan64, nv))
        // fma: inf*0 is invalid whatever the addend, even a quiet NaN.
        #expect(sfWithFlags { SoftFloat.fma32(inf32, pz32, qnan32, .rne, &$0) } == (qnan32, nv))
        #expect(sfWithFlags { SoftFloat.fma64(nz64, inf64, qnan64, .rne, &$0) } == (qnan64, nv))
        #expect(sfWithFlags { SoftFloat.fma64(inf64, pz64, one64, .rne, &$0) } == (qnan64, nv))
        // inf + (-inf) inside fma.
        #expect(sfWithFlags { SoftFloat.fma32(inf32, one32, ninf32, .rne, &$0) } == (qnan32, nv))
        // A quiet NaN in a or b alone is not invalid.
        #expect(sfWithFlags { SoftFloat.fma32(qnan32, pz32, one32, .rne, &$0) } == (qnan32, 0))
    }

    @Test func infinitiesAndDivisionByZero() {
        #expect(sfWithFlags { SoftFloat.div32(one32, pz32, .rne, &$0) } == (inf32, dz))
        #expect(sfWithFlags { SoftFloat.div64(one64, nz64, .rne, &$0) } == (ninf64, dz))
        #expect(sfWithFlags { SoftFloat.div32(0x8000_0001, pz32, .rne, &$0) } == (ninf32, dz))
        // An infinite dividend is exact, not a division by zero.
        #expect(sfWithFlags { SoftFloat.div64(inf64, pz64, .rne, &$0) } == (inf64, 0))
        #expect(sfWithFlags { SoftFloat.div32(one32, inf32, .rne, &$0) } == (pz32, 0))
        #expect(sfWithFlags { SoftFloat.sqrt32(inf32, .rne, &$0) } == (inf32, 0))
        #expect(sfWithFlags { SoftFloat.add64(inf64, max64, .rne, &$0) } == (inf64, 0))
        #expect(sfWithFlags { SoftFloat.fma64(inf64, two64, ninf64 ^ (1 << 63), .rne, &$0) } == (inf64, 0))
    }

    @Test func signedZeros() {
        // x + (-x) is +0 in every mode but RDN, where it is -0.
        for rm in [RoundingMode.rne, .rtz, .rup, .rmm] {
            #expect(sfWithFlags { SoftFloat.add32(one32, one32 | nz32, rm, &$0) } == (pz32, 0))
            #expect(sfWithFlags { SoftFloat.sub64(two64, two64, rm, &$0) } == (pz64, 0))
            #expect(sfWithFlags { SoftFloat.add64(pz64, nz64, rm, &$0) } == (pz64, 0))
            #expect(sfWithFlags { SoftFloat.fma32(one32, two32, two32 | nz32, rm, &$0) } == (pz32, 0))
            #expect(sfWithFlags { SoftFloat.fma64(pz64, one64, nz64, rm, &$0) } == (pz64, 0))
        }
        #expect(sfWithFlags { SoftFloat.add32(one32, one32 | nz32, .rdn, &$0) } == (nz32, 0))
        #expect(sfWithFlags { SoftFloat.sub64(two64, two64, .rdn, &$0) } == (nz64, 0))
        #expect(sfWithFlags { SoftFloat.add64(pz64, nz64, .rdn, &$0) } == (nz64, 0))
        #expect(sfWithFlags { SoftFloat.fma32(one32, two32, two32 | nz32, .rdn, &$0) } == (nz32, 0))
        #expect(sfWithFlags { SoftFloat.fma64(pz64, one64, nz64, .rdn, &$0) } == (nz64, 0))
        // Same-signed zeros keep their sign in every mode.
        #expect(sfWithFlags { SoftFloat.add32(nz32, nz32, .rne, &$0) } == (nz32, 0))
        #expect(sfWithFlags { SoftFloat.fma64(nz64, one64, nz64, .rup, &$0) } == (nz64, 0))
        // Products and quotients of zeros carry the XOR of the signs; sqrt(-0) = -0.
        #expect(sfWithFlags { SoftFloat.mul32(nz32, one32, .rne, &$0) } == (nz32, 0))
        #expect(sfWithFlags { SoftFloat.div64(pz64, ninf64, .rne, &$0) } == (nz64, 0))
        #expect(sfWithFlags { SoftFloat.sqrt64(nz64, .rne, &$0) } == (nz64, 0))
        #expect(sfWithFlags { SoftFloat.sqrt32(nz32, .rne, &$0) } == (nz32, 0))
    }

    @Test func overflowByRoundingMode() {
        // max * 2 overflows: RNE/RMM → ∞; RTZ → max; RDN → max for +, −∞ for −;
        // RUP → ∞ for +, −max for −. Always OF|NX.
        let cases: [(RoundingMode, UInt32, UInt32)] = [
            (.rne, inf32, ninf32), (.rmm, inf32, ninf32), (.rtz, max32, max32 | nz32),
            (.rdn, max32, ninf32), (.rup, inf32, max32 | nz32),
        ]
        for (rm, pos, neg) in cases {
            #expect(sfWithFlags { SoftFloat.mul32(max32, two32, rm, &$0) } == (pos, of | nx))
            #expect(sfWithFlags { SoftFloat.mul32(max32 | nz32, two32, rm, &$0) } == (neg, of | nx))
            let p64 = pos == inf32 ? inf64 : max64, n64 = neg == ninf32 ? ninf64 : (neg == max32 | nz32 ? max64 | nz64 : 0)
            #expect(sfWithFlags { SoftFloat.add64(max64, max64, rm, &$0) } == (p64, of | nx))
            #expect(sfWithFlags { SoftFloat.add64(max64 | nz64, max64 | nz64, rm, &$0) } == (n64, of | nx))
        }
        // binary64 → binary32 narrowing overflow.
        #expect(sfWithFlags { SoftFloat.f64ToF32(max64, .rne, &$0) } == (inf32, of | nx))
        #expect(sfWithFlags { SoftFloat.f64ToF32(max64, .rtz, &$0) } == (max32, of | nx))
        // max + half an ulp (2^103 for binary32) is a tie; RNE picks the even
        // neighbour 2^128, which overflows; RTZ stays at max with only NX.
        #expect(sfWithFlags { SoftFloat.add32(max32, 0x7300_0000, .rne, &$0) } == (inf32, of | nx))
        #expect(sfWithFlags { SoftFloat.add32(max32, 0x7300_0000, .rtz, &$0) } == (max32, nx))
    }

    @Test func underflowAndTininessAfterRounding() {
        // min subnormal / 2 is exactly half the smallest step: RNE ties to 0
        // (even), RMM and RUP go to min subnormal, RTZ/RDN to 0. Tiny and
        // inexact → UF|NX in every mode.
        let half: [(RoundingMode, UInt32)] = [(.rne, 0), (.rtz, 0), (.rdn, 0), (.rup, 1), (.rmm, 1)]
        for (rm, r) in half {
            #expect(sfWithFlags { SoftFloat.div32(minSub32, two32, rm, &$0) } == (r, uf | nx))
        }
        #expect(sfWithFlags { SoftFloat.mul64(minSub64, 0x3FE0_0000_0000_0000, .rup, &$0) } == (minSub64, uf | nx))
        // Exact subnormal results raise nothing.
        #expect(sfWithFlags { SoftFloat.sub32(minNorm32, minSub32, .rne, &$0) } == (maxSub32, 0))
        #expect(sfWithFlags { SoftFloat.mul64(0x0000_0000_0000_0004, 0x3FE0_0000_0000_0000, .rne, &$0) } == (2, 0))
        // (1 - 2^-24) * 2^-126 = 2^-126 - 2^-150: with an unbounded exponent it
        // is exact at 24 bits (so tiny), and in the subnormal grid it is a tie
        // between max subnormal and min normal. Tiny + inexact → UF in all modes.
        let tie: [(RoundingMode, UInt32)] = [(.rne, minNorm32), (.rmm, minNorm32), (.rup, minNorm32),
                                             (.rtz, maxSub32), (.rdn, maxSub32)]
        for (rm, r) in tie {
            #expect(sfWithFlags { SoftFloat.mul32(0x3F7F_FFFF, minNorm32, rm, &$0) } == (r, uf | nx))
        }
        // 2^-126 - 2^-151 needs 25 bits; rounded to 24 bits with an unbounded
        // exponent, RNE/RMM/RUP give 2^-126 — not tiny, so NX without UF.
        // RTZ/RDN give max subnormal, which is tiny → UF|NX.
        let notTiny: [(RoundingMode, UInt32, UInt8)] = [
            (.rne, minNorm32, nx), (.rmm, minNorm32, nx), (.rup, minNorm32, nx),
            (.rtz, maxSub32, uf | nx), (.rdn, maxSub32, uf | nx),
        ]
        for (rm, r, fl) in notTiny {
            #expect(sfWithFlags { SoftFloat.f64ToF32(0x380F_FFFF_F000_0000, rm, &$0) } == (r, fl))
        }
        // The smallest binary64 subnormal narrowed to binary32.
        #expect(sfWithFlags { SoftFloat.f64ToF32(minSub64, .rne, &$0) } == (pz32, uf | nx))
        #expect(sfWithFlags { SoftFloat.f64ToF32(minSub64, .rup, &$0) } == (minSub32, uf | nx))
        #expect(sfWithFlags { SoftFloat.f64ToF32(minSub64 | nz64, .rdn, &$0) } == (minSub32 | nz32, uf | nx))
    }

    /// rmm has no host equivalent; these ties are worked out by hand.
    @Test func roundToNearestMaxMagnitude() {
        // 1 + 2^-24 is halfway between 1 and 1 + 2^-23: RNE → 1 (even), RMM → away.
        #expect(sfWithFlags { SoftFloat.add32(one32, 0x3380_0000, .rne, &$0) } == (one32, nx))
        #expect(sfWithFlags { SoftFloat.add32(one32, 0x3380_0000, .rmm, &$0) } == (0x3F80_0001, nx))
        #expect(sfWithFlags { SoftFloat.add32(one32 | nz32, 0xB380_0000, .rmm, &$0) } == (0xBF80_0001, nx))
        // (1 + 2^-52) + 2^-53 is halfway with an odd lower neighbour: both go up.
        #expect(sfWithFlags { SoftFloat.add64(0x3FF0_0000_0000_0001, 0x3CA0_0000_0000_0000, .rmm, &$0) }
                == (0x3FF0_0000_0000_0002, nx))
        #expect(sfWithFlags { SoftFloat.add64(0x3FF0_0000_0000_0001, 0x3CA0_0000_0000_0000, .rne, &$0) }
                == (0x3FF0_0000_0000_0002, nx))
        // (1 + 2^-23)^2 - 1 = 2^-22 + 2^-46 = 2^-22 (1 + 2^-24): a tie at 24 bits.
        #expect(sfWithFlags { SoftFloat.fma32(0x3F80_0001, 0x3F80_0001, one32 | nz32, .rmm, &$0) } == (0x3480_0001, nx))
        #expect(sfWithFlags { SoftFloat.fma32(0x3F80_0001, 0x3F80_0001, one32 | nz32, .rne, &$0) } == (0x3480_0000, nx))
        // 2^53 + 1 → binary64 is a tie between 2^53 and 2^53 + 2.
        #expect(sfWithFlags { SoftFloat.i64ToF64(1 << 53 + 1, .rmm, &$0) } == (0x4340_0000_0000_0001, nx))
        #expect(sfWithFlags { SoftFloat.i64ToF64(-(1 << 53 + 1), .rmm, &$0) } == (0xC340_0000_0000_0001, nx))
        #expect(sfWithFlags { SoftFloat.i64ToF64(1 << 53 + 1, .rne, &$0) } == (0x4340_0000_0000_0000, nx))
        // 2^24 + 1 → binary32: RMM away to 2^24 + 2.
        #expect(sfWithFlags { SoftFloat.i32ToF32(16_777_217, .rmm, &$0) } == (0x4B80_0001, nx))
        #expect(sfWithFlags { SoftFloat.u64ToF32(16_777_217, .rne, &$0) } == (0x4B80_0000, nx))
        // Float → integer ties: 2.5 → 3, -2.5 → -3, 0.5 → 1 under RMM (RNE: 2, -2, 0).
        #expect(sfWithFlags { SoftFloat.f64ToI32(0x4004_0000_0000_0000, .rmm, &$0) } == (3, nx))
        #expect(sfWithFlags { SoftFloat.f64ToI64(0xC004_0000_0000_0000, .rmm, &$0) } == (-3, nx))
        #expect(sfWithFlags { SoftFloat.f64ToI64(0xC004_0000_0000_0000, .rne, &$0) } == (-2, nx))
        #expect(sfWithFlags { SoftFloat.f32ToU32(0x3F00_0000, .rmm, &$0) } == (1, nx))
        #expect(sfWithFlags { SoftFloat.f32ToU32(0x3F00_0000, .rne, &$0) } == (0, nx))
        // -0.5 to unsigned: RMM rounds to -1, out of range → 0 with NV only.
        #expect(sfWithFlags { SoftFloat.f32ToU64(0xBF00_0000, .rmm, &$0) } == (0, nv))
        // Overflow under RMM goes to infinity.
        #expect(sfWithFlags { SoftFloat.mul64(max64, two64, .rmm, &$0) } == (inf64, of | nx))
        // A square root is never exactly halfway, so RMM equals RNE: sqrt(2).
        #expect(sfWithFlags { SoftFloat.sqrt64(two64, .rmm, &$0) } == (0x3FF6_A09E_667F_3BCD, nx))
        #expect(sfWithFlags { SoftFloat.sqrt32(two32, .rmm, &$0) } == (0x3FB5_04F3, nx))
        // 3 × min subnormal / 2 = 1.5 steps: RNE → 2 (even), RMM → 2.
        #expect(sfWithFlags { SoftFloat.div32(3, two32, .rmm, &$0) } == (2, uf | nx))
        // 5/2 steps: RNE → 2 (even), RMM → 3.
        #expect(sfWithFlags { SoftFloat.div64(5, two64, .rne, &$0) } == (2, uf | nx))
        #expect(sfWithFlags { SoftFloat.div64(5, two64, .rmm, &$0) } == (3, uf | nx))
    }

    @Test func classifyEveryClass() {
        let c32: [(UInt32, UInt64)] = [
            (ninf32, 1 << 0), (0xBF80_0000, 1 << 1), (0x8000_0001, 1 << 2), (nz32, 1 << 3),
            (pz32, 1 << 4), (maxSub32, 1 << 5), (minNorm32, 1 << 6), (max32, 1 << 6),
            (inf32, 1 << 7), (snan32, 1 << 8), (0xFFBF_FFFF, 1 << 8), (qnan32, 1 << 9),
            (0xFFC0_0001, 1 << 9),
        ]
        for (x, m) in c32 { #expect(SoftFloat.classify32(x) == m, "\(sfHex(UInt64(x)))") }
        let c64: [(UInt64, UInt64)] = [
            (ninf64, 1 << 0), (0xBFF0_0000_0000_0000, 1 << 1), (0x800F_FFFF_FFFF_FFFF, 1 << 2),
            (nz64, 1 << 3), (pz64, 1 << 4), (minSub64, 1 << 5), (0x0010_0000_0000_0000, 1 << 6),
            (inf64, 1 << 7), (snan64, 1 << 8), (0x7FF7_FFFF_FFFF_FFFF, 1 << 8), (qnan64, 1 << 9),
            (0xFFFF_FFFF_FFFF_FFFF, 1 << 9),
        ]
        for (x, m) in c64 { #expect(SoftFloat.classify64(x) == m, "\(sfHex(x))") }
    }

    @Test func minMaxNumber() {
        // -0 is below +0, in either operand order.
        #expect(sfWithFlags { SoftFloat.min32(pz32, nz32, &$0) } == (nz32, 0))
        #expect(sfWithFlags { SoftFloat.min32(nz32, pz32, &$0) } == (nz32, 0))
        #expect(sfWithFlags { SoftFloat.max64(nz64, pz64, &$0) } == (pz64, 0))
        #expect(sfWithFlags { SoftFloat.max64(pz64, nz64, &$0) } == (pz64, 0))
        // One NaN: the other operand; NV only for a signalling NaN.
        #expect(sfWithFlags { SoftFloat.min32(qnan32, two32, &$0) } == (two32, 0))
        #expect(sfWithFlags { SoftFloat.max32(two32, snan32, &$0) } == (two32, nv))
        #expect(sfWithFlags { SoftFloat.min64(snan64, ninf64, &$0) } == (ninf64, nv))
        // Two NaNs: canonical NaN.
        #expect(sfWithFlags { SoftFloat.max32(payloadNaN32, qnan32, &$0) } == (qnan32, 0))
        #expect(sfWithFlags { SoftFloat.min64(qnan64, snan64, &$0) } == (qnan64, nv))
        // Ordinary ordering, including negatives and infinities.
        #expect(sfWithFlags { SoftFloat.min32(0xC000_0000, 0xBF80_0000, &$0) } == (0xC000_0000, 0))
        #expect(sfWithFlags { SoftFloat.max32(0xC000_0000, 0xBF80_0000, &$0) } == (0xBF80_0000, 0))
        #expect(sfWithFlags { SoftFloat.max64(inf64, max64, &$0) } == (inf64, 0))
        #expect(sfWithFlags { SoftFloat.min64(minSub64, pz64, &$0) } == (pz64, 0))
    }

    @Test func comparisons() {
        #expect(sfWithFlags { SoftFloat.eq32(nz32, pz32, &$0) } == (true, 0))
        #expect(sfWithFlags { SoftFloat.lt32(nz32, pz32, &$0) } == (false, 0))
        #expect(sfWithFlags { SoftFloat.le64(pz64, nz64, &$0) } == (true, 0))
        // FEQ is quiet: NV only for sNaN. FLT/FLE signal on any NaN.
        #expect(sfWithFlags { SoftFloat.eq32(qnan32, qnan32, &$0) } == (false, 0))
        #expect(sfWithFlags { SoftFloat.eq64(one64, snan64, &$0) } == (false, nv))
        #expect(sfWithFlags { SoftFloat.lt32(qnan32, one32, &$0) } == (false, nv))
        #expect(sfWithFlags { SoftFloat.le64(one64, qnan64, &$0) } == (false, nv))
        #expect(sfWithFlags { SoftFloat.lt64(ninf64, max64 | nz64, &$0) } == (true, 0))
        #expect(sfWithFlags { SoftFloat.le32(inf32, inf32, &$0) } == (true, 0))
        #expect(sfWithFlags { SoftFloat.lt32(0xBF80_0000, 0xC000_0000, &$0) } == (false, 0))
    }

    @Test func floatToIntegerBounds() {
        // binary64 → Int32: ±2^31 and neighbours.
        #expect(sfWithFlags { SoftFloat.f64ToI32(0x41E0_0000_0000_0000, .rne, &$0) } == (Int32.max, nv))  // 2^31
        #expect(sfWithFlags { SoftFloat.f64ToI32(0x41DF_FFFF_FFC0_0000, .rne, &$0) } == (Int32.max, 0))   // 2^31-1
        #expect(sfWithFlags { SoftFloat.f64ToI32(0xC1E0_0000_0000_0000, .rne, &$0) } == (Int32.min, 0))   // -2^31
        #expect(sfWithFlags { SoftFloat.f64ToI32(0xC1E0_0000_0020_0000, .rne, &$0) } == (Int32.min, nv))  // -2^31-1
        // -2^31 - 0.5: RNE ties to even -2^31 (in range, NX); RDN → -2^31-1 (NV).
        #expect(sfWithFlags { SoftFloat.f64ToI32(0xC1E0_0000_0010_0000, .rne, &$0) } == (Int32.min, nx))
        #expect(sfWithFlags { SoftFloat.f64ToI32(0xC1E0_0000_0010_0000, .rtz, &$0) } == (Int32.min, nx))
        #expect(sfWithFlags { SoftFloat.f64ToI32(0xC1E0_0000_0010_0000, .rdn, &$0) } == (Int32.min, nv))
        // 2^31 - 0.5: RNE → 2^31 (even) out of range; RTZ → 2^31-1.
        #expect(sfWithFlags { SoftFloat.f64ToI32(0x41DF_FFFF_FFE0_0000, .rne, &$0) } == (Int32.max, nv))
        #expect(sfWithFlags { SoftFloat.f64ToI32(0x41DF_FFFF_FFE0_0000, .rtz, &$0) } == (Int32.max, nx))
        // binary64 → UInt32.
        #expect(sfWithFlags { SoftFloat.f64ToU32(0x41F0_0000_0000_0000, .rne, &$0) } == (UInt32.max, nv))  // 2^32
        #expect(sfWithFlags { SoftFloat.f64ToU32(0x41EF_FFFF_FFE0_0000, .rne, &$0) } == (UInt32.max, 0))   // 2^32-1
        #expect(sfWithFlags { SoftFloat.f64ToU32(0xBFE0_0000_0000_0000, .rne, &$0) } == (0, nx))   // -0.5 → -0
        #expect(sfWithFlags { SoftFloat.f64ToU32(0xBFE0_0000_0000_0000, .rdn, &$0) } == (0, nv))   // -0.5 → -1
        #expect(sfWithFlags { SoftFloat.f64ToU32(0xBFF0_0000_0000_0000, .rtz, &$0) } == (0, nv))   // -1
        // binary64 → Int64: 2^63, -2^63, next below -2^63, largest below 2^63.
        #expect(sfWithFlags { SoftFloat.f64ToI64(0x43E0_0000_0000_0000, .rne, &$0) } == (Int64.max, nv))
        #expect(sfWithFlags { SoftFloat.f64ToI64(0xC3E0_0000_0000_0000, .rne, &$0) } == (Int64.min, 0))
        #expect(sfWithFlags { SoftFloat.f64ToI64(0xC3E0_0000_0000_0001, .rne, &$0) } == (Int64.min, nv))
        #expect(sfWithFlags { SoftFloat.f64ToI64(0x43DF_FFFF_FFFF_FFFF, .rne, &$0) } == (Int64.max - 1023, 0))
        // binary64 → UInt64: 2^64 and the largest double below it.
        #expect(sfWithFlags { SoftFloat.f64ToU64(0x43F0_0000_0000_0000, .rne, &$0) } == (UInt64.max, nv))
        #expect(sfWithFlags { SoftFloat.f64ToU64(0x43EF_FFFF_FFFF_FFFF, .rne, &$0) } == (UInt64.max - 2047, 0))
        #expect(sfWithFlags { SoftFloat.f64ToU64(nz64, .rne, &$0) } == (0, 0))
        // binary32 sources: 2^31, 2^63, 2^64 and -2^31 as floats.
        #expect(sfWithFlags { SoftFloat.f32ToI32(0x4F00_0000, .rne, &$0) } == (Int32.max, nv))
        #expect(sfWithFlags { SoftFloat.f32ToI32(0xCF00_0000, .rne, &$0) } == (Int32.min, 0))
        #expect(sfWithFlags { SoftFloat.f32ToI64(0x5F00_0000, .rne, &$0) } == (Int64.max, nv))
        #expect(sfWithFlags { SoftFloat.f32ToI64(0xDF00_0000, .rne, &$0) } == (Int64.min, 0))
        #expect(sfWithFlags { SoftFloat.f32ToU64(0x5F80_0000, .rne, &$0) } == (UInt64.max, nv))
        #expect(sfWithFlags { SoftFloat.f32ToU32(0x4F80_0000, .rne, &$0) } == (UInt32.max, nv))
        // NaN → largest positive; infinities saturate by sign.
        #expect(sfWithFlags { SoftFloat.f32ToI32(qnan32, .rne, &$0) } == (Int32.max, nv))
        #expect(sfWithFlags { SoftFloat.f32ToU32(payloadNaN32, .rne, &$0) } == (UInt32.max, nv))
        #expect(sfWithFlags { SoftFloat.f64ToI64(snan64, .rne, &$0) } == (Int64.max, nv))
        #expect(sfWithFlags { SoftFloat.f64ToU64(qnan64 | nz64, .rne, &$0) } == (UInt64.max, nv))
        #expect(sfWithFlags { SoftFloat.f64ToI32(ninf64, .rne, &$0) } == (Int32.min, nv))
        #expect(sfWithFlags { SoftFloat.f32ToU64(ninf32, .rne, &$0) } == (0, nv))
        #expect(sfWithFlags { SoftFloat.f32ToI64(inf32, .rne, &$0) } == (Int64.max, nv))
        // Tiny values: inexact zero, or ±1 by direction.
        #expect(sfWithFlags { SoftFloat.f64ToI64(minSub64, .rup, &$0) } == (1, nx))
        #expect(sfWithFlags { SoftFloat.f64ToI64(minSub64 | nz64, .rdn, &$0) } == (-1, nx))
        #expect(sfWithFlags { SoftFloat.f32ToI32(minSub32, .rne, &$0) } == (0, nx))
    }

    @Test func integerToFloatBounds() {
        #expect(sfWithFlags { SoftFloat.i64ToF64(Int64.min, .rne, &$0) } == (0xC3E0_0000_0000_0000, 0))
        #expect(sfWithFlags { SoftFloat.i32ToF32(Int32.min, .rne, &$0) } == (0xCF00_0000, 0))
        #expect(sfWithFlags { SoftFloat.i32ToF64(Int32.min, .rne, &$0) } == (0xC1E0_0000_0000_0000, 0))
        #expect(sfWithFlags { SoftFloat.u32ToF64(UInt32.max, .rne, &$0) } == (0x41EF_FFFF_FFE0_0000, 0))
        // 2^64 - 1: RNE → 2^64; RTZ → largest value below 2^64.
        #expect(sfWithFlags { SoftFloat.u64ToF64(UInt64.max, .rne, &$0) } == (0x43F0_0000_0000_0000, nx))
        #expect(sfWithFlags { SoftFloat.u64ToF64(UInt64.max, .rtz, &$0) } == (0x43EF_FFFF_FFFF_FFFF, nx))
        #expect(sfWithFlags { SoftFloat.u64ToF32(UInt64.max, .rne, &$0) } == (0x5F80_0000, nx))
        #expect(sfWithFlags { SoftFloat.u64ToF32(UInt64.max, .rdn, &$0) } == (0x5F7F_FFFF, nx))
        #expect(sfWithFlags { SoftFloat.i64ToF32(Int64.max, .rtz, &$0) } == (0x5EFF_FFFF, nx))
        // Zero converts to +0 in every mode, even RDN.
        #expect(sfWithFlags { SoftFloat.i64ToF64(0, .rdn, &$0) } == (pz64, 0))
        #expect(sfWithFlags { SoftFloat.u32ToF32(0, .rdn, &$0) } == (pz32, 0))
        #expect(sfWithFlags { SoftFloat.i32ToF32(-1, .rne, &$0) } == (0xBF80_0000, 0))
    }

    @Test func flagsAccumulate() {
        // Flags are OR-ed into the caller's byte, never cleared.
        var fl: UInt8 = FFlag.dz
        _ = SoftFloat.add32(one32, 0x3380_0000, .rne, &fl)
        _ = SoftFloat.sqrt64(0xBFF0_0000_0000_0000, .rne, &fl)
        #expect(fl == dz | nx | nv)
    }
}
