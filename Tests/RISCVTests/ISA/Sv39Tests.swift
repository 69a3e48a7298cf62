import Testing
@testable import RISCV

// Sv39 (privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System" and the
// translation algorithm): three-level walks, superpages, permission rules (U, SUM, MXR),
// fault causes, hardware A/D updates, MPRV, and no stale translations.

private typealias PT = PageTables

private let dataVA: UInt64 = 0x4000_1000
private let dataPA: UInt64 = TestMachine.base + 0x20_0000
private let otherPA: UInt64 = TestMachine.base + 0x20_1000
private let codeFlagsS = PT.v | PT.r | PT.w | PT.x | PT.a | PT.d

/// A machine whose code (at the start of RAM) runs translated through an identity 1 GiB
/// page, with `leaf` mapping `dataVA` → `dataPA` (4 KiB). Data page holds a marker.
private func vmMachine(_ code: [UInt32], priv: UInt64 = Privilege.supervisor, codeFlags: UInt64 = codeFlagsS,
                       leaf: UInt64? = PT.v | PT.r | PT.w | PT.a | PT.d) -> (TestMachine, PageTables) {
    let m = TestMachine(code: code)
    var pt = PageTables(m)
    pt.map(TestMachine.base, to: TestMachine.base, level: 2, flags: codeFlags)
    if let leaf { pt.map(dataVA, to: dataPA, level: 0, flags: leaf) }
    m.write(dataPA, 8, 0x1111_2222_3333_4444)
    m.write(dataPA + 8, 4, UInt64(nop))  // so a successful fetch at dataVA + 8 executes a nop
    m.write(otherPA, 8, 0x5555_6666_7777_8888)
    m[core: CoreLayout.satp] = pt.satp
    m.priv = priv
    return (m, pt)
}

struct PermissionCase: Sendable, CustomTestStringConvertible {
    enum Access: Sendable { case load, store, fetch }
    let name: String
    let priv: UInt64
    let leaf: UInt64
    let access: Access
    var mstatus: UInt64 = 0
    /// nil: the access succeeds.
    let fault: UInt64?
    var testDescription: String { name }
}

private let V = PT.v, R = PT.r, W = PT.w, X = PT.x, U = PT.u, A = PT.a, D = PT.d
private let S = Privilege.supervisor, Usr = Privilege.user

let sv39Permissions: [PermissionCase] = [
    PermissionCase(name: "S load R", priv: S, leaf: V | R | A, access: .load, fault: nil),
    PermissionCase(name: "S load W-only (reserved)", priv: S, leaf: V | W | A | D, access: .load, fault: 13),
    PermissionCase(name: "S store W-only (reserved)", priv: S, leaf: V | W | A | D, access: .store, fault: 15),
    PermissionCase(name: "S load X-only", priv: S, leaf: V | X | A, access: .load, fault: 13),
    PermissionCase(name: "S load X-only with MXR", priv: S, leaf: V | X | A, access: .load, mstatus: MStatus.mxr, fault: nil),
    PermissionCase(name: "S store R-only", priv: S, leaf: V | R | A | D, access: .store, fault: 15),
    PermissionCase(name: "S store RW", priv: S, leaf: V | R | W | A | D, access: .store, fault: nil),
    PermissionCase(name: "S fetch RW (no X)", priv: S, leaf: V | R | W | A, access: .fetch, fault: 12),
    PermissionCase(name: "S fetch X", priv: S, leaf: V | X | A, access: .fetch, fault: nil),
    PermissionCase(name: "S load U page, SUM=0", priv: S, leaf: V | R | U | A, access: .load, fault: 13),
    PermissionCase(name: "S store U page, SUM=0", priv: S, leaf: V | R | W | U | A | D, access: .store, fault: 15),
    PermissionCase(name: "S load U page, SUM=1", priv: S, leaf: V | R | U | A, access: .load, mstatus: MStatus.sum, fault: nil),
    PermissionCase(name: "S fetch U page, SUM=1", priv: S, leaf: V | X | U | A, access: .fetch, mstatus: MStatus.sum, fault: 12),
    PermissionCase(name: "U load S page", priv: Usr, leaf: V | R | A, access: .load, fault: 13),
    PermissionCase(name: "U load S page, SUM=1", priv: Usr, leaf: V | R | A, access: .load, mstatus: MStatus.sum, fault: 13),
    PermissionCase(name: "U load U page", priv: Usr, leaf: V | R | U | A, access: .load, fault: nil),
    PermissionCase(name: "U store U R-only", priv: Usr, leaf: V | R | U | A, access: .store, fault: 15),
    PermissionCase(name: "U store U RW", priv: Usr, leaf: V | R | W | U | A | D, access: .store, fault: nil),
    PermissionCase(name: "U fetch U X", priv: Usr, leaf: V | X | U | A, access: .fetch, fault: nil),
    PermissionCase(name: "U fetch S X", priv: Usr, leaf: V | X | A, access: .fetch, fault: 12),
    PermissionCase(name: "U load U X-only with MXR", priv: Usr, leaf: V | X | U | A, access: .load, mstatus: MStatus.mxr, fault: nil),
    PermissionCase(name: "invalid load", priv: S, leaf: R | W | X | A | D, access: .load, fault: 13),
    PermissionCase(name: "invalid store", priv: S, leaf: R | W | X | A | D, access: .store, fault: 15),
    PermissionCase(name: "invalid fetch", priv: S, leaf: R | W | X | A | D, access: .fetch, fault: 12),
    PermissionCase(name: "reserved PTE bit 60", priv: S, leaf: 1 << 60 | V | R | A, access: .load, fault: 13),
    PermissionCase(name: "reserved PTE bit 54", priv: S, leaf: 1 << 54 | V | R | A, access: .load, fault: 13),
]

