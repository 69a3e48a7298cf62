import Testing
@testable import RISCV

// RV64I and M, one instruction per case. Expected values are worked out by hand from the
// unprivileged ISA manual's definitions (wrapping arithmetic, *W results sign-extended from
// bit 31, shift amounts masked to 6 / 5 bits, the M chapter's division table).

/// One register-register (or register-immediate) instruction: a1 = `a`, a2 = `b`, run
/// `inst` (which writes a0), expect a0 = `result`.
struct ALUCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inst: UInt32
    let a: UInt64
    let b: UInt64
    let result: UInt64
    init(_ name: String, _ inst: UInt32, _ a: UInt64, _ b: UInt64, _ result: UInt64) {
        self.name = name; self.inst = inst; self.a = a; self.b = b; self.result = result
    }
    var testDescription: String { "\(name) 0x\(String(a, radix: 16)), 0x\(String(b, radix: 16))" }
}

private let minI64: UInt64 = 0x8000_0000_0000_0000
private let maxI64: UInt64 = 0x7fff_ffff_ffff_ffff
private let allOnes: UInt64 = ~0

let rv64iALUCases: [ALUCase] = [
    ALUCase("add", add(a0, a1, a2), 1, 2, 3),
    ALUCase("add overflow", add(a0, a1, a2), maxI64, 1, minI64),
    ALUCase("add wrap", add(a0, a1, a2), allOnes, 1, 0),
    ALUCase("sub", sub(a0, a1, a2), 0, 1, allOnes),
    ALUCase("sub overflow", sub(a0, a1, a2), minI64, 1, maxI64),
    ALUCase("sll 63", sll(a0, a1, a2), 1, 63, minI64),
    ALUCase("sll 64 masks to 0", sll(a0, a1, a2), 1, 64, 1),
    ALUCase("sll 65 masks to 1", sll(a0, a1, a2), 1, 65, 2),
    ALUCase("slt -1 < 0", slt(a0, a1, a2), allOnes, 0, 1),
    ALUCase("slt 0 < -1", slt(a0, a1, a2), 0, allOnes, 0),
    ALUCase("slt equal", slt(a0, a1, a2), 5, 5, 0),
    ALUCase("slt min < max", slt(a0, a1, a2), minI64, maxI64, 1),
    ALUCase("sltu -1 < 0", sltu(a0, a1, a2), allOnes, 0, 0),
    ALUCase("sltu 0 < -1", sltu(a0, a1, a2), 0, allOnes, 1),
    ALUCase("sltu snez", sltu(a0, zero, a2), 0, 7, 1),
    ALUCase("xor", xor(a0, a1, a2), 0xff00, 0x0ff0, 0xf0f0),
    ALUCase("or", or(a0, a1, a2), 0xff00, 0x0ff0, 0xfff0),
    ALUCase("and", and(a0, a1, a2), 0xff00, 0x0ff0, 0x0f00),
    ALUCase("srl 63", srl(a0, a1, a2), minI64, 63, 1),
    ALUCase("srl 64 masks to 0", srl(a0, a1, a2), minI64, 64, minI64),
    ALUCase("sra 63", sra(a0, a1, a2), minI64, 63, allOnes),
    ALUCase("sra 1", sra(a0, a1, a2), minI64, 1, 0xc000_0000_0000_0000),
    ALUCase("sra positive", sra(a0, a1, a2), maxI64, 62, 1),
    ALUCase("addw overflow sign-extends", addw(a0, a1, a2), 0x7fff_ffff, 1, 0xffff_ffff_8000_0000),
    ALUCase("addw ignores upper bits", addw(a0, a1, a2), 0x1234_5678_0000_0001, 0xffff_0000_0000_0001, 2),
    ALUCase("subw", subw(a0, a1, a2), 0, 1, allOnes),
    ALUCase("subw overflow", subw(a0, a1, a2), 0x8000_0000, 1, 0x7fff_ffff),
    ALUCase("sllw 31", sllw(a0, a1, a2), 1, 31, 0xffff_ffff_8000_0000),
    ALUCase("sllw 32 masks to 0", sllw(a0, a1, a2), 1, 32, 1),
    ALUCase("sllw 33 masks to 1", sllw(a0, a1, a2), 1, 33, 2),
    ALUCase("srlw 31", srlw(a0, a1, a2), 0x8000_0000, 31, 1),
    ALUCase("srlw 0 sign-extends", srlw(a0, a1, a2), 0x8000_0000, 0, 0xffff_ffff_8000_0000),
    ALUCase("srlw 32 masks to 0", srlw(a0, a1, a2), 0xf_8000_0000, 32, 0xffff_ffff_8000_0000),
    ALUCase("srlw uses low word only", srlw(a0, a1, a2), 0xffff_ffff_0000_0000, 4, 0),
    ALUCase("sraw 31", sraw(a0, a1, a2), 0x8000_0000, 31, allOnes),
    ALUCase("sraw 32 masks to 0", sraw(a0, a1, a2), 0x8000_0000, 32, 0xffff_ffff_8000_0000),
    ALUCase("sraw 4", sraw(a0, a1, a2), 0x0_8000_0000, 4, 0xffff_ffff_f800_0000),
    // Immediates (b unused).
    ALUCase("addi -1", addi(a0, a1, -1), 0, 0, allOnes),
    ALUCase("addi 2047", addi(a0, a1, 2047), 1, 0, 2048),
    ALUCase("addi -2048 wraps", addi(a0, a1, -2048), 0, 0, s64(-2048)),
    ALUCase("slti -1 < 0", slti(a0, a1, 0), allOnes, 0, 1),
    ALUCase("slti 0 < -1", slti(a0, a1, -1), 0, 0, 0),
    ALUCase("sltiu imm -1 is max", sltiu(a0, a1, -1), 5, 0, 1),
    ALUCase("sltiu seqz", sltiu(a0, a1, 1), 0, 0, 1),
    ALUCase("sltiu seqz nonzero", sltiu(a0, a1, 1), 3, 0, 0),
    ALUCase("xori not", xori(a0, a1, -1), 0x1234, 0, ~UInt64(0x1234)),
    ALUCase("ori", ori(a0, a1, 0x0f0), 0x100, 0, 0x1f0),
    ALUCase("andi sign-extended imm", andi(a0, a1, -2048), allOnes, 0, 0xffff_ffff_ffff_f800),
    ALUCase("slli 63", slli(a0, a1, 63), 1, 0, minI64),
    ALUCase("srli 63", srli(a0, a1, 63), minI64, 0, 1),
    ALUCase("srai 63", srai(a0, a1, 63), minI64, 0, allOnes),
    ALUCase("srai 0", srai(a0, a1, 0), minI64, 0, minI64),
    ALUCase("addiw overflow", addiw(a0, a1, 1), 0x7fff_ffff, 0, 0xffff_ffff_8000_0000),
    ALUCase("addiw sext.w", addiw(a0, a1, 0), 0x1_ffff_ffff, 0, allOnes),
    ALUCase("slliw 31", slliw(a0, a1, 31), 1, 0, 0xffff_ffff_8000_0000),
    ALUCase("srliw 31", srliw(a0, a1, 31), 0xffff_ffff_8000_0000, 0, 1),
    ALUCase("srliw 0 sign-extends", srliw(a0, a1, 0), 0x1_8000_0000, 0, 0xffff_ffff_8000_0000),
    ALUCase("sraiw 31", sraiw(a0, a1, 31), 0x8000_0000, 0, allOnes),
    ALUCase("sraiw 1 of positive", sraiw(a0, a1, 1), 0xf_7fff_fffe, 0, 0x3fff_ffff),
    ALUCase("lui negative", lui(a0, 0x80000), 0, 0, 0xffff_ffff_8000_0000),
    ALUCase("lui positive", lui(a0, 0x12345), 0, 0, 0x1234_5000),
]

