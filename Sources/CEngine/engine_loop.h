// The engine's loop, included twice by engine.c: PAGING (0 or 1) says whether addresses
// are translated, RUN_LOOP names the function.
static uint64_t RUN_LOOP(const tbsim_engine *e, uint64_t limit, int32_t *how) {
    // Label addresses by op kind; every kind this file does not know goes to Swift.
    static const void *const table[256] = {
        [0 ... 255] = &&k_other,
        [TBSIM_K_LI] = &&k_li, [TBSIM_K_AUIPC] = &&k_auipc,
        [TBSIM_K_ADDI] = &&k_addi, [TBSIM_K_SLTI] = &&k_slti, [TBSIM_K_SLTIU] = &&k_sltiu,
        [TBSIM_K_XORI] = &&k_xori, [TBSIM_K_ORI] = &&k_ori, [TBSIM_K_ANDI] = &&k_andi,
        [TBSIM_K_SLLI] = &&k_slli, [TBSIM_K_SRLI] = &&k_srli, [TBSIM_K_SRAI] = &&k_srai,
        [TBSIM_K_ADDIW] = &&k_addiw, [TBSIM_K_SLLIW] = &&k_slliw, [TBSIM_K_SRLIW] = &&k_srliw,
        [TBSIM_K_SRAIW] = &&k_sraiw,
        [TBSIM_K_ADD] = &&k_add, [TBSIM_K_SUB] = &&k_sub, [TBSIM_K_SLL] = &&k_sll, [TBSIM_K_SLT] = &&k_slt,
        [TBSIM_K_SLTU] = &&k_sltu, [TBSIM_K_XOR] = &&k_xor, [TBSIM_K_SRL] = &&k_srl, [TBSIM_K_SRA] = &&k_sra,
        [TBSIM_K_OR] = &&k_or, [TBSIM_K_AND] = &&k_and,
        [TBSIM_K_MUL] = &&k_mul, [TBSIM_K_MULH] = &&k_mulh, [TBSIM_K_MULHSU] = &&k_mulhsu,
        [TBSIM_K_MULHU] = &&k_mulhu, [TBSIM_K_DIV] = &&k_div, [TBSIM_K_DIVU] = &&k_divu,
        [TBSIM_K_REM] = &&k_rem, [TBSIM_K_REMU] = &&k_remu,
        [TBSIM_K_ADDW] = &&k_addw, [TBSIM_K_SUBW] = &&k_subw, [TBSIM_K_SLLW] = &&k_sllw,
        [TBSIM_K_SRLW] = &&k_srlw, [TBSIM_K_SRAW] = &&k_sraw,
        [TBSIM_K_MULW] = &&k_mulw, [TBSIM_K_DIVW] = &&k_divw, [TBSIM_K_DIVUW] = &&k_divuw,
        [TBSIM_K_REMW] = &&k_remw, [TBSIM_K_REMUW] = &&k_remuw,
        [TBSIM_K_LB] = &&k_lb, [TBSIM_K_LH] = &&k_lh, [TBSIM_K_LW] = &&k_lw, [TBSIM_K_LD] = &&k_ld,
        [TBSIM_K_LBU] = &&k_lbu, [TBSIM_K_LHU] = &&k_lhu, [TBSIM_K_LWU] = &&k_lwu,
        [TBSIM_K_PROBE] = &&k_probe,
        [TBSIM_K_SB] = &&k_sb, [TBSIM_K_SH] = &&k_sh, [TBSIM_K_SW] = &&k_sw, [TBSIM_K_SD] = &&k_sd,
        [TBSIM_K_FLW] = &&k_flw, [TBSIM_K_FLD] = &&k_fld, [TBSIM_K_FSW] = &&k_fsw, [TBSIM_K_FSD] = &&k_fsd,
        [TBSIM_K_END] = &&k_end,
        [TBSIM_K_JAL] = &&k_jal, [TBSIM_K_J] = &&k_j, [TBSIM_K_JALR] = &&k_jalr, [TBSIM_K_JR] = &&k_jr,
        [TBSIM_K_BEQ] = &&k_beq, [TBSIM_K_BNE] = &&k_bne, [TBSIM_K_BLT] = &&k_blt, [TBSIM_K_BGE] = &&k_bge,
        [TBSIM_K_BLTU] = &&k_bltu, [TBSIM_K_BGEU] = &&k_bgeu,
        [TBSIM_K_SIDE_BEQ] = &&k_side_beq, [TBSIM_K_SIDE_BNE] = &&k_side_bne,
        [TBSIM_K_SIDE_BLT] = &&k_side_blt, [TBSIM_K_SIDE_BGE] = &&k_side_bge,
        [TBSIM_K_SIDE_BLTU] = &&k_side_bltu, [TBSIM_K_SIDE_BGEU] = &&k_side_bgeu,
    };

    // What the hot paths use, in locals: a byte store into RAM may alias any memory, so
    // fields read through `e` would be reloaded after every store. The slow paths read
    // `e` (fewer values live across the handlers, fewer spills).
    uint64_t *const core = e->core;
    uint8_t *const ram = e->ram;
    const uint64_t ram_size = e->ram_size;
    tbsim_block *const blocks = e->blocks;
    const tbsim_op *const ops = e->ops;
    const uint64_t *const tlb = e->tlb;

    // The handlers read x0 from its core word without a test.
    if (core[TBSIM_CORE_X] != 0) { *how = TBSIM_RUN_STOPPED; return 0; }
    uint64_t pc = core[TBSIM_CORE_PC];
    // Instructions the budget still allows (limit - the count so far). A block's whole
    // count is charged when it starts; an exit inside it gives back what did not run.
    uint64_t left = limit;
    int32_t result = TBSIM_RUN_STOPPED;
    uint32_t epoch = *e->epoch;
    // The frame of the code page last fetched from.
    uint64_t code_page = ~0ull, code_frame = 0;
    // The running block (at a block's end: the block just run) and its page; `linked`
    // says how that block ended, to link it to the next one: 1 taken, 0 fell through,
    // 2 left by the side exit at op index `side`, 3 an indirect jump (its target is
    // remembered, checked by address), -1 nothing to link (no block yet).
    tbsim_block *blk = 0;
    uint64_t page = ~0ull;
    int linked = -1;
    int64_t side = 0;
    // The running op, as a pointer to its second word (`w` below; the immediate is the
    // word before): stepping it is then one add.
    const uint64_t *op;
    uint64_t a;
    uint64_t w;
    // The two RAM pages last stored to that were marked dirty and watched by nobody (not
    // page tables, not decoded code): the next store to either needs no bitmap work (two,
    // since stack and data stores often alternate). Every callback may mark pages
    // watched (a fill reads page tables, a build decodes code), so each one forgets them.
    uint64_t clean_page = ~0ull, clean_page2 = ~0ull;
    (void)tlb; (void)ram_size;

// The running op's second word (kind, rd, rs1, rs2, pc_offset, index), loaded once when
// dispatching to it: one load instead of one per field.
#define F_RD ((w >> 8) & 0xff)
#define F_RS1 ((w >> 16) & 0xff)
#define F_RS2 ((w >> 24) & 0xff)
#define F_PC_OFFSET ((w >> 32) & 0xffff)
#define F_INDEX (w >> 48)
#define RD core[F_RD]
#define RS1 core[F_RS1]
#define RS2 core[F_RS2]
#define IMM op[-1]
#define DISPATCH do { w = *op; goto *table[w & 0xff]; } while (0)
#define NEXT do { op += 2; DISPATCH; } while (0)
// Leave before this op (`index` instructions of the block ran).
#define LEAVE_BEFORE do { left += blk->count - F_INDEX; pc += F_PC_OFFSET; goto stop; } while (0)
// Leave after this op, to `next_pc`.
#define LEAVE_AFTER(next_pc) do { left += blk->count - F_INDEX - 1u; pc = (next_pc); goto stop; } while (0)
// A block's end: with `taken_` known, follow the link to the next block when it is in the
// same page, was linked in this epoch and fits the budget; else look the next block up.
// Runs linked block `nb_` when its whole count fits the budget: 1 <= count <= left (a
// block of count 0 is for the reference step).
#define ENTER_IF_FITS(nb_) do { \
        tbsim_block *b_ = (nb_); \
        uint64_t c_ = b_->count; \
        if (LIKELY(c_ - 1 < left)) { \
            left -= c_; \
            blk = b_; \
            op = (const uint64_t *)(ops + b_->first_op) + 1; \
            DISPATCH; \
        } \
    } while (0)
