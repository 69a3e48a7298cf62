/// One RV64GC hart plus its devices, generic over how state is accessed. `step()` is the
/// single definition of the state transition (design invariant 1): the fast runner, the
/// proof logger and the judge's verifier all call it.
public struct Hart<S: StateAccess> {
    public var s: S
    /// Remembered decodes (pure function of the bits); nil decodes every time.
    @usableFromInline let memo: DecodeMemo?
    /// The fast path's Sv39 translations, used by this step's own translations too (not
    /// state; see `cachedTranslation`); nil walks the page tables every time. Given only
    /// with direct access: a hit skips page-table reads that a logging access would record.
    let fast: FastRunner?

    public init(_ state: S, memo: DecodeMemo? = nil) {
        s = state
        self.memo = memo
        fast = nil
    }

    init(_ state: S, memo: DecodeMemo, translations fast: FastRunner) {
        s = state
        self.memo = memo
        self.fast = fast
    }

    typealias L = CoreLayout

    // MARK: register helpers

    @inline(__always) mutating func x(_ r: UInt32) -> UInt64 { r == 0 ? 0 : s.read(L.x + Int(r)) }
    @inline(__always) mutating func setX(_ r: UInt32, _ v: UInt64) { if r != 0 { s.write(L.x + Int(r), v) } }

    // MARK: the step

    /// Executes one step: takes a pending interrupt, or runs one instruction (which may
    /// trap). Stepping a halted machine changes nothing (invariant 5), but it reads the
    /// step counter, so a halted step's proof opens the step at which the machine halted.
    @inline(__always)
    public mutating func step() {
        if s.read(L.halted) != 0 {
            _ = s.read(L.stepCount)
            return
        }
        stepRunning()
    }

    /// `step()` for a machine known not to be halted (the fast runner checks after each
    /// step, so it need not check twice).
    @inline(__always)
    mutating func stepRunning() {
        s.write(L.stepCount, s.read(L.stepCount) &+ 1)
        if let cause = pendingInterrupt() {
            takeTrap(Trap(cause | Cause.interruptBit), pc: s.read(L.pc))
            return
        }
        let pc = s.read(L.pc)
        // An execute trigger fires before the fetch; the instruction never started, so it
        // is not counted (as QEMU's instruction count does not count it).
        if triggersArmed() && executeTriggerFires(pc) {
            takeTrap(Trap(Cause.breakpoint, 0), pc: pc)
            return
        }
        do throws(Trap) {
            let bits = try fetch(pc)
            let decoded = memo?.lookup(bits, place: pc) ?? Decoded.decode(bits)
            do throws(Trap) {
                try execute(decoded, pc: pc)
            } catch {
                // An expansion can still be illegal (c.fld/c.fsd… with mstatus.FS = Off);
                // mtval must then hold the 16-bit instruction that was fetched.
                if error.cause == Cause.illegalInstruction && bits & 3 != 3 {
                    throw Trap(Cause.illegalInstruction, UInt64(bits))
                }
                throw error
            }
            retire()
        } catch {
            takeTrap(error, pc: pc)
            // As QEMU counts with -icount (the differential oracle): an instruction that
            // started and raised an exception is counted (and advances time); one whose
            // fetch faulted never started. Interrupts count nothing.
            if error.cause != Cause.instructionPageFault && error.cause != Cause.instructionAccessFault {
                retire()
            }
        }
    }

    /// Counts one retired instruction. mcycle and minstret are derived from icount, so
    /// only an inhibited counter costs extra work.
    @inline(__always) mutating func retire() {
        s.write(L.icount, s.read(L.icount) &+ 1)
        let inhibit = s.read(L.mcountinhibit)
        if inhibit != 0 {
            if inhibit & 1 != 0 { s.write(L.mcycleDelta, s.read(L.mcycleDelta) &- 1) }
            if inhibit & 4 != 0 { s.write(L.minstretDelta, s.read(L.minstretDelta) &- 1) }
        }
    }

    /// mcycle as software reads it.
    @inline(__always) mutating func mcycle() -> UInt64 { s.read(L.icount) &+ s.read(L.mcycleDelta) }
    /// minstret as software reads it.
    @inline(__always) mutating func minstret() -> UInt64 { s.read(L.icount) &+ s.read(L.minstretDelta) }

    // MARK: fetch

    @inline(__always) mutating func fetch(_ pc: UInt64) throws(Trap) -> UInt32 {
        let pa = try translate(pc, .fetch)
        let off = pa &- MachineMap.ramBase
        if off < s.read(L.ramSize) {
            // One aligned 8-byte read holds the whole instruction unless it starts in the
            // word's last halfword and is 32 bits long.
            let word = s.readRAM(off & ~7, 8)
            let inst = UInt32(truncatingIfNeeded: word >> ((off & 6) * 8))
            if inst & 3 != 3 { return inst & 0xffff }
            if off & 7 != 6 { return inst }
            let pa2 = pc & 0xfff == 0xffe ? try translate(pc &+ 2, .fetch) : pa &+ 2
            return inst & 0xffff | (try fetchHalf(pa2, va: pc &+ 2)) << 16
        }
        let lo = try fetchHalf(pa, va: pc)
        if lo & 3 != 3 { return lo }
        let pa2: UInt64
        if pc & 0xfff == 0xffe {
            pa2 = try translate(pc &+ 2, .fetch)
        } else {
            pa2 = pa &+ 2
        }
        return lo | (try fetchHalf(pa2, va: pc &+ 2)) << 16
    }

