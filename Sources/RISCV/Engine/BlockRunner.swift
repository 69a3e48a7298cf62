/// The block engine: runs whole pre-decoded blocks (`BlockCache`) with pc and the
/// instruction clock in registers. Exact: a block runs only if its whole instruction
/// count fits the remaining budget (step limit, next timer deadline — see
/// `FastRunner.budget()`), otherwise the stepwise runner takes the rest one instruction at
/// a time. It leaves a block early, with pc and the count materialised, before any access
/// it cannot do itself (the reference step then does it) and after any store that hit a
/// page-table page or decoded code (the translation of the code page, or the block
/// itself, may have changed). Tests run it in lockstep against the reference step.
struct BlockRunner {
    let fast: FastRunner
    let cache: BlockCache
    let core: UnsafeMutablePointer<UInt64>
    let ram: UnsafeMutableRawPointer
    let ramSize: UInt64
    let dirty: UnsafeMutablePointer<UInt64>
    let tablePages: UnsafeMutablePointer<UInt64>
    let codePages: UnsafeMutablePointer<UInt64>
    // The cache's tables, held here so the loop does not reload them from the class.
    let tags: UnsafeMutablePointer<UInt64>
    let slots: UnsafeMutablePointer<Int32>
    let blocks: UnsafeMutablePointer<Block>
    let ops: UnsafeMutablePointer<BlockOp>
    /// The reference step's access to the same state, for `fpArithmetic`.
    let access: DirectAccess

    init(fast: FastRunner, cache: BlockCache) {
        self.fast = fast
        self.cache = cache
        core = fast.core
        ram = fast.ram
        ramSize = fast.ramSize
        dirty = fast.dirty
        tablePages = fast.tablePages
        codePages = cache.codePages
        tags = cache.tags
        slots = cache.slots
        blocks = cache.blocks
        ops = cache.ops
        access = fast.storage.access
    }

    typealias L = CoreLayout

    /// After a store to RAM page bit `bit` of word `w` that is watched (page tables or
    /// code): keeps the caches honest. Returns whether the running block must be left.
    @inline(never) func watchedStore(_ a: UInt64, _ size: Int, _ w: Int, _ bit: UInt64) -> Bool {
        var leave = false
        if tablePages[w] & bit != 0 {
            // A page-table page changed: every cached translation may be stale.
            fast.storage.tableWrites &+= 1
            fast.tlb.flush()
            fast.tlb.tableWrites = fast.storage.tableWrites
            leave = true
        }
        if codePages[w] & bit != 0 && cache.stored(a, size) { leave = true }
        return leave
    }

    /// Runs one op that neither engine's hot loop runs itself, at address `pc`: 0 = done,
    /// 1 = nothing done, leave before it (the reference step runs it), 2 = done, leave
    /// after it, with core[pc] set to the next instruction. Both engines call this for
    /// every such kind (the threaded one for every kind its C code does not know), so a
    /// kind added here runs on both. core[pc] and the instruction clock are not
    /// materialised while it runs.
    @inline(never) func perform(_ op: BlockOp, at pc: UInt64, paging: Bool) -> Int {
        switch op.kind {
        case .atomic:
            let outcome = atomic(op, paging: paging)
            if outcome == 2 { core[L.pc] = pc &+ 4 }
            return outcome
        case .fpArith:
            return fpArithmetic(op)
        default:
            // A kind no handler knows: the reference step runs it.
            return 1
        }
    }

