import CEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoded blocks by the RAM offset of their first instruction (not state). Blocks are
/// keyed by physical location and hold only pc-relative offsets, so every virtual address
/// that maps to the same code shares one decode.
///
/// Invisible (design invariant 2): a store into RAM that decoded code came from drops
/// exactly the blocks whose bytes it overlaps, whoever performs it (an engine, the
/// reference step, an AMO, a page walk setting A/D bits). Stores are screened by a bit per
/// page (`MachineStorage.codePages`, one test on the store path) and then by a bit per
/// 32-byte line, so data stored beside code in the same page costs a bitmap test and
/// leaves the blocks alone.
final class BlockCache {
    /// Longest block, in instructions.
    static let maxInstructions: UInt32 = 64
    static let tableBits = Int(TBSIM_TABLE_BITS)
    static let tableSize = 1 << tableBits
    static let lineShift: UInt64 = 5
    static let opCapacity = 1 << 20
    static let blockCapacity = 1 << 17

    /// The table slot of a block starting at RAM offset `start`: neighbouring code lands
    /// in neighbouring slots, and code 512 KiB apart is spread by the folded high bits.
    /// Defined once, in C (`tbsim_block_slot`), for both engines.
    @inline(__always) static func slot(_ start: UInt64) -> Int {
        Int(tbsim_block_slot(start))
    }

    /// Start offset + 1 per slot (0 = empty) and the block in it.
    let tags: UnsafeMutablePointer<UInt64>
    let slots: UnsafeMutablePointer<Int32>
    let ops: UnsafeMutablePointer<BlockOp>
    /// The blocks; `blocks[-1]` is a sentinel with no instructions, so the threaded
    /// engine can follow a link of -1 ("none") without testing for it: the sentinel never
    /// fits the budget, which sends it to the table lookup.
    let blocks: UnsafeMutablePointer<Block>
    var opCount = 0
    var blockCount = 0
    /// Where each side exit (by op index) led when taken last, for the threaded engine
    /// to follow without a lookup: valid while its epoch is the cache's.
    let sideLinks: UnsafeMutablePointer<SideLink>
    /// Moves whenever a block is dropped or the cache flushed, which invalidates every
    /// link between blocks at once (a link never outlives the block it names).
    var epoch: UInt32 {
        get { epochWord.pointee }
        set { epochWord.pointee = newValue }
    }
    /// Where the epoch lives, so the threaded engine sees it move during its callbacks.
    let epochWord: UnsafeMutablePointer<UInt32>
    /// One bit per 4 KiB page of RAM holding decoded code (owned by the storage, which
    /// checks it on every store of the reference step).
    let codePages: UnsafeMutablePointer<UInt64>
    /// One bit per 32-byte line of RAM holding decoded code (two words per page).
    let codeLines: UnsafeMutablePointer<UInt64>
    /// The blocks decoded from each page (for invalidation; not on the hot path).
    var pageBlocks: [Int: [Int32]] = [:]
    let ram: UnsafeMutableRawPointer
    let ramSize: UInt64

    init(ram: UnsafeMutableRawPointer, ramSize: Int, codePages: UnsafeMutablePointer<UInt64>) {
        self.ram = ram
        self.ramSize = UInt64(ramSize)
        self.codePages = codePages
        // calloc: a machine that runs little code touches little of the table.
        tags = calloc(BlockCache.tableSize, 8)!.bindMemory(to: UInt64.self, capacity: BlockCache.tableSize)
        slots = calloc(BlockCache.tableSize, 4)!.bindMemory(to: Int32.self, capacity: BlockCache.tableSize)
        ops = .allocate(capacity: BlockCache.opCapacity)
        // calloc: epoch 0 is never current, so every link starts out invalid.
        sideLinks = calloc(BlockCache.opCapacity, MemoryLayout<SideLink>.stride)!
            .bindMemory(to: SideLink.self, capacity: BlockCache.opCapacity)
        blocks = UnsafeMutablePointer<Block>.allocate(capacity: BlockCache.blockCapacity + 1) + 1
        (blocks - 1).initialize(to: Block(start: 0, bytes: 0, count: 0, firstOp: 0, opCount: 0))
        epochWord = .allocate(capacity: 1)
        epochWord.initialize(to: 1)
        // calloc: the bitmap of a large RAM costs only the pages code was decoded from.
        let lineWords = (ramSize / MachineStorage.pageSize) * 2
        codeLines = calloc(max(lineWords, 1), 8)!.bindMemory(to: UInt64.self, capacity: max(lineWords, 1))
    }

    deinit {
        free(tags)
        free(slots)
        ops.deallocate()
        free(sideLinks)
        (blocks - 1).deallocate()
        epochWord.deallocate()
        free(codeLines)
    }

