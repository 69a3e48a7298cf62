// The threaded block engine: runs chains of blocks that the Swift `BlockCache` decoded,
// each op handler ending in its own indirect jump (GNU computed goto). It reads and
// writes the machine state where Swift keeps it (core words, RAM, the page bitmaps, the
// block table) and calls back into Swift for whatever it does not do itself: building a
// block, filling a translation, a store into watched pages, and any op kind it does not
// know. `Hart.step()` stays the definition of the semantics; this only runs the same
// blocks faster, and the tests hold it to the reference step in lockstep.
#ifndef TBSIM_CENGINE_H
#define TBSIM_CENGINE_H

#include <stdint.h>

/// One op of a decoded block, laid out as Swift's `BlockOp` (16 bytes; a test compares
/// the offsets).
typedef struct {
    uint64_t imm;
    uint8_t kind;
    uint8_t rd;
    uint8_t rs1;
    uint8_t rs2;
    uint16_t pc_offset;
    uint16_t index;
} tbsim_op;

/// A decoded block, laid out as Swift's `Block` (a test compares the offsets).
typedef struct {
    uint64_t start;
    uint32_t bytes;
    uint32_t count;
    int32_t first_op;
    int32_t op_count;
    int32_t link_taken;
    int32_t link_fall;
    uint32_t link_epoch;
} tbsim_block;

/// `BlockOp.Kind` raw values. Swift's enum is the definition; a test asserts each of
/// these equals its Swift case, so the two cannot drift apart silently. Kinds not listed
/// (added to the end of the Swift enum later) reach `tbsim_engine.op` in Swift.
enum {
    TBSIM_K_LI, TBSIM_K_AUIPC,
    TBSIM_K_ADDI, TBSIM_K_SLTI, TBSIM_K_SLTIU, TBSIM_K_XORI, TBSIM_K_ORI, TBSIM_K_ANDI,
    TBSIM_K_SLLI, TBSIM_K_SRLI, TBSIM_K_SRAI,
    TBSIM_K_ADDIW, TBSIM_K_SLLIW, TBSIM_K_SRLIW, TBSIM_K_SRAIW,
    TBSIM_K_ADD, TBSIM_K_SUB, TBSIM_K_SLL, TBSIM_K_SLT, TBSIM_K_SLTU, TBSIM_K_XOR,
    TBSIM_K_SRL, TBSIM_K_SRA, TBSIM_K_OR, TBSIM_K_AND,
    TBSIM_K_MUL, TBSIM_K_MULH, TBSIM_K_MULHSU, TBSIM_K_MULHU,
    TBSIM_K_DIV, TBSIM_K_DIVU, TBSIM_K_REM, TBSIM_K_REMU,
    TBSIM_K_ADDW, TBSIM_K_SUBW, TBSIM_K_SLLW, TBSIM_K_SRLW, TBSIM_K_SRAW,
    TBSIM_K_MULW, TBSIM_K_DIVW, TBSIM_K_DIVUW, TBSIM_K_REMW, TBSIM_K_REMUW,
    TBSIM_K_LB, TBSIM_K_LH, TBSIM_K_LW, TBSIM_K_LD, TBSIM_K_LBU, TBSIM_K_LHU, TBSIM_K_LWU,
    TBSIM_K_PROBE,
    TBSIM_K_SB, TBSIM_K_SH, TBSIM_K_SW, TBSIM_K_SD,
    TBSIM_K_FLW, TBSIM_K_FLD, TBSIM_K_FSW, TBSIM_K_FSD,
    TBSIM_K_ATOMIC,
    TBSIM_K_END,
    TBSIM_K_JAL, TBSIM_K_J, TBSIM_K_JALR, TBSIM_K_JR,
    TBSIM_K_BEQ, TBSIM_K_BNE, TBSIM_K_BLT, TBSIM_K_BGE, TBSIM_K_BLTU, TBSIM_K_BGEU,
    /// FP arithmetic: named here only to keep the numbering; Swift runs it.
    TBSIM_K_FP_ARITH,
    TBSIM_K_SIDE_BEQ, TBSIM_K_SIDE_BNE, TBSIM_K_SIDE_BLT, TBSIM_K_SIDE_BGE,
    TBSIM_K_SIDE_BLTU, TBSIM_K_SIDE_BGEU,
    /// How many kinds this file names.
    TBSIM_K_KNOWN
};

/// Where a side exit (a conditional branch inside a block) led when taken, as Swift's
/// `SideLink`: one per op slot, valid while `epoch` equals the cache's epoch.
typedef struct {
    int32_t block;
    uint32_t epoch;
} tbsim_side_link;

