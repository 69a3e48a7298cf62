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
}

/// Review findings turned into tests.
struct TimerAndGateRegressionTests {
    /// A guest that sets mtime backwards (the offset wraps) still gets its timer
    /// interrupt, on the fast path exactly when on the reference step.
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
