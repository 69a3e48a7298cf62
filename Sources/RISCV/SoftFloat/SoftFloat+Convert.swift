// Conversions between the two formats and to/from 32/64-bit integers, with
// RISC-V's saturating results for invalid float-to-integer conversions.

extension SoftFloat {
    static func convertFloat(_ a: UInt64, from src: SFFormat, to dst: SFFormat,
                             _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        if src.isNaN(a) { return nanResult(dst, src.isSNaN(a), &flags) }
        let negative = src.sign(a)
        if src.isInf(a) { return dst.signBits(negative) | dst.infBits }
        if src.isZero(a) { return dst.signBits(negative) }
        let (e, m) = src.unpack(a)
        return roundPack(negative, e, m, dst, rm, &flags)
    }

    /// Float to integer as sign and magnitude. `maxPositive` / `maxNegative`
    /// are the magnitudes of the destination's extremes; out-of-range, infinite
    /// and NaN inputs saturate with NV only (NaN goes to the positive extreme).
    static func toInteger(_ a: UInt64, _ f: SFFormat, _ rm: RoundingMode,
                          maxPositive: UInt64, maxNegative: UInt64,
                          _ flags: inout UInt8) -> (negative: Bool, magnitude: UInt64) {
        if f.isNaN(a) {
            flags |= FFlag.nv
            return (false, maxPositive)
        }
        let negative = f.sign(a)
        let saturated = negative ? (true, maxNegative) : (false, maxPositive)
        if f.isInf(a) {
            flags |= FFlag.nv
            return saturated
        }
        if f.isZero(a) { return (false, 0) }
        let (e, m) = f.unpack(a)
        var magnitude = m, inexact = false
        if e > 0 {
            flags |= FFlag.nv  // at least 2^64
            return saturated
        } else if e < 0 {
            (magnitude, inexact) = roundBits(m, -e, negative, rm)
        }
        if magnitude > (negative ? maxNegative : maxPositive) {
            flags |= FFlag.nv
            return saturated
        }
        if inexact { flags |= FFlag.nx }
        return (negative, magnitude)
    }

    @inline(__always)
    static func toSigned(_ a: UInt64, _ f: SFFormat, _ rm: RoundingMode, bits: Int,
                         _ flags: inout UInt8) -> Int64 {
        let limit: UInt64 = 1 << UInt64(bits - 1)
        let (negative, magnitude) = toInteger(a, f, rm, maxPositive: limit - 1,
                                              maxNegative: limit, &flags)
        return Int64(bitPattern: negative ? 0 &- magnitude : magnitude)
    }

    @inline(__always)
    static func toUnsigned(_ a: UInt64, _ f: SFFormat, _ rm: RoundingMode, bits: Int,
                           _ flags: inout UInt8) -> UInt64 {
        let maxPositive: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        // A negative input is valid only if it rounds to zero.
        return toInteger(a, f, rm, maxPositive: maxPositive, maxNegative: 0, &flags).magnitude
    }

    @inline(__always)
    static func fromInteger(_ negative: Bool, _ magnitude: UInt64, _ f: SFFormat,
                            _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        if magnitude == 0 { return 0 }
        return roundPack(negative, 0, magnitude, f, rm, &flags)
    }
}

extension SoftFloat {
    /// binary32 → binary64 (FCVT.D.S); always exact.
    public static func f32ToF64(_ a: UInt32, _ flags: inout UInt8) -> UInt64 {
        convertFloat(UInt64(a), from: .f32, to: .f64, .rne, &flags)
    }
    /// binary64 → binary32 (FCVT.S.D), rounded by `rm`.
    public static func f64ToF32(_ a: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: convertFloat(a, from: .f64, to: .f32, rm, &flags))
    }

    /// binary32 → Int32 (FCVT.W.S), saturating with NV when out of range.
    public static func f32ToI32(_ a: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> Int32 {
        Int32(truncatingIfNeeded: toSigned(UInt64(a), .f32, rm, bits: 32, &flags))
    }
    /// binary32 → UInt32 (FCVT.WU.S), saturating with NV when out of range.
    public static func f32ToU32(_ a: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: toUnsigned(UInt64(a), .f32, rm, bits: 32, &flags))
    }
    /// binary32 → Int64 (FCVT.L.S), saturating with NV when out of range.
    public static func f32ToI64(_ a: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> Int64 {
        toSigned(UInt64(a), .f32, rm, bits: 64, &flags)
    }
    /// binary32 → UInt64 (FCVT.LU.S), saturating with NV when out of range.
    public static func f32ToU64(_ a: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        toUnsigned(UInt64(a), .f32, rm, bits: 64, &flags)
    }
    /// binary64 → Int32 (FCVT.W.D), saturating with NV when out of range.
    public static func f64ToI32(_ a: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> Int32 {
        Int32(truncatingIfNeeded: toSigned(a, .f64, rm, bits: 32, &flags))
    }
    /// binary64 → UInt32 (FCVT.WU.D), saturating with NV when out of range.
    public static func f64ToU32(_ a: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: toUnsigned(a, .f64, rm, bits: 32, &flags))
    }
    /// binary64 → Int64 (FCVT.L.D), saturating with NV when out of range.
    public static func f64ToI64(_ a: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> Int64 {
        toSigned(a, .f64, rm, bits: 64, &flags)
    }
    /// binary64 → UInt64 (FCVT.LU.D), saturating with NV when out of range.
    public static func f64ToU64(_ a: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        toUnsigned(a, .f64, rm, bits: 64, &flags)
    }

    /// Int32 → binary32 (FCVT.S.W).
    public static func i32ToF32(_ v: Int32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: fromInteger(v < 0, UInt64(v.magnitude), .f32, rm, &flags))
    }
    /// UInt32 → binary32 (FCVT.S.WU).
    public static func u32ToF32(_ v: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: fromInteger(false, UInt64(v), .f32, rm, &flags))
    }
    /// Int64 → binary32 (FCVT.S.L).
    public static func i64ToF32(_ v: Int64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: fromInteger(v < 0, v.magnitude, .f32, rm, &flags))
    }
    /// UInt64 → binary32 (FCVT.S.LU).
    public static func u64ToF32(_ v: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: fromInteger(false, v, .f32, rm, &flags))
    }
    /// Int32 → binary64 (FCVT.D.W); always exact.
    public static func i32ToF64(_ v: Int32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        fromInteger(v < 0, UInt64(v.magnitude), .f64, rm, &flags)
    }
    /// UInt32 → binary64 (FCVT.D.WU); always exact.
    public static func u32ToF64(_ v: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        fromInteger(false, UInt64(v), .f64, rm, &flags)
    }
    /// Int64 → binary64 (FCVT.D.L).
    public static func i64ToF64(_ v: Int64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        fromInteger(v < 0, v.magnitude, .f64, rm, &flags)
    }
    /// UInt64 → binary64 (FCVT.D.LU).
    public static func u64ToF64(_ v: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        fromInteger(false, v, .f64, rm, &flags)
    }
}