@Suite struct Sv39Tests {
    @Test(arguments: sv39Permissions)
    func permission(_ c: PermissionCase) {
        let inst: UInt32
        switch c.access {
        case .load: inst = ld(a0, 0, a1)
        case .store: inst = sd(a2, 0, a1)
        case .fetch: inst = jalr(zero, a1, 8)
        }
        let codeFlags = c.priv == Privilege.user ? codeFlagsS | PT.u : codeFlagsS
        let (m, _) = vmMachine([inst], priv: c.priv, codeFlags: codeFlags, leaf: c.leaf)
        m.mstatus = c.mstatus
        m[x: a1] = dataVA
        m[x: a2] = 0xabcd
        m.step(c.access == .fetch ? 2 : 1)
        if let cause = c.fault {
            #expect(m.mcause == cause)
            #expect(m.mtval == dataVA + (c.access == .fetch ? 8 : 0), "mtval = faulting virtual address")
            #expect(m.mepc == (c.access == .fetch ? dataVA + 8 : TestMachine.base))
            #expect(m.priv == Privilege.machine)
            #expect(m.read(dataPA, 8) == 0x1111_2222_3333_4444, "no store happened")
        } else {
            #expect(m.priv == c.priv, "no trap (mcause \(m.mcause))")
            switch c.access {
            case .load: #expect(m[x: a0] == 0x1111_2222_3333_4444)
            case .store: #expect(m.read(dataPA, 8) == 0xabcd)
            case .fetch: #expect(m.pc == dataVA + 12)
            }
        }
    }

    @Test func accessedAndDirtyBitsSetByHardware() {
        let (m, pt0) = vmMachine([ld(a0, 0, a1), sd(a2, 8, a1)], leaf: PT.v | PT.r | PT.w)
        var pt = pt0
        let pte = pt.pteAddress(dataVA, level: 0)
        m[x: a1] = dataVA
        m.step()
        #expect(m[x: a0] == 0x1111_2222_3333_4444)
        #expect(m.read(pte, 8) & PT.a != 0, "A set by a load")
        #expect(m.read(pte, 8) & PT.d == 0, "D not set by a load")
        m.step()
        #expect(m.priv == Privilege.supervisor)
        #expect(m.read(pte, 8) & PT.d != 0, "D set by a store")
    }

    @Test func megapage() {
        let (m, pt0) = vmMachine([ld(a0, 0, a1)])
        var pt = pt0
        pt.map(0x0020_0000, to: TestMachine.base + 0x40_0000, level: 1, flags: PT.v | PT.r | PT.a)
        m.write(TestMachine.base + 0x40_1238, 8, 0xfeed_f00d)
        m[x: a1] = 0x0020_1238
        m.step()
        #expect(m[x: a0] == 0xfeed_f00d)
    }

    @Test func gigapage() {
        let (m, pt0) = vmMachine([ld(a0, 0, a1)])
        var pt = pt0
        pt.map(0xc000_0000, to: TestMachine.base, level: 2, flags: PT.v | PT.r | PT.a)
        m[x: a1] = 0xc000_0000 + 0x20_0000
        m.step()
        #expect(m[x: a0] == 0x1111_2222_3333_4444)
    }

    @Test func misalignedSuperpagesFault() {
        let (m, pt0) = vmMachine([ld(a0, 0, a1)])
        var pt = pt0
        pt.map(0x0020_0000, to: TestMachine.base + 0x20_1000, level: 1, flags: PT.v | PT.r | PT.a)
        m[x: a1] = 0x0020_0000
        m.step()
        #expect(m.mcause == Cause.loadPageFault)
        #expect(m.mtval == 0x0020_0000)
        let (g, gpt0) = vmMachine([ld(a0, 0, a1)])
        var gpt = gpt0
        gpt.map(0xc000_0000, to: TestMachine.base + 0x20_0000, level: 2, flags: PT.v | PT.r | PT.a)
        g[x: a1] = 0xc000_0000
        g.step()
        #expect(g.mcause == Cause.loadPageFault)
    }

