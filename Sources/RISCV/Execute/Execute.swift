/// The base integer ISA (RV64I), Zicsr, Zifencei and the privileged instructions.
/// Extensions live in their own files and are reached from `execute`.
extension Hart {
    @inline(__always) func illegal(_ inst: UInt32) -> Trap { Trap(Cause.illegalInstruction, UInt64(inst)) }

    @inline(__always) mutating func xr(_ r: UInt8) -> UInt64 { r == 0 ? 0 : s.read(L.x + Int(r)) }
    @inline(__always) mutating func setXr(_ r: UInt8, _ v: UInt64) { if r != 0 { s.write(L.x + Int(r), v) } }

    /// Executes one decoded instruction and advances pc. Throws the trap the instruction
    /// raises; state is then unchanged apart from what the spec allows (A/D bits of a
    /// completed page walk).
    @inline(__always)
    mutating func execute(_ d: Decoded, pc: UInt64) throws(Trap) {
        var next = pc &+ d.length
        let rd = d.rd
        switch d.op {
        case .lui: setXr(rd, d.imm)
        case .auipc: setXr(rd, pc &+ d.imm)
        case .jal:
            setXr(rd, next)
            next = pc &+ d.imm
        case .jalr:
            let target = (xr(d.rs1) &+ d.imm) & ~1
            setXr(rd, next)
            next = target
        case .beq: if xr(d.rs1) == xr(d.rs2) { next = pc &+ d.imm }
        case .bne: if xr(d.rs1) != xr(d.rs2) { next = pc &+ d.imm }
        case .blt: if IntegerOps.lt(xr(d.rs1), xr(d.rs2)) { next = pc &+ d.imm }
        case .bge: if IntegerOps.ge(xr(d.rs1), xr(d.rs2)) { next = pc &+ d.imm }
        case .bltu: if xr(d.rs1) < xr(d.rs2) { next = pc &+ d.imm }
        case .bgeu: if xr(d.rs1) >= xr(d.rs2) { next = pc &+ d.imm }
        case .lb: setXr(rd, UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: try load(xr(d.rs1) &+ d.imm, 1)))))
        case .lh: setXr(rd, UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: try load(xr(d.rs1) &+ d.imm, 2)))))
        case .lw: setXr(rd, sext32(try load(xr(d.rs1) &+ d.imm, 4)))
        case .ld: setXr(rd, try load(xr(d.rs1) &+ d.imm, 8))
        case .lbu: setXr(rd, try load(xr(d.rs1) &+ d.imm, 1))
        case .lhu: setXr(rd, try load(xr(d.rs1) &+ d.imm, 2))
        case .lwu: setXr(rd, try load(xr(d.rs1) &+ d.imm, 4))
        case .sb: try store(xr(d.rs1) &+ d.imm, 1, xr(d.rs2))
        case .sh: try store(xr(d.rs1) &+ d.imm, 2, xr(d.rs2))
        case .sw: try store(xr(d.rs1) &+ d.imm, 4, xr(d.rs2))
        case .sd: try store(xr(d.rs1) &+ d.imm, 8, xr(d.rs2))
        case .addi: setXr(rd, IntegerOps.add(xr(d.rs1), d.imm))
        case .slti: setXr(rd, IntegerOps.slt(xr(d.rs1), d.imm))
        case .sltiu: setXr(rd, IntegerOps.sltu(xr(d.rs1), d.imm))
        case .xori: setXr(rd, IntegerOps.xor(xr(d.rs1), d.imm))
        case .ori: setXr(rd, IntegerOps.or(xr(d.rs1), d.imm))
        case .andi: setXr(rd, IntegerOps.and(xr(d.rs1), d.imm))
        case .slli: setXr(rd, IntegerOps.sll(xr(d.rs1), d.imm))
        case .srli: setXr(rd, IntegerOps.srl(xr(d.rs1), d.imm))
        case .srai: setXr(rd, IntegerOps.sra(xr(d.rs1), d.imm))
        case .addiw: setXr(rd, IntegerOps.addw(xr(d.rs1), d.imm))
        case .slliw: setXr(rd, IntegerOps.sllw(xr(d.rs1), d.imm))
        case .srliw: setXr(rd, IntegerOps.srlw(xr(d.rs1), d.imm))
        case .sraiw: setXr(rd, IntegerOps.sraw(xr(d.rs1), d.imm))
        case .add: setXr(rd, IntegerOps.add(xr(d.rs1), xr(d.rs2)))
        case .sub: setXr(rd, IntegerOps.sub(xr(d.rs1), xr(d.rs2)))
        case .sll: setXr(rd, IntegerOps.sll(xr(d.rs1), xr(d.rs2)))
        case .slt: setXr(rd, IntegerOps.slt(xr(d.rs1), xr(d.rs2)))
        case .sltu: setXr(rd, IntegerOps.sltu(xr(d.rs1), xr(d.rs2)))
        case .xor: setXr(rd, IntegerOps.xor(xr(d.rs1), xr(d.rs2)))
        case .srl: setXr(rd, IntegerOps.srl(xr(d.rs1), xr(d.rs2)))
        case .sra: setXr(rd, IntegerOps.sra(xr(d.rs1), xr(d.rs2)))
        case .or: setXr(rd, IntegerOps.or(xr(d.rs1), xr(d.rs2)))
        case .and: setXr(rd, IntegerOps.and(xr(d.rs1), xr(d.rs2)))
        case .mul, .mulh, .mulhsu, .mulhu, .div, .divu, .rem, .remu:
            setXr(rd, mulDiv(UInt32(d.op.rawValue - Decoded.Op.mul.rawValue), xr(d.rs1), xr(d.rs2)))
        case .addw: setXr(rd, IntegerOps.addw(xr(d.rs1), xr(d.rs2)))
        case .subw: setXr(rd, IntegerOps.subw(xr(d.rs1), xr(d.rs2)))
        case .sllw: setXr(rd, IntegerOps.sllw(xr(d.rs1), xr(d.rs2)))
        case .srlw: setXr(rd, IntegerOps.srlw(xr(d.rs1), xr(d.rs2)))
        case .sraw: setXr(rd, IntegerOps.sraw(xr(d.rs1), xr(d.rs2)))
        case .mulw: setXr(rd, try mulDiv32(0, UInt32(truncatingIfNeeded: xr(d.rs1)), UInt32(truncatingIfNeeded: xr(d.rs2)), d.inst))
        case .divw: setXr(rd, try mulDiv32(4, UInt32(truncatingIfNeeded: xr(d.rs1)), UInt32(truncatingIfNeeded: xr(d.rs2)), d.inst))
        case .divuw: setXr(rd, try mulDiv32(5, UInt32(truncatingIfNeeded: xr(d.rs1)), UInt32(truncatingIfNeeded: xr(d.rs2)), d.inst))
        case .remw: setXr(rd, try mulDiv32(6, UInt32(truncatingIfNeeded: xr(d.rs1)), UInt32(truncatingIfNeeded: xr(d.rs2)), d.inst))
        case .remuw: setXr(rd, try mulDiv32(7, UInt32(truncatingIfNeeded: xr(d.rs1)), UInt32(truncatingIfNeeded: xr(d.rs2)), d.inst))
        case .fence: break // nothing to order or flush: no caches are kept
        case .system: try system(d.inst, pc: pc, next: &next)
        case .atomic: try atomic(d.inst)
        case .fp: try floatingPoint(d.inst)
        case .illegal: throw Trap(Cause.illegalInstruction, UInt64(d.bits))
        }
        s.write(L.pc, next)
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
        // Sleep until mtime reaches mtimecmp (not pending, so mtime < mtimecmp now);
        // retire() adds one for the WFI itself.
        let clock = s.read(L.icount) &+ s.read(L.slept)
        guard let wait = instructionsUntilTimer(clock: clock, mtime: mtime(), mtimecmp: s.read(L.mtimecmp)),
              wait > 1 else { return }
        s.write(L.slept, s.read(L.slept) &+ (wait - 1))
    }
}
