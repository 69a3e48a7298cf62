import Testing
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
@testable import RISCV

// The C extension: each compressed form is run next to the 32-bit instruction the RVC
// chapter says it expands to (both encoded by the test assembler, not by the machine), from
// the same state; the effects must be the same apart from the instruction length.

struct RVCCase: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable { case sequential, jump, link }
    let name: String
    let c: UInt16
    let expanded: UInt32
    let kind: Kind
    var regs: [(UInt32, UInt64)] = []
    var testDescription: String { name }
}

private func rvc(_ name: String, _ c: UInt16, _ e: UInt32, _ kind: RVCCase.Kind = .sequential, _ regs: [(UInt32, UInt64)] = []) -> RVCCase {
    RVCCase(name: name, c: c, expanded: e, kind: kind, regs: regs)
}

private let neg: UInt64 = 0xffff_ffff_8000_0123

let rvcCases: [RVCCase] = [
    rvc("c.addi4spn", c_addi4spn(a0, 16), addi(a0, sp, 16)),
    rvc("c.addi4spn max", c_addi4spn(s1, 1020), addi(s1, sp, 1020)),
    rvc("c.lw", c_lw(a1, 4, a0), lw(a1, 4, a0)),
    rvc("c.lw max", c_lw(a1, 124, a0), lw(a1, 124, a0)),
    rvc("c.ld", c_ld(s0, 248, a5), ld(s0, 248, a5)),
    rvc("c.sw", c_sw(a1, 64, a0), sw(a1, 64, a0)),
    rvc("c.sd", c_sd(a1, 8, a4), sd(a1, 8, a4)),
    rvc("c.sd max", c_sd(a2, 248, a3), sd(a2, 248, a3)),
    rvc("c.nop", c_nop(), nop),
    rvc("c.addi -32", c_addi(a1, -32), addi(a1, a1, -32)),
    rvc("c.addi 31", c_addi(t0, 31), addi(t0, t0, 31)),
    rvc("c.addiw overflow", c_addiw(a1, 1), addiw(a1, a1, 1), .sequential, [(a1, 0x7fff_ffff)]),
    rvc("c.addiw -1", c_addiw(t1, -1), addiw(t1, t1, -1), .sequential, [(t1, 0)]),
    rvc("c.addiw 0 = sext.w", c_addiw(t2, 0), addiw(t2, t2, 0), .sequential, [(t2, 0x1_8000_0000)]),
    rvc("c.li -32", c_li(t2, -32), addi(t2, zero, -32)),
    rvc("c.li 31", c_li(s2, 31), addi(s2, zero, 31)),
    rvc("c.addi16sp -512", c_addi16sp(-512), addi(sp, sp, -512)),
    rvc("c.addi16sp 496", c_addi16sp(496), addi(sp, sp, 496)),
    rvc("c.addi16sp 16", c_addi16sp(16), addi(sp, sp, 16)),
    rvc("c.lui -1", c_lui(t0, -1), lui(t0, 0xfffff)),
    rvc("c.lui 31", c_lui(t0, 31), lui(t0, 31)),
    rvc("c.lui -32", c_lui(a0, -32), lui(a0, 0xfffe0)),
    rvc("c.srli 63", c_srli(a1, 63), srli(a1, a1, 63), .sequential, [(a1, neg)]),
    rvc("c.srli 1", c_srli(a1, 1), srli(a1, a1, 1), .sequential, [(a1, neg)]),
    rvc("c.srai 1", c_srai(a1, 1), srai(a1, a1, 1), .sequential, [(a1, neg)]),
    rvc("c.srai 32", c_srai(a2, 32), srai(a2, a2, 32), .sequential, [(a2, neg)]),
    rvc("c.andi -2", c_andi(a1, -2), andi(a1, a1, -2), .sequential, [(a1, neg)]),
    rvc("c.andi 31", c_andi(s0, 31), andi(s0, s0, 31)),
    rvc("c.sub", c_sub(a0, a1), sub(a0, a0, a1)),
    rvc("c.xor", c_xor(a0, a1), xor(a0, a0, a1)),
    rvc("c.or", c_or(a2, a3), or(a2, a2, a3)),
    rvc("c.and", c_and(a4, a5), and(a4, a4, a5)),
    rvc("c.subw", c_subw(a0, a1), subw(a0, a0, a1), .sequential, [(a0, 0x8000_0000), (a1, 1)]),
    rvc("c.addw", c_addw(a0, a1), addw(a0, a0, a1), .sequential, [(a0, 0x7fff_ffff), (a1, 1)]),
    rvc("c.j forward", c_j(2046), jal(zero, 2046), .jump),
    rvc("c.j backward", c_j(-2048), jal(zero, -2048), .jump),
    rvc("c.j 0x2aa", c_j(0x2aa), jal(zero, 0x2aa), .jump),
    rvc("c.j -0x556", c_j(-0x556), jal(zero, -0x556), .jump),
    rvc("c.beqz taken", c_beqz(a0, 254), beq(a0, zero, 254), .jump, [(a0, 0)]),
    rvc("c.beqz not taken", c_beqz(a0, 254), beq(a0, zero, 254), .sequential, [(a0, 1)]),
    rvc("c.bnez taken backward", c_bnez(a0, -256), bne(a0, zero, -256), .jump, [(a0, 1)]),
    rvc("c.bnez 0xaa", c_bnez(a0, 0xaa), bne(a0, zero, 0xaa), .jump, [(a0, 1)]),
    rvc("c.bnez not taken", c_bnez(a0, -256), bne(a0, zero, -256), .sequential, [(a0, 0)]),
    rvc("c.slli 63", c_slli(t0, 63), slli(t0, t0, 63)),
    rvc("c.slli 1", c_slli(s3, 1), slli(s3, s3, 1)),
    rvc("c.lwsp", c_lwsp(t0, 252), lw(t0, 252, sp)),
    rvc("c.lwsp 0x84", c_lwsp(t0, 0x84), lw(t0, 0x84, sp)),
    rvc("c.ldsp", c_ldsp(ra, 504), ld(ra, 504, sp)),
    rvc("c.ldsp 0x48", c_ldsp(ra, 0x48), ld(ra, 0x48, sp)),
    rvc("c.swsp", c_swsp(t1, 252), sw(t1, 252, sp)),
    rvc("c.swsp 0x84", c_swsp(t1, 0x84), sw(t1, 0x84, sp)),
    rvc("c.sdsp", c_sdsp(t1, 504), sd(t1, 504, sp)),
    rvc("c.sdsp 0x48", c_sdsp(t1, 0x48), sd(t1, 0x48, sp)),
    rvc("c.jr", c_jr(t0), jalr(zero, t0, 0), .jump),
    rvc("c.jr odd target", c_jr(t0), jalr(zero, t0, 0), .jump, [(t0, TestMachine.base + 0x301)]),
    rvc("c.mv", c_mv(a0, t6), add(a0, zero, t6)),
    rvc("c.jalr", c_jalr(t0), jalr(ra, t0, 0), .link),
    rvc("c.jalr ra", c_jalr(ra), jalr(ra, ra, 0), .link),
    rvc("c.add", c_add(a0, a1), add(a0, a0, a1)),
    rvc("c.add sp", c_add(sp, t3), add(sp, sp, t3)),
]

