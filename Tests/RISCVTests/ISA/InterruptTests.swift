import Testing
@testable import RISCV

// Interrupts: the CLINT (msip, mtimecmp, mtime = (icount + slept) / 100), WFI sleeping to
// the timer deadline, the privileged spec's enable and priority rules, and the PLIC with the
// UART's receive interrupt.

@Suite struct InterruptTests {
    @Test func timerFiresWhenMtimeReachesMtimecmp() {
        let m = TestMachine(code: Array(repeating: nop, count: 200))
        m[core: CoreLayout.mtimecmp] = 1
        m[core: CoreLayout.mie] = 1 << 7
        m.mstatus = MStatus.mie
        m.step(100)
        #expect(m.pc == TestMachine.base + 400, "mtime = 0 for the first 100 instructions")
        m.step()
        #expect(m.mcause == Cause.interruptBit | Cause.machineTimer)
        #expect(m.mepc == TestMachine.base + 400)
        #expect(m.pc == TestMachine.mtvecDefault)
        #expect(m.icount == 100, "taking an interrupt retires nothing")
        #expect(m.mstatus & MStatus.mie == 0 && m.mstatus & MStatus.mpie != 0)
    }

    @Test func clintRegistersThroughMemory() {
        // sd mtimecmp; ld mtime after 250 instructions; lw of each half of mtimecmp.
        let m = TestMachine(code: [sd(a1, 0, a2)] + Array(repeating: nop, count: 249)
                            + [ld(a0, 0, a3), lw(a4, 0, a2), lwu(a5, 4, a2), sw(zero, 4, a2), ld(a6, 0, a2)])
        m[x: a1] = 0x1234_5678_9abc_def0
        m[x: a2] = MachineMap.clintBase + 0x4000
        m[x: a3] = MachineMap.clintBase + 0xbff8
        m.step(255)
        #expect(m[core: CoreLayout.mtimecmp] == 0x9abc_def0)
        #expect(m[x: a0] == 2, "mtime = 250 / 100")
        #expect(m[x: a4] == 0xffff_ffff_9abc_def0)
        #expect(m[x: a5] == 0x1234_5678)
        #expect(m[x: a6] == 0x9abc_def0, "a 32-bit store replaces one half")
    }

    @Test func mtimeWritesShiftTheClock() {
        let m = TestMachine(code: [sd(a1, 0, a3), ld(a0, 0, a3)])
        m[x: a1] = 1000
        m[x: a3] = MachineMap.clintBase + 0xbff8
        m.step(2)
        #expect(m[x: a0] == 1000)
    }

    @Test func softwareInterruptFromMsip() {
        let m = TestMachine(code: [sw(a1, 0, a2), nop, nop])
        m[x: a1] = 1
        m[x: a2] = MachineMap.clintBase
        m[core: CoreLayout.mie] = 1 << 3
        m.mstatus = MStatus.mie
        m.step(2)
        #expect(m.mcause == Cause.interruptBit | Cause.machineSoftware)
        #expect(m.mepc == TestMachine.base + 4)
        #expect(m.csr(CSRAddr.mip) & (1 << 3) != 0, "MSIP visible in mip")
    }

    @Test func wfiSleepsUntilTimerDeadline() {
        let m = TestMachine(code: [RISCVTests.wfi, nop, nop])
        m[core: CoreLayout.mtimecmp] = 5
        m[core: CoreLayout.mie] = 1 << 7
        m.mstatus = MStatus.mie
        m.step()
        #expect(m.pc == TestMachine.base + 4)
        #expect(m.icount == 1)
        #expect(m[core: CoreLayout.slept] == 499, "icount + slept = 500 = 5 ticks")
        m.step()
        #expect(m.mcause == Cause.interruptBit | Cause.machineTimer, "the interrupt is taken right after the WFI")
        #expect(m.mepc == TestMachine.base + 4)
    }

    @Test func wfiWakesEvenWithInterruptsGloballyDisabled() {
        let m = TestMachine(code: [RISCVTests.wfi, ld(a0, 0, a1)])
        m[x: a1] = MachineMap.clintBase + 0xbff8
        m[core: CoreLayout.mtimecmp] = 3
        m[core: CoreLayout.mie] = 1 << 7
        m.step(2)
        #expect(m[x: a0] == 3)
        #expect(m.pc == TestMachine.base + 8, "no trap: MIE = 0 in M-mode")
        #expect(m.csr(CSRAddr.mip) & (1 << 7) != 0)
    }

    @Test func wfiWithNothingArmedIsANop() {
        let m = TestMachine(code: [RISCVTests.wfi])
        m.step()
        #expect(m.pc == TestMachine.base + 4)
        #expect(m[core: CoreLayout.slept] == 0)
    }

