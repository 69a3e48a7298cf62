// A tiny RISC-V assembler for tests, written from the base-format tables of the unprivileged
// ISA manual (chapter "RV32I Base Integer Instruction Set", formats R/I/S/B/U/J, and the
// RVC chapter's CR/CI/CSS/CIW/CL/CS/CA/CB/CJ formats). It is deliberately independent of
// the machine's own decoder and compressed-expansion table so that tests compare two
// separate readings of the spec. Tables of instructions then read like assembly:
// `addi(a0, a1, -1)`, `lw(t0, 8, sp)`, `beq(a0, a1, 8)`.

// MARK: registers (ABI names)

let zero: UInt32 = 0, ra: UInt32 = 1, sp: UInt32 = 2, gp: UInt32 = 3, tp: UInt32 = 4
let t0: UInt32 = 5, t1: UInt32 = 6, t2: UInt32 = 7, s0: UInt32 = 8, s1: UInt32 = 9
let a0: UInt32 = 10, a1: UInt32 = 11, a2: UInt32 = 12, a3: UInt32 = 13, a4: UInt32 = 14, a5: UInt32 = 15
let a6: UInt32 = 16, a7: UInt32 = 17, s2: UInt32 = 18, s3: UInt32 = 19, t3: UInt32 = 28, t4: UInt32 = 29
let t5: UInt32 = 30, t6: UInt32 = 31

// MARK: base formats