let rv64mCases: [ALUCase] = [
    ALUCase("mul", mul(a0, a1, a2), 3, s64(-2), s64(-6)),
    ALUCase("mul wraps", mul(a0, a1, a2), minI64, 2, 0),
    ALUCase("mulh -1*-1", mulh(a0, a1, a2), allOnes, allOnes, 0),
    ALUCase("mulh min*min", mulh(a0, a1, a2), minI64, minI64, 0x4000_0000_0000_0000),
    ALUCase("mulh -1*1", mulh(a0, a1, a2), allOnes, 1, allOnes),
    ALUCase("mulh max*2", mulh(a0, a1, a2), maxI64, 2, 0),
    ALUCase("mulhu max*max", mulhu(a0, a1, a2), allOnes, allOnes, 0xffff_ffff_ffff_fffe),
    ALUCase("mulhu -1*1", mulhu(a0, a1, a2), allOnes, 1, 0),
    ALUCase("mulhsu -1*(2^64-1)", mulhsu(a0, a1, a2), allOnes, allOnes, allOnes),
    ALUCase("mulhsu -1*1", mulhsu(a0, a1, a2), allOnes, 1, allOnes),
    ALUCase("mulhsu 1*(2^64-1)", mulhsu(a0, a1, a2), 1, allOnes, 0),
    ALUCase("mulhsu min*(2^64-1)", mulhsu(a0, a1, a2), minI64, allOnes, minI64),
    ALUCase("div", div(a0, a1, a2), 7, 2, 3),
    ALUCase("div truncates toward zero", div(a0, a1, a2), s64(-7), 2, s64(-3)),
    ALUCase("div negative divisor", div(a0, a1, a2), 7, s64(-2), s64(-3)),
    ALUCase("div by zero", div(a0, a1, a2), 42, 0, allOnes),
    ALUCase("div overflow", div(a0, a1, a2), minI64, allOnes, minI64),
    ALUCase("divu by zero", divu(a0, a1, a2), 42, 0, allOnes),
    ALUCase("divu large", divu(a0, a1, a2), allOnes, 2, maxI64),
    ALUCase("rem sign of dividend", rem(a0, a1, a2), s64(-7), 2, allOnes),
    ALUCase("rem negative divisor", rem(a0, a1, a2), 7, s64(-2), 1),
    ALUCase("rem by zero", rem(a0, a1, a2), s64(-42), 0, s64(-42)),
    ALUCase("rem overflow", rem(a0, a1, a2), minI64, allOnes, 0),
    ALUCase("remu by zero", remu(a0, a1, a2), 42, 0, 42),
    ALUCase("remu large", remu(a0, a1, a2), allOnes, 10, 5),
    ALUCase("mulw sign-extends", mulw(a0, a1, a2), 0x7fff_ffff, 2, 0xffff_ffff_ffff_fffe),
    ALUCase("mulw ignores upper", mulw(a0, a1, a2), 0x1_0000_0003, 5, 15),
    ALUCase("divw overflow", divw(a0, a1, a2), 0x8000_0000, allOnes, 0xffff_ffff_8000_0000),
    ALUCase("divw by zero", divw(a0, a1, a2), 5, 0, allOnes),
    ALUCase("divw negative", divw(a0, a1, a2), s64(-7), 2, s64(-3)),
    ALUCase("divw ignores upper", divw(a0, a1, a2), 0xffff_0000_0000_0007, 0x1_0000_0002, 3),
    ALUCase("divuw by zero", divuw(a0, a1, a2), 0x8000_0000, 0, allOnes),
    ALUCase("divuw unsigned", divuw(a0, a1, a2), 0xffff_ffff, 2, 0x7fff_ffff),
    ALUCase("divuw result sign-extends", divuw(a0, a1, a2), 0xffff_fffe, 1, 0xffff_ffff_ffff_fffe),
    ALUCase("remw overflow", remw(a0, a1, a2), 0x8000_0000, allOnes, 0),
    ALUCase("remw by zero", remw(a0, a1, a2), 0x1234_0000_8000_0005, 0, 0xffff_ffff_8000_0005),
    ALUCase("remw negative", remw(a0, a1, a2), s64(-7), 2, allOnes),
    ALUCase("remuw by zero", remuw(a0, a1, a2), 0xffff_ffff, 0, allOnes),
    ALUCase("remuw", remuw(a0, a1, a2), 7, 0x1_0000_0002, 1),
]