#define CHAIN(taken_) do { \
        if (LIKELY((!PAGING || (pc >> 12) == page) && blk->link_epoch == epoch)) { \
            /* No link (-1) names the sentinel blocks[-1], whose count is 0. */ \
            ENTER_IF_FITS(blocks + ((taken_) ? blk->link_taken : blk->link_fall)); \
        } \
        linked = (taken_); \
        goto next_block; \
    } while (0)
// a := the RAM offset of an aligned access of `size_` bytes at `va_`, or leave before
// the op when the reference step must do it (misaligned, not RAM, no translation).
// Translated, no bounds test is needed: a cached or filled frame is a page of RAM (the
// fill checks it), an aligned access stays inside its page, and RAM is whole pages.
#define TRANSLATE(va_, size_, kind_) do { \
        uint64_t v_ = (va_); \
        if (UNLIKELY(v_ & ((size_) - 1))) LEAVE_BEFORE; \
        if (PAGING) { \
            uint64_t vpn_ = v_ >> 12; \
            int64_t s_ = (int64_t)(kind_) << TBSIM_TLB_BITS | (int64_t)(vpn_ & (TBSIM_TLB_SIZE - 1)); \
            if (LIKELY(tlb[s_] == vpn_ + 1)) { \
                a = tlb[s_ + TBSIM_TLB_FRAMES] | (v_ & 0xfff); \
            } else { \
                a = e->fill(e->context, v_, (kind_)); \
                clean_page = clean_page2 = ~0ull; \
                if (a == ~0ull) LEAVE_BEFORE; \
            } \
        } else { \
            a = v_ - TBSIM_RAM_BASE; \
            if (UNLIKELY(a >= ram_size)) LEAVE_BEFORE; \
        } \
    } while (0)