private func fR(_ op: UInt32, _ f3: UInt32, _ f7: UInt32, _ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 {
    f7 << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 | (rd & 31) << 7 | op
}
private func fI(_ op: UInt32, _ f3: UInt32, _ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 {
    precondition(imm >= -2048 && imm < 4096, "I immediate out of range")
    return (UInt32(truncatingIfNeeded: imm) & 0xfff) << 20 | (rs1 & 31) << 15 | f3 << 12 | (rd & 31) << 7 | op
}
private func fS(_ op: UInt32, _ f3: UInt32, _ rs1: UInt32, _ rs2: UInt32, _ imm: Int) -> UInt32 {
    precondition(imm >= -2048 && imm < 2048, "S immediate out of range")
    let u = UInt32(truncatingIfNeeded: imm)
    return ((u >> 5) & 0x7f) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 | (u & 31) << 7 | op
}
private func fB(_ f3: UInt32, _ rs1: UInt32, _ rs2: UInt32, _ imm: Int) -> UInt32 {
    precondition(imm % 2 == 0 && imm >= -4096 && imm < 4096, "B offset out of range")
    let u = UInt32(truncatingIfNeeded: imm)
    let hi = ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25
    return hi | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 | ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 | 0x63
}
private func fU(_ op: UInt32, _ rd: UInt32, _ imm20: UInt32) -> UInt32 { (imm20 & 0xfffff) << 12 | (rd & 31) << 7 | op }
private func fJ(_ rd: UInt32, _ imm: Int) -> UInt32 {
    precondition(imm % 2 == 0 && imm >= -(1 << 20) && imm < (1 << 20), "J offset out of range")
    let u = UInt32(truncatingIfNeeded: imm)
    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12 | (rd & 31) << 7 | 0x6f
}

// MARK: RV64I

func lui(_ rd: UInt32, _ imm20: UInt32) -> UInt32 { fU(0x37, rd, imm20) }
func auipc(_ rd: UInt32, _ imm20: UInt32) -> UInt32 { fU(0x17, rd, imm20) }
func jal(_ rd: UInt32, _ off: Int) -> UInt32 { fJ(rd, off) }
func jalr(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x67, 0, rd, rs1, imm) }
func beq(_ rs1: UInt32, _ rs2: UInt32, _ off: Int) -> UInt32 { fB(0, rs1, rs2, off) }
func bne(_ rs1: UInt32, _ rs2: UInt32, _ off: Int) -> UInt32 { fB(1, rs1, rs2, off) }
func blt(_ rs1: UInt32, _ rs2: UInt32, _ off: Int) -> UInt32 { fB(4, rs1, rs2, off) }
func bge(_ rs1: UInt32, _ rs2: UInt32, _ off: Int) -> UInt32 { fB(5, rs1, rs2, off) }
func bltu(_ rs1: UInt32, _ rs2: UInt32, _ off: Int) -> UInt32 { fB(6, rs1, rs2, off) }
func bgeu(_ rs1: UInt32, _ rs2: UInt32, _ off: Int) -> UInt32 { fB(7, rs1, rs2, off) }
// Loads: `lw(rd, offset, base)` like `lw rd, offset(base)`.
func lb(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fI(0x03, 0, rd, rs1, imm) }
func lh(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fI(0x03, 1, rd, rs1, imm) }
func lw(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fI(0x03, 2, rd, rs1, imm) }
func ld(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fI(0x03, 3, rd, rs1, imm) }
func lbu(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fI(0x03, 4, rd, rs1, imm) }
func lhu(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fI(0x03, 5, rd, rs1, imm) }
func lwu(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fI(0x03, 6, rd, rs1, imm) }
// Stores: `sw(rs2, offset, base)` like `sw rs2, offset(base)`.
func sb(_ rs2: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fS(0x23, 0, rs1, rs2, imm) }
func sh(_ rs2: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fS(0x23, 1, rs1, rs2, imm) }
func sw(_ rs2: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fS(0x23, 2, rs1, rs2, imm) }
func sd(_ rs2: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt32 { fS(0x23, 3, rs1, rs2, imm) }
func addi(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x13, 0, rd, rs1, imm) }
func slti(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x13, 2, rd, rs1, imm) }
func sltiu(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x13, 3, rd, rs1, imm) }
func xori(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x13, 4, rd, rs1, imm) }
func ori(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x13, 6, rd, rs1, imm) }
func andi(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x13, 7, rd, rs1, imm) }
func slli(_ rd: UInt32, _ rs1: UInt32, _ sh: Int) -> UInt32 { fI(0x13, 1, rd, rs1, sh & 63) }
func srli(_ rd: UInt32, _ rs1: UInt32, _ sh: Int) -> UInt32 { fI(0x13, 5, rd, rs1, sh & 63) }
func srai(_ rd: UInt32, _ rs1: UInt32, _ sh: Int) -> UInt32 { fI(0x13, 5, rd, rs1, 0x400 | (sh & 63)) }
func add(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 0, 0, rd, rs1, rs2) }
func sub(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 0, 0x20, rd, rs1, rs2) }
func sll(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 1, 0, rd, rs1, rs2) }
func slt(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 2, 0, rd, rs1, rs2) }
func sltu(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 3, 0, rd, rs1, rs2) }
func xor(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 4, 0, rd, rs1, rs2) }
func srl(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 5, 0, rd, rs1, rs2) }
func sra(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 5, 0x20, rd, rs1, rs2) }
func or(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 6, 0, rd, rs1, rs2) }
func and(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 7, 0, rd, rs1, rs2) }
func addiw(_ rd: UInt32, _ rs1: UInt32, _ imm: Int) -> UInt32 { fI(0x1b, 0, rd, rs1, imm) }
func slliw(_ rd: UInt32, _ rs1: UInt32, _ sh: Int) -> UInt32 { fI(0x1b, 1, rd, rs1, sh & 31) }
func srliw(_ rd: UInt32, _ rs1: UInt32, _ sh: Int) -> UInt32 { fI(0x1b, 5, rd, rs1, sh & 31) }
func sraiw(_ rd: UInt32, _ rs1: UInt32, _ sh: Int) -> UInt32 { fI(0x1b, 5, rd, rs1, 0x400 | (sh & 31)) }
func addw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 0, 0, rd, rs1, rs2) }
func subw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 0, 0x20, rd, rs1, rs2) }
func sllw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 1, 0, rd, rs1, rs2) }
func srlw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 5, 0, rd, rs1, rs2) }
func sraw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 5, 0x20, rd, rs1, rs2) }
let fence: UInt32 = 0x0ff0_000f
let fence_i: UInt32 = 0x0000_100f
let ecall: UInt32 = 0x0000_0073
let ebreak: UInt32 = 0x0010_0073
let mret: UInt32 = 0x3020_0073
let sret: UInt32 = 0x1020_0073
let wfi: UInt32 = 0x1050_0073
let nop: UInt32 = 0x0000_0013
func sfence_vma(_ rs1: UInt32 = 0, _ rs2: UInt32 = 0) -> UInt32 { fR(0x73, 0, 0x09, 0, rs1, rs2) }

// MARK: M