/// Runs a single instruction with a1/a2 preset and returns the machine.
private func runOne(_ inst: UInt32, a: UInt64, b: UInt64) -> TestMachine {
    let m = TestMachine(code: [inst])
    m[x: a1] = a
    m[x: a2] = b
    m.step()
    return m
}

@Suite struct RV64IMTests {
    @Test(arguments: rv64iALUCases + rv64mCases)
    func alu(_ c: ALUCase) {
        let m = runOne(c.inst, a: c.a, b: c.b)
        #expect(m[x: a0] == c.result, "\(c.name): got 0x\(String(m[x: a0], radix: 16))")
        #expect(m.pc == TestMachine.base + 4)
        #expect(m.icount == 1)
    }

    @Test func auipc() {
        let m = TestMachine(code: [RISCVTests.auipc(a0, 1), RISCVTests.auipc(a1, 0x80000), RISCVTests.auipc(a2, 0xfffff)])
        m.step(3)
        #expect(m[x: a0] == 0x8000_1000)
        #expect(m[x: a1] == 0x8000_0004 &+ 0xffff_ffff_8000_0000)  // wraps to 4
        #expect(m[x: a2] == 0x8000_0008 &- 0x1000)
    }

    @Test func x0StaysZero() {
        let m = TestMachine(code: [addi(zero, zero, 5), lui(zero, 0x12345), add(zero, a1, a1), ld(zero, 0, a2),
                                   csrrs(zero, CSRAddr.mscratch, zero), jal(zero, 4), addi(a0, zero, 0)])
        m[x: a1] = 7
        m[x: a2] = TestMachine.base
        m[x: a0] = 99
        m.step(7)
        #expect(m[x: zero] == 0)
        #expect(m[x: a0] == 0)
        #expect(m.pc == TestMachine.base + 28)
    }