/// A machine in a state where every register points into a data area and that area holds
/// a byte pattern; a case's own register values override.
private func prepared(_ regs: [(UInt32, UInt64)]) -> TestMachine {
    let m = TestMachine()
    let dataBase = TestMachine.base + 0x10_0000
    for i in 0..<(0x2000 / 8) {
        m.write(dataBase + UInt64(8 * i), 8, 0x9e37_79b9_7f4a_7c15 &* UInt64(i + 1))
    }
    for r in UInt32(1)..<32 { m[x: r] = dataBase + 0x200 + UInt64(r) * 0x48 }
    for (r, v) in regs { m[x: r] = v }
    return m
}

@Suite struct CompressedTests {
    @Test(arguments: rvcCases)
    func compressedMatchesExpansion(_ c: RVCCase) {
        let short = prepared(c.regs)
        short.load(parcels: [c.c], at: TestMachine.base)
        let long = prepared(c.regs)
        long.load([c.expanded], at: TestMachine.base)
        short.step()
        long.step()
        #expect(short.icount == 1 && long.icount == 1, "both retire")
        switch c.kind {
        case .sequential:
            #expect(short.pc == TestMachine.base + 2)
            #expect(long.pc == TestMachine.base + 4)
        case .jump, .link:
            #expect(short.pc == long.pc)
            #expect(short.pc != TestMachine.base + 2)
        }
        for r in UInt32(1)..<32 {
            if c.kind == .link && r == ra {
                #expect(short[x: ra] == TestMachine.base + 2)
                #expect(long[x: ra] == TestMachine.base + 4)
                continue
            }
            #expect(short[x: r] == long[x: r], "x\(r): 0x\(String(short[x: r], radix: 16)) vs 0x\(String(long[x: r], radix: 16))")
        }
        // Memory outside the code word.
        let same = memcmp(short.storage.ram + 8, long.storage.ram + 8, short.storage.ramSize - 8) == 0
        #expect(same, "memory effects agree")
    }

