import Testing
@testable import RISCV

// The A extension: LR/SC reservation rules and AMO results (A chapter). Expected values
// are computed by hand: .w operates on the low 32 bits and returns the old word
// sign-extended; min/max compare signed, minu/maxu unsigned.

struct AMOCase: Sendable, CustomTestStringConvertible {
    let op: AMOOp
    let wide: Bool
    let old: UInt64
    let src: UInt64
    /// New memory value (low 32 bits for .w).
    let stored: UInt64
    var testDescription: String { "amo\(op).\(wide ? "d" : "w") old=0x\(String(old, radix: 16)) src=0x\(String(src, radix: 16))" }
}

/// .w with old = -2 (0xfffffffe), src = 3 with junk in the upper half of the register.
private let amoWCases: [AMOCase] = [
    (AMOOp.add, 0x0000_0001), (.swap, 0x0000_0003), (.xor, 0xffff_fffd), (.or, 0xffff_ffff), (.and, 0x0000_0002),
    (.min, 0xffff_fffe), (.max, 0x0000_0003), (.minu, 0x0000_0003), (.maxu, 0xffff_fffe),
].map { AMOCase(op: $0.0, wide: false, old: 0xffff_fffe, src: 0xaaaa_aaaa_0000_0003, stored: $0.1) }

/// .w where the sign of the 32-bit value matters: old = 0x80000000 (INT32_MIN), src = 1.
private let amoWSignCases: [AMOCase] = [
    (AMOOp.add, 0x8000_0001), (.min, 0x8000_0000), (.max, 0x0000_0001), (.minu, 0x0000_0001), (.maxu, 0x8000_0000),
].map { AMOCase(op: $0.0, wide: false, old: 0x8000_0000, src: 1, stored: $0.1) }

/// .d with old = -2, src = 3.
private let amoDCases: [AMOCase] = [
    (AMOOp.add, 1), (.swap, 3), (.xor, 0xffff_ffff_ffff_fffd), (.or, ~0), (.and, 2),
    (.min, 0xffff_ffff_ffff_fffe), (.max, 3), (.minu, 3), (.maxu, 0xffff_ffff_ffff_fffe),
].map { AMOCase(op: $0.0, wide: true, old: 0xffff_ffff_ffff_fffe, src: 3, stored: $0.1) }

/// .d overflow and INT64_MIN ordering: old = INT64_MAX, src = INT64_MIN.
private let amoDSignCases: [AMOCase] = [
    (AMOOp.add, ~0), (.min, 0x8000_0000_0000_0000), (.max, 0x7fff_ffff_ffff_ffff),
    (.minu, 0x7fff_ffff_ffff_ffff), (.maxu, 0x8000_0000_0000_0000),
].map { AMOCase(op: $0.0, wide: true, old: 0x7fff_ffff_ffff_ffff, src: 0x8000_0000_0000_0000, stored: $0.1) }

@Suite struct AtomicTests {
    static let data = TestMachine.base + 0x2000