    struct BranchCase: Sendable, CustomTestStringConvertible {
        let name: String, inst: UInt32, a: UInt64, b: UInt64, taken: Bool
        var testDescription: String { name }
    }
    static let branches: [BranchCase] = [
        BranchCase(name: "beq equal", inst: beq(a1, a2, 16), a: 1, b: 1, taken: true),
        BranchCase(name: "beq different", inst: beq(a1, a2, 16), a: 1, b: 2, taken: false),
        BranchCase(name: "bne different", inst: bne(a1, a2, 16), a: 1, b: 2, taken: true),
        BranchCase(name: "bne equal", inst: bne(a1, a2, 16), a: 3, b: 3, taken: false),
        BranchCase(name: "blt -1 < 0", inst: blt(a1, a2, 16), a: allOnes, b: 0, taken: true),
        BranchCase(name: "blt 0 < -1", inst: blt(a1, a2, 16), a: 0, b: allOnes, taken: false),
        BranchCase(name: "blt equal", inst: blt(a1, a2, 16), a: 4, b: 4, taken: false),
        BranchCase(name: "bge 0 >= -1", inst: bge(a1, a2, 16), a: 0, b: allOnes, taken: true),
        BranchCase(name: "bge equal", inst: bge(a1, a2, 16), a: 5, b: 5, taken: true),
        BranchCase(name: "bge min >= max", inst: bge(a1, a2, 16), a: minI64, b: maxI64, taken: false),
        BranchCase(name: "bltu -1 < 0", inst: bltu(a1, a2, 16), a: allOnes, b: 0, taken: false),
        BranchCase(name: "bltu 0 < -1", inst: bltu(a1, a2, 16), a: 0, b: allOnes, taken: true),
        BranchCase(name: "bgeu 0 >= -1", inst: bgeu(a1, a2, 16), a: 0, b: allOnes, taken: false),
        BranchCase(name: "bgeu -1 >= 0", inst: bgeu(a1, a2, 16), a: allOnes, b: 0, taken: true),
        BranchCase(name: "bgeu equal", inst: bgeu(a1, a2, 16), a: 9, b: 9, taken: true),
        BranchCase(name: "beq backward", inst: beq(a1, a2, -4096), a: 0, b: 0, taken: true),
    ]

    @Test(arguments: branches)
    func branch(_ c: BranchCase) {
        let m = runOne(c.inst, a: c.a, b: c.b)
        let offset: UInt64 = c.inst >> 31 == 1 ? s64(-4096) : 16
        #expect(m.pc == (c.taken ? TestMachine.base &+ offset : TestMachine.base + 4))
    }

    @Test func jalLinksAndJumps() {
        let m = TestMachine(code: [jal(ra, 16)])
        m.step()
        #expect(m[x: ra] == TestMachine.base + 4)
        #expect(m.pc == TestMachine.base + 16)
        let back = TestMachine(code: [nop, jal(t0, -4)])
        back.step(2)
        #expect(back.pc == TestMachine.base)
        #expect(back[x: t0] == TestMachine.base + 8)
    }

