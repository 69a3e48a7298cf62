/// One instruction of a decoded block, ready to run: operands extracted, registers as
/// core-word indices, pc-relative targets as offsets from the block's first instruction,
/// one kind per memory width, and writes to x0 removed (an ALU op or `lui`/`auipc` with
/// rd = x0 emits no op at all, a load into x0 becomes `probe`), so handlers never test
/// for x0. 16 bytes, laid out as the C engine's `tbsim_op` (`Kind` raw values are mirrored
/// there too; `ThreadedEngineTests` checks both). Kinds the C engine does not know reach
/// `BlockRunner.perform`.
struct BlockOp {
    /// The immediate; for `auipc`, `jal`/`j` and branches the target's offset from the
    /// block's first instruction (the instruction's own offset already added).
    var imm: UInt64
    var kind: Kind
    /// Core-word index of the destination register; for stores and branches the
    /// instruction's length (2 or 4), for the exit after a store or the fall-through; for
    /// side exits the number of ops before it in its block (to rerun the block from its
    /// first op when the branch goes back to its start).
    var rd: UInt8
    /// Core-word index of the first source register.
    var rs1: UInt8
    /// Core-word index of the second source; for `probe` the access size; for `jal`/`jalr`
    /// the instruction's length (for the link).
    var rs2: UInt8
    /// Bytes from the block's first instruction to this one.
    var pcOffset: UInt16
    /// Instructions of the block before this one (the count to add when leaving before it).
    var index: UInt16

    enum Kind: UInt8, CaseIterable {
        case li, auipc
        case addi, slti, sltiu, xori, ori, andi, slli, srli, srai
        case addiw, slliw, srliw, sraiw
        case add, sub, sll, slt, sltu, xor, srl, sra, or, and
        case mul, mulh, mulhsu, mulhu, div, divu, rem, remu
        case addw, subw, sllw, srlw, sraw
        case mulw, divw, divuw, remw, remuw
        case lb, lh, lw, ld, lbu, lhu, lwu
        /// A load into x0: the access is checked (it may have to trap or reach a device
        /// through the reference step) and the value dropped.
        case probe
        case sb, sh, sw, sd
        /// FP loads and stores (rd / rs2 are f registers). They are what a kernel's FP
        /// context switch is made of; the FP arithmetic is `fpArith`.
        case flw, fld, fsw, fsd
        /// LR, SC or an AMO (`imm` = funct5 | size << 8); rd may be x0 here (the handler,
        /// off the hot path, tests it).
        case atomic
        // Block terminators: always the block's last op.
        /// The end of a block cut short (page end, length limit, an instruction for the
        /// reference step): falls through to the next instruction. Lets the threaded
        /// engine run a block without testing for its end after every op.
        case end
        case jal, j, jalr, jr
        case beq, bne, blt, bge, bltu, bgeu
        // Kinds added later go here, after the terminators (raw values are shared with
        // other engines over the same op arrays; nothing orders kinds by raw value).
        /// FP arithmetic, conversion, compare and move (opcodes OP-FP and the fused
        /// multiply-adds), `imm` = the instruction: run by the reference step's own code
        /// (`BlockRunner.fpArithmetic`). The other fields are not used.
        case fpArith
        /// A conditional branch inside a block (a side exit): not taken, the block goes on
        /// with its next op; taken, it leaves the block for the target (`imm`, as for the
        /// terminating branches). A block continues past a conditional branch while there
        /// is room for another instruction, so the common not-taken path costs no block
        /// end; a branch that is the block's last instruction stays a terminator.
        case sideBeq, sideBne, sideBlt, sideBge, sideBltu, sideBgeu
    }
}