#define LOAD_OP(size, expr) do { \
        TRANSLATE(RS1 + IMM, size, LOAD); \
        RD = (expr); \
        NEXT; \
    } while (0)
#define STORE_OP(size, type) do { \
        TRANSLATE(RS1 + IMM, size, STORE); \
        *(type *)(ram + a) = (type)RS2; \
        goto stored_##size; \
    } while (0)
// After a store of `size` bytes at RAM offset `a`: mark the page dirty; a store into
// page tables or decoded code leaves after the store (what follows may have been
// translated or decoded from what it overwrote).
#define STORED(size) stored_##size: { \
        uint64_t pg_ = a >> 12; \
        if (UNLIKELY(pg_ != clean_page && pg_ != clean_page2)) { \
            uint64_t w_ = pg_ >> 6, bit_ = 1ull << (pg_ & 63); \
            e->dirty[w_] |= bit_; \
            if ((e->table_pages[w_] | e->code_pages[w_]) & bit_) { \
                if (e->watched_store(e->context, a, size)) { \
                    LEAVE_AFTER(pc + F_PC_OFFSET + F_RD); \
                } \
            } else { \
                clean_page2 = clean_page; \
                clean_page = pg_; \
            } \
        } \
        NEXT; \
    }

next_block:
    // pc is the next block's address; blk, page and `linked` say how we got here.
    if (left == 0) goto stop;
    {
        const uint64_t next_page = pc >> 12;
        // The block just run links to this one if it is in the same virtual page (then in
        // the same physical page, whatever the translation). Untranslated, any link holds:
        // a link is an offset from its block (a pc-relative target or the fall-through),
        // so a link that leaves its page is never followed by a translated run, where
        // the same offset leaves the virtual page too.
        int same = linked >= 0 && linked <= 2 && (!PAGING || next_page == page);
        int32_t b = -1;
        if (same) {
            if (linked == 2) {
                if (e->side_links[side].epoch == epoch) b = e->side_links[side].block;
            } else if (blk->link_epoch == epoch) {
                b = linked ? blk->link_taken : blk->link_fall;
            }
        }
        if (b < 0) {
            uint64_t off;
            if (PAGING) {
                if (next_page == code_page) {
                    off = code_frame | (pc & 0xfff);
                } else {
                    uint64_t vpn = next_page;
                    int64_t slot = (int64_t)FETCH << TBSIM_TLB_BITS | (int64_t)(vpn & (TBSIM_TLB_SIZE - 1));
                    if (tlb[slot] == vpn + 1) {
                        off = tlb[slot + TBSIM_TLB_FRAMES] | (pc & 0xfff);
                    } else {
                        off = e->fill(e->context, pc, FETCH);
                        clean_page = clean_page2 = ~0ull;
                        if (off == ~0ull) goto stop;
                    }
                    code_page = next_page;
                    code_frame = off & ~0xfffull;
                }
            } else {
                off = pc - TBSIM_RAM_BASE;
                if (off >= ram_size) goto stop;
            }
            // An indirect jump first tries where it went last time (kept in its block's
            // taken link, which a block ending in one has no other use for): the block
            // found must start at this very RAM offset, whatever the page. That spares
            // the table, which is large and cold where returns and indirect calls abound.
            int32_t last = linked == 3 && blk->link_epoch == epoch ? blk->link_taken : -1;
            if (last >= 0 && blocks[last].start == off) {
                b = last;
            } else {
                int64_t slot = tbsim_block_slot(off);
                if (e->tags[slot] == off + 1) {
                    b = e->slots[slot];
                } else {
                    b = e->build(e->context, off, slot);
                    clean_page = clean_page2 = ~0ull;
                    // A full cache is flushed while building: the block just run is gone
                    // with it.
                    if (*e->epoch != epoch) { epoch = *e->epoch; same = 0; linked = -1; }
                }
            }
            if (linked == 3) {
                if (blk->link_epoch != epoch) {
                    blk->link_fall = -1;
                    blk->link_epoch = epoch;
                }
                blk->link_taken = b;
            } else if (same && linked == 2) {
                e->side_links[side].block = b;
                e->side_links[side].epoch = epoch;
            } else if (same) {
                if (blk->link_epoch != epoch) {
                    blk->link_taken = -1;
                    blk->link_fall = -1;
                    blk->link_epoch = epoch;
                }
                if (linked) blk->link_taken = b; else blk->link_fall = b;
            }
        }
        blk = blocks + b;
        page = next_page;
    }
    if (blk->count == 0) goto stop;
    if (blk->count > left) {
        // Exact counting: the block does not fit, so the rest goes one at a time.
        result = TBSIM_RUN_STEPWISE;
        goto stop;
    }
    left -= blk->count;
    op = (const uint64_t *)(ops + blk->first_op) + 1;
    DISPATCH;

