// Shared machinery for both binary formats: field layout, unpacking to an
// integer significand, and the single rounding/packing routine every
// operation funnels through. binary32 patterns are carried zero-extended in
// UInt64 so one implementation serves both widths.

/// Field layout of a binary interchange format.
struct SFFormat {
    /// Width of the trailing significand field.
    let fracBits: Int
    /// Width of the biased exponent field.
    let expBits: Int

    static let f32 = SFFormat(fracBits: 23, expBits: 8)
    static let f64 = SFFormat(fracBits: 52, expBits: 11)

    @inline(__always) var bias: Int { (1 << (expBits - 1)) - 1 }
    @inline(__always) var expAllOnes: Int { (1 << expBits) - 1 }
    @inline(__always) var signBit: UInt64 { 1 << UInt64(fracBits + expBits) }
    @inline(__always) var fracMask: UInt64 { (1 << UInt64(fracBits)) - 1 }
    @inline(__always) var quietBit: UInt64 { 1 << UInt64(fracBits - 1) }
    @inline(__always) var infBits: UInt64 { UInt64(expAllOnes) << UInt64(fracBits) }
    @inline(__always) var canonicalNaN: UInt64 { infBits | quietBit }
    @inline(__always) var maxFinite: UInt64 { infBits - 1 }

    @inline(__always) func magnitude(_ x: UInt64) -> UInt64 { x & (signBit - 1) }
    @inline(__always) func sign(_ x: UInt64) -> Bool { x & signBit != 0 }
    @inline(__always) func isNaN(_ x: UInt64) -> Bool { magnitude(x) > infBits }
    @inline(__always) func isSNaN(_ x: UInt64) -> Bool { isNaN(x) && x & quietBit == 0 }
    @inline(__always) func isInf(_ x: UInt64) -> Bool { magnitude(x) == infBits }
    @inline(__always) func isZero(_ x: UInt64) -> Bool { magnitude(x) == 0 }
    @inline(__always) func signBits(_ negative: Bool) -> UInt64 { negative ? signBit : 0 }

    /// Significand and exponent of a finite nonzero value, normalised so that
    /// `value = sig * 2^exp` with `sig` in [2^63, 2^64).
    @inline(__always) func unpack(_ x: UInt64) -> (exp: Int, sig: UInt64) {
        let field = Int((x >> UInt64(fracBits)) & UInt64(expAllOnes))
        var sig = x & fracMask
        var exp: Int
        if field == 0 {
            exp = 1 - bias - fracBits
        } else {
            sig |= 1 << UInt64(fracBits)
            exp = field - bias - fracBits
        }
        let n = sig.leadingZeroBitCount
        sig <<= UInt64(n)
        exp -= n
        return (exp, sig)
    }
}

extension SoftFloat {
    /// Drops the low `shift` (≥ 1) bits of `sig` and rounds by `rm`; returns the
    /// rounded quotient and whether any nonzero bits were dropped.
    @inline(__always)
    static func roundBits(_ sig: UInt64, _ shift: Int, _ negative: Bool,
                          _ rm: RoundingMode) -> (UInt64, Bool) {
        let q: UInt64, rem: UInt64
        if shift >= 64 {
            q = 0
            rem = sig
        } else {
            q = sig >> UInt64(shift)
            rem = sig & ((1 << UInt64(shift)) - 1)
        }
        if rem == 0 { return (q, false) }
        let up: Bool
        switch rm {
        case .rtz: up = false
        case .rdn: up = negative
        case .rup: up = !negative
        case .rne, .rmm:
            if shift > 64 {
                up = false  // rem < 2^64 <= half
            } else {
                let half: UInt64 = 1 << UInt64(shift - 1)
                up = rem > half || (rem == half && (rm == .rmm || q & 1 == 1))
            }
        }
        return (up ? q + 1 : q, true)
    }

    /// `x >> d`, OR-ing a 1 into the lowest bit if any set bit was shifted out.
    @inline(__always)
    static func shiftRightJam(_ x: UInt64, _ d: Int) -> UInt64 {
        if d == 0 { return x }
        if d >= 64 { return x != 0 ? 1 : 0 }
        return (x >> UInt64(d)) | (x << UInt64(64 - d) != 0 ? 1 : 0)
    }

