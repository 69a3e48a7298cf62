/// The C extension: every 16-bit instruction is expanded to the 32-bit instruction it
/// stands for, so it runs through exactly the same semantics. Reserved encodings raise an
/// illegal instruction exception carrying the 16-bit instruction.
@usableFromInline enum Encode {
    @inline(__always) static func i(_ op: UInt32, _ rd: UInt32, _ f3: UInt32, _ rs1: UInt32, _ imm: Int32) -> UInt32 {
        (UInt32(bitPattern: imm) & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
    }
    @inline(__always) static func s(_ op: UInt32, _ f3: UInt32, _ rs1: UInt32, _ rs2: UInt32, _ imm: Int32) -> UInt32 {
        let u = UInt32(bitPattern: imm)
        return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 31) << 7 | op
    }
    @inline(__always) static func r(_ op: UInt32, _ rd: UInt32, _ f3: UInt32, _ rs1: UInt32, _ rs2: UInt32, _ f7: UInt32) -> UInt32 {
        f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
    }
    @inline(__always) static func b(_ f3: UInt32, _ rs1: UInt32, _ rs2: UInt32, _ imm: Int32) -> UInt32 {
        let u = UInt32(bitPattern: imm)
        return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
            | ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 | 0x63
    }
    @inline(__always) static func j(_ rd: UInt32, _ imm: Int32) -> UInt32 {
        let u = UInt32(bitPattern: imm)
        return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12 | rd << 7 | 0x6f
    }
}

/// Sign-extends the low `bits` bits of `v`.
@inline(__always) @usableFromInline func signExtend(_ v: UInt32, _ bits: UInt32) -> Int32 {
    Int32(bitPattern: v << (32 - bits)) >> Int32(32 - bits)
}

@inline(__always) func bit(_ c: UInt32, _ at: UInt32) -> UInt32 { (c >> at) & 1 }

/// The expansion of every 16-bit instruction, computed once: expansion is a pure function
/// of the 16 bits, so a table is not a cache of state. 0 marks a reserved encoding.
public let compressedExpansionTable: UnsafeMutablePointer<UInt32> = {
    let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << 16)
    for c in 0..<UInt32(1 << 16) {
        table[Int(c)] = c & 3 == 3 ? 0 : ((try? expandCompressed(c)) ?? 0)
    }
    return table
}()

