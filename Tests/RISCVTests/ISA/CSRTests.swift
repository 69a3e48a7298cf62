import Testing
@testable import RISCV

// Zicsr instructions and the CSR rules of the privileged spec: read-only and privilege
// checks from the address bits, WARL fields, the sstatus/sie/sip views of the machine
// registers, counter enables.

struct CSROpCase: Sendable, CustomTestStringConvertible {
    let name: String, inst: UInt32, after: UInt64
    var testDescription: String { name }
}

@Suite struct CSRTests {
    /// mscratch starts at 0xf0f0, a1 = 0x0ff0; the old value always lands in a0.
    static let ops: [CSROpCase] = [
        CSROpCase(name: "csrrw", inst: csrrw(a0, CSRAddr.mscratch, a1), after: 0x0ff0),
        CSROpCase(name: "csrrs", inst: csrrs(a0, CSRAddr.mscratch, a1), after: 0xfff0),
        CSROpCase(name: "csrrc", inst: csrrc(a0, CSRAddr.mscratch, a1), after: 0xf000),
        CSROpCase(name: "csrrwi", inst: csrrwi(a0, CSRAddr.mscratch, 0x1f), after: 0x1f),
        CSROpCase(name: "csrrsi", inst: csrrsi(a0, CSRAddr.mscratch, 0x1f), after: 0xf0ff),
        CSROpCase(name: "csrrci", inst: csrrci(a0, CSRAddr.mscratch, 0x1f), after: 0xf0e0),
        CSROpCase(name: "csrrs x0 reads only", inst: csrrs(a0, CSRAddr.mscratch, zero), after: 0xf0f0),
        CSROpCase(name: "csrrci 0 reads only", inst: csrrci(a0, CSRAddr.mscratch, 0), after: 0xf0f0),
    ]

    @Test(arguments: ops)
    func csrOp(_ c: CSROpCase) {
        let m = TestMachine(code: [c.inst])
        m[core: CoreLayout.mscratch] = 0xf0f0
        m[x: a1] = 0x0ff0
        m.step()
        #expect(m[x: a0] == 0xf0f0)
        #expect(m[core: CoreLayout.mscratch] == c.after)
        #expect(m.pc == TestMachine.base + 4)
    }

    @Test func csrrwSameRegister() {
        let m = TestMachine(code: [csrrw(a1, CSRAddr.mscratch, a1)])
        m[core: CoreLayout.mscratch] = 1
        m[x: a1] = 2
        m.step()
        #expect(m[x: a1] == 1)
        #expect(m[core: CoreLayout.mscratch] == 2)
    }