    @Test(arguments: amoWCases + amoWSignCases + amoDCases + amoDSignCases)
    func amoResult(_ c: AMOCase) {
        for (aq, rl) in [(false, false), (true, false), (false, true), (true, true)] {
            let m = TestMachine(code: [amo(c.op.rawValue, wide: c.wide, a0, a2, a1, aq: aq, rl: rl)])
            m.write(Self.data, 8, c.wide ? c.old : 0xdead_beef_0000_0000 | c.old)
            m[x: a1] = Self.data
            m[x: a2] = c.src
            m.step()
            let expectedOld = c.wide ? c.old : UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: c.old)))
            #expect(m[x: a0] == expectedOld, "rd = old value (sign-extended for .w)")
            if c.wide {
                #expect(m.read(Self.data, 8) == c.stored)
            } else {
                #expect(m.read(Self.data, 4) == c.stored)
                #expect(m.read(Self.data + 4, 4) == 0xdead_beef, "the neighbouring word is untouched")
            }
            #expect(m.pc == TestMachine.base + 4)
        }
    }

    @Test func lrScSucceeds() {
        let m = TestMachine(code: [lr_w(a0, a1), sc_w(a2, a3, a1), lr_d(a4, a1), sc_d(a5, a3, a1)])
        m.write(Self.data, 8, 0x1111_1111_8000_0000)
        m[x: a1] = Self.data
        m[x: a3] = 0x2222_2222_3333_3333
        m[x: a2] = 77
        m[x: a5] = 77
        m.step(2)
        #expect(m[x: a0] == 0xffff_ffff_8000_0000, "lr.w sign-extends")
        #expect(m[x: a2] == 0, "sc.w success writes 0")
        #expect(m.read(Self.data, 8) == 0x1111_1111_3333_3333)
        m.step(2)
        #expect(m[x: a4] == 0x1111_1111_3333_3333)
        #expect(m[x: a5] == 0)
        #expect(m.read(Self.data, 8) == 0x2222_2222_3333_3333)
    }

    @Test func scWithoutReservationFails() {
        let m = TestMachine(code: [sc_d(a2, a3, a1)])
        m.write(Self.data, 8, 5)
        m[x: a1] = Self.data
        m[x: a3] = 9
        m.step()
        #expect(m[x: a2] != 0)
        #expect(m.read(Self.data, 8) == 5)
    }

    @Test func scToOtherAddressFails() {
        let m = TestMachine(code: [lr_d(a0, a1), sc_d(a2, a3, a4), sc_d(a5, a3, a1)])
        m[x: a1] = Self.data
        m[x: a4] = Self.data + 8
        m[x: a3] = 9
        m.step(3)
        #expect(m[x: a2] != 0)
        #expect(m.read(Self.data + 8, 8) == 0)
        #expect(m[x: a5] != 0, "a failed sc also clears the reservation")
        #expect(m.read(Self.data, 8) == 0)
    }

    @Test func secondScFails() {
        let m = TestMachine(code: [lr_w(a0, a1), sc_w(a2, a3, a1), sc_w(a4, a5, a1)])
        m[x: a1] = Self.data
        m[x: a3] = 1
        m[x: a5] = 2
        m.step(3)
        #expect(m[x: a2] == 0)
        #expect(m[x: a4] != 0)
        #expect(m.read(Self.data, 4) == 1)
    }

    @Test func trapClearsReservation() {
        let m = TestMachine(code: [lr_d(a0, a1), ecall, sc_d(a2, a3, a1)])
        m.installSkippingHandler()
        m[x: a1] = Self.data
        m[x: a3] = 7
        m.step(2)
        #expect(m.mcause == Cause.ecallFromM)
        #expect(m[core: CoreLayout.reservationValid] == 0)
        m.step(5)  // handler (4) + sc
        #expect(m.pc == TestMachine.base + 12)
        #expect(m[x: a2] != 0, "sc after a trap fails")
        #expect(m.read(Self.data, 8) == 0)
    }

    @Test func interruptClearsReservation() {
        let m = TestMachine(code: [lr_d(a0, a1), sc_d(a2, a3, a1)])
        m.load([mret], at: TestMachine.mtvecDefault)
        m[x: a1] = Self.data
        m[x: a3] = 7
        m.step()
        m[core: CoreLayout.msip] = 1
        m[core: CoreLayout.mie] = 1 << 3
        m.mstatus |= MStatus.mie
        m.step()  // takes the software interrupt
        #expect(m.mcause == Cause.interruptBit | 3)
        m[core: CoreLayout.msip] = 0
        m.step(2) // mret, sc
        #expect(m.pc == TestMachine.base + 8)
        #expect(m[x: a2] != 0)
    }

    struct Misaligned: Sendable, CustomTestStringConvertible {
        let name: String, inst: UInt32, cause: UInt64
        var testDescription: String { name }
    }
    static let misaligned: [Misaligned] = [
        Misaligned(name: "amoadd.w", inst: amo(AMOOp.add.rawValue, wide: false, a0, a2, a1), cause: Cause.storeMisaligned),
        Misaligned(name: "amoswap.d", inst: amo(AMOOp.swap.rawValue, wide: true, a0, a2, a1), cause: Cause.storeMisaligned),
        Misaligned(name: "amomaxu.d", inst: amo(AMOOp.maxu.rawValue, wide: true, a0, a2, a1), cause: Cause.storeMisaligned),
        Misaligned(name: "lr.w", inst: lr_w(a0, a1), cause: Cause.loadMisaligned),
        Misaligned(name: "lr.d", inst: lr_d(a0, a1), cause: Cause.loadMisaligned),
        Misaligned(name: "sc.w", inst: sc_w(a0, a2, a1), cause: Cause.storeMisaligned),
    ]

    @Test(arguments: misaligned)
    func misalignedAtomicTraps(_ c: Misaligned) {
        for offset: UInt64 in [1, 2, 4] where !(offset == 4 && c.inst & (1 << 12) == 0) {
            let m = TestMachine(code: [c.inst])
            m[x: a1] = Self.data + offset
            m[x: a0] = 0x55
            m.write(Self.data, 8, 0x0102_0304_0506_0708)
            m.step()
            #expect(m.mcause == c.cause, "offset \(offset)")
            #expect(m.mtval == Self.data + offset)
            #expect(m.mepc == TestMachine.base)
            #expect(m[x: a0] == 0x55, "rd unchanged")
            #expect(m.read(Self.data, 8) == 0x0102_0304_0506_0708, "memory unchanged")
        }
    }

    @Test func atomicsOnDevicesFault() {
        let amoM = TestMachine(code: [amo(AMOOp.add.rawValue, wide: false, a0, a2, a1)])
        amoM[x: a1] = MachineMap.uartBase
        amoM.step()
        #expect(amoM.mcause == Cause.storeAccessFault)
        #expect(amoM.mtval == MachineMap.uartBase)
        let lr = TestMachine(code: [lr_w(a0, a1)])
        lr[x: a1] = MachineMap.uartBase
        lr.step()
        #expect(lr.mcause == Cause.loadAccessFault)
    }
}