func mul(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 0, 1, rd, rs1, rs2) }
func mulh(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 1, 1, rd, rs1, rs2) }
func mulhsu(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 2, 1, rd, rs1, rs2) }
func mulhu(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 3, 1, rd, rs1, rs2) }
func div(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 4, 1, rd, rs1, rs2) }
func divu(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 5, 1, rd, rs1, rs2) }
func rem(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 6, 1, rd, rs1, rs2) }
func remu(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x33, 7, 1, rd, rs1, rs2) }
func mulw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 0, 1, rd, rs1, rs2) }
func divw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 4, 1, rd, rs1, rs2) }
func divuw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 5, 1, rd, rs1, rs2) }
func remw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 6, 1, rd, rs1, rs2) }
func remuw(_ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32) -> UInt32 { fR(0x3b, 7, 1, rd, rs1, rs2) }

// MARK: A (funct5, aq, rl in funct7; width in funct3)

func amo(_ funct5: UInt32, wide: Bool, _ rd: UInt32, _ rs2: UInt32, _ rs1: UInt32, aq: Bool = false, rl: Bool = false) -> UInt32 {
    fR(0x2f, wide ? 3 : 2, funct5 << 2 | (aq ? 2 : 0) | (rl ? 1 : 0), rd, rs1, rs2)
}
func lr_w(_ rd: UInt32, _ rs1: UInt32) -> UInt32 { amo(0x02, wide: false, rd, 0, rs1) }
func lr_d(_ rd: UInt32, _ rs1: UInt32) -> UInt32 { amo(0x02, wide: true, rd, 0, rs1) }
func sc_w(_ rd: UInt32, _ rs2: UInt32, _ rs1: UInt32) -> UInt32 { amo(0x03, wide: false, rd, rs2, rs1) }
func sc_d(_ rd: UInt32, _ rs2: UInt32, _ rs1: UInt32) -> UInt32 { amo(0x03, wide: true, rd, rs2, rs1) }

/// AMO funct5 values (the A chapter's opcode map).
enum AMOOp: UInt32, CaseIterable, Sendable {
    case add = 0x00, swap = 0x01, xor = 0x04, or = 0x08, and = 0x0c, min = 0x10, max = 0x14, minu = 0x18, maxu = 0x1c
}

// MARK: Zicsr

func csrrw(_ rd: UInt32, _ csr: UInt32, _ rs1: UInt32) -> UInt32 { csr << 20 | rs1 << 15 | 1 << 12 | rd << 7 | 0x73 }
func csrrs(_ rd: UInt32, _ csr: UInt32, _ rs1: UInt32) -> UInt32 { csr << 20 | rs1 << 15 | 2 << 12 | rd << 7 | 0x73 }
func csrrc(_ rd: UInt32, _ csr: UInt32, _ rs1: UInt32) -> UInt32 { csr << 20 | rs1 << 15 | 3 << 12 | rd << 7 | 0x73 }
func csrrwi(_ rd: UInt32, _ csr: UInt32, _ uimm: UInt32) -> UInt32 { csr << 20 | uimm << 15 | 5 << 12 | rd << 7 | 0x73 }
func csrrsi(_ rd: UInt32, _ csr: UInt32, _ uimm: UInt32) -> UInt32 { csr << 20 | uimm << 15 | 6 << 12 | rd << 7 | 0x73 }
func csrrci(_ rd: UInt32, _ csr: UInt32, _ uimm: UInt32) -> UInt32 { csr << 20 | uimm << 15 | 7 << 12 | rd << 7 | 0x73 }
func csrr(_ rd: UInt32, _ csr: UInt32) -> UInt32 { csrrs(rd, csr, 0) }
func csrw(_ csr: UInt32, _ rs1: UInt32) -> UInt32 { csrrw(0, csr, rs1) }