    /// 128-bit `(h, l) >> d` with the lost bits jammed into the lowest bit.
    @inline(__always)
    static func shiftRightJam128(_ h: UInt64, _ l: UInt64, _ d: Int) -> (UInt64, UInt64) {
        if d == 0 { return (h, l) }
        if d >= 128 { return (0, (h | l) != 0 ? 1 : 0) }
        if d >= 64 {
            let s = d - 64
            if s == 0 { return (0, h | (l != 0 ? 1 : 0)) }
            let lost = l != 0 || h << UInt64(64 - s) != 0
            return (0, (h >> UInt64(s)) | (lost ? 1 : 0))
        }
        let lost = l << UInt64(64 - d) != 0
        return (h >> UInt64(d), (l >> UInt64(d)) | (h << UInt64(64 - d)) | (lost ? 1 : 0))
    }

    /// Narrows a 128-bit significand to 64 bits with a sticky bit; the value
    /// `(h, l) * 2^exp` becomes `sig * 2^newExp`.
    @inline(__always)
    static func collapse128(_ h: UInt64, _ l: UInt64, _ exp: Int) -> (exp: Int, sig: UInt64) {
        if h == 0 { return (exp, l) }
        let n = h.leadingZeroBitCount
        if n == 0 { return (exp + 64, h | (l != 0 ? 1 : 0)) }
        let top = (h << UInt64(n)) | (l >> UInt64(64 - n))
        let rest = l << UInt64(n)
        return (exp + 64 - n, top | (rest != 0 ? 1 : 0))
    }

    /// The correctly rounded result for an overflowing value of the given sign.
    @inline(__always)
    static func overflowResult(_ negative: Bool, _ f: SFFormat, _ rm: RoundingMode,
                               _ flags: inout UInt8) -> UInt64 {
        flags |= FFlag.of | FFlag.nx
        let toInfinity: Bool
        switch rm {
        case .rne, .rmm: toInfinity = true
        case .rtz: toInfinity = false
        case .rdn: toInfinity = negative
        case .rup: toInfinity = !negative
        }
        return f.signBits(negative) | (toInfinity ? f.infBits : f.maxFinite)
    }

    /// Rounds `(-1)^negative * sig * 2^exp` (sig ≠ 0) to format `f`, raising
    /// NX/UF/OF. `sig` must be exact, or carry at least p+2 significant bits
    /// with every discarded bit jammed into its lowest bit.
    static func roundPack(_ negative: Bool, _ exp: Int, _ sig: UInt64, _ f: SFFormat,
                          _ rm: RoundingMode, _ flags: inout UInt8) -> UInt64 {
        let n = sig.leadingZeroBitCount
        let sig = sig << UInt64(n)
        let biased = exp - n + 63 + f.bias
        let dropped = 63 - f.fracBits
        if biased >= 1 {
            if biased >= f.expAllOnes { return overflowResult(negative, f, rm, &flags) }
            let (q, inexact) = roundBits(sig, dropped, negative, rm)
            // q carries the hidden bit, so adding it bumps the exponent field by
            // one; a rounding carry (q == 2^p) bumps it once more, as it should.
            let mag = (UInt64(biased - 1) << UInt64(f.fracBits)) &+ q
            if mag >= f.infBits { return overflowResult(negative, f, rm, &flags) }
            if inexact { flags |= FFlag.nx }
            return f.signBits(negative) | mag
        }
        // Below the normal range before rounding. Tininess is judged after
        // rounding to p bits with an unbounded exponent: only a value just
        // under 2^emin that rounds up to it escapes being tiny.
        var tiny = true
        if biased == 0 {
            let (q, _) = roundBits(sig, dropped, negative, rm)
            if q >> UInt64(f.fracBits + 1) != 0 { tiny = false }
        }
        let (q, inexact) = roundBits(sig, dropped + 1 - biased, negative, rm)
        if inexact {
            flags |= FFlag.nx
            if tiny { flags |= FFlag.uf }
        }
        // A carry into bit fracBits yields the smallest normal, encoded correctly.
        return f.signBits(negative) | q
    }

    /// NaN result handling shared by all arithmetic: NV when any input is
    /// signalling, and always the canonical NaN.
    @inline(__always)
    static func nanResult(_ f: SFFormat, _ anySignalling: Bool, _ flags: inout UInt8) -> UInt64 {
        if anySignalling { flags |= FFlag.nv }
        return f.canonicalNaN
    }

    /// The invalid-operation result: canonical NaN with NV.
    @inline(__always)
    static func invalid(_ f: SFFormat, _ flags: inout UInt8) -> UInt64 {
        flags |= FFlag.nv
        return f.canonicalNaN
    }

    /// The exact zero produced by cancelling operands of opposite signs.
    @inline(__always)
    static func cancelledZero(_ f: SFFormat, _ rm: RoundingMode) -> UInt64 {
        rm == .rdn ? f.signBit : 0
    }
}
