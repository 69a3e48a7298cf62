/// The base integer ISA (RV64I), Zicsr, Zifencei and the privileged instructions.
/// Extensions live in their own files and are reached from `execute`.
extension Hart {
    @inline(__always) func illegal(_ inst: UInt32) -> Trap { Trap(Cause.illegalInstruction, UInt64(inst)) }

    /// Executes one 32-bit instruction (compressed ones arrive expanded, with `length` 2)
    /// and advances pc. Throws the trap the instruction raises; state is then unchanged
    /// apart from what the spec allows (A/D bits of a completed page walk).
    @inline(__always)
    mutating func execute(_ inst: UInt32, pc: UInt64, length: UInt64) throws(Trap) {
        var next = pc &+ length
        let rd = Field.rd(inst)
        switch inst & 0x7f {
        case 0x37: // LUI
            setX(rd, Field.immU(inst))
        case 0x17: // AUIPC
            setX(rd, pc &+ Field.immU(inst))
        case 0x6f: // JAL
            setX(rd, next)
            next = pc &+ Field.immJ(inst)
        case 0x67: // JALR
            guard Field.funct3(inst) == 0 else { throw illegal(inst) }
            let target = (x(Field.rs1(inst)) &+ Field.immI(inst)) & ~1
            setX(rd, next)
            next = target
        case 0x63: // BRANCH
            let a = x(Field.rs1(inst)), b = x(Field.rs2(inst))
            let taken: Bool
            switch Field.funct3(inst) {
            case 0: taken = a == b
            case 1: taken = a != b
            case 4: taken = Int64(bitPattern: a) < Int64(bitPattern: b)
            case 5: taken = Int64(bitPattern: a) >= Int64(bitPattern: b)
            case 6: taken = a < b
            case 7: taken = a >= b
            default: throw illegal(inst)
            }
            if taken { next = pc &+ Field.immB(inst) }
        case 0x03: // LOAD
            let addr = x(Field.rs1(inst)) &+ Field.immI(inst)
            let v: UInt64
            switch Field.funct3(inst) {
            case 0: v = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: try load(addr, 1))))
            case 1: v = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: try load(addr, 2))))
            case 2: v = sext32(try load(addr, 4))
            case 3: v = try load(addr, 8)
            case 4: v = try load(addr, 1)
            case 5: v = try load(addr, 2)
            case 6: v = try load(addr, 4)
            default: throw illegal(inst)
            }
            setX(rd, v)
        case 0x23: // STORE
            let addr = x(Field.rs1(inst)) &+ Field.immS(inst)
            let f3 = Field.funct3(inst)
            guard f3 < 4 else { throw illegal(inst) }
            try store(addr, 1 << Int(f3), x(Field.rs2(inst)))
        case 0x13: // OP-IMM
            setX(rd, try opImm(inst))
        case 0x1b: // OP-IMM-32
            setX(rd, try opImm32(inst))
        case 0x33: // OP
            setX(rd, try op(inst))
        case 0x3b: // OP-32
            setX(rd, try op32(inst))
        case 0x0f: // MISC-MEM: FENCE, FENCE.I — nothing to order or flush (no caches are kept).
            guard Field.funct3(inst) <= 1 else { throw illegal(inst) }
        case 0x73:
            try system(inst, pc: pc, next: &next)
        case 0x2f:
            try atomic(inst)
        case 0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53:
            try floatingPoint(inst)
        default:
            throw illegal(inst)
        }
        s.write(L.pc, next)
    }

    @inline(__always) mutating func opImm(_ inst: UInt32) throws(Trap) -> UInt64 {
        let a = x(Field.rs1(inst))
        let imm = Field.immI(inst)
        switch Field.funct3(inst) {
        case 0: return a &+ imm
        case 1:
            guard inst >> 26 == 0 else { throw illegal(inst) }
            return a << (imm & 63)
        case 2: return Int64(bitPattern: a) < Int64(bitPattern: imm) ? 1 : 0
        case 3: return a < imm ? 1 : 0
        case 4: return a ^ imm
        case 5:
            switch inst >> 26 {
            case 0: return a >> (imm & 63)
            case 0x10: return UInt64(bitPattern: Int64(bitPattern: a) >> (imm & 63))
            default: throw illegal(inst)
            }
        case 6: return a | imm
        default: return a & imm
        }
    }

    @inline(__always) mutating func opImm32(_ inst: UInt32) throws(Trap) -> UInt64 {
        let a = x(Field.rs1(inst))
        let shamt = UInt32((inst >> 20) & 31)
        switch Field.funct3(inst) {
        case 0: return sext32(a &+ Field.immI(inst))
        case 1:
            guard Field.funct7(inst) == 0 else { throw illegal(inst) }
            return sext32(UInt64(UInt32(truncatingIfNeeded: a) << shamt))
        case 5:
            switch Field.funct7(inst) {
            case 0: return sext32(UInt64(UInt32(truncatingIfNeeded: a) >> shamt))
            case 0x20: return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a) >> Int32(shamt)))
            default: throw illegal(inst)
            }
        default: throw illegal(inst)
        }
    }

    @inline(__always) mutating func op(_ inst: UInt32) throws(Trap) -> UInt64 {
        let a = x(Field.rs1(inst)), b = x(Field.rs2(inst))
        // Key: funct7 << 3 | funct3.
        switch Field.funct7(inst) << 3 | Field.funct3(inst) {
        case 0: return a &+ b
        case 0x100: return a &- b
        case 1: return a << (b & 63)
        case 2: return Int64(bitPattern: a) < Int64(bitPattern: b) ? 1 : 0
        case 3: return a < b ? 1 : 0
        case 4: return a ^ b
        case 5: return a >> (b & 63)
        case 0x105: return UInt64(bitPattern: Int64(bitPattern: a) >> (b & 63))
        case 6: return a | b
        case 7: return a & b
        case 8...15: return mulDiv(Field.funct3(inst), a, b)
        default: throw illegal(inst)
        }
    }

    @inline(__always) mutating func op32(_ inst: UInt32) throws(Trap) -> UInt64 {
        let a = x(Field.rs1(inst)), b = x(Field.rs2(inst))
        let a32 = UInt32(truncatingIfNeeded: a), b32 = UInt32(truncatingIfNeeded: b)
        switch (Field.funct7(inst), Field.funct3(inst)) {
        case (0, 0): return sext32(UInt64(a32 &+ b32))
        case (0x20, 0): return sext32(UInt64(a32 &- b32))
        case (0, 1): return sext32(UInt64(a32 << (b32 & 31)))
        case (0, 5): return sext32(UInt64(a32 >> (b32 & 31)))
        case (0x20, 5): return UInt64(bitPattern: Int64(Int32(bitPattern: a32) >> Int32(b32 & 31)))
        case (1, let f3): return try mulDiv32(f3, a32, b32, inst)
        default: throw illegal(inst)
        }
    }

    // MARK: SYSTEM

    mutating func system(_ inst: UInt32, pc: UInt64, next: inout UInt64) throws(Trap) {
        let f3 = Field.funct3(inst)
        if f3 == 0 {
            try privileged(inst, pc: pc, next: &next)
            return
        }
        guard f3 != 4 else { throw illegal(inst) }
        let rd = Field.rd(inst), rs1 = Field.rs1(inst)
        let addr = inst >> 20
        let operand = f3 >= 5 ? UInt64(rs1) : x(rs1)
        let old = try csrRead(addr, inst: inst)
        switch f3 & 3 {
        case 1: try csrWrite(addr, operand, inst: inst)
        case 2: if rs1 != 0 { try csrWrite(addr, old | operand, inst: inst) }
        default: if rs1 != 0 { try csrWrite(addr, old & ~operand, inst: inst) }
        }
        setX(rd, old)
    }

    mutating func privileged(_ inst: UInt32, pc: UInt64, next: inout UInt64) throws(Trap) {
        let priv = s.read(L.priv)
        if Field.funct7(inst) == 0x09 && Field.rd(inst) == 0 {
            // SFENCE.VMA: nothing is cached, so only the privilege checks remain.
            if priv == Privilege.user || (priv == Privilege.supervisor && s.read(L.mstatus) & MStatus.tvm != 0) {
                throw illegal(inst)
            }
            return
        }
        switch inst {
        case 0x0000_0073: // ECALL
            throw Trap(priv == Privilege.user ? Cause.ecallFromU : priv == Privilege.supervisor ? Cause.ecallFromS : Cause.ecallFromM)
        case 0x0010_0073: // EBREAK (mtval 0, as QEMU writes it; the spec allows 0 or pc)
            throw Trap(Cause.breakpoint, 0)
        case 0x3020_0073: // MRET
            guard priv == Privilege.machine else { throw illegal(inst) }
            var m = s.read(L.mstatus)
            let mpp = (m >> MStatus.mppShift) & 3
            m = (m & ~MStatus.mie) | ((m & MStatus.mpie) >> 4)
            m |= MStatus.mpie
            m &= ~MStatus.mpp
            if mpp != Privilege.machine { m &= ~MStatus.mprv }
            s.write(L.mstatus, m)
            s.write(L.priv, mpp)
            next = s.read(L.mepc)
        case 0x1020_0073: // SRET
            guard priv == Privilege.machine || (priv == Privilege.supervisor && s.read(L.mstatus) & MStatus.tsr == 0) else {
                throw illegal(inst)
            }
            var m = s.read(L.mstatus)
            let spp = (m >> 8) & 1
            m = (m & ~MStatus.sie) | ((m & MStatus.spie) >> 4)
            m |= MStatus.spie
            m &= ~MStatus.spp
            m &= ~MStatus.mprv
            s.write(L.mstatus, m)
            s.write(L.priv, spp)
            next = s.read(L.sepc)
        case 0x1050_0073: // WFI
            if priv == Privilege.user || (priv == Privilege.supervisor && s.read(L.mstatus) & MStatus.tw != 0) {
                throw illegal(inst)
            }
            waitForInterrupt()
        default:
            throw illegal(inst)
        }
    }

    /// WFI: if nothing is pending but the timer is armed, the instruction clock jumps to
    /// the timer deadline (the machine "sleeps" until then, as QEMU's icount mode does);
    /// otherwise WFI is a no-op. Deterministic either way.
    mutating func waitForInterrupt() {
        let mie = s.read(L.mie)
        if readMIP() & mie != 0 { return }
        guard mie & (1 << Cause.machineTimer) != 0 else { return }
        let cmp = s.read(L.mtimecmp)
        let offset = s.read(L.timeOffset)
        guard cmp >= offset else { return }
        let ticks = cmp &- offset
        guard ticks <= UInt64.max / MachineMap.instructionsPerTick else { return }
        // Clock value (icount + slept) at which mtime reaches mtimecmp; retire() adds
        // one for the WFI itself.
        let target = ticks * MachineMap.instructionsPerTick
        let clock = s.read(L.icount) &+ s.read(L.slept) &+ 1
        if target > clock { s.write(L.slept, s.read(L.slept) &+ (target - clock)) }
    }
}