k_li: RD = IMM; NEXT;
k_auipc: RD = pc + IMM; NEXT;
k_addi: RD = RS1 + IMM; NEXT;
k_slti: RD = (int64_t)RS1 < (int64_t)IMM; NEXT;
k_sltiu: RD = RS1 < IMM; NEXT;
k_xori: RD = RS1 ^ IMM; NEXT;
k_ori: RD = RS1 | IMM; NEXT;
k_andi: RD = RS1 & IMM; NEXT;
k_slli: RD = RS1 << (IMM & 63); NEXT;
k_srli: RD = RS1 >> (IMM & 63); NEXT;
k_srai: RD = (uint64_t)((int64_t)RS1 >> (IMM & 63)); NEXT;
k_addiw: RD = sext32(RS1 + IMM); NEXT;
k_slliw: RD = sext32((uint32_t)RS1 << (IMM & 31)); NEXT;
k_srliw: RD = sext32((uint32_t)RS1 >> (IMM & 31)); NEXT;
k_sraiw: RD = (uint64_t)(int64_t)((int32_t)RS1 >> (IMM & 31)); NEXT;
k_add: RD = RS1 + RS2; NEXT;
k_sub: RD = RS1 - RS2; NEXT;
k_sll: RD = RS1 << (RS2 & 63); NEXT;
k_slt: RD = (int64_t)RS1 < (int64_t)RS2; NEXT;
k_sltu: RD = RS1 < RS2; NEXT;
k_xor: RD = RS1 ^ RS2; NEXT;
k_srl: RD = RS1 >> (RS2 & 63); NEXT;
k_sra: RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63)); NEXT;
k_or: RD = RS1 | RS2; NEXT;
k_and: RD = RS1 & RS2; NEXT;
k_mul: RD = RS1 * RS2; NEXT;
k_mulh: RD = (uint64_t)((i128)(int64_t)RS1 * (i128)(int64_t)RS2 >> 64); NEXT;
k_mulhsu: {
    uint64_t x = RS1, y = RS2;
    uint64_t hi = (uint64_t)((u128)x * y >> 64);
    RD = (int64_t)x < 0 ? hi - y : hi;
    NEXT;
}
k_mulhu: RD = (uint64_t)((u128)RS1 * RS2 >> 64); NEXT;
k_div: RD = div64(RS1, RS2); NEXT;
k_divu: { uint64_t y = RS2; RD = y == 0 ? ~0ull : RS1 / y; NEXT; }
k_rem: RD = rem64(RS1, RS2); NEXT;
k_remu: { uint64_t x = RS1, y = RS2; RD = y == 0 ? x : x % y; NEXT; }
k_addw: RD = sext32(RS1 + RS2); NEXT;
k_subw: RD = sext32(RS1 - RS2); NEXT;
k_sllw: RD = sext32((uint32_t)RS1 << (RS2 & 31)); NEXT;
k_srlw: RD = sext32((uint32_t)RS1 >> (RS2 & 31)); NEXT;
k_sraw: RD = (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31)); NEXT;
k_mulw: RD = sext32((uint32_t)RS1 * (uint32_t)RS2); NEXT;
k_divw: RD = div32((uint32_t)RS1, (uint32_t)RS2); NEXT;
k_divuw: { uint32_t x = (uint32_t)RS1, y = (uint32_t)RS2; RD = y == 0 ? ~0ull : sext32(x / y); NEXT; }
k_remw: RD = rem32((uint32_t)RS1, (uint32_t)RS2); NEXT;
k_remuw: { uint32_t x = (uint32_t)RS1, y = (uint32_t)RS2; RD = sext32(y == 0 ? x : x % y); NEXT; }