    @Test func jalrClearsBitZero() {
        let m = TestMachine(code: [jalr(ra, a1, 0x10)])
        m[x: a1] = TestMachine.base + 0x101
        m.step()
        #expect(m.pc == TestMachine.base + 0x110)
        #expect(m[x: ra] == TestMachine.base + 4)
        // rd == rs1: the target uses the old value.
        let same = TestMachine(code: [jalr(a1, a1, -3)])
        same[x: a1] = TestMachine.base + 0x40
        same.step()
        #expect(same.pc == TestMachine.base + 0x3c)
        #expect(same[x: a1] == TestMachine.base + 4)
    }

    // MARK: loads and stores

    struct LoadCase: Sendable, CustomTestStringConvertible {
        let name: String, inst: UInt32, offset: UInt64, result: UInt64
        var testDescription: String { name }
    }
    /// Data at base+0x1000: bytes 0x80, 0x81, … 0x8f, then 0x10, 0x11, … (positive bytes).
    static let loads: [LoadCase] = [
        LoadCase(name: "lb sign-extends", inst: lb(a0, 0, a1), offset: 0, result: s64(-128)),
        LoadCase(name: "lbu zero-extends", inst: lbu(a0, 0, a1), offset: 0, result: 0x80),
        LoadCase(name: "lh sign-extends", inst: lh(a0, 0, a1), offset: 0, result: 0xffff_ffff_ffff_8180),
        LoadCase(name: "lhu", inst: lhu(a0, 0, a1), offset: 0, result: 0x8180),
        LoadCase(name: "lw sign-extends", inst: lw(a0, 0, a1), offset: 0, result: 0xffff_ffff_8382_8180),
        LoadCase(name: "lwu", inst: lwu(a0, 0, a1), offset: 0, result: 0x8382_8180),
        LoadCase(name: "ld", inst: ld(a0, 0, a1), offset: 0, result: 0x8786_8584_8382_8180),
        LoadCase(name: "lb positive", inst: lb(a0, 16, a1), offset: 0, result: 0x10),
        LoadCase(name: "lw positive", inst: lw(a0, 16, a1), offset: 0, result: 0x1312_1110),
        LoadCase(name: "negative offset", inst: lw(a0, -4, a1), offset: 8, result: 0xffff_ffff_8786_8584),
        LoadCase(name: "misaligned lh", inst: lh(a0, 1, a1), offset: 0, result: 0xffff_ffff_ffff_8281),
        LoadCase(name: "misaligned lw", inst: lw(a0, 3, a1), offset: 0, result: 0xffff_ffff_8685_8483),
        LoadCase(name: "misaligned lwu", inst: lwu(a0, 3, a1), offset: 0, result: 0x8685_8483),
        LoadCase(name: "misaligned ld", inst: ld(a0, 1, a1), offset: 0, result: 0x8887_8685_8483_8281),
        LoadCase(name: "misaligned ld into positive", inst: ld(a0, 13, a1), offset: 0, result: 0x1413_1211_108f_8e8d),
    ]

    static func dataMachine(_ inst: UInt32) -> TestMachine {
        let m = TestMachine(code: [inst])
        for i in 0..<16 { m.write(TestMachine.base + 0x1000 + UInt64(i), 1, 0x80 + UInt64(i)) }
        for i in 0..<16 { m.write(TestMachine.base + 0x1010 + UInt64(i), 1, 0x10 + UInt64(i)) }
        return m
    }

    @Test(arguments: loads)
    func load(_ c: LoadCase) {
        let m = Self.dataMachine(c.inst)
        m[x: a1] = TestMachine.base + 0x1000 + c.offset
        m.step()
        #expect(m[x: a0] == c.result, "got 0x\(String(m[x: a0], radix: 16))")
        #expect(m.pc == TestMachine.base + 4, "no trap")
    }

    @Test func misalignedLoadAcrossPages() {
        let m = TestMachine(code: [ld(a0, 0, a1)])
        m.write(TestMachine.base + 0x1ffc, 8, 0x0807_0605_0403_0201)
        m[x: a1] = TestMachine.base + 0x1ffc
        m.step()
        #expect(m[x: a0] == 0x0807_0605_0403_0201)
    }