    @Test func pointerAtLevelZeroFaults() {
        let (m, pt0) = vmMachine([ld(a0, 0, a1)], leaf: nil)
        var pt = pt0
        pt.setRaw(dataVA, level: 0, (dataPA >> 12) << 10 | PT.v)
        m[x: a1] = dataVA
        m.step()
        #expect(m.mcause == Cause.loadPageFault)
    }

    @Test func canonicalAddresses() {
        // Bits 63…39 must equal bit 38.
        for va: UInt64 in [1 << 39, 1 << 63, 0x0000_0080_0000_1000, 0xffff_ff00_0000_1000] {
            let (m, _) = vmMachine([ld(a0, 0, a1), sd(a0, 0, a1)])
            m[x: a1] = va
            m.step()
            #expect(m.mcause == Cause.loadPageFault, "0x\(String(va, radix: 16))")
            #expect(m.mtval == va)
        }
        let (s, _) = vmMachine([sd(a0, 0, a1)])
        s[x: a1] = 1 << 40
        s.step()
        #expect(s.mcause == Cause.storePageFault)
        // A canonical high address (bit 38 set, all upper bits set) translates.
        let (h, hpt0) = vmMachine([ld(a0, 0, a1)])
        var hpt = hpt0
        hpt.map(0xffff_ffc0_0000_1000, to: dataPA, level: 0, flags: PT.v | PT.r | PT.a)
        h[x: a1] = 0xffff_ffc0_0000_1000
        h.step()
        #expect(h.priv == Privilege.supervisor, "no fault (mcause \(h.mcause))")
        #expect(h[x: a0] == 0x1111_2222_3333_4444)
    }

    @Test func pageTableOutsideRAMIsAccessFault() {
        let (m, _) = vmMachine([ld(a0, 0, a1)])
        m[core: CoreLayout.satp] = 8 << 60 | (0x4000_0000 >> 12)
        m.priv = Privilege.machine
        m.mstatus = MStatus.mprv | 1 << 11
        m[x: a1] = dataVA
        m.step()
        #expect(m.mcause == Cause.loadAccessFault)
        #expect(m.mtval == dataVA)
    }

    @Test func mprvTranslatesLoadsAndStoresOnly() {
        // M-mode code at a physical address that is not mapped; MPRV with MPP = S makes the
        // load use the S-mode translation.
        let m = TestMachine(code: [ld(a0, 0, a1), sd(a2, 0, a1)])
        var pt = PageTables(m)
        pt.map(dataVA, to: dataPA, level: 0, flags: PT.v | PT.r | PT.w | PT.a | PT.d)
        m.write(dataPA, 8, 42)
        m[core: CoreLayout.satp] = pt.satp
        m.mstatus = MStatus.mprv | Privilege.supervisor << 11
        m[x: a1] = dataVA
        m[x: a2] = 43
        m.step(2)
        #expect(m[x: a0] == 42)
        #expect(m.read(dataPA, 8) == 43)
        #expect(m.pc == TestMachine.base + 8)
        // MPP = U on a non-U page: fault.
        let u = TestMachine(code: [ld(a0, 0, a1)])
        var upt = PageTables(u)
        upt.map(dataVA, to: dataPA, level: 0, flags: PT.v | PT.r | PT.a)
        u[core: CoreLayout.satp] = upt.satp
        u.mstatus = MStatus.mprv | Privilege.user << 11
        u[x: a1] = dataVA
        u.step()
        #expect(u.mcause == Cause.loadPageFault)
        // MPP = M: no translation (dataVA is not RAM).
        let mm = TestMachine(code: [ld(a0, 0, a1)])
        mm[core: CoreLayout.satp] = upt.satp
        mm.mstatus = MStatus.mprv | Privilege.machine << 11
        mm[x: a1] = dataVA
        mm.step()
        #expect(mm.mcause == Cause.loadAccessFault)
    }

    @Test func pageTableEditsSeenWithoutFence() {
        let (m, pt0) = vmMachine([ld(a0, 0, a1), sd(t0, 0, t1), ld(a2, 0, a1), sd(zero, 0, t1), ld(a3, 0, a1)])
        var pt = pt0
        let pte = pt.pteAddress(dataVA, level: 0)
        m[x: a1] = dataVA
        m[x: t0] = (otherPA >> 12) << 10 | PT.v | PT.r | PT.a
        m[x: t1] = pte        // identity-mapped through the code gigapage
        m[x: a3] = 0x99
        m.step(5)
        #expect(m[x: a0] == 0x1111_2222_3333_4444)
        #expect(m[x: a2] == 0x5555_6666_7777_8888, "the new mapping is used at once")
        #expect(m.mcause == Cause.loadPageFault, "the invalidated mapping faults at once")
        #expect(m.mepc == TestMachine.base + 16)
        #expect(m[x: a3] == 0x99)
    }