/// Expands the 16-bit instruction `c` to the 32-bit instruction it stands for.
func expandCompressed(_ c: UInt32) throws(Trap) -> UInt32 {
        let bad = Trap(Cause.illegalInstruction, UInt64(c))
        let f3 = c >> 13
        let rdp = 8 + ((c >> 2) & 7)    // rd' / rs2'
        let rs1p = 8 + ((c >> 7) & 7)   // rs1' / rd'
        let rd = (c >> 7) & 31
        let rs2 = (c >> 2) & 31
        let imm6 = signExtend(bit(c, 12) << 5 | (c >> 2) & 31, 6)
        switch c & 3 {
        case 0:
            switch f3 {
            case 0: // C.ADDI4SPN
                let imm = ((c >> 7) & 0xf) << 6 | ((c >> 11) & 3) << 4 | bit(c, 5) << 3 | bit(c, 6) << 2
                if imm == 0 { throw bad }
                return Encode.i(0x13, rdp, 0, 2, Int32(imm))
            case 1, 3: // C.FLD, C.LD
                let imm = ((c >> 10) & 7) << 3 | ((c >> 5) & 3) << 6
                return Encode.i(f3 == 1 ? 0x07 : 0x03, rdp, 3, rs1p, Int32(imm))
            case 2: // C.LW
                let imm = ((c >> 10) & 7) << 3 | bit(c, 6) << 2 | bit(c, 5) << 6
                return Encode.i(0x03, rdp, 2, rs1p, Int32(imm))
            case 5, 7: // C.FSD, C.SD
                let imm = ((c >> 10) & 7) << 3 | ((c >> 5) & 3) << 6
                return Encode.s(f3 == 5 ? 0x27 : 0x23, 3, rs1p, rdp, Int32(imm))
            case 6: // C.SW
                let imm = ((c >> 10) & 7) << 3 | bit(c, 6) << 2 | bit(c, 5) << 6
                return Encode.s(0x23, 2, rs1p, rdp, Int32(imm))
            default: throw bad
            }
        case 1:
            switch f3 {
            case 0: return Encode.i(0x13, rd, 0, rd, imm6)             // C.ADDI / C.NOP
            case 1:                                                     // C.ADDIW
                if rd == 0 { throw bad }
                return Encode.i(0x1b, rd, 0, rd, imm6)
            case 2: return Encode.i(0x13, rd, 0, 0, imm6)              // C.LI
            case 3:
                if rd == 2 {                                            // C.ADDI16SP
                    let v = bit(c, 12) << 9 | bit(c, 6) << 4 | bit(c, 5) << 6 | ((c >> 3) & 3) << 7 | bit(c, 2) << 5
                    if v == 0 { throw bad }
                    return Encode.i(0x13, 2, 0, 2, signExtend(v, 10))
                }
                let v = bit(c, 12) << 17 | ((c >> 2) & 31) << 12        // C.LUI
                if v == 0 { throw bad }
                return UInt32(bitPattern: signExtend(v, 18)) & 0xffff_f000 | rd << 7 | 0x37
            case 4:
                let shamt = bit(c, 12) << 5 | (c >> 2) & 31
                switch (c >> 10) & 3 {
                case 0: return Encode.i(0x13, rs1p, 5, rs1p, Int32(shamt))                 // C.SRLI
                case 1: return Encode.i(0x13, rs1p, 5, rs1p, Int32(shamt | 0x400))         // C.SRAI
                case 2: return Encode.i(0x13, rs1p, 7, rs1p, imm6)                         // C.ANDI
                default:
                    let which = (c >> 5) & 3
                    if bit(c, 12) == 0 {
                        // C.SUB, C.XOR, C.OR, C.AND
                        let f3r: UInt32 = which == 0 ? 0 : which == 1 ? 4 : which == 2 ? 6 : 7
                        return Encode.r(0x33, rs1p, f3r, rs1p, rdp, which == 0 ? 0x20 : 0)
                    }
                    switch which {
                    case 0: return Encode.r(0x3b, rs1p, 0, rs1p, rdp, 0x20)                // C.SUBW
                    case 1: return Encode.r(0x3b, rs1p, 0, rs1p, rdp, 0)                   // C.ADDW
                    default: throw bad
                    }
                }
            case 5: // C.J
                let v = bit(c, 12) << 11 | bit(c, 11) << 4 | ((c >> 9) & 3) << 8 | bit(c, 8) << 10
                    | bit(c, 7) << 6 | bit(c, 6) << 7 | ((c >> 3) & 7) << 1 | bit(c, 2) << 5
                return Encode.j(0, signExtend(v, 12))
            default: // C.BEQZ, C.BNEZ
                let v = bit(c, 12) << 8 | ((c >> 10) & 3) << 3 | ((c >> 5) & 3) << 6 | ((c >> 3) & 3) << 1 | bit(c, 2) << 5
                return Encode.b(f3 == 6 ? 0 : 1, rs1p, 0, signExtend(v, 9))
            }
        default:
            switch f3 {
            case 0: // C.SLLI
                let shamt = bit(c, 12) << 5 | (c >> 2) & 31
                return Encode.i(0x13, rd, 1, rd, Int32(shamt))
            case 1, 3: // C.FLDSP, C.LDSP
                if f3 == 3 && rd == 0 { throw bad }
                let v = bit(c, 12) << 5 | ((c >> 5) & 3) << 3 | ((c >> 2) & 7) << 6
                return Encode.i(f3 == 1 ? 0x07 : 0x03, rd, 3, 2, Int32(v))
            case 2: // C.LWSP
                if rd == 0 { throw bad }
                let v = bit(c, 12) << 5 | ((c >> 4) & 7) << 2 | ((c >> 2) & 3) << 6
                return Encode.i(0x03, rd, 2, 2, Int32(v))
            case 4:
                if bit(c, 12) == 0 {
                    if rs2 == 0 {
                        if rd == 0 { throw bad }
                        return Encode.i(0x67, 0, 0, rd, 0)                 // C.JR
                    }
                    return Encode.r(0x33, rd, 0, 0, rs2, 0)                // C.MV
                }
                if rs2 == 0 {
                    if rd == 0 { return 0x0010_0073 }                      // C.EBREAK
                    return Encode.i(0x67, 1, 0, rd, 0)                     // C.JALR
                }
                return Encode.r(0x33, rd, 0, rd, rs2, 0)                   // C.ADD
            case 5, 7: // C.FSDSP, C.SDSP
                let v = ((c >> 10) & 7) << 3 | ((c >> 7) & 7) << 6
                return Encode.s(f3 == 5 ? 0x27 : 0x23, 3, 2, rs2, Int32(v))
            default: // C.SWSP
                let v = ((c >> 9) & 15) << 2 | ((c >> 7) & 3) << 6
                return Encode.s(0x23, 2, 2, rs2, Int32(v))
            }
        }
    }