/// CSR addresses from the privileged spec's tables.
enum CSRAddr {
    static let fflags: UInt32 = 0x001, frm: UInt32 = 0x002, fcsr: UInt32 = 0x003
    static let cycle: UInt32 = 0xC00, time: UInt32 = 0xC01, instret: UInt32 = 0xC02, hpmcounter3: UInt32 = 0xC03
    static let sstatus: UInt32 = 0x100, sie: UInt32 = 0x104, stvec: UInt32 = 0x105, scounteren: UInt32 = 0x106
    static let sscratch: UInt32 = 0x140, sepc: UInt32 = 0x141, scause: UInt32 = 0x142, stval: UInt32 = 0x143
    static let sip: UInt32 = 0x144, satp: UInt32 = 0x180
    static let mvendorid: UInt32 = 0xF11, mhartid: UInt32 = 0xF14
    static let mstatus: UInt32 = 0x300, misa: UInt32 = 0x301, medeleg: UInt32 = 0x302, mideleg: UInt32 = 0x303
    static let mie: UInt32 = 0x304, mtvec: UInt32 = 0x305, mcounteren: UInt32 = 0x306, mcountinhibit: UInt32 = 0x320
    static let mscratch: UInt32 = 0x340, mepc: UInt32 = 0x341, mcause: UInt32 = 0x342, mtval: UInt32 = 0x343
    static let mip: UInt32 = 0x344, mcycle: UInt32 = 0xB00, minstret: UInt32 = 0xB02
}

// MARK: C (16-bit encodings, from the RVC chapter's format tables)

/// Compressed register number (x8…x15) of a full register number.
private func cr(_ r: UInt32) -> UInt32 {
    precondition(r >= 8 && r < 16, "compressed forms only reach x8…x15")
    return r - 8
}
/// Bits hi…lo of `v`.
private func cbits(_ v: Int, _ hi: Int, _ lo: Int) -> UInt32 {
    let width = UInt32(hi - lo + 1)
    return UInt32(truncatingIfNeeded: v >> lo) & ((1 << width) - 1)
}
/// Assembles a 16-bit parcel from (value, bit position) fields.
private func parcel(_ fields: [(UInt32, UInt32)]) -> UInt16 {
    var v: UInt32 = 0
    for (value, at) in fields { v |= value << at }
    precondition(v <= 0xffff)
    return UInt16(v)
}