    /// LR, SC or an AMO, as `Hart.atomic` does it: 0 = done, 1 = nothing done, leave
    /// before it (misaligned, not cached RAM: the reference step traps or does it),
    /// 2 = done, leave after it (its store hit page tables or decoded code).
    @inline(never) func atomic(_ op: BlockOp, paging: Bool) -> Int {
        let size = op.imm >> 8, f5 = UInt32(op.imm & 0x1f)
        let addr = core[Int(op.rs1)]
        guard addr & (size - 1) == 0 else { return 1 }
        let word = size == 4
        let rd = Int(op.rd)
        switch f5 {
        case 0x02: // LR
            guard let a = fast.ramOffset(addr, size, FastRunner.load, paging: paging) else { return 1 }
            let v = word ? UInt64(ram.load(fromByteOffset: Int(a), as: UInt32.self)) : ram.load(fromByteOffset: Int(a), as: UInt64.self)
            core[L.reservationAddress] = addr
            core[L.reservationValid] = 1
            if rd != L.x { core[rd] = word ? sext32(v) : v }
            return 0
        case 0x03: // SC
            var outcome = 0
            let ok = core[L.reservationValid] != 0 && core[L.reservationAddress] == addr
            if ok {
                guard let a = fast.ramOffset(addr, size, FastRunner.store, paging: paging) else { return 1 }
                let v = core[Int(op.rs2)]
                if word { ram.storeBytes(of: UInt32(truncatingIfNeeded: v), toByteOffset: Int(a), as: UInt32.self) }
                else { ram.storeBytes(of: v, toByteOffset: Int(a), as: UInt64.self) }
                if stored(a, Int(size)) { outcome = 2 }
            }
            core[L.reservationValid] = 0
            if rd != L.x { core[rd] = ok ? 0 : 1 }
            return outcome
        default:
            guard let a = fast.ramOffset(addr, size, FastRunner.store, paging: paging) else { return 1 }
            let raw = word ? UInt64(ram.load(fromByteOffset: Int(a), as: UInt32.self)) : ram.load(fromByteOffset: Int(a), as: UInt64.self)
            let old = word ? sext32(raw) : raw
            let src = word ? sext32(core[Int(op.rs2)]) : core[Int(op.rs2)]
            // Known at decode to be an AMO.
            let result = amoResult(f5, old: old, src: src, word: word)!
            if word { ram.storeBytes(of: UInt32(truncatingIfNeeded: result), toByteOffset: Int(a), as: UInt32.self) }
            else { ram.storeBytes(of: result, toByteOffset: Int(a), as: UInt64.self) }
            let outcome = stored(a, Int(size)) ? 2 : 0
            if rd != L.x { core[rd] = old }
            return outcome
        }
    }

    /// FP arithmetic (`op.imm` = the instruction), run by the reference step's own code:
    /// `Hart.floatingPoint` over direct access to the same core words, so the engine and
    /// `Hart.step()` share one definition of every FP op, its fflags and the FS update.
    /// Returns 0 = done, 1 = nothing done, leave before it: FS is Off, the rounding mode
    /// is reserved, or the encoding is one the reference step rejects, which then raises
    /// illegal instruction itself. (Same codes as `atomic`; it never needs 2, as it
    /// touches no RAM.) Nothing is written when it throws: every FP arithmetic path in
    /// Execute+FD.swift checks (requireFP, roundingMode, field guards) before its one
    /// register write and its flags, and the lockstep tests would see a partial write.
    @inline(never) func fpArithmetic(_ op: BlockOp) -> Int {
        var hart = Hart(access)
        do throws(Trap) {
            try hart.floatingPoint(UInt32(truncatingIfNeeded: op.imm))
            return 0
        } catch {
            return 1
        }
    }

    /// Marks RAM offset `a` written; returns whether the store hit a watched page and the
    /// running block must be left.
    @inline(__always) func stored(_ a: UInt64, _ size: Int) -> Bool {
        let page = Int(a >> 12), w = page >> 6
        let bit: UInt64 = 1 << UInt64(page & 63)
        dirty[w] |= bit
        return (tablePages[w] | codePages[w]) & bit != 0 && watchedStore(a, size, w, bit)
    }

