import Testing
@testable import RISCV

/// Design invariant 2: the decode memo and the fast path's translation cache are not
/// state, so adversarial guests that rewrite code or page tables without FENCE.I or
/// SFENCE.VMA see their writes at once — on the fast path exactly as on the reference step.
struct InvisibleCacheTests {
    /// Runs `setup` twice, then `steps` steps with and without the fast path; the two
    /// machines must end identical. Returns the fast one.
    func lockstep(steps: UInt64, _ setup: (TestMachine) -> Void) -> TestMachine {
        let fast = TestMachine(), reference = TestMachine()
        setup(fast)
        setup(reference)
        let a = Machine(storage: fast.storage), b = Machine(storage: reference.storage)
        for _ in 0..<steps {
            a.run(steps: 1, fastPath: true)
            b.run(steps: 1, fastPath: false)
            #expect(fast.coreWords == reference.coreWords, "core differs at step \(a.steps)")
        }
        return fast
    }

    @Test func selfModifyingCodeWithoutFenceI() {
        let code: [UInt32] = [
            auipc(t0, 0),            //  0
            addi(t2, 0, 2),          //  4: two passes
            addi(a0, 0, 1),          //  8: rewritten below, without FENCE.I
            lw(t1, 40, t0),          // 12
            sw(t1, 8, t0),           // 16: store the new instruction over offset 8
            addi(t2, t2, -1),        // 20
            bne(t2, 0, -16),         // 24: back to offset 8
            jal(0, 0),               // 28: park
            0, 0,
            addi(a0, 0, 42),         // 40: the replacement
        ]
        let m = lockstep(steps: 14) { $0.load(code, at: TestMachine.base) }
        #expect(m[x: a0] == 42, "the second pass must run the rewritten instruction")
    }

    @Test func pageTableRewriteWithoutSfence() {
        let va: UInt64 = 0x4000_0000
        let pageA = TestMachine.base + 0x20_0000, pageB = TestMachine.base + 0x21_0000
        var pteAddress: UInt64 = 0
        let code: [UInt32] = [
            lui(t0, 0x40000),        // t0 = va
            ld(a0, 0, t0),           // through page A (fills the translation cache)
            ld(a0, 0, t0),
            sd(t2, 0, t1),           // rewrite the leaf PTE to page B, no SFENCE.VMA
            ld(a1, 0, t0),           // must read page B
            jal(0, 0),
        ]
        let m = lockstep(steps: 10) { tm in
            tm.load(code, at: TestMachine.base)
            var tables = PageTables(tm)
            // Code and the page-table area identity-mapped for S-mode, va → page A.
            tables.map(TestMachine.base, to: TestMachine.base, level: 1,
                       flags: PageTables.v | PageTables.r | PageTables.w | PageTables.x | PageTables.a | PageTables.d)
            pteAddress = tables.map(va, to: pageA, flags: PageTables.v | PageTables.r | PageTables.w | PageTables.a | PageTables.d)
            tm.write(pageA, 8, 0xaaaa)
            tm.write(pageB, 8, 0xbbbb)
            tm[core: CoreLayout.satp] = tables.satp
            tm.priv = Privilege.supervisor
            tm[x: t1] = pteAddress
            tm[x: t2] = (pageB >> 12) << 10 | PageTables.v | PageTables.r | PageTables.w | PageTables.a | PageTables.d
        }
        #expect(m[x: a0] == 0xaaaa)
        #expect(m[x: a1] == 0xbbbb, "a page-table edit must be seen without SFENCE.VMA")
    }