    struct PriorityCase: Sendable, CustomTestStringConvertible {
        let pending: UInt64, expected: UInt64
        var testDescription: String { "pending 0x\(String(pending, radix: 16)) -> \(expected)" }
    }
    /// Spec order: MEI, MSI, MTI, SEI, SSI, STI.
    static let priorities: [PriorityCase] = [
        PriorityCase(pending: 0xaaa, expected: 11),
        PriorityCase(pending: 0x2aa, expected: 3),
        PriorityCase(pending: 0x2a2, expected: 7),
        PriorityCase(pending: 0x222, expected: 9),
        PriorityCase(pending: 0x022, expected: 1),
        PriorityCase(pending: 0x020, expected: 5),
        PriorityCase(pending: 0x888, expected: 11),
        PriorityCase(pending: 0x088, expected: 3),
        PriorityCase(pending: 0x220, expected: 9),
    ]

    @Test(arguments: priorities)
    func priorityOrder(_ c: PriorityCase) {
        let m = TestMachine(code: [nop])
        m[core: CoreLayout.mip] = c.pending & 0x222
        m[core: CoreLayout.msip] = c.pending >> 3 & 1
        if c.pending & 0x80 != 0 { m[core: CoreLayout.mtimecmp] = 0 }
        if c.pending & 0x800 != 0 { m[core: CoreLayout.plicLines] = 1 }
        m[core: CoreLayout.mie] = 0xaaa
        m.mstatus = MStatus.mie
        m.step()
        #expect(m.mcause == Cause.interruptBit | c.expected)
    }

    @Test func enableRules() {
        // M-level interrupt while in S with MIE = 0: taken (lower privilege is always interruptible).
        let s = TestMachine(code: [nop])
        s.priv = Privilege.supervisor
        s[core: CoreLayout.msip] = 1
        s[core: CoreLayout.mie] = 1 << 3
        s.step()
        #expect(s.mcause == Cause.interruptBit | 3)
        #expect(s.priv == Privilege.machine)
        // Delegated interrupt while in M: never taken.
        let m = TestMachine(code: [nop])
        m[core: CoreLayout.mip] = 1 << 5
        m[core: CoreLayout.mideleg] = 1 << 5
        m[core: CoreLayout.mie] = 1 << 5
        m.mstatus = MStatus.mie | MStatus.sie
        m.step()
        #expect(m.pc == TestMachine.base + 4)
        // Delegated interrupt in S with SIE = 0: not taken; with SIE = 1: taken into S.
        let s0 = TestMachine(code: [nop, nop])
        s0.priv = Privilege.supervisor
        s0[core: CoreLayout.mip] = 1 << 5
        s0[core: CoreLayout.mideleg] = 1 << 5
        s0[core: CoreLayout.mie] = 1 << 5
        s0.step()
        #expect(s0.pc == TestMachine.base + 4)
        s0.mstatus = MStatus.sie
        s0.step()
        #expect(s0.scause == Cause.interruptBit | 5)
        #expect(s0.sepc == TestMachine.base + 4)
        #expect(s0.pc == TestMachine.stvecDefault)
        #expect(s0.priv == Privilege.supervisor)
        #expect(s0.mstatus & MStatus.spp != 0)
        // Delegated interrupt in U: taken regardless of SIE.
        let u = TestMachine(code: [nop])
        u.priv = Privilege.user
        u[core: CoreLayout.mip] = 1 << 1
        u[core: CoreLayout.mideleg] = 1 << 1
        u[core: CoreLayout.mie] = 1 << 1
        u.step()
        #expect(u.scause == Cause.interruptBit | 1)
        #expect(u.mstatus & MStatus.spp == 0)
        // Pending but not enabled in mie: not taken.
        let off = TestMachine(code: [nop])
        off[core: CoreLayout.msip] = 1
        off.mstatus = MStatus.mie
        off.step()
        #expect(off.pc == TestMachine.base + 4)
    }

    /// Code that enables UART receive interrupts through the PLIC (source 10, priority 1,
    /// M-context enable, threshold 0) and then spins; the handler at mtvec claims, reads one
    /// byte, completes and returns.
    static func uartMachine(input: [UInt8]) -> TestMachine {
        let m = TestMachine(input: input, code: [
            lui(t0, 0x0c000), addi(t1, zero, 1), sw(t1, 40, t0),       // priority[10] = 1
            lui(t2, 0x0c002), addi(t1, zero, 1024), sw(t1, 0, t2),     // enable source 10 (context 0)
            lui(t3, 0x10000), addi(t1, zero, 1), sb(t1, 1, t3),        // UART IER = RX data
            addi(t1, zero, 1), slli(t1, t1, 11), csrrs(zero, CSRAddr.mie, t1),
            csrrsi(zero, CSRAddr.mstatus, 8),
            jal(zero, 0),                                              // spin
        ])
        m.load([lui(t4, 0x0c200), lw(a0, 4, t4), lbu(a1, 0, t3), sw(a0, 4, t4), addi(s2, s2, 1), mret],
               at: TestMachine.mtvecDefault)
        return m
    }

