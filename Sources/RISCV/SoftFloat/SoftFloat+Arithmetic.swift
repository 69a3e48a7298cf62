// add, sub, mul, div, sqrt and fused multiply-add, each written once over
// SFFormat and exposed for binary32 and binary64.

extension SoftFloat {
    static func addCore(_ a: UInt64, _ b: UInt64, _ f: SFFormat, _ rm: RoundingMode,
                        _ flags: inout UInt8) -> UInt64 {
        if f.isNaN(a) || f.isNaN(b) { return nanResult(f, f.isSNaN(a) || f.isSNaN(b), &flags) }
        var sa = f.sign(a), sb = f.sign(b)
        if f.isInf(a) {
            if f.isInf(b) && sa != sb { return invalid(f, &flags) }
            return a
        }
        if f.isInf(b) { return b }
        if f.isZero(a) {
            if f.isZero(b) { return sa == sb ? a : cancelledZero(f, rm) }
            return b
        }
        if f.isZero(b) { return a }
        var (ea, ma) = f.unpack(a)
        var (eb, mb) = f.unpack(b)
        // One bit of headroom for the carry; the low bits are zero, so exact.
        ma >>= 1; ea += 1
        mb >>= 1; eb += 1
        if ea < eb || (ea == eb && ma < mb) {
            swap(&ea, &eb); swap(&ma, &mb); swap(&sa, &sb)
        }
        mb = shiftRightJam(mb, ea - eb)
        if sa == sb { return roundPack(sa, ea, ma + mb, f, rm, &flags) }
        let d = ma - mb
        if d == 0 { return cancelledZero(f, rm) }
        return roundPack(sa, ea, d, f, rm, &flags)
    }

    static func mulCore(_ a: UInt64, _ b: UInt64, _ f: SFFormat, _ rm: RoundingMode,
                        _ flags: inout UInt8) -> UInt64 {
        if f.isNaN(a) || f.isNaN(b) { return nanResult(f, f.isSNaN(a) || f.isSNaN(b), &flags) }
        let negative = f.sign(a) != f.sign(b)
        if f.isInf(a) || f.isInf(b) {
            if f.isZero(a) || f.isZero(b) { return invalid(f, &flags) }
            return f.signBits(negative) | f.infBits
        }
        if f.isZero(a) || f.isZero(b) { return f.signBits(negative) }
        let (ea, ma) = f.unpack(a)
        let (eb, mb) = f.unpack(b)
        let (hi, lo) = ma.multipliedFullWidth(by: mb)
        return roundPack(negative, ea + eb + 64, hi | (lo != 0 ? 1 : 0), f, rm, &flags)
    }

    static func divCore(_ a: UInt64, _ b: UInt64, _ f: SFFormat, _ rm: RoundingMode,
                        _ flags: inout UInt8) -> UInt64 {
        if f.isNaN(a) || f.isNaN(b) { return nanResult(f, f.isSNaN(a) || f.isSNaN(b), &flags) }
        let negative = f.sign(a) != f.sign(b)
        if f.isInf(a) {
            if f.isInf(b) { return invalid(f, &flags) }
            return f.signBits(negative) | f.infBits
        }
        if f.isInf(b) { return f.signBits(negative) }
        if f.isZero(b) {
            if f.isZero(a) { return invalid(f, &flags) }
            flags |= FFlag.dz
            return f.signBits(negative) | f.infBits
        }
        if f.isZero(a) { return f.signBits(negative) }
        let (ea, ma) = f.unpack(a)
        let (eb, mb) = f.unpack(b)
        // Both significands sit in [2^63, 2^64); pick the dividend scaling that
        // keeps the high word below the divisor, giving a 64-bit quotient.
        let q: UInt64, r: UInt64, exp: Int
        if ma < mb {
            (q, r) = mb.dividingFullWidth((ma, 0))
            exp = ea - eb - 64
        } else {
            (q, r) = mb.dividingFullWidth((ma >> 1, ma << 63))
            exp = ea - eb - 63
        }
        return roundPack(negative, exp, q | (r != 0 ? 1 : 0), f, rm, &flags)
    }

    /// Integer square root of the 128-bit `(hi, lo)`: floor root and whether
    /// the remainder is nonzero (digit-by-digit, two radicand bits per step).
    static func isqrt128(_ hi: UInt64, _ lo: UInt64) -> (UInt64, Bool) {
        var xh = hi, xl = lo
        var rh: UInt64 = 0, rl: UInt64 = 0
        var root: UInt64 = 0
        for _ in 0..<64 {
            let top = xh >> 62
            xh = (xh << 2) | (xl >> 62)
            xl <<= 2
            rh = (rh << 2) | (rl >> 62)
            rl = (rl << 2) | top
            let th = root >> 62
            let tl = (root << 2) | 1
            if rh > th || (rh == th && rl >= tl) {
                let (nl, borrow) = rl.subtractingReportingOverflow(tl)
                rl = nl
                rh = rh &- th &- (borrow ? 1 : 0)
                root = (root << 1) | 1
            } else {
                root <<= 1
            }
        }
        return (root, rh != 0 || rl != 0)
    }

    static func sqrtCore(_ a: UInt64, _ f: SFFormat, _ rm: RoundingMode,
                         _ flags: inout UInt8) -> UInt64 {
        if f.isNaN(a) { return nanResult(f, f.isSNaN(a), &flags) }
        if f.isZero(a) { return a }
        if f.sign(a) { return invalid(f, &flags) }
        if f.isInf(a) { return a }
        let (ea, ma) = f.unpack(a)
        // Make the exponent even so it halves exactly.
        let root: UInt64, inexact: Bool, exp: Int
        if ea & 1 == 0 {
            (root, inexact) = isqrt128(ma, 0)
            exp = (ea - 64) / 2
        } else {
            (root, inexact) = isqrt128(ma >> 1, ma << 63)
            exp = (ea - 63) / 2
        }
        return roundPack(false, exp, root | (inexact ? 1 : 0), f, rm, &flags)
    }

