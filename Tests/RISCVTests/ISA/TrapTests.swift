import Testing
@testable import RISCV

// Synchronous traps, xRET and delegation (privileged spec, "Machine-Level ISA" and
// "Supervisor-Level ISA").

@Suite struct TrapTests {
    struct EcallCase: Sendable, CustomTestStringConvertible {
        let priv: UInt64, cause: UInt64
        var testDescription: String { "ecall from \(priv)" }
    }

    @Test(arguments: [EcallCase(priv: Privilege.machine, cause: 11), EcallCase(priv: Privilege.supervisor, cause: 9),
                      EcallCase(priv: Privilege.user, cause: 8)])
    func ecall(_ c: EcallCase) {
        let m = TestMachine(code: [nop, RISCVTests.ecall])
        m.priv = c.priv
        m.mstatus = MStatus.mie
        m[core: CoreLayout.mtval] = 0x77
        m.step(2)
        #expect(m.mcause == c.cause)
        #expect(m.mepc == TestMachine.base + 4)
        #expect(m.mtval == 0)
        #expect(m.pc == TestMachine.mtvecDefault)
        #expect(m.priv == Privilege.machine)
        #expect((m.mstatus >> 11) & 3 == c.priv, "MPP = previous privilege")
        #expect(m.mstatus & MStatus.mpie != 0, "MPIE = old MIE")
        #expect(m.mstatus & MStatus.mie == 0, "MIE cleared")
        #expect(m.icount == 2, "the ecall is counted, as QEMU's -icount counts it")
    }

    @Test func ebreakHasZeroTval() {
        let m = TestMachine(code: [RISCVTests.ebreak])
        m[core: CoreLayout.mtval] = 0x77
        m.step()
        #expect(m.mcause == Cause.breakpoint)
        #expect(m.mtval == 0)
        #expect(m.mepc == TestMachine.base)
    }

    @Test func mretToSupervisor() {
        let m = TestMachine(code: [RISCVTests.mret])
        m.mstatus = 1 << 11 | MStatus.mpie | MStatus.mprv
        m[core: CoreLayout.mepc] = TestMachine.base + 0x40
        m.step()
        #expect(m.priv == Privilege.supervisor)
        #expect(m.pc == TestMachine.base + 0x40)
        #expect(m.mstatus & MStatus.mie != 0, "MIE = MPIE")
        #expect(m.mstatus & MStatus.mpie != 0, "MPIE = 1")
        #expect((m.mstatus >> 11) & 3 == Privilege.user, "MPP = least privileged mode")
        #expect(m.mstatus & MStatus.mprv == 0, "MPRV cleared when leaving M")
    }

    @Test func mretToMachineKeepsMPRV() {
        let m = TestMachine(code: [RISCVTests.mret])
        m.mstatus = 3 << 11 | MStatus.mprv | MStatus.mie
        m[core: CoreLayout.mepc] = TestMachine.base + 0x40
        m.step()
        #expect(m.priv == Privilege.machine)
        #expect(m.mstatus & MStatus.mprv != 0)
        #expect(m.mstatus & MStatus.mie == 0, "MIE = MPIE = 0")
    }

    @Test func mretToUser() {
        let m = TestMachine(code: [RISCVTests.mret])
        m.mstatus = 0 << 11
        m[core: CoreLayout.mepc] = TestMachine.base + 0x80
        m.step()
        #expect(m.priv == Privilege.user)
        #expect(m.pc == TestMachine.base + 0x80)
    }

    @Test(arguments: [Privilege.supervisor, Privilege.user])
    func mretBelowMachineIsIllegal(_ priv: UInt64) {
        let m = TestMachine(code: [RISCVTests.mret])
        m.priv = priv
        m.step()
        #expect(m.mcause == Cause.illegalInstruction)
        #expect(m.mtval == UInt64(RISCVTests.mret))
    }

    @Test func sretToUser() {
        let m = TestMachine(code: [RISCVTests.sret])
        m.priv = Privilege.supervisor
        m.mstatus = MStatus.spie
        m[core: CoreLayout.sepc] = TestMachine.base + 0x40
        m.step()
        #expect(m.priv == Privilege.user)
        #expect(m.pc == TestMachine.base + 0x40)
        #expect(m.mstatus & MStatus.sie != 0, "SIE = SPIE")
        #expect(m.mstatus & MStatus.spie != 0, "SPIE = 1")
        #expect(m.mstatus & MStatus.spp == 0)
    }