    /// Runs up to `limit` instructions; returns how many ran. Stops before the first
    /// instruction it does not handle, leaving pc on it.
    func run(_ limit: UInt64) -> UInt64 {
        // The handlers read x0 from its core word without a test.
        guard core[L.x] == 0 else { return 0 }
        var pc = core[L.pc]
        var n: UInt64 = 0
        let base = MachineMap.ramBase
        let priv = core[L.priv]
        let paging = core[L.satp] >> 60 == 8 && priv != Privilege.machine
        if paging {
            fast.tlb.validate(satp: core[L.satp], priv: priv, mstatus: core[L.mstatus], tableWrites: fast.storage.tableWrites)
        }
        defer {
            core[L.pc] = pc
            core[L.icount] &+= n
            core[L.stepCount] &+= n
        }
        var codePage: UInt64 = .max, codeFrame: UInt64 = 0
        // The block just run and how it ended, to follow its link to the next block
        // without translating pc or probing the table (same page only).
        var prev = -1, prevTaken = false, prevPage: UInt64 = .max
        var epoch = cache.epoch
        blocks: while n < limit {
            var b = -1
            let page = pc >> 12
            if prev >= 0 && page == prevPage && blocks[prev].linkEpoch == epoch {
                b = Int(prevTaken ? blocks[prev].linkTaken : blocks[prev].linkFall)
            }
            if b < 0 {
                let off: UInt64
                if paging {
                    if page == codePage {
                        off = codeFrame | (pc & 0xfff)
                    } else {
                        guard let o = fast.translate(pc, FastRunner.fetch) else { return n }
                        off = o
                        codePage = page
                        codeFrame = o & ~0xfff
                    }
                } else {
                    off = pc &- base
                    guard off < ramSize else { return n }
                }
                let slot = BlockCache.slot(off)
                if tags[slot] == off &+ 1 {
                    b = Int(slots[slot])
                } else {
                    b = cache.build(off, slot: slot)
                    // A full cache is flushed while building: prev is gone with it.
                    if cache.epoch != epoch { epoch = cache.epoch; prev = -1 }
                }
                if prev >= 0 && page == prevPage {
                    if blocks[prev].linkEpoch != epoch {
                        blocks[prev].linkTaken = -1
                        blocks[prev].linkFall = -1
                        blocks[prev].linkEpoch = epoch
                    }
                    if prevTaken { blocks[prev].linkTaken = Int32(b) } else { blocks[prev].linkFall = Int32(b) }
                }
            }
            let block = blocks[b]
            if block.count == 0 { return n }
            if UInt64(block.count) > limit &- n {
                // Exact counting: the block does not fit, so the rest goes one at a time.
                core[L.pc] = pc
                core[L.icount] &+= n
                core[L.stepCount] &+= n
                let total = n + fast.run(limit - n)
                n = 0
                pc = core[L.pc]
                return total
            }
            prev = b
            prevPage = page
            prevTaken = false
            var i = Int(block.firstOp)
            let end = i + Int(block.opCount)
            while i < end {
                let op = ops[i]
                i += 1
                let rd = Int(op.rd), rs1 = Int(op.rs1), rs2 = Int(op.rs2)
                switch op.kind {
                case .li: core[rd] = op.imm
                case .auipc: core[rd] = pc &+ op.imm
                case .addi: core[rd] = IntegerOps.add(core[rs1], op.imm)
                case .slti: core[rd] = IntegerOps.slt(core[rs1], op.imm)
                case .sltiu: core[rd] = IntegerOps.sltu(core[rs1], op.imm)
                case .xori: core[rd] = IntegerOps.xor(core[rs1], op.imm)
                case .ori: core[rd] = IntegerOps.or(core[rs1], op.imm)
                case .andi: core[rd] = IntegerOps.and(core[rs1], op.imm)
                case .slli: core[rd] = IntegerOps.sll(core[rs1], op.imm)
                case .srli: core[rd] = IntegerOps.srl(core[rs1], op.imm)
                case .srai: core[rd] = IntegerOps.sra(core[rs1], op.imm)
                case .addiw: core[rd] = IntegerOps.addw(core[rs1], op.imm)
                case .slliw: core[rd] = IntegerOps.sllw(core[rs1], op.imm)
                case .srliw: core[rd] = IntegerOps.srlw(core[rs1], op.imm)
                case .sraiw: core[rd] = IntegerOps.sraw(core[rs1], op.imm)
                case .add: core[rd] = IntegerOps.add(core[rs1], core[rs2])
                case .sub: core[rd] = IntegerOps.sub(core[rs1], core[rs2])
                case .sll: core[rd] = IntegerOps.sll(core[rs1], core[rs2])
                case .slt: core[rd] = IntegerOps.slt(core[rs1], core[rs2])
                case .sltu: core[rd] = IntegerOps.sltu(core[rs1], core[rs2])
                case .xor: core[rd] = IntegerOps.xor(core[rs1], core[rs2])
                case .srl: core[rd] = IntegerOps.srl(core[rs1], core[rs2])
                case .sra: core[rd] = IntegerOps.sra(core[rs1], core[rs2])
                case .or: core[rd] = IntegerOps.or(core[rs1], core[rs2])
                case .and: core[rd] = IntegerOps.and(core[rs1], core[rs2])
                case .mul, .mulh, .mulhsu, .mulhu, .div, .divu, .rem, .remu:
                    core[rd] = mulDivResult(UInt32(op.kind.rawValue - BlockOp.Kind.mul.rawValue), core[rs1], core[rs2])
                case .addw: core[rd] = IntegerOps.addw(core[rs1], core[rs2])
                case .subw: core[rd] = IntegerOps.subw(core[rs1], core[rs2])
                case .sllw: core[rd] = IntegerOps.sllw(core[rs1], core[rs2])
                case .srlw: core[rd] = IntegerOps.srlw(core[rs1], core[rs2])
                case .sraw: core[rd] = IntegerOps.sraw(core[rs1], core[rs2])
                case .mulw: core[rd] = mulDiv32Result(0, UInt32(truncatingIfNeeded: core[rs1]), UInt32(truncatingIfNeeded: core[rs2]))
                case .divw: core[rd] = mulDiv32Result(4, UInt32(truncatingIfNeeded: core[rs1]), UInt32(truncatingIfNeeded: core[rs2]))
                case .divuw: core[rd] = mulDiv32Result(5, UInt32(truncatingIfNeeded: core[rs1]), UInt32(truncatingIfNeeded: core[rs2]))
                case .remw: core[rd] = mulDiv32Result(6, UInt32(truncatingIfNeeded: core[rs1]), UInt32(truncatingIfNeeded: core[rs2]))
                case .remuw: core[rd] = mulDiv32Result(7, UInt32(truncatingIfNeeded: core[rs1]), UInt32(truncatingIfNeeded: core[rs2]))
                case .lb, .lbu, .probe:
                    let size: UInt64 = op.kind == .probe ? UInt64(op.rs2) : 1
                    guard let a = fast.ramOffset(core[rs1] &+ op.imm, size, FastRunner.load, paging: paging) else {
                        n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    }
                    if op.kind == .lb { core[rd] = UInt64(bitPattern: Int64(ram.load(fromByteOffset: Int(a), as: Int8.self))) }
                    else if op.kind == .lbu { core[rd] = UInt64(ram.load(fromByteOffset: Int(a), as: UInt8.self)) }
                case .lh, .lhu:
                    guard let a = fast.ramOffset(core[rs1] &+ op.imm, 2, FastRunner.load, paging: paging) else {
                        n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    }
                    core[rd] = op.kind == .lh ? UInt64(bitPattern: Int64(ram.load(fromByteOffset: Int(a), as: Int16.self)))
                        : UInt64(ram.load(fromByteOffset: Int(a), as: UInt16.self))
                case .lw, .lwu:
                    guard let a = fast.ramOffset(core[rs1] &+ op.imm, 4, FastRunner.load, paging: paging) else {
                        n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    }
                    core[rd] = op.kind == .lw ? UInt64(bitPattern: Int64(ram.load(fromByteOffset: Int(a), as: Int32.self)))
                        : UInt64(ram.load(fromByteOffset: Int(a), as: UInt32.self))
                case .ld:
                    guard let a = fast.ramOffset(core[rs1] &+ op.imm, 8, FastRunner.load, paging: paging) else {
                        n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    }
                    core[rd] = ram.load(fromByteOffset: Int(a), as: UInt64.self)
                case .sb, .sh, .sw, .sd:
                    let size: UInt64 = op.kind == .sb ? 1 : op.kind == .sh ? 2 : op.kind == .sw ? 4 : 8
                    guard let a = fast.ramOffset(core[rs1] &+ op.imm, size, FastRunner.store, paging: paging) else {
                        n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    }
                    let v = core[rs2]
                    switch op.kind {
                    case .sb: ram.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: Int(a), as: UInt8.self)
                    case .sh: ram.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: Int(a), as: UInt16.self)
                    case .sw: ram.storeBytes(of: UInt32(truncatingIfNeeded: v), toByteOffset: Int(a), as: UInt32.self)
                    default: ram.storeBytes(of: v, toByteOffset: Int(a), as: UInt64.self)
                    }
                    let page = Int(a >> 12), w = page >> 6
                    let bit: UInt64 = 1 << UInt64(page & 63)
                    dirty[w] |= bit
                    if (tablePages[w] | codePages[w]) & bit != 0 && watchedStore(a, Int(size), w, bit) {
                        // Leave after the store: what follows may have been decoded or
                        // translated from what it overwrote.
                        n &+= UInt64(op.index) &+ 1
                        pc = pc &+ UInt64(op.pcOffset) &+ UInt64(op.rd)
                        if paging { codePage = .max }
                        return n
                    }
                // Terminators (the block's last instruction: `index` + 1 instructions in
                // all; the length for the link or fall-through is in a spare field).
                case .flw, .fld:
                    // FS = Off: the reference step raises illegal instruction.
                    let size: UInt64 = op.kind == .fld ? 8 : 4
                    guard core[L.mstatus] & MStatus.fs != 0,
                          let a = fast.ramOffset(core[rs1] &+ op.imm, size, FastRunner.load, paging: paging) else {
                        n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    }
                    core[rd] = size == 8 ? ram.load(fromByteOffset: Int(a), as: UInt64.self)
                        : 0xffff_ffff_0000_0000 | UInt64(ram.load(fromByteOffset: Int(a), as: UInt32.self))
                    // Writing an f register makes the FP state dirty, as Hart.setF does.
                    let m = core[L.mstatus]
                    if m & MStatus.fs != MStatus.fs { core[L.mstatus] = m | MStatus.fs }
                case .fsw, .fsd:
                    let size: UInt64 = op.kind == .fsd ? 8 : 4
                    guard core[L.mstatus] & MStatus.fs != 0,
                          let a = fast.ramOffset(core[rs1] &+ op.imm, size, FastRunner.store, paging: paging) else {
                        n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    }
                    if size == 8 { ram.storeBytes(of: core[rs2], toByteOffset: Int(a), as: UInt64.self) }
                    else { ram.storeBytes(of: UInt32(truncatingIfNeeded: core[rs2]), toByteOffset: Int(a), as: UInt32.self) }
                    if stored(a, Int(size)) {
                        n &+= UInt64(op.index) &+ 1
                        pc = pc &+ UInt64(op.pcOffset) &+ UInt64(op.rd)
                        return n
                    }
                case .end:
                    // The block's last op: the loop ends here and falls through below.
                    break
                case .jal:
                    core[rd] = pc &+ UInt64(op.pcOffset) &+ UInt64(op.rs2)
                    n &+= UInt64(op.index) &+ 1; pc = pc &+ op.imm; prevTaken = true; continue blocks
                case .j:
                    n &+= UInt64(op.index) &+ 1; pc = pc &+ op.imm; prevTaken = true; continue blocks
                // Indirect jumps are not linked: their target changes.
                case .jalr:
                    let t = (core[rs1] &+ op.imm) & ~1
                    core[rd] = pc &+ UInt64(op.pcOffset) &+ UInt64(op.rs2)
                    n &+= UInt64(op.index) &+ 1; pc = t; prev = -1; continue blocks
                case .jr:
                    n &+= UInt64(op.index) &+ 1; pc = (core[rs1] &+ op.imm) & ~1; prev = -1; continue blocks
                case .beq, .bne, .blt, .bge, .bltu, .bgeu:
                    n &+= UInt64(op.index) &+ 1
                    prevTaken = op.kind.branchTaken(core[rs1], core[rs2])
                    pc = prevTaken ? pc &+ op.imm : pc &+ UInt64(op.pcOffset) &+ UInt64(op.rd)
                    continue blocks
                // Side exits: a taken one leaves the block (not linked here; the
                // threaded engine links them), a branch not taken goes on.
                case .sideBeq, .sideBne, .sideBlt, .sideBge, .sideBltu, .sideBgeu:
                    if op.kind.branchTaken(core[rs1], core[rs2]) {
                        n &+= UInt64(op.index) &+ 1
                        pc = pc &+ op.imm
                        prev = -1
                        continue blocks
                    }
                default:
                    // Ops off the hot path (atomics, and kinds only `perform` knows): the
                    // same Swift code the threaded engine calls for them.
                    switch perform(op, at: pc &+ UInt64(op.pcOffset), paging: paging) {
                    case 0: break
                    case 1: n &+= UInt64(op.index); pc &+= UInt64(op.pcOffset); return n
                    default:
                        n &+= UInt64(op.index) &+ 1
                        pc = core[L.pc]
                        return n
                    }
                }
            }
            // A block cut short (page end, length limit, an instruction for the reference step).
            n &+= UInt64(block.count)
            pc &+= UInt64(block.bytes)
        }
        return n
    }
}
