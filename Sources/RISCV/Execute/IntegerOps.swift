/// What the RV64I and M computations write to rd, defined once and used by the reference
/// step (`Hart.execute`) and by every engine (design invariant 1; issue: one semantic
/// source). Operands are register values; an immediate form passes its decoded immediate
/// as `b` (the decoder already masked shift amounts), so `addi` is `add`, `slti` is `slt`,
/// `slliw` is `sllw`. All of them inline to the single host instruction or two they are.
enum IntegerOps {
    @inline(__always) static func add(_ a: UInt64, _ b: UInt64) -> UInt64 { a &+ b }
    @inline(__always) static func sub(_ a: UInt64, _ b: UInt64) -> UInt64 { a &- b }
    @inline(__always) static func sll(_ a: UInt64, _ b: UInt64) -> UInt64 { a &<< (b & 63) }
    @inline(__always) static func srl(_ a: UInt64, _ b: UInt64) -> UInt64 { a &>> (b & 63) }
    @inline(__always) static func sra(_ a: UInt64, _ b: UInt64) -> UInt64 {
        UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(b & 63))
    }
    @inline(__always) static func slt(_ a: UInt64, _ b: UInt64) -> UInt64 { lt(a, b) ? 1 : 0 }
    @inline(__always) static func sltu(_ a: UInt64, _ b: UInt64) -> UInt64 { a < b ? 1 : 0 }
    @inline(__always) static func xor(_ a: UInt64, _ b: UInt64) -> UInt64 { a ^ b }
    @inline(__always) static func or(_ a: UInt64, _ b: UInt64) -> UInt64 { a | b }
    @inline(__always) static func and(_ a: UInt64, _ b: UInt64) -> UInt64 { a & b }

    @inline(__always) static func addw(_ a: UInt64, _ b: UInt64) -> UInt64 { sext32(a &+ b) }
    @inline(__always) static func subw(_ a: UInt64, _ b: UInt64) -> UInt64 { sext32(a &- b) }
    @inline(__always) static func sllw(_ a: UInt64, _ b: UInt64) -> UInt64 {
        sext32(UInt64(UInt32(truncatingIfNeeded: a) &<< UInt32(truncatingIfNeeded: b & 31)))
    }
    @inline(__always) static func srlw(_ a: UInt64, _ b: UInt64) -> UInt64 {
        sext32(UInt64(UInt32(truncatingIfNeeded: a) &>> UInt32(truncatingIfNeeded: b & 31)))
    }
    @inline(__always) static func sraw(_ a: UInt64, _ b: UInt64) -> UInt64 {
        UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a) &>> Int32(truncatingIfNeeded: b & 31)))
    }

    /// Signed less-than (blt, slt).
    @inline(__always) static func lt(_ a: UInt64, _ b: UInt64) -> Bool { Int64(bitPattern: a) < Int64(bitPattern: b) }
    /// Signed greater-or-equal (bge).
    @inline(__always) static func ge(_ a: UInt64, _ b: UInt64) -> Bool { Int64(bitPattern: a) >= Int64(bitPattern: b) }
}