    @Test func uartReceiveInterruptThroughPLIC() {
        let m = Self.uartMachine(input: [0x41])
        m.step(13)
        #expect(m[core: CoreLayout.plicLines] & 1 == 1, "MEIP line raised by the pending UART source")
        m.step()
        #expect(m.mcause == Cause.interruptBit | Cause.machineExternal)
        m.step(2)  // lui, claim
        #expect(m[x: a0] == 10, "claim returns the UART source")
        #expect(m[core: CoreLayout.plicLines] == 0, "a claimed source no longer pends")
        m.step(3)  // read byte, complete, count
        #expect(m[x: a1] == 0x41)
        #expect(m[core: CoreLayout.plicLines] == 0, "no data left: line stays low after complete")
        m.step(20)
        #expect(m[x: s2] == 1, "exactly one interrupt")
        #expect(m.csr(CSRAddr.mip) & (1 << 11) == 0)
    }

    @Test func levelTriggeredUARTPendsAgainAfterComplete() {
        let m = Self.uartMachine(input: [0x41, 0x42, 0x43])
        m.step(200)
        #expect(m[x: s2] == 3, "one interrupt per byte")
        #expect(m[x: a1] == 0x43)
        #expect(m[core: CoreLayout.inputPosition] == 3)
    }

    @Test func plicSupervisorContextRaisesSEIP() {
        // Source 10 enabled for context 1 (hart 0 S-mode) only: SEIP, delegated to S.
        let m = TestMachine(input: [0x5a], code: [
            lui(t0, 0x0c000), addi(t1, zero, 3), sw(t1, 40, t0),        // priority[10] = 3
            lui(t2, 0x0c002), addi(t1, zero, 1024), sw(t1, 0x80, t2),  // enable, context 1
            lui(t3, 0x10000), addi(t1, zero, 1), sb(t1, 1, t3),        // UART IER = RX
            nop, nop,
        ])
        m.load([lui(t4, 0x0c201), lw(a0, 4, t4), lbu(a1, 0, t3), sw(a0, 4, t4)], at: TestMachine.stvecDefault)
        m[core: CoreLayout.mideleg] = 1 << 9
        m[core: CoreLayout.mie] = 1 << 9
        m.mstatus = MStatus.sie
        m.priv = Privilege.supervisor
        m.step(9)
        #expect(m[core: CoreLayout.plicLines] == 2, "only the S-context line")
        #expect(m.csr(CSRAddr.sip) & (1 << 9) != 0, "SEIP visible through sip")
        m.step()
        #expect(m.scause == Cause.interruptBit | Cause.supervisorExternal)
        #expect(m.priv == Privilege.supervisor)
        m.step(4)
        #expect(m[x: a0] == 10)
        #expect(m[x: a1] == 0x5a)
        #expect(m[core: CoreLayout.plicLines] == 0)
    }

    @Test func uartRegisters() {
        // LSR: THRE|TEMT always, DR while input remains; RBR reads the tape, 0 at its end;
        // THR appends to the output; the scratch register holds a byte.
        let u = MachineMap.uartBase
        let m = TestMachine(input: [7], code: [
            lbu(a0, 5, t0), lbu(a1, 0, t0), lbu(a2, 5, t0), lbu(a3, 0, t0),
            addi(t1, zero, 0x41), sb(t1, 0, t0), sb(t1, 7, t0), lbu(a4, 7, t0),
        ])
        m[x: t0] = u
        m.step(8)
        #expect(m[x: a0] == 0x61)
        #expect(m[x: a1] == 7)
        #expect(m[x: a2] == 0x60)
        #expect(m[x: a3] == 0)
        #expect(m.storage.output == [0x41])
        #expect(m[core: CoreLayout.outputLength] == 1)
        #expect(m[x: a4] == 0x41)
    }

    @Test func plicThresholdMasks() {
        let m = Self.uartMachine(input: [0x41])
        m[core: CoreLayout.plicThresholdM] = 1  // priority 1 is not above threshold 1
        m.step(40)
        #expect(m[x: s2] == 0)
        #expect(m[core: CoreLayout.plicLines] == 0)
    }
}
