/// Control and status registers: access checks, WARL legalisation, and the views (sstatus,
/// sie, sip) that alias machine registers. CSRs the machine does not have raise an illegal
/// instruction exception, as OpenSBI and Linux expect when they probe.
extension Hart {
    /// Interrupt bits S-mode may see through sie/sip when delegated.
    static var supervisorInterrupts: UInt64 { (1 << 1) | (1 << 5) | (1 << 9) }
    static var misaValue: UInt64 {
        // RV64 with A, C, D, F, I, M, S, U.
        (2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
    }

    /// Reads CSR `addr` for an instruction at privilege `priv`; `inst` is the raw
    /// instruction, reported as mtval when the access is illegal.
    mutating func csrRead(_ addr: UInt32, inst: UInt32) throws(Trap) -> UInt64 {
        let priv = s.read(L.priv)
        if priv < UInt64((addr >> 8) & 3) { throw Trap(Cause.illegalInstruction, UInt64(inst)) }
        switch addr {
        case 0x001, 0x002, 0x003:
            try requireFP(inst)
            let fcsr = s.read(L.fcsr)
            return addr == 0x001 ? fcsr & 0x1f : addr == 0x002 ? (fcsr >> 5) & 7 : fcsr & 0xff
        case 0xC00...0xC1F:
            try checkCounterAccess(addr, inst: inst)
            switch addr {
            case 0xC00: return mcycle()
            case 0xC01: return mtime()
            case 0xC02: return minstret()
            default: return 0
            }
        case 0x100: return sstatusValue()
        case 0x104: return s.read(L.mie) & s.read(L.mideleg)
        case 0x105: return s.read(L.stvec)
        case 0x106: return s.read(L.scounteren)
        case 0x10A: return s.read(L.senvcfg)
        case 0x140: return s.read(L.sscratch)
        case 0x141: return s.read(L.sepc)
        case 0x142: return s.read(L.scause)
        case 0x143: return s.read(L.stval)
        case 0x144: return readMIP() & s.read(L.mideleg)
        case 0x180:
            if priv == Privilege.supervisor && s.read(L.mstatus) & MStatus.tvm != 0 {
                throw Trap(Cause.illegalInstruction, UInt64(inst))
            }
            return s.read(L.satp)
        case 0xF11, 0xF12, 0xF13, 0xF14, 0xF15: return 0
        case 0x300: return mstatusValue()
        case 0x301: return Self.misaValue
        case 0x302: return s.read(L.medeleg)
        case 0x303: return s.read(L.mideleg)
        case 0x304: return s.read(L.mie)
        case 0x305: return s.read(L.mtvec)
        case 0x306: return s.read(L.mcounteren)
        case 0x30A: return s.read(L.menvcfg)
        case 0x320: return s.read(L.mcountinhibit)
        case 0x323...0x33F: return 0
        case 0x340: return s.read(L.mscratch)
        case 0x341: return s.read(L.mepc)
        case 0x342: return s.read(L.mcause)
        case 0x343: return s.read(L.mtval)
        case 0x344: return readMIP()
        case 0x3A0: return s.read(L.pmpcfg0)
        case 0x3A2: return s.read(L.pmpcfg2)
        case 0x3B0...0x3BF: return s.read(L.pmpaddr + Int(addr - 0x3B0))
        case 0x7A0...0x7A4: return triggerCSRRead(addr)
        case 0xB00: return mcycle()
        case 0xB02: return minstret()
        case 0xB03...0xB1F: return 0
        default: throw Trap(Cause.illegalInstruction, UInt64(inst))
        }
    }

    /// Writes CSR `addr` (after a successful read check: the caller reads first).
    mutating func csrWrite(_ addr: UInt32, _ v: UInt64, inst: UInt32) throws(Trap) {
        if addr >> 10 == 3 { throw Trap(Cause.illegalInstruction, UInt64(inst)) }
        switch addr {
        case 0x001:
            s.write(L.fcsr, (s.read(L.fcsr) & ~0x1f) | (v & 0x1f)); markFPDirty()
        case 0x002:
            s.write(L.fcsr, (s.read(L.fcsr) & 0x1f) | ((v & 7) << 5)); markFPDirty()
        case 0x003:
            s.write(L.fcsr, v & 0xff); markFPDirty()
        case 0x100:
            let m = s.read(L.mstatus)
            s.write(L.mstatus, (m & ~MStatus.supervisorWritable) | (v & MStatus.supervisorWritable))
        case 0x104:
            let mask = s.read(L.mideleg)
            s.write(L.mie, (s.read(L.mie) & ~mask) | (v & mask))
        case 0x105: writeTvec(L.stvec, v)
        case 0x106: s.write(L.scounteren, v & 0xffff_ffff)
        case 0x10A: s.write(L.senvcfg, v & 1)
        case 0x140: s.write(L.sscratch, v)
        case 0x141: s.write(L.sepc, v & ~1)
        case 0x142: s.write(L.scause, v)
        case 0x143: s.write(L.stval, v)
        case 0x144:
            // Only SSIP is writable from S-mode, and only when delegated.
            let mask = s.read(L.mideleg) & (1 << 1)
            s.write(L.mip, (s.read(L.mip) & ~mask) | (v & mask))
        case 0x180:
            let mode = v >> 60
            if mode == 0 || mode == 8 {
                s.write(L.satp, v & ((0xf << 60) | (0xffff << 44) | ((1 << 44) - 1)))
            }
        case 0x300:
            var m = (s.read(L.mstatus) & ~MStatus.writable) | (v & MStatus.writable)
            // MPP is WARL over {U, S, M}: the reserved value 2 keeps the old field.
            if (m >> MStatus.mppShift) & 3 == 2 {
                m = (m & ~MStatus.mpp) | (s.read(L.mstatus) & MStatus.mpp)
            }
            s.write(L.mstatus, m)
        case 0x301: break
        case 0x302: s.write(L.medeleg, v & 0xb3ff)
        case 0x303: s.write(L.mideleg, v & Self.supervisorInterrupts)
        case 0x304: s.write(L.mie, v & 0xaaa)
        case 0x305: writeTvec(L.mtvec, v)
        case 0x306: s.write(L.mcounteren, v & 0xffff_ffff)
        case 0x30A: s.write(L.menvcfg, v & 1)
        case 0x320: s.write(L.mcountinhibit, v & 5)
        case 0x323...0x33F: break
        case 0x340: s.write(L.mscratch, v)
        case 0x341: s.write(L.mepc, v & ~1)
        case 0x342: s.write(L.mcause, v)
        case 0x343: s.write(L.mtval, v)
        case 0x344:
            let mask = Self.supervisorInterrupts
            s.write(L.mip, (s.read(L.mip) & ~mask) | (v & mask))
        case 0x3A0: s.write(L.pmpcfg0, v & 0x9f9f_9f9f_9f9f_9f9f)
        case 0x3A2: s.write(L.pmpcfg2, v & 0x9f9f_9f9f_9f9f_9f9f)
        case 0x3B0...0x3BF: s.write(L.pmpaddr + Int(addr - 0x3B0), v & ((1 << 54) - 1))
        case 0x7A0...0x7A4: triggerCSRWrite(addr, v)
        // Zicsr: a write to a counter the instruction also increments "is done instead of
        // the increment", so the next read after `csrw minstret, X` sees X. `retire()`
        // still adds one to icount for the writing instruction (time and the step count
        // must advance), so the delta is set one lower, unless the counter is inhibited
        // and `retire()` will not move it. QEMU 7.2 differs here (docs/ENGINE.md).
        case 0xB00: s.write(L.mcycleDelta, v &- s.read(L.icount) &- (s.read(L.mcountinhibit) & 1 == 0 ? 1 : 0))
        case 0xB02: s.write(L.minstretDelta, v &- s.read(L.icount) &- (s.read(L.mcountinhibit) & 4 == 0 ? 1 : 0))
        case 0xB03...0xB1F: break
        default: throw Trap(Cause.illegalInstruction, UInt64(inst))
        }
    }

    mutating func writeTvec(_ index: Int, _ v: UInt64) {
        // Modes 0 (direct) and 1 (vectored) only; other modes keep the old mode.
        let mode = v & 3
        s.write(index, mode < 2 ? v : (v & ~3) | (s.read(index) & 3))
    }

    mutating func mstatusValue() -> UInt64 {
        var m = s.read(L.mstatus) | MStatus.xlFields
        if m & MStatus.fs == MStatus.fs { m |= MStatus.sd }
        return m
    }

    mutating func sstatusValue() -> UInt64 {
        mstatusValue() & (MStatus.supervisorWritable | (3 << 32) | MStatus.sd)
    }

    mutating func checkCounterAccess(_ addr: UInt32, inst: UInt32) throws(Trap) {
        let priv = s.read(L.priv)
        let bit = UInt64(1) << UInt64(addr & 31)
        if priv < Privilege.machine && s.read(L.mcounteren) & bit == 0 {
            throw Trap(Cause.illegalInstruction, UInt64(inst))
        }
        if priv == Privilege.user && s.read(L.scounteren) & bit == 0 {
            throw Trap(Cause.illegalInstruction, UInt64(inst))
        }
    }

    /// FP instructions and fcsr accesses are illegal while mstatus.FS is Off.
    @inline(__always) mutating func requireFP(_ inst: UInt32) throws(Trap) {
        if s.read(L.mstatus) & MStatus.fs == 0 { throw Trap(Cause.illegalInstruction, UInt64(inst)) }
    }

    @inline(__always) mutating func markFPDirty() {
        let m = s.read(L.mstatus)
        if m & MStatus.fs != MStatus.fs { s.write(L.mstatus, m | MStatus.fs) }
    }
}
