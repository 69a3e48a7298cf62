import CEngine
import Testing
@testable import RISCV

/// The C engine reads Swift's data where Swift keeps it, so every constant and layout it
/// mirrors is compared with its Swift definition here: a new or reordered `BlockOp.Kind`,
/// a moved field or core word fails these tests instead of running the wrong handler.
/// (What the engine computes is held to the reference step by the lockstep tests, which
/// run every engine in `Engine.allCases`.)
struct ThreadedEngineTests {
    typealias K = BlockOp.Kind

    /// Every kind the C engine names, with its C constant.
    static let kinds: [(K, Int)] = [
        (.li, TBSIM_K_LI), (.auipc, TBSIM_K_AUIPC),
        (.addi, TBSIM_K_ADDI), (.slti, TBSIM_K_SLTI), (.sltiu, TBSIM_K_SLTIU), (.xori, TBSIM_K_XORI),
        (.ori, TBSIM_K_ORI), (.andi, TBSIM_K_ANDI), (.slli, TBSIM_K_SLLI), (.srli, TBSIM_K_SRLI), (.srai, TBSIM_K_SRAI),
        (.addiw, TBSIM_K_ADDIW), (.slliw, TBSIM_K_SLLIW), (.srliw, TBSIM_K_SRLIW), (.sraiw, TBSIM_K_SRAIW),
        (.add, TBSIM_K_ADD), (.sub, TBSIM_K_SUB), (.sll, TBSIM_K_SLL), (.slt, TBSIM_K_SLT), (.sltu, TBSIM_K_SLTU),
        (.xor, TBSIM_K_XOR), (.srl, TBSIM_K_SRL), (.sra, TBSIM_K_SRA), (.or, TBSIM_K_OR), (.and, TBSIM_K_AND),
        (.mul, TBSIM_K_MUL), (.mulh, TBSIM_K_MULH), (.mulhsu, TBSIM_K_MULHSU), (.mulhu, TBSIM_K_MULHU),
        (.div, TBSIM_K_DIV), (.divu, TBSIM_K_DIVU), (.rem, TBSIM_K_REM), (.remu, TBSIM_K_REMU),
        (.addw, TBSIM_K_ADDW), (.subw, TBSIM_K_SUBW), (.sllw, TBSIM_K_SLLW), (.srlw, TBSIM_K_SRLW), (.sraw, TBSIM_K_SRAW),
        (.mulw, TBSIM_K_MULW), (.divw, TBSIM_K_DIVW), (.divuw, TBSIM_K_DIVUW), (.remw, TBSIM_K_REMW), (.remuw, TBSIM_K_REMUW),
        (.lb, TBSIM_K_LB), (.lh, TBSIM_K_LH), (.lw, TBSIM_K_LW), (.ld, TBSIM_K_LD),
        (.lbu, TBSIM_K_LBU), (.lhu, TBSIM_K_LHU), (.lwu, TBSIM_K_LWU), (.probe, TBSIM_K_PROBE),
        (.sb, TBSIM_K_SB), (.sh, TBSIM_K_SH), (.sw, TBSIM_K_SW), (.sd, TBSIM_K_SD),
        (.flw, TBSIM_K_FLW), (.fld, TBSIM_K_FLD), (.fsw, TBSIM_K_FSW), (.fsd, TBSIM_K_FSD),
        (.atomic, TBSIM_K_ATOMIC), (.end, TBSIM_K_END),
        (.jal, TBSIM_K_JAL), (.j, TBSIM_K_J), (.jalr, TBSIM_K_JALR), (.jr, TBSIM_K_JR),
        (.beq, TBSIM_K_BEQ), (.bne, TBSIM_K_BNE), (.blt, TBSIM_K_BLT), (.bge, TBSIM_K_BGE),
        (.bltu, TBSIM_K_BLTU), (.bgeu, TBSIM_K_BGEU), (.fpArith, TBSIM_K_FP_ARITH),
        (.sideBeq, TBSIM_K_SIDE_BEQ), (.sideBne, TBSIM_K_SIDE_BNE), (.sideBlt, TBSIM_K_SIDE_BLT),
        (.sideBge, TBSIM_K_SIDE_BGE), (.sideBltu, TBSIM_K_SIDE_BLTU), (.sideBgeu, TBSIM_K_SIDE_BGEU),
    ]

    @Test func opKindsMatchTheSwiftEnum() {
        for (kind, c) in Self.kinds {
            #expect(Int(kind.rawValue) == c, "BlockOp.Kind.\(kind) is \(kind.rawValue) in Swift, \(c) in cengine.h")
        }
        // The C list is exactly the Swift kinds below TBSIM_K_KNOWN: none missing, none
        // twice. Kinds appended to the Swift enum later go to `BlockRunner.perform`.
        let known = Int(TBSIM_K_KNOWN)
        #expect(Self.kinds.count == known)
        #expect(Set(Self.kinds.map(\.1)) == Set(0..<known))
        #expect(K.allCases.count >= known)
        #expect(K.allCases.map(\.rawValue) == (0..<UInt8(K.allCases.count)).map { $0 }, "raw values are consecutive from 0")
        #expect(K.allCases.count <= 256, "the C dispatch table has 256 entries")
    }