/// A decoded block: instructions within one 4 KiB page of RAM, in address order, entered
/// only at its first; it leaves early where a conditional branch inside it is taken (a
/// side exit), and ends after a jump, a conditional branch that is its last instruction,
/// before an instruction only the reference step runs (CSR and other SYSTEM instructions,
/// illegal ones), at the page's end, or at `BlockCache.maxInstructions`.
struct Block {
    /// RAM offset of the first instruction.
    var start: UInt64
    /// Bytes of code the block was decoded from.
    var bytes: UInt32
    /// Instructions it runs (0: its first instruction is for the reference step).
    var count: UInt32
    /// Its ops: `BlockCache.ops[firstOp ..< firstOp + opCount]`.
    var firstOp: Int32
    var opCount: Int32
    /// The blocks that followed it last time when its branch was taken / not taken (or
    /// it fell through), if they start in the same page; valid only while `linkEpoch`
    /// equals the cache's epoch, which moves whenever any block is dropped.
    var linkTaken: Int32 = -1
    var linkFall: Int32 = -1
    var linkEpoch: UInt32 = 0
}

extension BlockOp.Kind {
    /// The side exit of a terminating conditional branch, and back.
    var sideExit: BlockOp.Kind? {
        switch self {
        case .beq: .sideBeq
        case .bne: .sideBne
        case .blt: .sideBlt
        case .bge: .sideBge
        case .bltu: .sideBltu
        case .bgeu: .sideBgeu
        default: nil
        }
    }

    /// Whether a conditional branch of this kind (terminating or side exit) is taken for
    /// operands `a` (rs1) and `b` (rs2).
    @inline(__always) func branchTaken(_ a: UInt64, _ b: UInt64) -> Bool {
        switch self {
        case .beq, .sideBeq: a == b
        case .bne, .sideBne: a != b
        case .blt, .sideBlt: IntegerOps.lt(a, b)
        case .bge, .sideBge: IntegerOps.ge(a, b)
        case .bltu, .sideBltu: a < b
        default: a >= b
        }
    }

    var terminatingBranch: BlockOp.Kind? {
        switch self {
        case .sideBeq: .beq
        case .sideBne: .bne
        case .sideBlt: .blt
        case .sideBge: .bge
        case .sideBltu: .bltu
        case .sideBgeu: .bgeu
        default: nil
        }
    }
}