    static func fmaCore(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ f: SFFormat,
                        _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        let infTimesZero = (f.isInf(a) && f.isZero(b)) || (f.isZero(a) && f.isInf(b))
        if f.isNaN(a) || f.isNaN(b) || f.isNaN(c) {
            // inf * 0 is invalid even when the addend is a quiet NaN.
            return nanResult(f, f.isSNaN(a) || f.isSNaN(b) || f.isSNaN(c) || infTimesZero, &flags)
        }
        if infTimesZero { return invalid(f, &flags) }
        let sp = f.sign(a) != f.sign(b)
        let sc = f.sign(c)
        if f.isInf(a) || f.isInf(b) {
            if f.isInf(c) && sc != sp { return invalid(f, &flags) }
            return f.signBits(sp) | f.infBits
        }
        if f.isInf(c) { return c }
        if f.isZero(a) || f.isZero(b) {
            if f.isZero(c) { return sp == sc ? c : cancelledZero(f, rm) }
            return c
        }
        let (ea, ma) = f.unpack(a)
        let (eb, mb) = f.unpack(b)
        var (ph, pl) = ma.multipliedFullWidth(by: mb)
        var pe = ea + eb
        if ph >> 63 == 0 {
            ph = (ph << 1) | (pl >> 63)
            pl <<= 1
            pe -= 1
        }
        if f.isZero(c) {
            return roundPack(sp, pe + 64, ph | (pl != 0 ? 1 : 0), f, rm, &flags)
        }
        let (ec, mc) = f.unpack(c)
        // Both terms as 128-bit significands with the top bit at 126 (one bit
        // of headroom); the low bits shifted out here are zero.
        var xh = ph >> 1, xl = (pl >> 1) | (ph << 63), xe = pe + 1, xs = sp
        var yh = mc >> 1, yl = mc << 63, ye = ec - 64 + 1, ys = sc
        if xe < ye || (xe == ye && (xh < yh || (xh == yh && xl < yl))) {
            swap(&xh, &yh); swap(&xl, &yl); swap(&xe, &ye); swap(&xs, &ys)
        }
        (yh, yl) = shiftRightJam128(yh, yl, xe - ye)
        let rh: UInt64, rl: UInt64
        if xs == ys {
            let (l, carry) = xl.addingReportingOverflow(yl)
            rl = l
            rh = xh &+ yh &+ (carry ? 1 : 0)
        } else {
            let (l, borrow) = xl.subtractingReportingOverflow(yl)
            rl = l
            rh = xh &- yh &- (borrow ? 1 : 0)
            if rh == 0 && rl == 0 { return cancelledZero(f, rm) }
        }
        let (e, sig) = collapse128(rh, rl, xe)
        return roundPack(xs, e, sig, f, rm, &flags)
    }
}

// MARK: - binary32

extension SoftFloat {
    /// binary32 `a + b` (FADD.S).
    public static func add32(_ a: UInt32, _ b: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: addCore(UInt64(a), UInt64(b), .f32, rm, &flags))
    }
    /// binary32 `a - b` (FSUB.S).
    public static func sub32(_ a: UInt32, _ b: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: addCore(UInt64(a), UInt64(b ^ 0x8000_0000), .f32, rm, &flags))
    }
    /// binary32 `a * b` (FMUL.S).
    public static func mul32(_ a: UInt32, _ b: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: mulCore(UInt64(a), UInt64(b), .f32, rm, &flags))
    }
    /// binary32 `a / b` (FDIV.S).
    public static func div32(_ a: UInt32, _ b: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: divCore(UInt64(a), UInt64(b), .f32, rm, &flags))
    }
    /// binary32 square root (FSQRT.S).
    public static func sqrt32(_ a: UInt32, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: sqrtCore(UInt64(a), .f32, rm, &flags))
    }
    /// binary32 fused `a * b + c` with a single rounding (FMADD.S; the other
    /// fused forms negate operands by flipping sign bits before calling).
    public static func fma32(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ rm: RoundingMode,
                             _ flags: inout UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: fmaCore(UInt64(a), UInt64(b), UInt64(c), .f32, rm, &flags))
    }
}

// MARK: - binary64

extension SoftFloat {
    /// binary64 `a + b` (FADD.D).
    public static func add64(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        addCore(a, b, .f64, rm, &flags)
    }
    /// binary64 `a - b` (FSUB.D).
    public static func sub64(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        addCore(a, b ^ (1 << 63), .f64, rm, &flags)
    }
    /// binary64 `a * b` (FMUL.D).
    public static func mul64(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        mulCore(a, b, .f64, rm, &flags)
    }
    /// binary64 `a / b` (FDIV.D).
    public static func div64(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        divCore(a, b, .f64, rm, &flags)
    }
    /// binary64 square root (FSQRT.D).
    public static func sqrt64(_ a: UInt64, _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        sqrtCore(a, .f64, rm, &flags)
    }
    /// binary64 fused `a * b + c` with a single rounding (FMADD.D).
    public static func fma64(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ rm: RoundingMode,
                             _ flags: inout UInt8) -> UInt64 {
        fmaCore(a, b, c, .f64, rm, &flags)
    }
}
