// Comparisons, minimumNumber/maximumNumber and classification.

extension SoftFloat {
    static func eqCore(_ a: UInt64, _ b: UInt64, _ f: SFFormat, _ flags: inout UInt8) -> Bool {
        if f.isNaN(a) || f.isNaN(b) {
            if f.isSNaN(a) || f.isSNaN(b) { flags |= FFlag.nv }
            return false
        }
        return a == b || (f.isZero(a) && f.isZero(b))
    }

    /// Numeric order of two non-NaN values, `-0 == +0`.
    @inline(__always)
    static func lessNonNaN(_ a: UInt64, _ b: UInt64, _ f: SFFormat, orEqual: Bool) -> Bool {
        let sa = f.sign(a), sb = f.sign(b)
        if f.isZero(a) && f.isZero(b) { return orEqual }
        if sa != sb { return sa }
        if a == b { return orEqual }
        return sa ? a > b : a < b
    }

    static func ltCore(_ a: UInt64, _ b: UInt64, _ f: SFFormat, orEqual: Bool,
                       _ flags: inout UInt8) -> Bool {
        if f.isNaN(a) || f.isNaN(b) {
            flags |= FFlag.nv
            return false
        }
        return lessNonNaN(a, b, f, orEqual: orEqual)
    }

    static func minMaxCore(_ a: UInt64, _ b: UInt64, _ f: SFFormat, max: Bool,
                           _ flags: inout UInt8) -> UInt64 {
        if f.isSNaN(a) || f.isSNaN(b) { flags |= FFlag.nv }
        let an = f.isNaN(a), bn = f.isNaN(b)
        if an && bn { return f.canonicalNaN }
        if an { return b }
        if bn { return a }
        // Order -0 below +0, unlike IEEE equality.
        let aLess = f.sign(a) != f.sign(b) ? f.sign(a) : lessNonNaN(a, b, f, orEqual: false)
        return aLess != max ? a : b
    }

    static func classifyCore(_ a: UInt64, _ f: SFFormat) -> UInt64 {
        let negative = f.sign(a)
        if f.isNaN(a) { return f.isSNaN(a) ? 1 << 8 : 1 << 9 }
        let index: UInt64
        if f.isInf(a) {
            index = negative ? 0 : 7
        } else if f.isZero(a) {
            index = negative ? 3 : 4
        } else if f.magnitude(a) >> UInt64(f.fracBits) == 0 {
            index = negative ? 2 : 5
        } else {
            index = negative ? 1 : 6
        }
        return 1 << index
    }
}

extension SoftFloat {
    /// binary32 quiet equality (FEQ.S): NV only for a signalling NaN.
    public static func eq32(_ a: UInt32, _ b: UInt32, _ flags: inout UInt8) -> Bool {
        eqCore(UInt64(a), UInt64(b), .f32, &flags)
    }
    /// binary32 signalling `a < b` (FLT.S): NV for any NaN.
    public static func lt32(_ a: UInt32, _ b: UInt32, _ flags: inout UInt8) -> Bool {
        ltCore(UInt64(a), UInt64(b), .f32, orEqual: false, &flags)
    }
    /// binary32 signalling `a <= b` (FLE.S): NV for any NaN.
    public static func le32(_ a: UInt32, _ b: UInt32, _ flags: inout UInt8) -> Bool {
        ltCore(UInt64(a), UInt64(b), .f32, orEqual: true, &flags)
    }
    /// binary64 quiet equality (FEQ.D): NV only for a signalling NaN.
    public static func eq64(_ a: UInt64, _ b: UInt64, _ flags: inout UInt8) -> Bool {
        eqCore(a, b, .f64, &flags)
    }
    /// binary64 signalling `a < b` (FLT.D): NV for any NaN.
    public static func lt64(_ a: UInt64, _ b: UInt64, _ flags: inout UInt8) -> Bool {
        ltCore(a, b, .f64, orEqual: false, &flags)
    }
    /// binary64 signalling `a <= b` (FLE.D): NV for any NaN.
    public static func le64(_ a: UInt64, _ b: UInt64, _ flags: inout UInt8) -> Bool {
        ltCore(a, b, .f64, orEqual: true, &flags)
    }

    /// binary32 minimumNumber (FMIN.S): -0 < +0, a single NaN yields the other
    /// operand, two NaNs the canonical NaN; NV if either is signalling.
    public static func min32(_ a: UInt32, _ b: UInt32, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: minMaxCore(UInt64(a), UInt64(b), .f32, max: false, &flags))
    }
    /// binary32 maximumNumber (FMAX.S), the mirror of `min32`.
    public static func max32(_ a: UInt32, _ b: UInt32, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: minMaxCore(UInt64(a), UInt64(b), .f32, max: true, &flags))
    }
    /// binary64 minimumNumber (FMIN.D), see `min32`.
    public static func min64(_ a: UInt64, _ b: UInt64, _ flags: inout UInt8) -> UInt64 {
        minMaxCore(a, b, .f64, max: false, &flags)
    }
    /// binary64 maximumNumber (FMAX.D), see `min32`.
    public static func max64(_ a: UInt64, _ b: UInt64, _ flags: inout UInt8) -> UInt64 {
        minMaxCore(a, b, .f64, max: true, &flags)
    }

    /// FCLASS.S mask: bit 0 −∞, 1 negative normal, 2 negative subnormal, 3 −0,
    /// 4 +0, 5 positive subnormal, 6 positive normal, 7 +∞, 8 sNaN, 9 qNaN.
    public static func classify32(_ a: UInt32) -> UInt64 {
        classifyCore(UInt64(a), .f32)
    }
    /// FCLASS.D mask, bits as for `classify32`.
    public static func classify64(_ a: UInt64) -> UInt64 {
        classifyCore(a, .f64)
    }
}