    @Test func cEbreakTrapsLikeEbreak() {
        let m = TestMachine()
        m.load(parcels: [c_ebreak()], at: TestMachine.base)
        m.step()
        #expect(m.mcause == Cause.breakpoint)
        #expect(m.mtval == 0)
        #expect(m.mepc == TestMachine.base)
    }

    struct Reserved: Sendable, CustomTestStringConvertible {
        let name: String, parcel: UInt16
        var testDescription: String { name }
    }
    static let reserved: [Reserved] = [
        Reserved(name: "all zero (c.addi4spn 0)", parcel: 0x0000),
        Reserved(name: "c.addi4spn nzuimm 0", parcel: 0x0004),
        Reserved(name: "c.addi16sp 0", parcel: c_addi16sp(0)),
        Reserved(name: "c.lui 0", parcel: c_lui(t0, 0)),
        Reserved(name: "c.addiw rd=0", parcel: c_addiw(zero, 1)),
        Reserved(name: "c.lwsp rd=0", parcel: c_lwsp(zero, 4)),
        Reserved(name: "c.ldsp rd=0", parcel: c_ldsp(zero, 8)),
        Reserved(name: "c.jr rs1=0", parcel: c_jr(zero)),
        Reserved(name: "quadrant 0 funct3 4", parcel: 0x8000),
        Reserved(name: "CA reserved funct2 (bit12=1, 10)", parcel: 0x9c41),
        Reserved(name: "CA reserved funct2 (bit12=1, 11)", parcel: 0x9c61),
        // FP loads/stores while mstatus.FS = Off: illegal, and mtval is still the parcel.
        Reserved(name: "c.fld with FS off", parcel: 0x2000),
        Reserved(name: "c.fsd with FS off", parcel: 0xa000),
        Reserved(name: "c.fldsp with FS off", parcel: 0x2002),
        Reserved(name: "c.fsdsp with FS off", parcel: 0xa002),
    ]

    @Test(arguments: reserved)
    func reservedCompressedIsIllegal(_ c: Reserved) {
        let m = TestMachine()
        m.load(parcels: [c.parcel, 0xffff], at: TestMachine.base)  // junk after it
        m[x: sp] = TestMachine.base + 0x1000
        m[x: s0] = TestMachine.base + 0x1000
        m.step()
        #expect(m.mcause == Cause.illegalInstruction)
        #expect(m.mtval == UInt64(c.parcel), "mtval = the 16-bit parcel, got 0x\(String(m.mtval, radix: 16))")
        #expect(m.mepc == TestMachine.base)
    }

    @Test func mixedLengthStream() {
        // c.nop; addi (at pc ≡ 2 mod 4, straddling a word); c.addi; a 32-bit addi straddling
        // a page boundary at 0xffe.
        let m = TestMachine()
        let i = addi(a0, a0, 5)
        m.load(parcels: [c_nop(), UInt16(i & 0xffff), UInt16(i >> 16), c_addi(a0, 1)], at: TestMachine.base)
        m.load([jal(zero, 0xffe - 8)], at: TestMachine.base + 8)
        let j = addi(a0, a0, 100)
        m.load(parcels: [UInt16(j & 0xffff), UInt16(j >> 16)], at: TestMachine.base + 0xffe)
        m.step(5)
        #expect(m[x: a0] == 106)
        #expect(m.pc == TestMachine.base + 0x1002)
    }
}
