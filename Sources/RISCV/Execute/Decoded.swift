/// An instruction decoded once into a dense operation code and pre-extracted operands.
/// Decoding is a pure function of the instruction bits, so remembering decodes by their
/// bits (the `DecodeMemo`) can never change behaviour: every step still fetches the
/// instruction from memory and only reuses the decode of identical bits (invariant 2).
@usableFromInline struct Decoded {
    @usableFromInline enum Op: UInt8 {
        case illegal = 0
        case lui, auipc, jal, jalr
        case beq, bne, blt, bge, bltu, bgeu
        case lb, lh, lw, ld, lbu, lhu, lwu
        case sb, sh, sw, sd
        case addi, slti, sltiu, xori, ori, andi, slli, srli, srai
        case addiw, slliw, srliw, sraiw
        case add, sub, sll, slt, sltu, xor, srl, sra, or, and
        case mul, mulh, mulhsu, mulhu, div, divu, rem, remu
        case addw, subw, sllw, srlw, sraw
        case mulw, divw, divuw, remw, remuw
        case fence, system, atomic, fp
    }

    // 16 bytes in all, so a decode is copied with two loads.
    @usableFromInline var imm: UInt64 = 0
    /// The fetched bits (16-bit instructions zero-extended): the memo's key.
    @usableFromInline var bits: UInt32 = 0
    @usableFromInline var op: Op = .illegal
    @usableFromInline var rd: UInt8 = 0
    @usableFromInline var rs1: UInt8 = 0
    @usableFromInline var rs2: UInt8 = 0

    /// 2 or 4.
    @inline(__always) var length: UInt64 { bits & 3 == 3 ? 4 : 2 }

    /// The 32-bit form (compressed instructions expanded), for handlers that re-read fields.
    @inline(__always) var inst: UInt32 {
        bits & 3 == 3 ? bits : compressedExpansionTable[Int(bits & 0xffff)]
    }

    @inline(__always) init() {}

    /// Decodes fetched bits (a 32-bit instruction, or a 16-bit one in the low half).
    @usableFromInline static func decode(_ bits: UInt32) -> Decoded {
        var d = Decoded()
        d.bits = bits
        if bits & 3 == 3 {
            d.decode32(bits)
        } else {
            let expanded = compressedExpansionTable[Int(bits & 0xffff)]
            if expanded != 0 { d.decode32(expanded) }
        }
        return d
    }

    @inline(__always) mutating func decode32(_ i: UInt32) {
        rd = UInt8(Field.rd(i))
        rs1 = UInt8(Field.rs1(i))
        rs2 = UInt8(Field.rs2(i))
        let f3 = Field.funct3(i)
        let f7 = Field.funct7(i)
        switch i & 0x7f {
        case 0x37: op = .lui; imm = Field.immU(i)
        case 0x17: op = .auipc; imm = Field.immU(i)
        case 0x6f: op = .jal; imm = Field.immJ(i)
        case 0x67: if f3 == 0 { op = .jalr; imm = Field.immI(i) }
        case 0x63:
            imm = Field.immB(i)
            switch f3 {
            case 0: op = .beq
            case 1: op = .bne
            case 4: op = .blt
            case 5: op = .bge
            case 6: op = .bltu
            case 7: op = .bgeu
            default: break
            }
        case 0x03:
            imm = Field.immI(i)
            switch f3 {
            case 0: op = .lb
            case 1: op = .lh
            case 2: op = .lw
            case 3: op = .ld
            case 4: op = .lbu
            case 5: op = .lhu
            case 6: op = .lwu
            default: break
            }
        case 0x23:
            imm = Field.immS(i)
            switch f3 {
            case 0: op = .sb
            case 1: op = .sh
            case 2: op = .sw
            case 3: op = .sd
            default: break
            }
        case 0x13:
            imm = Field.immI(i)
            switch f3 {
            case 0: op = .addi
            case 1: if i >> 26 == 0 { op = .slli; imm &= 63 }
            case 2: op = .slti
            case 3: op = .sltiu
            case 4: op = .xori
            case 5:
                if i >> 26 == 0 { op = .srli; imm &= 63 } else if i >> 26 == 0x10 { op = .srai; imm &= 63 }
            case 6: op = .ori
            default: op = .andi
            }
        case 0x1b:
            imm = Field.immI(i)
            switch (f3, f7) {
            case (0, _): op = .addiw
            case (1, 0): op = .slliw; imm &= 31
            case (5, 0): op = .srliw; imm &= 31
            case (5, 0x20): op = .sraiw; imm &= 31
            default: break
            }
        case 0x33:
            switch f7 << 3 | f3 {
            case 0: op = .add
            case 0x100: op = .sub
            case 1: op = .sll
            case 2: op = .slt
            case 3: op = .sltu
            case 4: op = .xor
            case 5: op = .srl
            case 0x105: op = .sra
            case 6: op = .or
            case 7: op = .and
            case 8: op = .mul
            case 9: op = .mulh
            case 10: op = .mulhsu
            case 11: op = .mulhu
            case 12: op = .div
            case 13: op = .divu
            case 14: op = .rem
            case 15: op = .remu
            default: break
            }
        case 0x3b:
            switch f7 << 3 | f3 {
            case 0: op = .addw
            case 0x100: op = .subw
            case 1: op = .sllw
            case 5: op = .srlw
            case 0x105: op = .sraw
            case 8: op = .mulw
            case 12: op = .divw
            case 13: op = .divuw
            case 14: op = .remw
            case 15: op = .remuw
            default: break
            }
        case 0x0f: if f3 <= 1 { op = .fence }
        case 0x73: op = .system
        case 0x2f: op = .atomic
        case 0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53: op = .fp
        default: break
        }
    }
}

/// A small direct-mapped memo of decodes, owned by one machine (never shared between
/// threads). Entries are keyed by the full fetched bits, so a hit is exactly the decode.
public final class DecodeMemo {
    @usableFromInline static let bits = 15
    @usableFromInline let entries: UnsafeMutablePointer<Decoded>

    public init() {
        entries = .allocate(capacity: 1 << DecodeMemo.bits)
        // Every entry starts as the decode of 0x0000 (an illegal compressed instruction).
        entries.initialize(repeating: Decoded.decode(0), count: 1 << DecodeMemo.bits)
    }

    deinit { entries.deallocate() }

    /// The decode of `bits`. `place` (the instruction's address) only chooses the slot —
    /// neighbouring instructions land in neighbouring slots — while the bits alone decide
    /// whether the slot holds this decode.
    @inline(__always) @usableFromInline func lookup(_ bits: UInt32, place: UInt64) -> Decoded {
        let slot = entries + Int((place >> 1) & UInt64((1 << DecodeMemo.bits) - 1))
        if slot.pointee.bits == bits { return slot.pointee }
        let d = Decoded.decode(bits)
        slot.pointee = d
        return d
    }
}
