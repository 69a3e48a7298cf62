import Testing
@testable import RISCV

// Sdtrig debug triggers (docs/ENGINE.md, "Debug triggers"): the CSRs' WARL behaviour as
// QEMU 7.2 shows it (guests/programs/triggers.c prints the same on QEMU), and execute,
// load and store triggers firing per their mode and access bits.

private enum TCSR {
    static let tselect: UInt32 = 0x7A0, tdata1: UInt32 = 0x7A1, tdata2: UInt32 = 0x7A2
    static let tdata3: UInt32 = 0x7A3, tinfo: UInt32 = 0x7A4, tcontrol: UInt32 = 0x7A5
}

private let type2: UInt64 = 2 << 60, type6: UInt64 = 6 << 60
private let tLoad: UInt64 = 1, tStore: UInt64 = 2, tExec: UInt64 = 4
private let tU: UInt64 = 1 << 3, tS: UInt64 = 1 << 4, tM: UInt64 = 1 << 6

extension TestMachine {
    /// Writes trigger CSR `addr` as M-mode software would (`csrw`), whatever the privilege.
    func writeTriggerCSR(_ addr: UInt32, _ value: UInt64) {
        var hart = Hart(DirectAccess(storage))
        let saved = priv
        priv = Privilege.machine
        defer { priv = saved }
        do throws(Trap) { try hart.csrWrite(addr, value, inst: 0) } catch { Issue.record("csrw 0x\(String(addr, radix: 16)) trapped") }
    }

    /// Arms trigger `index` with `tdata1` watching `tdata2`.
    func arm(_ index: UInt64, _ tdata1: UInt64, _ tdata2: UInt64) {
        writeTriggerCSR(TCSR.tselect, index)
        writeTriggerCSR(TCSR.tdata2, tdata2)
        writeTriggerCSR(TCSR.tdata1, tdata1)
    }
}

struct TriggerCSRTests {
    @Test func resetValuesAreQEMUsAndCommitAsZeroWords() {
        let m = TestMachine()
        #expect(m.csr(TCSR.tinfo) == 0x44)
        #expect(m.csr(TCSR.tselect) == 0)
        for i: UInt64 in 0..<2 {
            m.writeTriggerCSR(TCSR.tselect, i)
            #expect(m.csr(TCSR.tdata1) == 0x2000_0000_0000_0000)
            #expect(m.csr(TCSR.tdata2) == 0)
            #expect(m.csr(TCSR.tdata3) == 0)
        }
        m.writeTriggerCSR(TCSR.tselect, 0)
        // A machine that never arms a trigger keeps every trigger word zero, so the roots
        // of programs that do not use them are what they were before triggers existed.
        for w in [CoreLayout.triggerControl, CoreLayout.triggerControl + 1, CoreLayout.triggerSelect,
                  CoreLayout.triggerAddress, CoreLayout.triggerAddress + 1] {
            #expect(m[core: w] == 0, "core word \(w)")
        }
    }

    @Test func tselectKeepsOnlyExistingTriggers() {
        let m = TestMachine()
        for (value, expected): (UInt64, UInt64) in [(1, 1), (2, 1), (5, 1), (~0, 1), (0, 0), (2, 0)] {
            m.writeTriggerCSR(TCSR.tselect, value)
            #expect(m.csr(TCSR.tselect) == expected, "tselect <- \(value)")
        }
    }