func c_addi4spn(_ rd: UInt32, _ imm: Int) -> UInt16 {
    parcel([(cbits(imm, 5, 4), 11), (cbits(imm, 9, 6), 7), (cbits(imm, 2, 2), 6), (cbits(imm, 3, 3), 5), (cr(rd), 2)])
}
func c_lw(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt16 {
    parcel([(2, 13), (cbits(imm, 5, 3), 10), (cr(rs1), 7), (cbits(imm, 2, 2), 6), (cbits(imm, 6, 6), 5), (cr(rd), 2)])
}
func c_ld(_ rd: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt16 {
    parcel([(3, 13), (cbits(imm, 5, 3), 10), (cr(rs1), 7), (cbits(imm, 7, 6), 5), (cr(rd), 2)])
}
func c_sw(_ rs2: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt16 {
    parcel([(6, 13), (cbits(imm, 5, 3), 10), (cr(rs1), 7), (cbits(imm, 2, 2), 6), (cbits(imm, 6, 6), 5), (cr(rs2), 2)])
}
func c_sd(_ rs2: UInt32, _ imm: Int, _ rs1: UInt32) -> UInt16 {
    parcel([(7, 13), (cbits(imm, 5, 3), 10), (cr(rs1), 7), (cbits(imm, 7, 6), 5), (cr(rs2), 2)])
}
private func ci(_ f3: UInt32, _ rd: UInt32, _ imm: Int, _ op: UInt32) -> UInt16 {
    parcel([(f3, 13), (cbits(imm, 5, 5), 12), (rd, 7), (cbits(imm, 4, 0), 2), (op, 0)])
}
func c_nop() -> UInt16 { ci(0, 0, 0, 1) }
func c_addi(_ rd: UInt32, _ imm: Int) -> UInt16 { ci(0, rd, imm, 1) }
func c_addiw(_ rd: UInt32, _ imm: Int) -> UInt16 { ci(1, rd, imm, 1) }
func c_li(_ rd: UInt32, _ imm: Int) -> UInt16 { ci(2, rd, imm, 1) }
func c_addi16sp(_ imm: Int) -> UInt16 {
    parcel([(3, 13), (cbits(imm, 9, 9), 12), (2, 7), (cbits(imm, 4, 4), 6), (cbits(imm, 6, 6), 5),
            (cbits(imm, 8, 7), 3), (cbits(imm, 5, 5), 2), (1, 0)])
}
/// `c.lui rd, imm6` where the loaded value is sign-extended imm6 << 12.
func c_lui(_ rd: UInt32, _ imm6: Int) -> UInt16 { ci(3, rd, imm6, 1) }
private func cbArith(_ f2: UInt32, _ rd: UInt32, _ imm: Int) -> UInt16 {
    parcel([(4, 13), (cbits(imm, 5, 5), 12), (f2, 10), (cr(rd), 7), (cbits(imm, 4, 0), 2), (1, 0)])
}
func c_srli(_ rd: UInt32, _ sh: Int) -> UInt16 { cbArith(0, rd, sh) }
func c_srai(_ rd: UInt32, _ sh: Int) -> UInt16 { cbArith(1, rd, sh) }
func c_andi(_ rd: UInt32, _ imm: Int) -> UInt16 { cbArith(2, rd, imm) }
private func ca(_ bit12: UInt32, _ f2: UInt32, _ rd: UInt32, _ rs2: UInt32) -> UInt16 {
    parcel([(4, 13), (bit12, 12), (3, 10), (cr(rd), 7), (f2, 5), (cr(rs2), 2), (1, 0)])
}
func c_sub(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { ca(0, 0, rd, rs2) }
func c_xor(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { ca(0, 1, rd, rs2) }
func c_or(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { ca(0, 2, rd, rs2) }
func c_and(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { ca(0, 3, rd, rs2) }
func c_subw(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { ca(1, 0, rd, rs2) }
func c_addw(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { ca(1, 1, rd, rs2) }
func c_j(_ off: Int) -> UInt16 {
    parcel([(5, 13), (cbits(off, 11, 11), 12), (cbits(off, 4, 4), 11), (cbits(off, 9, 8), 9), (cbits(off, 10, 10), 8),
            (cbits(off, 6, 6), 7), (cbits(off, 7, 7), 6), (cbits(off, 3, 1), 3), (cbits(off, 5, 5), 2), (1, 0)])
}
private func cb(_ f3: UInt32, _ rs1: UInt32, _ off: Int) -> UInt16 {
    parcel([(f3, 13), (cbits(off, 8, 8), 12), (cbits(off, 4, 3), 10), (cr(rs1), 7), (cbits(off, 7, 6), 5),
            (cbits(off, 2, 1), 3), (cbits(off, 5, 5), 2), (1, 0)])
}
func c_beqz(_ rs1: UInt32, _ off: Int) -> UInt16 { cb(6, rs1, off) }
func c_bnez(_ rs1: UInt32, _ off: Int) -> UInt16 { cb(7, rs1, off) }
func c_slli(_ rd: UInt32, _ sh: Int) -> UInt16 { ci(0, rd, sh, 2) }
func c_lwsp(_ rd: UInt32, _ imm: Int) -> UInt16 {
    parcel([(2, 13), (cbits(imm, 5, 5), 12), (rd, 7), (cbits(imm, 4, 2), 4), (cbits(imm, 7, 6), 2), (2, 0)])
}
func c_ldsp(_ rd: UInt32, _ imm: Int) -> UInt16 {
    parcel([(3, 13), (cbits(imm, 5, 5), 12), (rd, 7), (cbits(imm, 4, 3), 5), (cbits(imm, 8, 6), 2), (2, 0)])
}
func c_swsp(_ rs2: UInt32, _ imm: Int) -> UInt16 {
    parcel([(6, 13), (cbits(imm, 5, 2), 9), (cbits(imm, 7, 6), 7), (rs2, 2), (2, 0)])
}
func c_sdsp(_ rs2: UInt32, _ imm: Int) -> UInt16 {
    parcel([(7, 13), (cbits(imm, 5, 3), 10), (cbits(imm, 8, 6), 7), (rs2, 2), (2, 0)])
}
private func cr4(_ bit12: UInt32, _ rd: UInt32, _ rs2: UInt32) -> UInt16 {
    parcel([(4, 13), (bit12, 12), (rd, 7), (rs2, 2), (2, 0)])
}
func c_jr(_ rs1: UInt32) -> UInt16 { cr4(0, rs1, 0) }
func c_mv(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { cr4(0, rd, rs2) }
func c_ebreak() -> UInt16 { cr4(1, 0, 0) }
func c_jalr(_ rs1: UInt32) -> UInt16 { cr4(1, rs1, 0) }
func c_add(_ rd: UInt32, _ rs2: UInt32) -> UInt16 { cr4(1, rd, rs2) }