/// What `tbsim_engine.op` did with an op.
enum {
    /// Done: the engine goes on with the next op.
    TBSIM_OP_DONE = 0,
    /// Nothing done: the engine leaves before the op (the reference step runs it).
    TBSIM_OP_BEFORE = 1,
    /// Done, and the engine must leave after it: the handler has set core[pc] to the
    /// next instruction's address (its store hit page tables or decoded code).
    TBSIM_OP_AFTER = 2,
};

/// How `tbsim_engine_run` ended.
enum {
    /// Budget used up, or left before something the reference step must do.
    TBSIM_RUN_STOPPED = 0,
    /// The next block does not fit the remaining budget: run the rest one at a time.
    TBSIM_RUN_STEPWISE = 1,
};

/// The machine as the engine sees it, and the Swift side it calls back into. Set up by
/// Swift before each run. During a callback core[pc] and the instruction clock are not
/// materialised (the engine keeps them in registers); every other core word is current.
typedef struct {
    uint64_t *core;
    uint8_t *ram;
    uint64_t ram_size;
    uint64_t *dirty;
    uint64_t *table_pages;
    uint64_t *code_pages;
    // The block table (`BlockCache`); blocks[-1] is a sentinel of count 0.
    uint64_t *tags;
    int32_t *slots;
    tbsim_block *blocks;
    const tbsim_op *ops;
    /// The side exits' links, by op index (`BlockCache.sideLinks`).
    tbsim_side_link *side_links;
    /// The cache's epoch (moves whenever a block is dropped); callbacks may move it.
    const uint32_t *epoch;
    /// The translation cache (`TranslationCache`): the current bank's first tag. Frames
    /// are TBSIM_TLB_FRAMES words after their tags (one allocation).
    const uint64_t *tlb;
    /// Whether data and fetch addresses are translated (Sv39, not M-mode).
    int32_t paging;
    /// Passed to every callback.
    void *context;
    /// Decodes the block at RAM offset `start` into table slot `slot`; its index.
    int32_t (*build)(void *context, uint64_t start, int64_t slot);
    /// Fills the translation of `va` for access `kind` (0 fetch, 1 load, 2 store):
    /// the RAM offset, or ~0 when the reference step must do the access.
    uint64_t (*fill)(void *context, uint64_t va, int64_t kind);
    /// After a store of `size` bytes at RAM offset `offset` into a page whose bit is set
    /// in table_pages or code_pages: nonzero when the running block must be left.
    int32_t (*watched_store)(void *context, uint64_t offset, int64_t size);
    /// Runs one op the engine does not run itself (atomics, unknown kinds); `pc` is the
    /// op's own address. Returns a TBSIM_OP_ value.
    int32_t (*op)(void *context, const tbsim_op *op, uint64_t pc);
} tbsim_engine;

/// Runs whole blocks from core[pc] until `limit` instructions ran or it must stop;
/// returns how many ran, with core[pc], core[icount] and core[stepCount] updated.
/// `*how` says why it stopped (TBSIM_RUN_).
uint64_t tbsim_engine_run(const tbsim_engine *engine, uint64_t limit, int32_t *how);

/// Core-word indices the engine uses (Swift's `CoreLayout`; a test compares them).
enum {
    TBSIM_CORE_PC = 0,
    TBSIM_CORE_ICOUNT = 4,
    TBSIM_CORE_MSTATUS = 8,
    TBSIM_CORE_STEP_COUNT = 27,
    TBSIM_CORE_X = 32,
};

/// The block table: 2^18 slots (Swift's `BlockCache.tableBits`).
#define TBSIM_TABLE_BITS 18
/// The table slot of a block starting at RAM offset `start` (`BlockCache.slot` calls
/// this: one definition): neighbouring code lands in neighbouring slots, and code
/// 512 KiB apart is spread by the folded high bits.
static inline int64_t tbsim_block_slot(uint64_t start) {
    return (int64_t)(((start >> 1) ^ ((start >> (TBSIM_TABLE_BITS + 1)) * 0x9e5)) & ((1ull << TBSIM_TABLE_BITS) - 1));
}

/// Slots per access kind in a translation-cache bank (`TranslationCache.bits`).
#define TBSIM_TLB_BITS 8
#define TBSIM_TLB_SIZE (1ull << TBSIM_TLB_BITS)
/// Words from a translation's tag to its frame: two banks of fetch, load and store tags
/// (`TranslationCache.framesOffset`).
enum { TBSIM_TLB_FRAMES = 2 * 3 * (1 << TBSIM_TLB_BITS) };

/// mstatus.FS (Swift's `MStatus.fs`) and the start of RAM (`MachineMap.ramBase`).
#define TBSIM_MSTATUS_FS 0x6000ull
#define TBSIM_RAM_BASE 0x80000000ull

#endif