    @Test func sretToSupervisorFromMachine() {
        let m = TestMachine(code: [RISCVTests.sret])
        m.mstatus = MStatus.spp | MStatus.sie | MStatus.mprv
        m[core: CoreLayout.sepc] = TestMachine.base + 0x40
        m.step()
        #expect(m.priv == Privilege.supervisor)
        #expect(m.mstatus & MStatus.sie == 0, "SIE = SPIE = 0")
        #expect(m.mstatus & MStatus.spp == 0, "SPP = U")
        #expect(m.mstatus & MStatus.mprv == 0, "MPRV cleared (new mode is not M)")
    }

    @Test func sretIllegalInUserAndUnderTSR() {
        let u = TestMachine(code: [RISCVTests.sret])
        u.priv = Privilege.user
        u.step()
        #expect(u.mcause == Cause.illegalInstruction)
        let s = TestMachine(code: [RISCVTests.sret])
        s.priv = Privilege.supervisor
        s.mstatus = MStatus.tsr
        s.step()
        #expect(s.mcause == Cause.illegalInstruction)
        #expect(s.priv == Privilege.machine)
    }

    @Test func wfiPrivilege() {
        let u = TestMachine(code: [RISCVTests.wfi])
        u.priv = Privilege.user
        u.step()
        #expect(u.mcause == Cause.illegalInstruction, "WFI in U-mode traps (S-mode exists)")
        let s = TestMachine(code: [RISCVTests.wfi])
        s.priv = Privilege.supervisor
        s.mstatus = MStatus.tw
        s.step()
        #expect(s.mcause == Cause.illegalInstruction, "TW=1 traps WFI in S-mode")
        let ok = TestMachine(code: [RISCVTests.wfi])
        ok.priv = Privilege.supervisor
        ok.step()
        #expect(ok.pc == TestMachine.base + 4)
    }

    @Test func sfenceVMAPrivilege() {
        let u = TestMachine(code: [sfence_vma()])
        u.priv = Privilege.user
        u.step()
        #expect(u.mcause == Cause.illegalInstruction)
        let s = TestMachine(code: [sfence_vma(a0, a1)])
        s.priv = Privilege.supervisor
        s.mstatus = MStatus.tvm
        s.step()
        #expect(s.mcause == Cause.illegalInstruction)
        let ok = TestMachine(code: [sfence_vma(a0, zero)])
        ok.priv = Privilege.supervisor
        ok.step()
        #expect(ok.pc == TestMachine.base + 4)
    }

    @Test func delegatedEcallFromUserGoesToS() {
        let m = TestMachine(code: [RISCVTests.ecall])
        m.priv = Privilege.user
        m[core: CoreLayout.medeleg] = 1 << 8
        m.mstatus = MStatus.sie
        m[core: CoreLayout.mcause] = 0x99
        m.step()
        #expect(m.priv == Privilege.supervisor)
        #expect(m.scause == Cause.ecallFromU)
        #expect(m.sepc == TestMachine.base)
        #expect(m.stval == 0)
        #expect(m.pc == TestMachine.stvecDefault)
        #expect(m.mstatus & MStatus.spp == 0, "SPP = U")
        #expect(m.mstatus & MStatus.spie != 0, "SPIE = old SIE")
        #expect(m.mstatus & MStatus.sie == 0)
        #expect(m.mcause == 0x99, "M-mode CSRs untouched")
    }

    @Test func delegatedIllegalFromSupervisor() {
        let bad: UInt32 = 0x0000_000b
        let m = TestMachine(code: [bad])
        m.priv = Privilege.supervisor
        m[core: CoreLayout.medeleg] = 1 << 2
        m.step()
        #expect(m.priv == Privilege.supervisor)
        #expect(m.scause == Cause.illegalInstruction)
        #expect(m.stval == UInt64(bad))
        #expect(m.mstatus & MStatus.spp != 0, "SPP = S")
    }

    @Test func delegationDoesNotApplyInMachineMode() {
        let m = TestMachine(code: [0x0000_000b])
        m[core: CoreLayout.medeleg] = 1 << 2
        m.step()
        #expect(m.priv == Privilege.machine)
        #expect(m.mcause == Cause.illegalInstruction)
        #expect(m.pc == TestMachine.mtvecDefault)
    }