    struct Access: Sendable, CustomTestStringConvertible {
        let name: String, inst: UInt32, priv: UInt64, legal: Bool
        var mcounteren: UInt64 = 0, scounteren: UInt64 = 0
        var testDescription: String { name }
    }
    static let accesses: [Access] = [
        Access(name: "read mhartid", inst: csrr(a0, CSRAddr.mhartid), priv: Privilege.machine, legal: true),
        Access(name: "csrrsi mhartid 0", inst: csrrsi(a0, CSRAddr.mhartid, 0), priv: Privilege.machine, legal: true),
        Access(name: "write mvendorid", inst: csrw(CSRAddr.mvendorid, a1), priv: Privilege.machine, legal: false),
        Access(name: "csrrci mhartid 1", inst: csrrci(a0, CSRAddr.mhartid, 1), priv: Privilege.machine, legal: false),
        Access(name: "write cycle", inst: csrw(CSRAddr.cycle, a1), priv: Privilege.machine, legal: false),
        Access(name: "unimplemented 0x7ff", inst: csrr(a0, 0x7ff), priv: Privilege.machine, legal: false),
        Access(name: "unimplemented 0x800", inst: csrr(a0, 0x800), priv: Privilege.machine, legal: false),
        Access(name: "unimplemented hstatus", inst: csrr(a0, 0x600), priv: Privilege.machine, legal: false),
        Access(name: "S reads mstatus", inst: csrr(a0, CSRAddr.mstatus), priv: Privilege.supervisor, legal: false),
        Access(name: "S reads mhartid", inst: csrr(a0, CSRAddr.mhartid), priv: Privilege.supervisor, legal: false),
        Access(name: "S writes mscratch", inst: csrw(CSRAddr.mscratch, a1), priv: Privilege.supervisor, legal: false),
        Access(name: "S reads sstatus", inst: csrr(a0, CSRAddr.sstatus), priv: Privilege.supervisor, legal: true),
        Access(name: "S writes sscratch", inst: csrw(CSRAddr.sscratch, a1), priv: Privilege.supervisor, legal: true),
        Access(name: "U reads sstatus", inst: csrr(a0, CSRAddr.sstatus), priv: Privilege.user, legal: false),
        Access(name: "U reads sscratch", inst: csrr(a0, CSRAddr.sscratch), priv: Privilege.user, legal: false),
        Access(name: "M reads cycle", inst: csrr(a0, CSRAddr.cycle), priv: Privilege.machine, legal: true),
        Access(name: "S cycle, mcounteren 0", inst: csrr(a0, CSRAddr.cycle), priv: Privilege.supervisor, legal: false),
        Access(name: "S cycle, mcounteren.CY", inst: csrr(a0, CSRAddr.cycle), priv: Privilege.supervisor, legal: true, mcounteren: 1),
        Access(name: "S time, mcounteren.CY only", inst: csrr(a0, CSRAddr.time), priv: Privilege.supervisor, legal: false, mcounteren: 1),
        Access(name: "S time, mcounteren.TM", inst: csrr(a0, CSRAddr.time), priv: Privilege.supervisor, legal: true, mcounteren: 2),
        Access(name: "S instret, mcounteren.IR", inst: csrr(a0, CSRAddr.instret), priv: Privilege.supervisor, legal: true, mcounteren: 4),
        Access(name: "S hpmcounter3, bit 3", inst: csrr(a0, CSRAddr.hpmcounter3), priv: Privilege.supervisor, legal: true, mcounteren: 8),
        Access(name: "S hpmcounter3, no bit 3", inst: csrr(a0, CSRAddr.hpmcounter3), priv: Privilege.supervisor, legal: false, mcounteren: 7),
        Access(name: "U cycle, m only", inst: csrr(a0, CSRAddr.cycle), priv: Privilege.user, legal: false, mcounteren: 1),
        Access(name: "U cycle, s only", inst: csrr(a0, CSRAddr.cycle), priv: Privilege.user, legal: false, scounteren: 1),
        Access(name: "U cycle, both", inst: csrr(a0, CSRAddr.cycle), priv: Privilege.user, legal: true, mcounteren: 1, scounteren: 1),
        Access(name: "U instret, both", inst: csrr(a0, CSRAddr.instret), priv: Privilege.user, legal: true, mcounteren: 4, scounteren: 4),
        Access(name: "U time, wrong bits", inst: csrr(a0, CSRAddr.time), priv: Privilege.user, legal: false, mcounteren: 5, scounteren: 5),
        Access(name: "S reads satp", inst: csrr(a0, CSRAddr.satp), priv: Privilege.supervisor, legal: true),
    ]

    @Test(arguments: accesses)
    func access(_ c: Access) {
        let m = TestMachine(code: [c.inst])
        m.priv = c.priv
        m[core: CoreLayout.mcounteren] = c.mcounteren
        m[core: CoreLayout.scounteren] = c.scounteren
        m[x: a1] = 0x1234
        m[x: a0] = 0x5555
        m.step()
        if c.legal {
            #expect(m.pc == TestMachine.base + 4, "retired")
            #expect(m.priv == c.priv)
        } else {
            #expect(m.mcause == Cause.illegalInstruction)
            #expect(m.mtval == UInt64(c.inst), "mtval holds the instruction")
            #expect(m.pc == TestMachine.mtvecDefault)
            #expect(m[x: a0] == 0x5555, "rd unchanged")
        }
    }

    @Test func satpTrapsUnderTVM() {
        let m = TestMachine(code: [csrr(a0, CSRAddr.satp)])
        m.priv = Privilege.supervisor
        m.mstatus = MStatus.tvm
        m.step()
        #expect(m.mcause == Cause.illegalInstruction)
    }

