import CEngine

/// The threaded engine: the blocks of `BlockCache`, run by the C target CEngine, whose op
/// handlers each end in their own indirect jump (computed goto) and whose block ends
/// follow the blocks' links without returning here. Swift gives neither computed goto nor
/// guaranteed tail calls, so one shared dispatch jump was a quarter of the block engine's
/// time (docs/ENGINE.md).
///
/// Same blocks, same exits, same exact counting as `BlockRunner`; the C code calls back
/// into this file for what stays in Swift: building a block, filling a translation, a
/// store into page tables or decoded code, and every op kind it does not know
/// (`BlockRunner.perform`: atomics, and kinds added to `BlockOp.Kind` after the C code
/// was written). Tests run it in lockstep against the reference step.
struct ThreadedRunner {
    let blocks: BlockRunner

    typealias L = CoreLayout

    /// What the callbacks reach through the C engine's context pointer.
    struct Context {
        let blocks: BlockRunner
        let paging: Bool
    }

    /// Runs up to `limit` instructions; returns how many ran. Stops before the first
    /// instruction it does not handle, leaving pc on it.
    func run(_ limit: UInt64) -> UInt64 {
        let fast = blocks.fast, core = blocks.core
        let priv = core[L.priv]
        let paging = core[L.satp] >> 60 == 8 && priv != Privilege.machine
        if paging {
            fast.tlb.validate(satp: core[L.satp], priv: priv, mstatus: core[L.mstatus], tableWrites: fast.storage.tableWrites)
        }
        var context = Context(blocks: blocks, paging: paging)
        var how: Int32 = 0
        let n = withUnsafeMutablePointer(to: &context) { pointer -> UInt64 in
            var engine = tbsim_engine(
                core: core, ram: blocks.ram.assumingMemoryBound(to: UInt8.self), ram_size: blocks.ramSize,
                dirty: blocks.dirty, table_pages: blocks.tablePages, code_pages: blocks.codePages,
                tags: blocks.tags, slots: blocks.slots,
                blocks: UnsafeMutableRawPointer(blocks.blocks).assumingMemoryBound(to: tbsim_block.self),
                ops: UnsafeRawPointer(blocks.ops).assumingMemoryBound(to: tbsim_op.self),
                side_links: UnsafeMutableRawPointer(blocks.cache.sideLinks).assumingMemoryBound(to: tbsim_side_link.self),
                epoch: UnsafePointer(blocks.cache.epochWord),
                tlb: UnsafePointer(fast.tlb.tags + fast.tlb.base), paging: paging ? 1 : 0,
                context: UnsafeMutableRawPointer(pointer),
                build: { context, start, slot in
                    let c = context!.assumingMemoryBound(to: Context.self)
                    return Int32(c.pointee.blocks.cache.build(start, slot: Int(slot)))
                },
                fill: { context, va, kind in
                    let c = context!.assumingMemoryBound(to: Context.self)
                    let fast = c.pointee.blocks.fast
                    let vpn = va >> 12
                    let slot = fast.tlb.base &+ (Int(kind) << TranslationCache.bits | Int(vpn & UInt64(TranslationCache.size - 1)))
                    return fast.fill(va, Int(kind), slot) ?? ~0
                },
                watched_store: { context, offset, size in
                    let c = context!.assumingMemoryBound(to: Context.self)
                    let page = Int(offset >> 12)
                    return c.pointee.blocks.watchedStore(offset, Int(size), page >> 6, 1 << UInt64(page & 63)) ? 1 : 0
                },
                op: { context, op, pc in
                    let c = context!.assumingMemoryBound(to: Context.self)
                    let op = UnsafeRawPointer(op!).load(as: BlockOp.self)
                    return Int32(c.pointee.blocks.perform(op, at: pc, paging: c.pointee.paging))
                })
            return tbsim_engine_run(&engine, limit, &how)
        }
        if how == Int32(TBSIM_RUN_STEPWISE) {
            // Exact counting: the next block does not fit, so the rest goes one at a time.
            return n &+ fast.run(limit &- n)
        }
        return n
    }
}