    @Test func vectoredTvecOnlyForInterrupts() {
        let m = TestMachine(code: [RISCVTests.ecall])
        m[core: CoreLayout.mtvec] = TestMachine.mtvecDefault | 1
        m.step()
        #expect(m.pc == TestMachine.mtvecDefault, "exceptions go to BASE")
        let i = TestMachine(code: [nop])
        i[core: CoreLayout.mtvec] = TestMachine.mtvecDefault | 1
        i[core: CoreLayout.mtimecmp] = 0
        i[core: CoreLayout.mie] = 1 << 7
        i.mstatus = MStatus.mie
        i.step()
        #expect(i.mcause == Cause.interruptBit | 7)
        #expect(i.pc == TestMachine.mtvecDefault + 4 * 7, "interrupts go to BASE + 4·cause")
        #expect(i.mepc == TestMachine.base)
        #expect(i.mtval == 0)
    }

    @Test func vectoredStvecForSupervisorInterrupts() {
        let m = TestMachine(code: [nop])
        m.priv = Privilege.user
        m[core: CoreLayout.stvec] = TestMachine.stvecDefault | 1
        m[core: CoreLayout.mideleg] = 1 << 5
        m[core: CoreLayout.mie] = 1 << 5
        m[core: CoreLayout.mip] = 1 << 5
        m.step()
        #expect(m.scause == Cause.interruptBit | Cause.supervisorTimer)
        #expect(m.pc == TestMachine.stvecDefault + 4 * 5)
    }

    @Test func haltedMachineTakesNoInterrupt() {
        let m = TestMachine(code: [sw(a1, 0, a0), nop])
        m[x: a0] = MachineMap.finisherBase
        m[x: a1] = 0x5555
        m.step()
        #expect(m[core: CoreLayout.halted] == 1)
        m[core: CoreLayout.msip] = 1
        m[core: CoreLayout.mie] = 1 << 3
        m.mstatus = MStatus.mie
        let before = m.coreWords
        m.step(3)
        #expect(m.coreWords == before)
    }

    @Test func finisherFailureCode() {
        let m = TestMachine(code: [sw(a1, 0, a0)])
        m[x: a0] = MachineMap.finisherBase
        m[x: a1] = 42 << 16 | 0x3333
        m.step()
        #expect(m[core: CoreLayout.halted] == 1)
        #expect(m[core: CoreLayout.exitCode] == 42)
    }

    @Test func fetchOutsideMemoryFaults() {
        let m = TestMachine(code: [jalr(zero, a0, 0)])
        m[x: a0] = MachineMap.uartBase
        m.step(2)
        #expect(m.mcause == Cause.instructionAccessFault)
        #expect(m.mtval == MachineMap.uartBase)
        #expect(m.mepc == MachineMap.uartBase)
    }

    @Test func loadStoreAccessFaults() {
        let m = TestMachine(code: [ld(a0, 0, a1)])
        m[x: a1] = 0x4000_0000
        m.step()
        #expect(m.mcause == Cause.loadAccessFault)
        #expect(m.mtval == 0x4000_0000)
        let s = TestMachine(code: [sd(a0, 0, a1)])
        s[x: a1] = 0x4000_0000
        s.step()
        #expect(s.mcause == Cause.storeAccessFault)
    }

    @Test func misalignedStoreFaultWritesNothing() {
        // A misaligned store whose last byte is outside RAM faults before writing any byte.
        let m = TestMachine(ramSize: 1 << 20, code: [sd(a0, 0, a1)])
        m[x: a1] = TestMachine.base + (1 << 20) - 4
        m[x: a0] = ~0
        m.step()
        #expect(m.mcause == Cause.storeAccessFault)
        #expect(m.read(TestMachine.base + (1 << 20) - 4, 4) == 0)
    }
}

/// What the instruction clock counts (minstret, mcycle, mtime): every instruction that
/// started, trapping or not — as QEMU's -icount does — but not a fetch that faulted
/// (the instruction never started) nor taking an interrupt.
@Test func aFetchFaultIsNotCounted() {
    let m = TestMachine()
    m.pc = 0x1_0000_0000                                    // neither RAM nor a device
    m.step()
    #expect(m.mcause == Cause.instructionAccessFault)
    #expect(m.icount == 0)
}
