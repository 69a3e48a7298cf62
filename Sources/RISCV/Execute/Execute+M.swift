/// The M extension: multiply and divide, with the spec's results for division by zero
/// and signed overflow (no traps).
extension Hart {
    @inline(__always) func mulDiv(_ f3: UInt32, _ a: UInt64, _ b: UInt64) -> UInt64 { mulDivResult(f3, a, b) }

    @inline(__always) func mulDiv32(_ f3: UInt32, _ a: UInt32, _ b: UInt32, _ inst: UInt32) throws(Trap) -> UInt64 {
        guard f3 == 0 || f3 >= 4 else { throw illegal(inst) }
        return mulDiv32Result(f3, a, b)
    }
}

/// MUL/MULH/MULHSU/MULHU/DIV/DIVU/REM/REMU by funct3.
@inline(__always) func mulDivResult(_ f3: UInt32, _ a: UInt64, _ b: UInt64) -> UInt64 {
        let sa = Int64(bitPattern: a), sb = Int64(bitPattern: b)
        switch f3 {
        case 0: return a &* b
        case 1: return UInt64(bitPattern: sa.multipliedFullWidth(by: sb).high)
        case 2: // MULHSU: signed × unsigned
            let hi = a.multipliedFullWidth(by: b).high
            return sa < 0 ? hi &- b : hi
        case 3: return a.multipliedFullWidth(by: b).high
        case 4:
            if b == 0 { return ~0 }
            if sa == .min && sb == -1 { return a }
            return UInt64(bitPattern: sa / sb)
        case 5: return b == 0 ? ~0 : a / b
        case 6:
            if b == 0 { return a }
            if sa == .min && sb == -1 { return 0 }
            return UInt64(bitPattern: sa % sb)
        default: return b == 0 ? a : a % b
        }
    }

/// MULW/DIVW/DIVUW/REMW/REMUW by funct3 (0, 4, 5, 6, 7).
@inline(__always) func mulDiv32Result(_ f3: UInt32, _ a: UInt32, _ b: UInt32) -> UInt64 {
        let sa = Int32(bitPattern: a), sb = Int32(bitPattern: b)
        switch f3 {
        case 0: return sext32(UInt64(a &* b))
        case 4:
            if b == 0 { return ~0 }
            if sa == .min && sb == -1 { return sext32(UInt64(a)) }
            return sext32(UInt64(UInt32(bitPattern: sa / sb)))
        case 5: return b == 0 ? ~0 : sext32(UInt64(a / b))
        case 6:
            if b == 0 { return sext32(UInt64(a)) }
            if sa == .min && sb == -1 { return 0 }
            return sext32(UInt64(UInt32(bitPattern: sa % sb)))
        default: return sext32(UInt64(b == 0 ? a : a % b))
        }
}