k_lb: LOAD_OP(1, (uint64_t)(int64_t)*(int8_t *)(ram + a));
k_lh: LOAD_OP(2, (uint64_t)(int64_t)*(int16_t *)(ram + a));
k_lw: LOAD_OP(4, (uint64_t)(int64_t)*(int32_t *)(ram + a));
k_ld: LOAD_OP(8, *(uint64_t *)(ram + a));
k_lbu: LOAD_OP(1, *(uint8_t *)(ram + a));
k_lhu: LOAD_OP(2, *(uint16_t *)(ram + a));
k_lwu: LOAD_OP(4, *(uint32_t *)(ram + a));
k_probe:
    // A load into x0: only the access's checks (size in rs2).
    TRANSLATE(RS1 + IMM, F_RS2, LOAD);
    NEXT;
k_sb: STORE_OP(1, uint8_t);
k_sh: STORE_OP(2, uint16_t);
k_sw: STORE_OP(4, uint32_t);
k_sd: STORE_OP(8, uint64_t);
STORED(1)
STORED(2)
STORED(4)
STORED(8)

// FP loads and stores: with FS = Off the reference step raises illegal instruction.
k_flw:
    if (UNLIKELY(!(core[TBSIM_CORE_MSTATUS] & TBSIM_MSTATUS_FS))) LEAVE_BEFORE;
    TRANSLATE(RS1 + IMM, 4, LOAD);
    RD = 0xffffffff00000000ull | *(uint32_t *)(ram + a);
    goto fp_written;
k_fld:
    if (UNLIKELY(!(core[TBSIM_CORE_MSTATUS] & TBSIM_MSTATUS_FS))) LEAVE_BEFORE;
    TRANSLATE(RS1 + IMM, 8, LOAD);
    RD = *(uint64_t *)(ram + a);
fp_written:
    // Writing an f register makes the FP state dirty, as Hart.setF does.
    if (UNLIKELY((core[TBSIM_CORE_MSTATUS] & TBSIM_MSTATUS_FS) != TBSIM_MSTATUS_FS))
        core[TBSIM_CORE_MSTATUS] |= TBSIM_MSTATUS_FS;
    NEXT;
k_fsw:
    if (UNLIKELY(!(core[TBSIM_CORE_MSTATUS] & TBSIM_MSTATUS_FS))) LEAVE_BEFORE;
    TRANSLATE(RS1 + IMM, 4, STORE);
    *(uint32_t *)(ram + a) = (uint32_t)RS2;
    goto stored_4;
k_fsd:
    if (UNLIKELY(!(core[TBSIM_CORE_MSTATUS] & TBSIM_MSTATUS_FS))) LEAVE_BEFORE;
    TRANSLATE(RS1 + IMM, 8, STORE);
    *(uint64_t *)(ram + a) = RS2;
    goto stored_8;

k_other:
    // Atomics and every kind this file does not know: Swift runs them.
    clean_page = clean_page2 = ~0ull;
    switch (e->op(e->context, (const tbsim_op *)(op - 1), pc + F_PC_OFFSET)) {
    case TBSIM_OP_DONE: NEXT;
    case TBSIM_OP_BEFORE: LEAVE_BEFORE;
    default:
        LEAVE_AFTER(core[TBSIM_CORE_PC]);
    }