    /// The reference step takes its translations from the fast path's cache too, in the
    /// steps the engines leave to it (here misaligned loads). In checking mode it also
    /// walks the tables on every hit: honest entries agree, and a planted wrong frame is
    /// caught (counted) and the walk's answer used.
    @Test func referenceStepTranslationsAreCheckedAgainstTheWalk() {
        let va: UInt64 = 0x4000_0000
        let pageA = TestMachine.base + 0x20_0000, pageB = TestMachine.base + 0x21_0000
        let code: [UInt32] = [
            lui(t0, 0x40000),        // t0 = va
            ld(a0, 0, t0),           // aligned: the stepwise engine fills the cache
            ld(a1, 1, t0),           // misaligned: the reference step, from the cache
            ld(a2, 1, t0),
            jal(0, 0),
        ]
        let tm = TestMachine()
        tm.load(code, at: TestMachine.base)
        var tables = PageTables(tm)
        tables.map(TestMachine.base, to: TestMachine.base, level: 1,
                   flags: PageTables.v | PageTables.r | PageTables.w | PageTables.x | PageTables.a | PageTables.d)
        tables.map(va, to: pageA, flags: PageTables.v | PageTables.r | PageTables.w | PageTables.a | PageTables.d)
        for i in 0..<16 {
            tm.write(pageA + UInt64(i), 1, 0x10 + UInt64(i))
            tm.write(pageB + UInt64(i), 1, 0xb0 + UInt64(i))
        }
        tm[core: CoreLayout.satp] = tables.satp
        tm.priv = Privilege.supervisor
        let machine = Machine(storage: tm.storage)
        machine.tlb.checking = true
        // Three steps: the five-instruction block does not fit, so they run one at a time.
        machine.run(steps: 3, engine: .blocks)
        #expect(tm[x: a1] == 0x1817_1615_1413_1211)
        #expect(machine.tlb.checked > 0, "the reference step took translations from the cache")
        #expect(machine.tlb.mismatches == 0)
        let slot = machine.tlb.base + (FastRunner.load << TranslationCache.bits | Int((va >> 12) & UInt64(TranslationCache.size - 1)))
        #expect(machine.tlb.tags[slot] == (va >> 12) + 1, "va's load translation is cached")
        machine.tlb.frames[slot] = pageB - MachineMap.ramBase
        machine.run(steps: 1, engine: .blocks)
        #expect(machine.tlb.mismatches > 0, "the planted frame was caught")
        #expect(tm[x: a2] == 0x1817_1615_1413_1211, "and the walk's answer used")
    }

    /// The translation cache keeps a bank per privilege level across U↔S switches; a
    /// bank filled under one satp must not serve another. User code reads a page, traps to
    /// the supervisor, which swaps satp to tables that map the page elsewhere, and
    /// returns: the user's next read must see the other page, then the first again.
    @Test func userBankIsDroppedWhenTheSupervisorSwitchesSatp() {
        let userCode: UInt64 = 0x4000_0000, userData: UInt64 = 0x4000_1000
        let codeFrame = TestMachine.base + 0x18_0000
        let pageA = TestMachine.base + 0x20_0000, pageB = TestMachine.base + 0x21_0000
        let handler: [UInt32] = [
            csrrw(t3, 0x180, t3),    // swap satp with t3
            csrr(t4, 0x141),         // sepc
            addi(t4, t4, 4),
            csrw(0x141, t4),
            sret,
        ]
        let user: [UInt32] = [
            lui(t0, 0x40001),        // t0 = userData
            ld(a0, 0, t0), ld(a0, 0, t0),
            ecall,                   // satp → the other tables
            ld(a1, 0, t0), ld(a1, 0, t0),
            ecall,                   // and back
            ld(a2, 0, t0),
            jal(0, 0),
        ]
        let m = lockstep(steps: 40) { tm in
            tm.load(handler, at: TestMachine.base)
            tm.load(user, at: codeFrame)
            tm.write(pageA, 8, 0xaaaa)
            tm.write(pageB, 8, 0xbbbb)
            let rwx = PageTables.v | PageTables.r | PageTables.w | PageTables.x | PageTables.a | PageTables.d
            var satps: [UInt64] = []
            for (area, data) in [(TestMachine.base + 0x10_0000, pageA), (TestMachine.base + 0x14_0000, pageB)] {
                var tables = PageTables(tm, tableArea: area)
                tables.map(TestMachine.base, to: TestMachine.base, level: 1, flags: rwx)
                tables.map(userCode, to: codeFrame, flags: PageTables.v | PageTables.r | PageTables.x | PageTables.u | PageTables.a)
                tables.map(userData, to: data, flags: rwx | PageTables.u)
                satps.append(tables.satp)
            }
            tm[core: CoreLayout.satp] = satps[0]
            tm[x: t3] = satps[1]
            tm[core: CoreLayout.stvec] = TestMachine.base
            tm[core: CoreLayout.medeleg] = 1 << 8          // U-mode ecall to S
            tm.priv = Privilege.user
            tm.pc = userCode
        }
        #expect(m[x: a0] == 0xaaaa && m[x: a1] == 0xbbbb && m[x: a2] == 0xaaaa,
                "a0 \(String(m[x: a0], radix: 16)) a1 \(String(m[x: a1], radix: 16)) a2 \(String(m[x: a2], radix: 16))")
    }
}

