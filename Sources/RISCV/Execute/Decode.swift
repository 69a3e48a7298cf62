/// Instruction field extraction (RISC-V base formats).
@usableFromInline enum Field {
    @inline(__always) static func rd(_ i: UInt32) -> UInt32 { (i >> 7) & 31 }
    @inline(__always) static func rs1(_ i: UInt32) -> UInt32 { (i >> 15) & 31 }
    @inline(__always) static func rs2(_ i: UInt32) -> UInt32 { (i >> 20) & 31 }
    @inline(__always) static func rs3(_ i: UInt32) -> UInt32 { i >> 27 }
    @inline(__always) static func funct3(_ i: UInt32) -> UInt32 { (i >> 12) & 7 }
    @inline(__always) static func funct7(_ i: UInt32) -> UInt32 { i >> 25 }
    @inline(__always) static func immI(_ i: UInt32) -> UInt64 {
        UInt64(bitPattern: Int64(Int32(bitPattern: i) >> 20))
    }
    @inline(__always) static func immS(_ i: UInt32) -> UInt64 {
        UInt64(bitPattern: Int64((Int32(bitPattern: i) >> 25) << 5 | Int32((i >> 7) & 31)))
    }
    @inline(__always) static func immB(_ i: UInt32) -> UInt64 {
        let v = (Int32(bitPattern: i) >> 31) << 12 | Int32((i >> 7) & 1) << 11
            | Int32((i >> 25) & 0x3f) << 5 | Int32((i >> 8) & 0xf) << 1
        return UInt64(bitPattern: Int64(v))
    }
    @inline(__always) static func immU(_ i: UInt32) -> UInt64 {
        UInt64(bitPattern: Int64(Int32(bitPattern: i & 0xffff_f000)))
    }
    @inline(__always) static func immJ(_ i: UInt32) -> UInt64 {
        let v = (Int32(bitPattern: i) >> 31) << 20 | Int32((i >> 12) & 0xff) << 12
            | Int32((i >> 20) & 1) << 11 | Int32((i >> 21) & 0x3ff) << 1
        return UInt64(bitPattern: Int64(v))
    }
}

@inline(__always) func sext32(_ v: UInt64) -> UInt64 {
    UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
}