// Terminators: the block's last op (its count was charged when it started), so the
// next instruction, when the block falls through, is at pc + bytes.
k_end:
    // A block cut short (page end, length limit, an instruction for the reference step).
    pc += blk->bytes;
    CHAIN(0);
k_jal:
    RD = pc + blk->bytes;
    pc += IMM;
    CHAIN(1);
k_j:
    pc += IMM;
    CHAIN(1);
// Indirect jumps are not linked (their target changes) but remember where they went.
k_jalr: {
    uint64_t t = (RS1 + IMM) & ~1ull;
    RD = pc + blk->bytes;
    pc = t;
    linked = 3;
    goto next_block;
}
k_jr:
    pc = (RS1 + IMM) & ~1ull;
    linked = 3;
    goto next_block;
// A taken branch to its own block's start (IMM, the target's offset from the block's
// start, is 0: a loop of one block) runs the block again directly when it fits: it is
// the block just run, still valid (a store that dropped it would have left the block).
#define BRANCH(cond) do { \
        if (cond) { \
            uint64_t t_ = IMM; \
            if (t_ == 0) { \
                /* the block's count: its last instruction's index + 1 */ \
                uint64_t c_ = F_INDEX + 1u; \
                if (LIKELY(c_ <= left)) { \
                    left -= c_; \
                    op = (const uint64_t *)(ops + blk->first_op) + 1; \
                    DISPATCH; \
                } \
            } \
            pc += t_; \
            CHAIN(1); \
        } \
        pc += blk->bytes; \
        CHAIN(0); \
    } while (0)
// A side exit: a conditional branch inside a block. Not taken, the block goes on; taken,
// it gives back the block's instructions after it and follows its own link (or, a
// branch to its block's start, runs the block again when it fits, as BRANCH does).
// Rerunning: `index` + 1 instructions ran of the `count` charged, and the rerun charges
// `count` again, so the budget must hold index + 1 more; the block's first op is `rd` ops
// back.
#define SIDE(cond) do { \
        if (cond) { \
            uint64_t t_ = IMM; \
            if (t_ == 0 && LIKELY(F_INDEX + 1u <= left)) { \
                left -= F_INDEX + 1u; \
                op -= 2 * F_RD; \
                DISPATCH; \
            } \
            left += blk->count - F_INDEX - 1u; \
            pc += t_; \
            side = (const tbsim_op *)(op - 1) - ops; \
            if (LIKELY(!PAGING || (pc >> 12) == page)) { \
                tbsim_side_link l_ = e->side_links[side]; \
                if (LIKELY(l_.epoch == epoch)) ENTER_IF_FITS(blocks + l_.block); \
            } \
            linked = 2; \
            goto next_block; \
        } \
        NEXT; \
    } while (0)
// The six branch conditions, once, for both kinds of branch op.
#define CONDITIONS(X) \
    X(beq, RS1 == RS2) X(bne, RS1 != RS2) \
    X(blt, (int64_t)RS1 < (int64_t)RS2) X(bge, (int64_t)RS1 >= (int64_t)RS2) \
    X(bltu, RS1 < RS2) X(bgeu, RS1 >= RS2)
#define SIDE_HANDLER(name_, cond_) k_side_##name_: SIDE(cond_);
#define BRANCH_HANDLER(name_, cond_) k_##name_: BRANCH(cond_);
CONDITIONS(SIDE_HANDLER)
CONDITIONS(BRANCH_HANDLER)
#undef CONDITIONS
#undef SIDE_HANDLER
#undef BRANCH_HANDLER

stop:
    core[TBSIM_CORE_PC] = pc;
    core[TBSIM_CORE_ICOUNT] += limit - left;
    core[TBSIM_CORE_STEP_COUNT] += limit - left;
    *how = result;
    return limit - left;
#undef RD
#undef RS1
#undef RS2
#undef IMM
#undef NEXT
#undef DISPATCH
#undef F_RD
#undef F_RS1
#undef F_RS2
#undef F_PC_OFFSET
#undef F_INDEX
#undef LEAVE_BEFORE
#undef LEAVE_AFTER
#undef CHAIN
#undef ENTER_IF_FITS
#undef TRANSLATE
#undef LOAD_OP
#undef STORE_OP
#undef STORED
#undef BRANCH
#undef SIDE
}