    /// Each write's read-back, as QEMU 7.2 gives it (guests/expected/triggers.out).
    static let tdata1Writes: [(UInt64, UInt64)] = [
        (~0, 0x2000_0000_0000_0000),                         // type 15: ignored
        (0x2fff_ffff_ffff_ffff, 0x2000_0000_0000_005f),      // type 2: M S U X W R only
        (0x2800_0000_0000_0044, 0x2000_0000_0000_0044),      // dmode reads 0
        (0x2000_0000_0023_0000, 0x2000_0000_0000_0000),      // size 7: not supported
        (0x2000_0000_0003_0000, 0x2000_0000_0003_0000),      // size 3 (4 bytes)
        (0x2000_0000_0021_0000, 0x2000_0000_0021_0000),      // size 5 (8 bytes)
        (0x6fff_ffff_ffff_ffff, 0x6000_0000_0180_005f),      // type 6: VS VU M S U X W R
        (0x6000_0000_0004_0009, 0x6000_0000_0000_0009),      // size 4 (6 bytes): dropped
        (0, 0x6000_0000_0000_0009),                          // type 0: ignored
        (0x4000_0000_0000_0000, 0x6000_0000_0000_0009),      // type 4: ignored
        (0x3000_0000_0000_0044, 0x6000_0000_0000_0009),      // type 3 (icount): ignored here
        (0x2000_0000_0000_2042, 0x2000_0000_0000_0042),      // action 2 reads 0
        (0x2000_0000_0000_0000, 0x2000_0000_0000_0000),
    ]

    @Test func tdata1IsWARLLikeQEMUs() {
        let m = TestMachine()
        for (value, expected) in Self.tdata1Writes {
            m.writeTriggerCSR(TCSR.tdata1, value)
            #expect(m.csr(TCSR.tdata1) == expected, "tdata1 <- 0x\(String(value, radix: 16))")
        }
    }

    @Test func tdata2IsPerTriggerAndTdata3AndTinfoIgnoreWrites() {
        let m = TestMachine()
        m.writeTriggerCSR(TCSR.tdata2, 0x1234_5678_9abc_def0)
        m.writeTriggerCSR(TCSR.tdata3, ~0)
        m.writeTriggerCSR(TCSR.tinfo, 0)
        m.writeTriggerCSR(TCSR.tdata1, type6 | tM | tLoad)
        #expect(m.csr(TCSR.tdata2) == 0x1234_5678_9abc_def0)
        #expect(m.csr(TCSR.tdata3) == 0)
        #expect(m.csr(TCSR.tinfo) == 0x44)
        m.writeTriggerCSR(TCSR.tselect, 1)
        #expect(m.csr(TCSR.tdata1) == type2 && m.csr(TCSR.tdata2) == 0)
        m.writeTriggerCSR(TCSR.tselect, 0)
        #expect(m.csr(TCSR.tdata1) == type6 | tM | tLoad)
        #expect(m[core: CoreLayout.triggerAddress] == 0x1234_5678_9abc_def0)
        #expect(m[core: CoreLayout.triggerControl] == (type6 | tM | tLoad) ^ type2)
    }

    @Test(arguments: [Privilege.supervisor, Privilege.user])
    func onlyMachineModeReachesThem(_ priv: UInt64) {
        for addr in [TCSR.tselect, TCSR.tdata1, TCSR.tdata2, TCSR.tdata3, TCSR.tinfo] {
            let m = TestMachine(code: [csrr(a0, addr)])
            m.priv = priv
            m.step()
            #expect(m.mcause == Cause.illegalInstruction && m.pc == TestMachine.mtvecDefault, "csr 0x\(String(addr, radix: 16))")
        }
    }

    @Test func csrInstructionsReachThemAndTcontrolIsAbsent() {
        let m = TestMachine(code: [
            addi(a1, zero, 1), csrw(TCSR.tselect, a1), csrr(a0, TCSR.tselect),
            csrr(a2, TCSR.tinfo), csrr(a3, TCSR.tcontrol),
        ])
        m.step(4)
        #expect(m[x: a0] == 1 && m[x: a2] == 0x44)
        m.step()
        #expect(m.mcause == Cause.illegalInstruction)
    }
}

struct TriggerFiringTests {
    static let code = TestMachine.base
    static let data = TestMachine.base + 0x1000