    @Test func mstatusWARL() {
        let m = TestMachine(code: [csrw(CSRAddr.mstatus, a1), csrr(a0, CSRAddr.mstatus), csrr(a2, CSRAddr.sstatus),
                                   csrw(CSRAddr.sstatus, zero), csrr(a3, CSRAddr.mstatus)])
        m[x: a1] = ~0
        m.step(5)
        // Every field of RV64 mstatus that exists here (no V, no big-endian), UXL = SXL = 2,
        // and SD because FS = Dirty.
        #expect(m[x: a0] == 0x8000_000a_007e_79aa, "0x\(String(m[x: a0], radix: 16))")
        #expect(m[x: a2] == 0x8000_0002_000c_6122, "sstatus 0x\(String(m[x: a2], radix: 16))")
        // Clearing sstatus leaves the M-only fields.
        #expect(m[x: a3] == 0x0000_000a_0072_1888, "0x\(String(m[x: a3], radix: 16))")
    }

    @Test func mppKeepsLegalValue() {
        let m = TestMachine(code: [csrw(CSRAddr.mstatus, a1), csrw(CSRAddr.mstatus, a2)])
        m[x: a1] = 1 << 11           // MPP = S
        m[x: a2] = 2 << 11           // MPP = 2 is reserved
        m.step(2)
        let mpp = (m.csr(CSRAddr.mstatus) >> 11) & 3
        #expect(mpp == 1 || mpp == 3 || mpp == 0, "MPP never holds the reserved value 2")
        #expect(mpp != 2)
    }

    @Test func interruptViews() {
        let m = TestMachine(code: [
            csrw(CSRAddr.mideleg, a1), csrw(CSRAddr.mie, a1), csrw(CSRAddr.mip, a1),
            csrr(a2, CSRAddr.mideleg), csrr(a3, CSRAddr.sie), csrr(a4, CSRAddr.sip),
            csrw(CSRAddr.sie, zero), csrw(CSRAddr.sip, zero),
            csrr(a5, CSRAddr.mie), csrr(a6, CSRAddr.mip),
        ])
        m[x: a1] = ~0
        m.step(10)
        #expect(m[x: a2] == 0x222, "only S interrupts are delegable")
        #expect(m[x: a3] == 0x222, "sie = mie & mideleg")
        #expect(m[x: a4] == 0x222, "sip shows the S bits")
        #expect(m[x: a5] == 0x888, "writing sie clears only the delegated enables")
        #expect(m[x: a6] & 0x222 == 0x220, "sip: only SSIP is writable")
    }

    @Test func sieIgnoresUndelegated() {
        let m = TestMachine(code: [csrw(CSRAddr.sie, a1), csrr(a0, CSRAddr.sie), csrr(a2, CSRAddr.mie)])
        m[x: a1] = ~0
        m.step(3)
        #expect(m[x: a0] == 0)
        #expect(m[x: a2] == 0)
    }

    @Test func misaAndIds() {
        let misa = TestMachine().csr(CSRAddr.misa)
        #expect(misa >> 62 == 2, "MXL = 64")
        for letter in ["A", "C", "I", "M", "S", "U"] {
            let bit = UInt64(letter.unicodeScalars.first!.value - 65)
            #expect(misa >> bit & 1 == 1, "misa.\(letter)")
        }
        #expect(TestMachine().csr(CSRAddr.mhartid) == 0)
    }

    @Test func medelegBits() {
        let m = TestMachine(code: [csrw(CSRAddr.medeleg, a1), csrr(a0, CSRAddr.medeleg)])
        m[x: a1] = ~0
        m.step(2)
        #expect(m[x: a0] >> 11 & 1 == 0, "ecall from M cannot be delegated")
        #expect(m[x: a0] & 0xb100 == 0xb100, "U ecall and page faults can")
    }

    @Test func satpIgnoresUnsupportedMode() {
        let m = TestMachine(code: [csrw(CSRAddr.satp, a1), csrw(CSRAddr.satp, a2), csrr(a0, CSRAddr.satp)])
        m[x: a1] = 8 << 60 | 0x80123
        m[x: a2] = 9 << 60 | 0x456           // Sv48: not supported, the write has no effect
        m.step(3)
        #expect(m[x: a0] == UInt64(8) << 60 | 0x80123)
    }

