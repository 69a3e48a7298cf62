/// The fast path of `Machine.run`: straight-line execution of plain instructions (integer
/// ALU, branches, jumps, aligned RAM loads and stores) with pc and the instruction clock
/// kept in registers, and Sv39 translations from a cache. It runs only while nothing it
/// skips could matter — no interrupt able to fire, no counter inhibited, no debug trigger
/// armed — and hands
/// every other instruction to the reference `Hart.stepRunning()`. Tests run every guest in lockstep
/// against the reference step to show the two bit-identical (design invariant 1).
struct FastRunner {
    let core: UnsafeMutablePointer<UInt64>
    let ram: UnsafeMutableRawPointer
    let ramSize: UInt64
    let dirty: UnsafeMutablePointer<UInt64>
    let tablePages: UnsafeMutablePointer<UInt64>
    let codePages: UnsafeMutablePointer<UInt64>
    unowned(unsafe) let storage: MachineStorage
    // Strong on purpose: calling a method through an unowned(unsafe) reference retains
    // and releases it around every call, which cost the stepwise engine 4x (measured).
    let memo: DecodeMemo
    let tlb: TranslationCache

    init(storage: MachineStorage, memo: DecodeMemo, tlb: TranslationCache) {
        core = storage.core
        ram = storage.ram
        ramSize = UInt64(storage.ramSize)
        dirty = storage.dirtyPages
        tablePages = storage.tablePages
        codePages = storage.codePages
        self.storage = storage
        self.memo = memo
        self.tlb = tlb
    }

    typealias L = CoreLayout

    /// How many plain instructions may run before an interrupt could need taking: 0 when
    /// the fast path may not run now. Interrupt sources other than the timer change only
    /// through instructions this path never runs (CSR writes, MMIO, traps, xRET, WFI).
    @inline(__always) func budget() -> UInt64 {
        if core[L.mcountinhibit] != 0 { return 0 }
        // An armed debug trigger could fire on any fetch, load or store: the reference
        // step checks each one (`Hart.triggersArmed()`).
        if (core[L.triggerControl] | core[L.triggerControl + 1]) & Trigger.accessBits != 0 { return 0 }
        let priv = core[L.priv]
        let mstatus = core[L.mstatus]
        // M-mode with MPRV (data translated, fetch not) is left to the reference step.
        if core[L.satp] >> 60 == 8 && priv == Privilege.machine && mstatus & MStatus.mprv != 0 { return 0 }
        let mie = core[L.mie]
        if mie == 0 { return .max }
        // Something enabled is already pending: let the reference step decide.
        var pending = core[L.mip]
        if core[L.msip] & 1 != 0 { pending |= 1 << Cause.machineSoftware }
        if core[L.plicLines] & 1 != 0 { pending |= 1 << Cause.machineExternal }
        if core[L.plicLines] & 2 != 0 { pending |= 1 << Cause.supervisorExternal }
        let clock = core[L.icount] &+ core[L.slept]
        let mtime = clock / MachineMap.instructionsPerTick &+ core[L.timeOffset]
        if mtime >= core[L.mtimecmp] { pending |= 1 << Cause.machineTimer }
        if pending & mie != 0 { return 0 }
        guard mie & (1 << Cause.machineTimer) != 0 else { return .max }
        // Instructions until mtime reaches mtimecmp, in the same wrapping arithmetic as
        // the reference (mtime < mtimecmp here, or the timer would be pending).
        return instructionsUntilTimer(clock: clock, mtime: mtime, mtimecmp: core[L.mtimecmp]) ?? .max
    }

    /// The RAM offset of an aligned data access, or nil when the reference step must do it
    /// (misaligned, not RAM, or no cached translation).
    @inline(__always) func ramOffset(_ addr: UInt64, _ size: UInt64, _ kind: Int, paging: Bool) -> UInt64? {
        guard addr & (size - 1) == 0 else { return nil }
        guard let a = paging ? translate(addr, kind) : addr &- MachineMap.ramBase, a < ramSize else { return nil }
        return a
    }

    @inline(__always) func x(_ r: UInt8) -> UInt64 { r == 0 ? 0 : core[L.x + Int(r)] }
    @inline(__always) func setX(_ r: UInt8, _ v: UInt64) { if r != 0 { core[L.x + Int(r)] = v } }