    /// (tdata1 bits, privilege, fires): the mode bits select where a trigger applies.
    static let executeCases: [(UInt64, UInt64, Bool)] = [
        (type2 | tM | tExec, Privilege.machine, true),
        (type2 | tM | tExec, Privilege.supervisor, false),
        (type2 | tS | tExec, Privilege.supervisor, true),
        (type2 | tU | tExec, Privilege.user, true),
        (type2 | tU | tS | tExec, Privilege.machine, false),
        (type6 | tU | tExec, Privilege.user, true),
        (type6 | tM | tS | tExec, Privilege.user, false),
        (type6 | tM | tS | tU | tLoad | tStore, Privilege.machine, false), // no X bit
        (type2 | tExec, Privilege.machine, false),                         // no mode bit
        (type2 | tM, Privilege.machine, false),                            // no access bit
        (type6 | tM | tExec | (1 << 23) | (1 << 24), Privilege.machine, true),
    ]

    @Test(arguments: executeCases, [UInt64(0), 1])
    func executeTrigger(_ c: (UInt64, UInt64, Bool), trigger: UInt64) {
        let m = TestMachine(code: [addi(a0, a0, 1)])
        m.arm(trigger, c.0, Self.code)
        m.priv = c.1
        m.step()
        if c.2 {
            // Before the instruction: nothing of it happened, and it is not counted.
            #expect(m.mcause == Cause.breakpoint && m.mepc == Self.code && m.mtval == 0)
            #expect(m.pc == TestMachine.mtvecDefault && m.priv == Privilege.machine)
            #expect(m[x: a0] == 0 && m.icount == 0)
            #expect(m[core: CoreLayout.stepCount] == 1)
            #expect((m.mstatus & MStatus.mpp) >> MStatus.mppShift == c.1)
        } else {
            #expect(m[x: a0] == 1 && m.pc == Self.code + 4 && m.icount == 1)
        }
    }

    @Test func executeTriggerMatchesOnlyItsAddress() {
        let m = TestMachine(code: [addi(a0, a0, 1), addi(a0, a0, 1), addi(a0, a0, 1)])
        m.arm(0, type2 | tM | tExec, Self.code + 8)
        m.arm(1, type2 | tM | tExec, Self.code + 6) // mid-instruction: never an instruction start
        m.step(2)
        #expect(m[x: a0] == 2 && m.pc == Self.code + 8)
        m.step()
        #expect(m.mcause == Cause.breakpoint && m.mepc == Self.code + 8 && m[x: a0] == 2)
    }

    @Test func delegatedBreakpointGoesToSupervisor() {
        let m = TestMachine(code: [addi(a0, a0, 1)])
        m[core: CoreLayout.medeleg] = 1 << Cause.breakpoint
        m.arm(0, type2 | tU | tExec, Self.code)
        m.priv = Privilege.user
        m.step()
        #expect(m.scause == Cause.breakpoint && m.sepc == Self.code && m.stval == 0)
        #expect(m.pc == TestMachine.stvecDefault && m.priv == Privilege.supervisor)
    }

    @Test func interruptsComeBeforeAnExecuteTrigger() {
        let m = TestMachine(code: [addi(a0, a0, 1)])
        m.arm(0, type2 | tM | tExec, Self.code)
        m[core: CoreLayout.msip] = 1
        m[core: CoreLayout.mie] = 1 << Cause.machineSoftware
        m.mstatus |= MStatus.mie
        m.step()
        #expect(m.mcause == Cause.interruptBit | Cause.machineSoftware)
    }

    struct DataCase: Sendable, CustomTestStringConvertible {
        let name: String, inst: UInt32, tdata1: UInt64, offset: UInt64, fires: Bool
        var priv: UInt64 = Privilege.machine
        var testDescription: String { name }
    }