    struct StoreCase: Sendable, CustomTestStringConvertible {
        let name: String, inst: UInt32, offset: UInt64
        /// The 16 bytes at base+0x1000 afterwards, as two little-endian words.
        let lo: UInt64, hi: UInt64
        var testDescription: String { name }
    }
    static let stores: [StoreCase] = [
        StoreCase(name: "sb", inst: sb(a2, 0, a1), offset: 0, lo: 0xeeee_eeee_eeee_ee88, hi: ~0 - 0x1111_1111_1111_1111),
        StoreCase(name: "sh", inst: sh(a2, 0, a1), offset: 0, lo: 0xeeee_eeee_eeee_7788, hi: 0xeeee_eeee_eeee_eeee),
        StoreCase(name: "sw", inst: sw(a2, 4, a1), offset: 0, lo: 0x5566_7788_eeee_eeee, hi: 0xeeee_eeee_eeee_eeee),
        StoreCase(name: "sd", inst: sd(a2, 0, a1), offset: 8, lo: 0xeeee_eeee_eeee_eeee, hi: 0x1122_3344_5566_7788),
        StoreCase(name: "misaligned sh", inst: sh(a2, 7, a1), offset: 0, lo: 0x88ee_eeee_eeee_eeee, hi: 0xeeee_eeee_eeee_ee77),
        StoreCase(name: "misaligned sw", inst: sw(a2, 0, a1), offset: 6, lo: 0x7788_eeee_eeee_eeee, hi: 0xeeee_eeee_eeee_5566),
        StoreCase(name: "misaligned sd", inst: sd(a2, 3, a1), offset: 0, lo: 0x4455_6677_88ee_eeee, hi: 0xeeee_eeee_ee11_2233),
        StoreCase(name: "negative offset", inst: sb(a2, -1, a1), offset: 16, lo: 0xeeee_eeee_eeee_eeee, hi: 0x88ee_eeee_eeee_eeee),
    ]

    @Test(arguments: stores)
    func store(_ c: StoreCase) {
        let m = TestMachine(code: [c.inst])
        for i in 0..<4 { m.write(TestMachine.base + 0xff8 + UInt64(8 * i), 8, 0xeeee_eeee_eeee_eeee) }
        m[x: a1] = TestMachine.base + 0x1000 + c.offset
        m[x: a2] = 0x1122_3344_5566_7788
        m.step()
        #expect(m.read(TestMachine.base + 0x1000, 8) == c.lo, "low word 0x\(String(m.read(TestMachine.base + 0x1000, 8), radix: 16))")
        #expect(m.read(TestMachine.base + 0x1008, 8) == c.hi, "high word 0x\(String(m.read(TestMachine.base + 0x1008, 8), radix: 16))")
        #expect(m.read(TestMachine.base + 0xff8, 8) == 0xeeee_eeee_eeee_eeee, "bytes before untouched")
        #expect(m.read(TestMachine.base + 0x1010, 8) == 0xeeee_eeee_eeee_eeee, "bytes after untouched")
    }

    @Test func fencesAreNoOps() {
        let m = TestMachine(code: [fence, fence_i, addi(a0, zero, 1)])
        m.step(3)
        #expect(m[x: a0] == 1)
        #expect(m.pc == TestMachine.base + 12)
    }

    @Test func reservedEncodingsAreIllegal() {
        // slliw with shamt[5] set, a branch with funct3 = 2, a load with funct3 = 7,
        // a store with funct3 = 4, jalr with funct3 = 1, OP with an unknown funct7.
        let bad: [UInt32] = [slliw(a0, a1, 0) | 1 << 25, beq(a0, a0, 8) | 2 << 12, lb(a0, 0, a1) | 7 << 12,
                             sb(a0, 0, a1) | 4 << 12, jalr(a0, a1, 0) | 1 << 12, add(a0, a1, a2) | 0x7e << 25,
                             srai(a0, a1, 1) | 1 << 29, 0x0000_000b]
        for inst in bad {
            let m = TestMachine(code: [inst])
            m[x: a1] = TestMachine.base
            m.step()
            #expect(m.mcause == Cause.illegalInstruction, "0x\(String(inst, radix: 16))")
            #expect(m.mtval == UInt64(inst))
            #expect(m.mepc == TestMachine.base)
            #expect(m.icount == 1, "a trapping instruction is counted, as QEMU's -icount counts it")
        }
    }
}