    @inline(__always) mutating func fetchHalf(_ pa: UInt64, va: UInt64) throws(Trap) -> UInt32 {
        let off = pa &- MachineMap.ramBase
        if off < s.read(L.ramSize) { return UInt32(truncatingIfNeeded: s.readRAM(off, 2)) }
        if pa &- MachineMap.romBase < UInt64(L.romWords * 8) { return UInt32(truncatingIfNeeded: romRead(pa, 2)) }
        throw Trap(Cause.instructionAccessFault, va)
    }

    // MARK: traps and interrupts

    /// The highest-priority interrupt that is pending, enabled and allowed to trap now.
    @inline(__always) mutating func pendingInterrupt() -> UInt64? {
        let mie = s.read(L.mie)
        if mie == 0 { return nil }
        let pending = readMIP() & mie
        if pending == 0 { return nil }
        let priv = s.read(L.priv)
        let mstatus = s.read(L.mstatus)
        let mideleg = s.read(L.mideleg)
        let mEnabled = priv < Privilege.machine || mstatus & MStatus.mie != 0
        let sEnabled = priv < Privilege.supervisor || (priv == Privilege.supervisor && mstatus & MStatus.sie != 0)
        var candidates: UInt64 = 0
        if mEnabled { candidates |= pending & ~mideleg }
        if sEnabled { candidates |= pending & mideleg }
        if candidates == 0 { return nil }
        // Priority order: MEI, MSI, MTI, SEI, SSI, STI.
        if candidates & (1 << Cause.machineExternal) != 0 { return Cause.machineExternal }
        if candidates & (1 << Cause.machineSoftware) != 0 { return Cause.machineSoftware }
        if candidates & (1 << Cause.machineTimer) != 0 { return Cause.machineTimer }
        if candidates & (1 << Cause.supervisorExternal) != 0 { return Cause.supervisorExternal }
        if candidates & (1 << Cause.supervisorSoftware) != 0 { return Cause.supervisorSoftware }
        return Cause.supervisorTimer
    }

    /// mip as software sees it: the stored software-writable bits plus the device lines.
    mutating func readMIP() -> UInt64 {
        var mip = s.read(L.mip)
        if s.read(L.msip) & 1 != 0 { mip |= 1 << Cause.machineSoftware }
        if mtime() >= s.read(L.mtimecmp) { mip |= 1 << Cause.machineTimer }
        let lines = s.read(L.plicLines)
        if lines & 1 != 0 { mip |= 1 << Cause.machineExternal }
        if lines & 2 != 0 { mip |= 1 << Cause.supervisorExternal }
        return mip
    }

    /// The CLINT's mtime, derived from the instruction clock (never the host clock).
    @inline(__always) mutating func mtime() -> UInt64 {
        (s.read(L.icount) &+ s.read(L.slept)) / MachineMap.instructionsPerTick &+ s.read(L.timeOffset)
    }

    /// Enters the trap handler for `trap` raised at `pc`, honouring delegation.
    mutating func takeTrap(_ trap: Trap, pc: UInt64) {
        let priv = s.read(L.priv)
        let isInterrupt = trap.cause & Cause.interruptBit != 0
        let code = trap.cause & ~Cause.interruptBit
        let deleg = isInterrupt ? s.read(L.mideleg) : s.read(L.medeleg)
        var mstatus = s.read(L.mstatus)
        // A trap always breaks an LR/SC pair.
        s.write(L.reservationValid, 0)
        if priv <= Privilege.supervisor && (deleg >> code) & 1 != 0 {
            s.write(L.scause, trap.cause)
            s.write(L.sepc, pc)
            s.write(L.stval, trap.tval)
            mstatus = (mstatus & ~MStatus.spie) | ((mstatus & MStatus.sie) << 4)
            mstatus = (mstatus & ~MStatus.spp) | (priv << 8)
            mstatus &= ~MStatus.sie
            s.write(L.mstatus, mstatus)
            s.write(L.priv, Privilege.supervisor)
            let tvec = s.read(L.stvec)
            s.write(L.pc, trapTarget(tvec, trap.cause))
        } else {
            s.write(L.mcause, trap.cause)
            s.write(L.mepc, pc)
            s.write(L.mtval, trap.tval)
            mstatus = (mstatus & ~MStatus.mpie) | ((mstatus & MStatus.mie) << 4)
            mstatus = (mstatus & ~MStatus.mpp) | (priv << MStatus.mppShift)
            mstatus &= ~MStatus.mie
            s.write(L.mstatus, mstatus)
            s.write(L.priv, Privilege.machine)
            let tvec = s.read(L.mtvec)
            s.write(L.pc, trapTarget(tvec, trap.cause))
        }
    }

    @inline(__always) func trapTarget(_ tvec: UInt64, _ cause: UInt64) -> UInt64 {
        let base = tvec & ~3
        if tvec & 1 == 1 && cause & Cause.interruptBit != 0 {
            return base &+ 4 &* (cause & ~Cause.interruptBit)
        }
        return base
    }
}

/// How many more retired instructions (at clock value `clock` = icount + slept) until
/// mtime, now `mtime` < `mtimecmp`, reaches `mtimecmp`; nil if that lies beyond 2⁶⁴.
/// mtime = clock / instructionsPerTick + timeOffset, all wrapping, so a guest that sets
/// mtime backwards still gets its interrupt when the wrapped value gets there.
@inline(__always) func instructionsUntilTimer(clock: UInt64, mtime: UInt64, mtimecmp: UInt64) -> UInt64? {
    let ipt = MachineMap.instructionsPerTick
    let (tick, o1) = (clock / ipt).addingReportingOverflow(mtimecmp &- mtime)
    let (target, o2) = tick.multipliedReportingOverflow(by: ipt)
    if o1 || o2 { return nil }
    return target - clock
}