    /// a1 = data + 8 (data[1]); each trigger watches data[1] + `offset`.
    static let dataCases: [DataCase] = [
        DataCase(name: "ld, load trigger", inst: ld(a0, 0, a1), tdata1: type2 | tM | tLoad, offset: 0, fires: true),
        DataCase(name: "ld, store trigger", inst: ld(a0, 0, a1), tdata1: type2 | tM | tStore, offset: 0, fires: false),
        DataCase(name: "sd, store trigger", inst: sd(a2, 0, a1), tdata1: type6 | tM | tStore, offset: 0, fires: true),
        DataCase(name: "sd, load trigger", inst: sd(a2, 0, a1), tdata1: type2 | tM | tLoad, offset: 0, fires: false),
        DataCase(name: "lbu +5, size any (8)", inst: lbu(a0, 5, a1), tdata1: type2 | tM | tLoad, offset: 0, fires: true),
        DataCase(name: "ld of the word before", inst: ld(a0, -8, a1), tdata1: type2 | tM | tLoad, offset: 0, fires: false),
        DataCase(name: "ld overlapping tdata2 + 4", inst: ld(a0, 0, a1), tdata1: type2 | tM | tLoad, offset: 4, fires: true),
        DataCase(name: "size 4 (3), lbu +2", inst: lbu(a0, 2, a1), tdata1: type2 | tM | tLoad | 3 << 16, offset: 0, fires: true),
        DataCase(name: "size 4 (3), lbu +3: QEMU watches 3", inst: lbu(a0, 3, a1), tdata1: type2 | tM | tLoad | 3 << 16, offset: 0, fires: false),
        DataCase(name: "size 8 (5), lbu +4", inst: lbu(a0, 4, a1), tdata1: type2 | tM | tLoad | 1 << 21 | 1 << 16, offset: 0, fires: true),
        DataCase(name: "size 8 (5), lbu +5: QEMU watches 5", inst: lbu(a0, 5, a1), tdata1: type2 | tM | tLoad | 1 << 21 | 1 << 16, offset: 0, fires: false),
        DataCase(name: "type 6 size 1, lbu +1", inst: lbu(a0, 1, a1), tdata1: type6 | tM | tLoad | 1 << 16, offset: 0, fires: false),
        DataCase(name: "sh +6, store trigger", inst: sh(a2, 6, a1), tdata1: type2 | tM | tStore, offset: 0, fires: true),
        DataCase(name: "misaligned lw across tdata2", inst: lw(a0, -2, a1), tdata1: type2 | tM | tLoad | 1 << 16, offset: 0, fires: true),
        DataCase(name: "misaligned sw across tdata2", inst: sw(a2, -2, a1), tdata1: type2 | tM | tStore | 1 << 16, offset: 0, fires: true),
        DataCase(name: "amoadd.d, load trigger", inst: amo(0x00, wide: true, a0, a2, a1), tdata1: type2 | tM | tLoad, offset: 0, fires: true),
        DataCase(name: "amoadd.d, store trigger", inst: amo(0x00, wide: true, a0, a2, a1), tdata1: type2 | tM | tStore, offset: 0, fires: true),
        DataCase(name: "lr.d, load trigger", inst: lr_d(a0, a1), tdata1: type2 | tM | tLoad, offset: 0, fires: true),
        DataCase(name: "lr.d, store trigger", inst: lr_d(a0, a1), tdata1: type2 | tM | tStore, offset: 0, fires: false),
        DataCase(name: "sc.d without reservation", inst: sc_d(a0, a2, a1), tdata1: type2 | tM | tStore | tLoad, offset: 0, fires: false),
        DataCase(name: "U-only trigger, M-mode ld", inst: ld(a0, 0, a1), tdata1: type2 | tU | tLoad, offset: 0, fires: false),
        DataCase(name: "U trigger, U-mode ld", inst: ld(a0, 0, a1), tdata1: type2 | tU | tLoad, offset: 0, fires: true, priv: Privilege.user),
        DataCase(name: "S trigger, S-mode sd", inst: sd(a2, 0, a1), tdata1: type6 | tS | tStore, offset: 0, fires: true, priv: Privilege.supervisor),
        DataCase(name: "M trigger, S-mode sd", inst: sd(a2, 0, a1), tdata1: type6 | tM | tStore, offset: 0, fires: false, priv: Privilege.supervisor),
        DataCase(name: "fld, load trigger", inst: 0x0005_b507 /* fld fa0, 0(a1) */, tdata1: type2 | tM | tLoad, offset: 0, fires: true),
    ]