    /// Runs up to `limit` plain instructions; returns how many ran. Stops before the first
    /// instruction it does not handle, leaving pc on it.
    func run(_ limit: UInt64) -> UInt64 {
        var pc = core[L.pc]
        var n: UInt64 = 0
        let base = MachineMap.ramBase
        let priv = core[L.priv]
        let paging = core[L.satp] >> 60 == 8 && priv != Privilege.machine
        if paging {
            tlb.validate(satp: core[L.satp], priv: priv, mstatus: core[L.mstatus], tableWrites: storage.tableWrites)
        }
        defer {
            core[L.pc] = pc
            core[L.icount] &+= n
            core[L.stepCount] &+= n
        }
        // The frame of the code page last fetched from (straight-line code stays in it).
        var codePage: UInt64 = .max, codeFrame: UInt64 = 0
        while n < limit {
            let off: UInt64
            if paging {
                // A 32-bit instruction in a page's last halfword crosses pages: reference step.
                guard pc & 0xfff != 0xffe else { return n }
                if pc >> 12 == codePage {
                    off = codeFrame | (pc & 0xfff)
                } else {
                    guard let o = translate(pc, FastRunner.fetch) else { return n }
                    off = o
                    codePage = pc >> 12
                    codeFrame = o & ~0xfff
                }
            } else {
                off = pc &- base
            }
            // The whole instruction must lie in RAM; a 32-bit one may straddle words.
            guard off < ramSize &- 4 else { return n }
            let word = ram.load(fromByteOffset: Int(off & ~7), as: UInt64.self)
            var bits = UInt32(truncatingIfNeeded: word >> ((off & 6) * 8))
            if bits & 3 != 3 {
                bits &= 0xffff
            } else if off & 7 == 6 {
                bits = bits & 0xffff | UInt32(ram.load(fromByteOffset: Int(off + 2), as: UInt16.self)) << 16
            }
            let d = memo.lookup(bits, place: pc)
            var next = pc &+ d.length
            switch d.op {
            case .lui: setX(d.rd, d.imm)
            case .auipc: setX(d.rd, pc &+ d.imm)
            case .jal: setX(d.rd, next); next = pc &+ d.imm
            case .jalr:
                let target = (x(d.rs1) &+ d.imm) & ~1
                setX(d.rd, next)
                next = target
            case .beq: if x(d.rs1) == x(d.rs2) { next = pc &+ d.imm }
            case .bne: if x(d.rs1) != x(d.rs2) { next = pc &+ d.imm }
            case .blt: if IntegerOps.lt(x(d.rs1), x(d.rs2)) { next = pc &+ d.imm }
            case .bge: if IntegerOps.ge(x(d.rs1), x(d.rs2)) { next = pc &+ d.imm }
            case .bltu: if x(d.rs1) < x(d.rs2) { next = pc &+ d.imm }
            case .bgeu: if x(d.rs1) >= x(d.rs2) { next = pc &+ d.imm }
            case .lb, .lh, .lw, .ld, .lbu, .lhu, .lwu:
                let addr = x(d.rs1) &+ d.imm
                let size: UInt64 = d.op == .lb || d.op == .lbu ? 1 : d.op == .lh || d.op == .lhu ? 2 : d.op == .ld ? 8 : 4
                guard let a = ramOffset(addr, size, FastRunner.load, paging: paging) else { return n }
                let p = ram + Int(a)
                let v: UInt64
                switch d.op {
                case .lb: v = UInt64(bitPattern: Int64(p.load(as: Int8.self)))
                case .lh: v = UInt64(bitPattern: Int64(p.load(as: Int16.self)))
                case .lw: v = UInt64(bitPattern: Int64(p.load(as: Int32.self)))
                case .ld: v = p.load(as: UInt64.self)
                case .lbu: v = UInt64(p.load(as: UInt8.self))
                case .lhu: v = UInt64(p.load(as: UInt16.self))
                default: v = UInt64(p.load(as: UInt32.self))
                }
                setX(d.rd, v)
            case .sb, .sh, .sw, .sd:
                let addr = x(d.rs1) &+ d.imm
                let size: UInt64 = d.op == .sb ? 1 : d.op == .sh ? 2 : d.op == .sw ? 4 : 8
                guard let a = ramOffset(addr, size, FastRunner.store, paging: paging) else { return n }
                let p = ram + Int(a)
                let v = x(d.rs2)
                switch d.op {
                case .sb: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
                case .sh: p.storeBytes(of: UInt16(truncatingIfNeeded: v), as: UInt16.self)
                case .sw: p.storeBytes(of: UInt32(truncatingIfNeeded: v), as: UInt32.self)
                default: p.storeBytes(of: v, as: UInt64.self)
                }
                let page = Int(a >> 12)
                let bit: UInt64 = 1 << UInt64(page & 63)
                dirty[page >> 6] |= bit
                // Code the block engine decoded: drop the blocks this store overlaps (this
                // runner itself decodes every instruction afresh from RAM).
                if codePages[page >> 6] & bit != 0 { storage.codeStored(a, Int(size)) }
                if tablePages[page >> 6] & bit != 0 {
                    // A page-table page changed: every cached translation may be stale.
                    storage.tableWrites &+= 1
                    tlb.flush()
                    tlb.tableWrites = storage.tableWrites
                    codePage = .max
                }
            case .addi: setX(d.rd, IntegerOps.add(x(d.rs1), d.imm))
            case .slti: setX(d.rd, IntegerOps.slt(x(d.rs1), d.imm))
            case .sltiu: setX(d.rd, IntegerOps.sltu(x(d.rs1), d.imm))
            case .xori: setX(d.rd, IntegerOps.xor(x(d.rs1), d.imm))
            case .ori: setX(d.rd, IntegerOps.or(x(d.rs1), d.imm))
            case .andi: setX(d.rd, IntegerOps.and(x(d.rs1), d.imm))
            case .slli: setX(d.rd, IntegerOps.sll(x(d.rs1), d.imm))
            case .srli: setX(d.rd, IntegerOps.srl(x(d.rs1), d.imm))
            case .srai: setX(d.rd, IntegerOps.sra(x(d.rs1), d.imm))
            case .addiw: setX(d.rd, IntegerOps.addw(x(d.rs1), d.imm))
            case .slliw: setX(d.rd, IntegerOps.sllw(x(d.rs1), d.imm))
            case .srliw: setX(d.rd, IntegerOps.srlw(x(d.rs1), d.imm))
            case .sraiw: setX(d.rd, IntegerOps.sraw(x(d.rs1), d.imm))
            case .add: setX(d.rd, IntegerOps.add(x(d.rs1), x(d.rs2)))
            case .sub: setX(d.rd, IntegerOps.sub(x(d.rs1), x(d.rs2)))
            case .sll: setX(d.rd, IntegerOps.sll(x(d.rs1), x(d.rs2)))
            case .slt: setX(d.rd, IntegerOps.slt(x(d.rs1), x(d.rs2)))
            case .sltu: setX(d.rd, IntegerOps.sltu(x(d.rs1), x(d.rs2)))
            case .xor: setX(d.rd, IntegerOps.xor(x(d.rs1), x(d.rs2)))
            case .srl: setX(d.rd, IntegerOps.srl(x(d.rs1), x(d.rs2)))
            case .sra: setX(d.rd, IntegerOps.sra(x(d.rs1), x(d.rs2)))
            case .or: setX(d.rd, IntegerOps.or(x(d.rs1), x(d.rs2)))
            case .and: setX(d.rd, IntegerOps.and(x(d.rs1), x(d.rs2)))
            case .mul, .mulh, .mulhsu, .mulhu, .div, .divu, .rem, .remu:
                setX(d.rd, mulDivResult(UInt32(d.op.rawValue - Decoded.Op.mul.rawValue), x(d.rs1), x(d.rs2)))
            case .addw: setX(d.rd, IntegerOps.addw(x(d.rs1), x(d.rs2)))
            case .subw: setX(d.rd, IntegerOps.subw(x(d.rs1), x(d.rs2)))
            case .sllw: setX(d.rd, IntegerOps.sllw(x(d.rs1), x(d.rs2)))
            case .srlw: setX(d.rd, IntegerOps.srlw(x(d.rs1), x(d.rs2)))
            case .sraw: setX(d.rd, IntegerOps.sraw(x(d.rs1), x(d.rs2)))
            case .mulw, .divw, .divuw, .remw, .remuw:
                let f3: UInt32 = d.op == .mulw ? 0 : d.op == .divw ? 4 : d.op == .divuw ? 5 : d.op == .remw ? 6 : 7
                setX(d.rd, mulDiv32Result(f3, UInt32(truncatingIfNeeded: x(d.rs1)), UInt32(truncatingIfNeeded: x(d.rs2))))
            case .fence: break
            case .system, .atomic, .fp, .illegal:
                return n
            }
            pc = next
            n &+= 1
        }
        return n
    }
}