/// Review findings turned into tests.
struct TimerAndGateRegressionTests {
    /// A guest that sets mtime backwards (the offset wraps) still gets its timer
    /// interrupt, on the fast path exactly when on the reference step.
    /// Dropping a bank clears every slot that was filled in it (the cache keeps a list of
    /// them rather than clearing every slot), leaves the other bank alone, and a slot
    /// refilled while listed is cleared all the same.
    @Test func droppingABankClearsEverySlotFilledInIt() {
        let tlb = TranslationCache()
        let satp: UInt64 = 8 << 60 | 0x80100
        tlb.validate(satp: satp, priv: Privilege.supervisor, mstatus: 0, tableWrites: 0)
        tlb.validate(satp: satp, priv: Privilege.user, mstatus: 0, tableWrites: 0)
        let s = [0, 5, 300, TranslationCache.bankSlots - 1], u = [TranslationCache.bankSlots, 1000, 2 * TranslationCache.bankSlots - 1]
        for slot in s + u + [5, 1000] {
            tlb.filling(slot)
            tlb.tags[slot] = UInt64(slot) + 1
        }
        func filledSlots(_ range: Range<Int>) -> [Int] { range.filter { tlb.tags[$0] != 0 } }
        let sBank = 0..<TranslationCache.bankSlots, uBank = TranslationCache.bankSlots..<2 * TranslationCache.bankSlots
        #expect(filledSlots(sBank) == s.sorted() && filledSlots(uBank) == u.sorted())
        // The supervisor's satp changes: its bank goes, the user's stays.
        tlb.validate(satp: satp + 1, priv: Privilege.supervisor, mstatus: 0, tableWrites: 0)
        #expect(filledSlots(sBank).isEmpty)
        #expect(filledSlots(uBank) == u.sorted())
        // A page-table write drops both.
        tlb.filling(7)
        tlb.tags[7] = 8
        tlb.validate(satp: satp + 1, priv: Privilege.supervisor, mstatus: 0, tableWrites: 1)
        #expect(filledSlots(sBank).isEmpty && filledSlots(uBank).isEmpty)
        #expect(tlb.filledCount == (0, 0))
    }

    @Test func timerAfterMtimeWrittenBackwards() {
        let code: [UInt32] = [
            lui(t2, 0x200c), sd(0, -8, t2),                  // mtime = 0
            lui(t0, 0x2004), addi(t1, 0, 5), sd(t1, 0, t0),  // mtimecmp = 5
            addi(t1, 0, 0x80), csrrw(0, 0x304, t1),          // mie = MTIE
            addi(t1, 0, 8), csrrw(0, 0x300, t1),             // mstatus.MIE
            jal(0, 0),                                       // wait
        ]
        let fast = TestMachine(), reference = TestMachine()
        for m in [fast, reference] {
            m.load(code, at: TestMachine.base)
            m[core: CoreLayout.icount] = 100_000              // mtime was 1000 before the write
        }
        let a = Machine(storage: fast.storage), b = Machine(storage: reference.storage)
        var tookInterrupt = false
        for _ in 0..<700 {
            a.run(steps: 1, fastPath: true)
            b.run(steps: 1, fastPath: false)
            #expect(fast.coreWords == reference.coreWords, "core differs at step \(b.steps)")
            if reference.pc == TestMachine.mtvecDefault && reference.mcause == Cause.interruptBit | Cause.machineTimer {
                tookInterrupt = true
                break
            }
        }
        #expect(tookInterrupt, "the timer interrupt never came")
    }

    /// The input gate opens on the marker even when a partial match restarts inside it
    /// ("aab" in "aaab").
    @Test func inputGateFindsAMarkerAfterAPartialMatch() {
        let m = TestMachine(input: Array("go".utf8))
        m[core: CoreLayout.inputMarkerLength] = 3
        m[core: CoreLayout.inputMarker] = UInt64(0x62_61_61)  // "aab", little-endian
        var code: [UInt32] = [lui(t0, 0x10000)]
        for c in "aaab".utf8 { code += [addi(t1, 0, Int(c)), sb(t1, 0, t0)] }
        code += [lbu(a0, 5, t0), lbu(a1, 0, t0), jal(0, 0)]   // LSR, then RBR
        m.load(code, at: TestMachine.base)
        m.step(code.count)
        #expect(m[x: a0] & 1 == 1, "data ready once the marker was printed")
        #expect(m[x: a1] == UInt64(UInt8(ascii: "g")))
    }
}