    @Test(arguments: dataCases)
    func dataTrigger(_ c: DataCase) {
        let m = TestMachine(code: [c.inst])
        m.write(Self.data, 8, 0x1111)
        m.write(Self.data + 8, 8, 0x2222)
        m[x: a1] = Self.data + 8
        m[x: a2] = 0x7777_7777_7777_7777
        m[x: a0] = 0xaaaa
        m.mstatus |= 1 << MStatus.fsShift
        m.arm(1, c.tdata1, Self.data + 8 + c.offset)
        m.priv = c.priv
        let before = (m.read(Self.data, 8), m.read(Self.data + 8, 8))
        m.step()
        if c.fires {
            // Before the access: no register or memory changed, and it counts as started.
            #expect(m.mcause == Cause.breakpoint && m.mepc == Self.code && m.mtval == 0)
            #expect(m[x: a0] == 0xaaaa && m.icount == 1 && m.pc == TestMachine.mtvecDefault)
            #expect((m.read(Self.data, 8), m.read(Self.data + 8, 8)) == before)
        } else {
            #expect(m.pc == Self.code + 4, "trapped with mcause \(m.mcause)")
        }
    }

    @Test func scWithReservationSeesLoadAndStoreTriggers() {
        for bits in [tLoad, tStore] {
            let m = TestMachine(code: [sc_d(a0, a2, a1)])
            m[x: a1] = Self.data
            m[core: CoreLayout.reservationAddress] = Self.data
            m[core: CoreLayout.reservationValid] = 1
            m.arm(0, type2 | tM | bits, Self.data)
            m.step()
            #expect(m.mcause == Cause.breakpoint && m.read(Self.data, 8) == 0)
            #expect(m[core: CoreLayout.reservationValid] == 0, "a trap breaks the pair")
        }
    }

    @Test func aPageFaultComesBeforeALoadTrigger() {
        // M-mode with MPRV and MPP = S: the load is translated (and faults: the address is
        // not canonical under Sv39), the fetch is not. The trigger's M bit matches, as
        // triggers look at the current privilege, not the effective one.
        let m = TestMachine(code: [ld(a0, 0, a1), ld(a0, 0, a1)])
        m[x: a1] = 0x4000_0000_0000
        m[core: CoreLayout.satp] = 8 << 60
        m.mstatus |= MStatus.mprv | (Privilege.supervisor << MStatus.mppShift)
        m.arm(0, type2 | tM | tLoad, 0x4000_0000_0000)
        m.step()
        #expect(m.mcause == Cause.loadPageFault && m.mtval == 0x4000_0000_0000)
        // Without paging the same access reaches the trigger.
        m[core: CoreLayout.satp] = 0
        m.pc = TestMachine.base + 4
        m.step()
        #expect(m.mcause == Cause.breakpoint && m.mepc == TestMachine.base + 4)
    }

    @Test func watchRangesThatWrapNeverMatch() {
        let m = TestMachine(code: [ld(a0, 0, a1)])
        m[x: a1] = ~UInt64(7)
        m.arm(0, type2 | tM | tLoad, ~UInt64(3)) // 8 bytes from 2^64 - 4 run off the end
        m.step()
        #expect(m.mcause == Cause.loadAccessFault)
    }

    @Test func disarmedTriggersLeaveEveryStepAsBefore() {
        // Same program with a trigger set up but its access bits clear, and with none.
        let program = [addi(a0, zero, 5), sd(a0, 0, a1), ld(a2, 0, a1), addi(a0, a0, 1)]
        let plain = TestMachine(code: program), configured = TestMachine(code: program)
        for m in [plain, configured] { m[x: a1] = Self.data }
        configured.arm(0, type2 | tM | tS | tU, TestMachine.base + 4)
        plain.step(4)
        configured.step(4)
        let differing = (0..<CoreLayout.count).filter { plain[core: $0] != configured[core: $0] }
        #expect(differing.allSatisfy { [CoreLayout.triggerControl, CoreLayout.triggerAddress].contains($0) })
        #expect(configured[x: a2] == 5 && configured.pc == TestMachine.base + 16)
    }
}