    @Test func tvecAndEpcWARL() {
        let m = TestMachine(code: [csrw(CSRAddr.mtvec, a1), csrr(a0, CSRAddr.mtvec), csrw(CSRAddr.mtvec, a2),
                                   csrr(a3, CSRAddr.mtvec), csrw(CSRAddr.mepc, a4), csrr(a5, CSRAddr.mepc)])
        m[x: a1] = TestMachine.base + 0x101          // vectored
        m[x: a2] = TestMachine.base + 0x202          // mode 2 reserved
        m[x: a4] = TestMachine.base + 0x333
        m.step(6)
        #expect(m[x: a0] == TestMachine.base + 0x101)
        #expect(m[x: a3] & 3 != 2, "reserved mode not stored")
        #expect(m[x: a5] == TestMachine.base + 0x332, "mepc[0] is zero with IALIGN = 16")
    }

    @Test func instretCountsRetired() {
        let m = TestMachine(code: [csrr(a0, CSRAddr.minstret), nop, nop, csrr(a1, CSRAddr.minstret),
                                   csrwi(CSRAddr.mcountinhibit, 5), csrr(a2, CSRAddr.minstret), nop,
                                   csrr(a3, CSRAddr.minstret), csrr(a4, CSRAddr.mcycle), nop, csrr(a5, CSRAddr.mcycle)])
        m.step(11)
        #expect(m[x: a1] - m[x: a0] == 3)
        #expect(m[x: a3] == m[x: a2], "inhibited minstret does not count")
        #expect(m[x: a5] == m[x: a4], "inhibited mcycle does not count")
    }

    /// Zicsr: when an instruction writes a counter it would also increment, "the write is
    /// done instead of the increment", so a read right after `csrw minstret, X` sees X (QEMU
    /// 7.2 shows X + 1). Plain instructions between write and read are counted as usual, the
    /// writing instruction still advances the instruction clock (icount, time), and an
    /// inhibited counter keeps exactly the value written. Run on every engine: the write
    /// itself is the reference step's, the plain instructions around it each engine's own.
    @Test(arguments: Engine.allCases)
    func counterWriteReplacesTheIncrement(_ engine: Engine) {
        let code: [UInt32] = [
            csrw(CSRAddr.minstret, a1),      // 0: minstret := 1000
            csrr(a0, CSRAddr.minstret),      // 1: 1000
            addi(t1, t1, 1), addi(t1, t1, 1),
            csrr(a2, CSRAddr.minstret),      // 4: 1003 (1, 2, 3 retired since)
            csrw(CSRAddr.mcycle, a1),        // 5: mcycle := 1000
            csrr(a3, CSRAddr.mcycle),        // 6: 1000
            csrrw(a4, CSRAddr.minstret, a5), // 7: reads 1000 + 6 (before its own retire), writes 50
            addi(t1, t1, 1),
            csrr(a6, CSRAddr.minstret),      // 9: 51
            csrwi(CSRAddr.mcountinhibit, 5),
            csrw(CSRAddr.minstret, a1),      // 11: 1000, not counting
            addi(t1, t1, 1),
            csrr(a7, CSRAddr.minstret),      // 13: still 1000
            csrw(CSRAddr.mcycle, a1),
            csrr(t0, CSRAddr.mcycle),        // 15: 1000
            ebreak,
        ]
        let m = TestMachine(code: code)
        m[x: a1] = 1000
        m[x: a5] = 50
        let machine = Machine(storage: m.storage)
        machine.run(steps: 16, engine: engine)
        #expect(m.pc == TestMachine.base + 16 * 4)
        #expect(m[x: a0] == 1000, "read right after csrw minstret")
        #expect(m[x: a2] == 1003)
        #expect(m[x: a3] == 1000, "read right after csrw mcycle")
        #expect(m[x: a4] == 1006, "csrrw reads the value before its own write")
        #expect(m[x: a6] == 51)
        #expect(m[x: a7] == 1000, "inhibited minstret keeps the written value")
        #expect(m[x: t0] == 1000, "inhibited mcycle keeps the written value")
        #expect(m.icount == 16, "every instruction, the writing ones too, advances the clock")
        #expect(machine.instret == 1000)
    }

    @Test func timeIsInstructionsOver100() {
        let m = TestMachine(code: Array(repeating: nop, count: 250) + [csrr(a0, CSRAddr.time)])
        m.step(251)
        #expect(m[x: a0] == 2)
    }
}

private func csrwi(_ csr: UInt32, _ uimm: UInt32) -> UInt32 { csrrwi(0, csr, uimm) }