    /// Decodes the block starting at RAM offset `start` (at least two bytes before the
    /// end of its page) into table slot `slot`; returns its index. The runner probes the
    /// table itself and calls this on a miss.
    @inline(never) func build(_ start: UInt64, slot: Int) -> Int {
        if blockCount == BlockCache.blockCapacity || opCount + Int(BlockCache.maxInstructions) + 1 > BlockCache.opCapacity {
            flush()
        }
        let pageEnd = (start | 0xfff) &+ 1
        var p = start
        var count: UInt32 = 0
        let first = opCount
        var supported = true, terminates = false
        while count < BlockCache.maxInstructions && !terminates && p + 2 <= pageEnd {
            var bits = UInt32(ram.load(fromByteOffset: Int(p), as: UInt16.self))
            let length: UInt64 = bits & 3 == 3 ? 4 : 2
            if length == 4 {
                guard p + 4 <= pageEnd else { break }
                bits |= UInt32(ram.load(fromByteOffset: Int(p + 2), as: UInt16.self)) << 16
            }
            let d = Decoded.decode(bits)
            let op = BlockOp.make(d, length: length, pcOffset: UInt16(p - start), index: UInt16(count),
                                  supported: &supported, terminates: &terminates)
            guard supported else { break }
            if var op {
                // A conditional branch with room for another instruction after it is a
                // side exit: the block goes on along the not-taken path.
                if terminates, let side = op.kind.sideExit,
                   count + 1 < BlockCache.maxInstructions, p + length + 2 <= pageEnd {
                    op.kind = side
                    op.rd = UInt8(opCount - first)
                    terminates = false
                }
                ops[opCount] = op
                opCount += 1
            }
            p += length
            count += 1
        }
        // A side exit that turned out to be the block's last instruction (what followed
        // is for the reference step, or does not fit the page) ends it as a terminator.
        if count > 0 && !terminates && opCount > first && ops[opCount - 1].index == UInt16(count - 1),
           let branch = ops[opCount - 1].kind.terminatingBranch {
            ops[opCount - 1].kind = branch
            ops[opCount - 1].rd = UInt8(p - start - UInt64(ops[opCount - 1].pcOffset))
            terminates = true
        }
        // A block cut short ends in `end`, so the threaded engine needs no end test per op.
        if count > 0 && !terminates {
            ops[opCount] = BlockOp(imm: 0, kind: .end, rd: 0, rs1: 0, rs2: 0, pcOffset: UInt16(p - start), index: UInt16(count))
            opCount += 1
        }
        // An empty block still covers its first parcel, so rewriting that instruction
        // into one the engine runs drops the empty block.
        let bytes = count == 0 ? 2 : p - start
        let index = blockCount
        blocks[index] = Block(start: start, bytes: UInt32(bytes), count: count, firstOp: Int32(first),
                              opCount: Int32(opCount - first))
        blockCount += 1
        let page = Int(start >> 12)
        for line in Int(start >> BlockCache.lineShift)...Int((start + bytes - 1) >> BlockCache.lineShift) {
            codeLines[line >> 6] |= 1 << UInt64(line & 63)
        }
        codePages[page >> 6] |= 1 << UInt64(page & 63)
        pageBlocks[page, default: []].append(Int32(index))
        tags[slot] = start &+ 1
        slots[slot] = Int32(index)
        return index
    }

    /// Called for a store of `size` bytes at RAM offset `offset` into a page holding
    /// code: drops every block whose bytes the store overlaps. Returns whether any was
    /// dropped (then the running block may be stale and must be left).
    @inline(never) func stored(_ offset: UInt64, _ size: Int) -> Bool {
        let firstLine = Int(offset >> BlockCache.lineShift)
        let lastLine = Int((offset + UInt64(size) - 1) >> BlockCache.lineShift)
        var touches = false
        for line in firstLine...lastLine where codeLines[line >> 6] & (1 << UInt64(line & 63)) != 0 { touches = true }
        guard touches else { return false }
        var dropped = false
        for page in Int(offset >> 12)...Int((offset + UInt64(size) - 1) >> 12) {
            guard var list = pageBlocks[page] else { continue }
            list.removeAll { b in
                let block = blocks[Int(b)]
                guard offset < block.start + UInt64(block.bytes) && block.start < offset + UInt64(size) else { return false }
                let slot = BlockCache.slot(block.start)
                if tags[slot] == block.start &+ 1 && slots[slot] == b { tags[slot] = 0 }
                dropped = true
                epoch &+= 1
                return true
            }
            // Recompute the page's line bits from the blocks that remain.
            codeLines[page * 2] = 0
            codeLines[page * 2 + 1] = 0
            for b in list {
                let block = blocks[Int(b)]
                for line in Int(block.start >> BlockCache.lineShift)...Int((block.start + UInt64(block.bytes) - 1) >> BlockCache.lineShift) {
                    codeLines[line >> 6] |= 1 << UInt64(line & 63)
                }
            }
            if list.isEmpty {
                pageBlocks[page] = nil
                codePages[page >> 6] &= ~(1 << UInt64(page & 63))
            } else {
                pageBlocks[page] = list
            }
        }
        return dropped
    }

    /// Drops every block (RAM changed in ways the cache cannot follow, or it is full).
    func flush() {
        tags.update(repeating: 0, count: BlockCache.tableSize)
        for page in pageBlocks.keys {
            codeLines[page * 2] = 0
            codeLines[page * 2 + 1] = 0
            codePages[page >> 6] &= ~(1 << UInt64(page & 63))
        }
        pageBlocks = [:]
        epoch &+= 1
        opCount = 0
        blockCount = 0
    }
}

/// A side exit's link (laid out as the C engine's `tbsim_side_link`): the block its taken
/// branch led to, stamped with the cache's epoch then.
struct SideLink {
    var block: Int32
    var epoch: UInt32
}

extension BlockCache {
    /// The block decoded at RAM offset `start`, if one is cached (for tests).
    func cached(at start: UInt64) -> Block? {
        let slot = BlockCache.slot(start)
        return tags[slot] == start &+ 1 ? blocks[Int(slots[slot])] : nil
    }
}