    @Test func layoutsMatch() {
        #expect(MemoryLayout<BlockOp>.size == MemoryLayout<tbsim_op>.size)
        #expect(MemoryLayout<BlockOp>.stride == MemoryLayout<tbsim_op>.stride)
        #expect(MemoryLayout<BlockOp>.offset(of: \.imm) == MemoryLayout<tbsim_op>.offset(of: \.imm))
        #expect(MemoryLayout<BlockOp>.offset(of: \.kind) == MemoryLayout<tbsim_op>.offset(of: \.kind))
        #expect(MemoryLayout<BlockOp>.offset(of: \.rd) == MemoryLayout<tbsim_op>.offset(of: \.rd))
        #expect(MemoryLayout<BlockOp>.offset(of: \.rs1) == MemoryLayout<tbsim_op>.offset(of: \.rs1))
        #expect(MemoryLayout<BlockOp>.offset(of: \.rs2) == MemoryLayout<tbsim_op>.offset(of: \.rs2))
        #expect(MemoryLayout<BlockOp>.offset(of: \.pcOffset) == MemoryLayout<tbsim_op>.offset(of: \.pc_offset))
        #expect(MemoryLayout<BlockOp>.offset(of: \.index) == MemoryLayout<tbsim_op>.offset(of: \.index))

        #expect(MemoryLayout<Block>.stride == MemoryLayout<tbsim_block>.stride)
        #expect(MemoryLayout<Block>.offset(of: \.start) == MemoryLayout<tbsim_block>.offset(of: \.start))
        #expect(MemoryLayout<Block>.offset(of: \.bytes) == MemoryLayout<tbsim_block>.offset(of: \.bytes))
        #expect(MemoryLayout<Block>.offset(of: \.count) == MemoryLayout<tbsim_block>.offset(of: \.count))
        #expect(MemoryLayout<Block>.offset(of: \.firstOp) == MemoryLayout<tbsim_block>.offset(of: \.first_op))
        #expect(MemoryLayout<Block>.offset(of: \.opCount) == MemoryLayout<tbsim_block>.offset(of: \.op_count))
        #expect(MemoryLayout<Block>.offset(of: \.linkTaken) == MemoryLayout<tbsim_block>.offset(of: \.link_taken))
        #expect(MemoryLayout<Block>.offset(of: \.linkFall) == MemoryLayout<tbsim_block>.offset(of: \.link_fall))
        #expect(MemoryLayout<Block>.offset(of: \.linkEpoch) == MemoryLayout<tbsim_block>.offset(of: \.link_epoch))

        #expect(MemoryLayout<SideLink>.stride == MemoryLayout<tbsim_side_link>.stride)
        #expect(MemoryLayout<SideLink>.offset(of: \.block) == MemoryLayout<tbsim_side_link>.offset(of: \.block))
        #expect(MemoryLayout<SideLink>.offset(of: \.epoch) == MemoryLayout<tbsim_side_link>.offset(of: \.epoch))
    }

    @Test func constantsMatch() {
        #expect(Int(TBSIM_CORE_PC) == CoreLayout.pc)
        #expect(Int(TBSIM_CORE_ICOUNT) == CoreLayout.icount)
        #expect(Int(TBSIM_CORE_MSTATUS) == CoreLayout.mstatus)
        #expect(Int(TBSIM_CORE_STEP_COUNT) == CoreLayout.stepCount)
        #expect(Int(TBSIM_CORE_X) == CoreLayout.x)
        #expect(TBSIM_MSTATUS_FS == MStatus.fs)
        #expect(TBSIM_RAM_BASE == MachineMap.ramBase)
        #expect(Int(TBSIM_TLB_BITS) == TranslationCache.bits)
        #expect(Int(TBSIM_TLB_FRAMES) == TranslationCache.framesOffset)
        let tlb = TranslationCache()
        #expect(tlb.frames == tlb.tags + Int(TBSIM_TLB_FRAMES), "a frame is TBSIM_TLB_FRAMES words after its tag")
        #expect(Int(TBSIM_TABLE_BITS) == BlockCache.tableBits)
        #expect(Int(TBSIM_OP_DONE) == 0 && Int(TBSIM_OP_BEFORE) == 1 && Int(TBSIM_OP_AFTER) == 2,
                "BlockRunner.perform's outcomes")
    }

    /// A block cut short ends in `end` (the C engine's only way to see its end); one
    /// ending in a jump or branch does not.
    @Test func blocksCutShortEndInEnd() throws {
        let m = TestMachine(ramSize: 1 << 20, code: [addi(a0, a0, 1), addi(a1, a1, 1), ebreak, addi(a0, a0, 1), jal(0, -4)])
        let machine = Machine(storage: m.storage)
        machine.run(steps: 2, engine: .threaded)
        let cache = machine.storage.blockCache
        let first = try #require(cache.cached(at: 0))
        #expect(first.count == 2 && first.opCount == 3)
        #expect(cache.ops[Int(first.firstOp) + 2].kind == .end)
        #expect(cache.ops[Int(first.firstOp) + 2].index == 2)
        m.pc = TestMachine.base + 12
        machine.run(steps: 2, engine: .threaded)
        let loop = try #require(cache.cached(at: 12))
        #expect(loop.count == 2 && loop.opCount == 2)
        #expect(cache.ops[Int(loop.firstOp) + 1].kind == .j)
    }
}