extension BlockOp {
    /// The op for decoded instruction `d` at `pcOffset` bytes into its block, or nil when
    /// the instruction emits no op (fence, or a pure result written to x0). `terminates`
    /// is set for jumps and branches; `supported` is false for what the reference step runs.
    static func make(_ d: Decoded, length: UInt64, pcOffset: UInt16, index: UInt16,
                     supported: inout Bool, terminates: inout Bool) -> BlockOp? {
        let x = UInt8(CoreLayout.x)
        var op = BlockOp(imm: d.imm, kind: .addi, rd: x + d.rd, rs1: x + d.rs1, rs2: x + d.rs2,
                         pcOffset: pcOffset, index: index)
        let relative = d.imm &+ UInt64(pcOffset)
        let toX0 = d.rd == 0
        switch d.op {
        case .atomic:
            let inst = d.inst, f3 = Field.funct3(inst), f5 = inst >> 27
            let known = f5 == 0x02 ? Field.rs2(inst) == 0 : f5 == 0x03 || amoResult(f5, old: 0, src: 0, word: true) != nil
            guard f3 == 2 || f3 == 3, known else {
                supported = false
                return nil
            }
            op.kind = .atomic
            op.imm = UInt64(f5) | (f3 == 2 ? 4 : 8) << 8
            return op
        case .fp:
            let inst = d.inst, f3 = Field.funct3(inst)
            let f = UInt8(CoreLayout.f)
            switch (inst & 0x7f, f3) {
            case (0x07, 2), (0x07, 3):
                op.kind = f3 == 2 ? .flw : .fld
                op.rd = f + d.rd
                op.imm = Field.immI(inst)
            case (0x27, 2), (0x27, 3):
                op.kind = f3 == 2 ? .fsw : .fsd
                op.rs2 = f + d.rs2
                op.rd = UInt8(length)
                op.imm = Field.immS(inst)
            case (0x43, _), (0x47, _), (0x4b, _), (0x4f, _), (0x53, _):
                // Whatever the encoding: one the reference step rejects makes the engine
                // leave before it, and the reference step then raises illegal instruction.
                op.kind = .fpArith
                op.imm = UInt64(inst)
            default:
                supported = false
                return nil
            }
            return op
        case .illegal, .system:
            supported = false
            return nil
        case .fence: return nil
        case .lui: op.kind = .li
        case .auipc: op.kind = .auipc; op.imm = relative
        case .jal:
            op.kind = toX0 ? .j : .jal; op.imm = relative; op.rs2 = UInt8(length); terminates = true; return op
        case .jalr: op.kind = toX0 ? .jr : .jalr; op.rs2 = UInt8(length); terminates = true; return op
        case .beq, .bne, .blt, .bge, .bltu, .bgeu:
            op.imm = relative
            op.rd = UInt8(length)
            terminates = true
            switch d.op {
            case .beq: op.kind = .beq
            case .bne: op.kind = .bne
            case .blt: op.kind = .blt
            case .bge: op.kind = .bge
            case .bltu: op.kind = .bltu
            default: op.kind = .bgeu
            }
            return op
        case .lb, .lh, .lw, .ld, .lbu, .lhu, .lwu:
            if toX0 {
                op.kind = .probe
                op.rs2 = d.op == .lb || d.op == .lbu ? 1 : d.op == .lh || d.op == .lhu ? 2 : d.op == .ld ? 8 : 4
                return op
            }
            switch d.op {
            case .lb: op.kind = .lb
            case .lh: op.kind = .lh
            case .lw: op.kind = .lw
            case .ld: op.kind = .ld
            case .lbu: op.kind = .lbu
            case .lhu: op.kind = .lhu
            default: op.kind = .lwu
            }
            return op
        case .sb, .sh, .sw, .sd:
            op.rd = UInt8(length)
            switch d.op {
            case .sb: op.kind = .sb
            case .sh: op.kind = .sh
            case .sw: op.kind = .sw
            default: op.kind = .sd
            }
            return op
        case .addi: op.kind = .addi
        case .slti: op.kind = .slti
        case .sltiu: op.kind = .sltiu
        case .xori: op.kind = .xori
        case .ori: op.kind = .ori
        case .andi: op.kind = .andi
        case .slli: op.kind = .slli
        case .srli: op.kind = .srli
        case .srai: op.kind = .srai
        case .addiw: op.kind = .addiw
        case .slliw: op.kind = .slliw
        case .srliw: op.kind = .srliw
        case .sraiw: op.kind = .sraiw
        case .add: op.kind = .add
        case .sub: op.kind = .sub
        case .sll: op.kind = .sll
        case .slt: op.kind = .slt
        case .sltu: op.kind = .sltu
        case .xor: op.kind = .xor
        case .srl: op.kind = .srl
        case .sra: op.kind = .sra
        case .or: op.kind = .or
        case .and: op.kind = .and
        case .mul: op.kind = .mul
        case .mulh: op.kind = .mulh
        case .mulhsu: op.kind = .mulhsu
        case .mulhu: op.kind = .mulhu
        case .div: op.kind = .div
        case .divu: op.kind = .divu
        case .rem: op.kind = .rem
        case .remu: op.kind = .remu
        case .addw: op.kind = .addw
        case .subw: op.kind = .subw
        case .sllw: op.kind = .sllw
        case .srlw: op.kind = .srlw
        case .sraw: op.kind = .sraw
        case .mulw: op.kind = .mulw
        case .divw: op.kind = .divw
        case .divuw: op.kind = .divuw
        case .remw: op.kind = .remw
        case .remuw: op.kind = .remuw
        }
        // Every remaining op only computes rd: nothing to do when rd is x0.
        return toX0 ? nil : op
    }
}