    @Test func codeEditsSeenWithoutFenceI() {
        // Overwrite the next instruction, then run it.
        let m = TestMachine(code: [sw(a1, 4, a0), addi(a2, zero, 1)])
        m[x: a0] = TestMachine.base
        m[x: a1] = UInt64(addi(a2, zero, 2))
        m.step(2)
        #expect(m[x: a2] == 2)
    }

    @Test func fetchPageFaultAcrossPageBoundary() {
        // A 32-bit instruction whose second half lies on an unmapped page.
        let (m, pt0) = vmMachine([jalr(zero, a1, 0)], leaf: PT.v | PT.r | PT.x | PT.a)
        _ = pt0
        let i = addi(a0, zero, 1)
        m.write(dataPA + 0xffe, 2, UInt64(i & 0xffff))
        m[x: a1] = dataVA + 0xffe
        m.step(2)
        #expect(m.mcause == Cause.instructionPageFault)
        #expect(m.mepc == dataVA + 0xffe)
        #expect(m.mtval == dataVA + 0x1000 || m.mtval == dataVA + 0xffe)
    }

    @Test func atomicsUseStorePermissions() {
        // AMOs and SC need write permission (store/AMO page fault 15); LR needs read (13).
        let amoInst = amo(AMOOp.swap.rawValue, wide: true, a0, a2, a1)
        let (m, _) = vmMachine([amoInst], leaf: PT.v | PT.r | PT.a)
        m[x: a1] = dataVA
        m.step()
        #expect(m.mcause == Cause.storePageFault)
        #expect(m.mtval == dataVA)
        #expect(m.read(dataPA, 8) == 0x1111_2222_3333_4444)
        let (l, _) = vmMachine([lr_d(a0, a1)], leaf: PT.v | PT.x | PT.a)
        l[x: a1] = dataVA
        l.step()
        #expect(l.mcause == Cause.loadPageFault)
        let (s, _) = vmMachine([lr_d(a0, a1), sc_d(a3, a2, a1)], leaf: PT.v | PT.r | PT.a)
        s[x: a1] = dataVA
        s.step(2)
        #expect(s[x: a0] == 0x1111_2222_3333_4444)
        #expect(s.mcause == Cause.storePageFault, "sc with a valid reservation on a read-only page")
        #expect(s.read(dataPA, 8) == 0x1111_2222_3333_4444)
        let (ok, okpt0) = vmMachine([amo(AMOOp.add.rawValue, wide: true, a0, a2, a1)], leaf: PT.v | PT.r | PT.w)
        var okpt = okpt0
        ok[x: a1] = dataVA
        ok[x: a2] = 1
        ok.step()
        #expect(ok[x: a0] == 0x1111_2222_3333_4444)
        #expect(ok.read(dataPA, 8) == 0x1111_2222_3333_4445)
        #expect(ok.read(okpt.pteAddress(dataVA, level: 0), 8) & (PT.a | PT.d) == PT.a | PT.d, "an AMO sets A and D")
    }

    @Test func mprvHonoursSUM() {
        let m = TestMachine(code: [ld(a0, 0, a1), ld(a2, 0, a1)])
        var pt = PageTables(m)
        pt.map(dataVA, to: dataPA, level: 0, flags: PT.v | PT.r | PT.u | PT.a)
        m.write(dataPA, 8, 42)
        m[core: CoreLayout.satp] = pt.satp
        m.mstatus = MStatus.mprv | Privilege.supervisor << 11 | MStatus.sum
        m[x: a1] = dataVA
        m.step()
        #expect(m[x: a0] == 42, "SUM=1 lets MPRV-as-S read a U page")
        m.mstatus &= ~MStatus.sum
        m.step()
        #expect(m.mcause == Cause.loadPageFault)
    }

    @Test func misalignedLoadAcrossIntoUnmappedPage() {
        // Bytes are translated one by one: the fault names a byte on the unmapped page.
        let (m, _) = vmMachine([ld(a0, 0, a1)])
        m[x: a1] = dataVA + 0xffc
        m[x: a0] = 7
        m.step()
        #expect(m.mcause == Cause.loadPageFault)
        #expect(m.mtval >= dataVA + 0xffc && m.mtval <= dataVA + 0x1000)
        #expect(m[x: a0] == 7)
    }

    @Test func bareModeDoesNotTranslate() {
        let m = TestMachine(code: [ld(a0, 0, a1)])
        m.priv = Privilege.supervisor
        m.write(dataPA, 8, 7)
        m[x: a1] = dataPA
        m.step()
        #expect(m[x: a0] == 7)
    }
}
