/// The fast path's cache of Sv39 translations (not state). An entry exists only for a
/// translation the page tables allow for one access kind without any A/D update; the
/// whole cache is dropped whenever anything it was derived from may have changed: satp,
/// privilege, SUM/MXR, or any write to a RAM page that page-table entries were read from.
/// Anything unusual is left to the reference step, which walks the tables itself.
final class TranslationCache {
    static let bits = 8
    static let size = 1 << bits
    /// vpn + 1 per slot (0 = empty), three banks: fetch, load, store.
    let tags: UnsafeMutablePointer<UInt64>
    /// RAM offset of the 4 KiB frame per slot.
    let frames: UnsafeMutablePointer<UInt64>
    /// What the entries were computed under.
    var satp: UInt64 = 0, priv: UInt64 = 0, sumMxr: UInt64 = 0
    var tableWrites = 0

    init() {
        tags = .allocate(capacity: 3 * TranslationCache.size)
        tags.initialize(repeating: 0, count: 3 * TranslationCache.size)
        frames = .allocate(capacity: 3 * TranslationCache.size)
        frames.initialize(repeating: 0, count: 3 * TranslationCache.size)
    }

    deinit {
        tags.deallocate()
        frames.deallocate()
    }

    func flush() { tags.update(repeating: 0, count: 3 * TranslationCache.size) }

    /// Drops every entry unless the context they were made in still holds.
    func validate(satp: UInt64, priv: UInt64, mstatus: UInt64, tableWrites: Int) {
        let sumMxr = mstatus & (MStatus.sum | MStatus.mxr)
        if satp != self.satp || priv != self.priv || sumMxr != self.sumMxr || tableWrites != self.tableWrites {
            flush()
            self.satp = satp; self.priv = priv; self.sumMxr = sumMxr; self.tableWrites = tableWrites
        }
    }
}

extension FastRunner {
    static let fetch = 0, load = 1, store = 2

    /// The RAM offset `va` translates to for access `kind`, or nil when the reference
    /// step must handle the access (miss it cannot fill, fault, A/D update, not RAM).
    @inline(__always) func translate(_ va: UInt64, _ kind: Int) -> UInt64? {
        let vpn = va >> 12
        let slot = kind << TranslationCache.bits | Int(vpn & UInt64(TranslationCache.size - 1))
        if tlb.tags[slot] == vpn &+ 1 { return tlb.frames[slot] | (va & 0xfff) }
        return fill(va, kind, slot)
    }

    func fill(_ va: UInt64, _ kind: Int, _ slot: Int) -> UInt64? {
        if UInt64(bitPattern: Int64(bitPattern: va << 25) >> 25) != va { return nil }
        var table = (tlb.satp & ((1 << 44) - 1)) << 12
        var level = 2
        while true {
            let pteOffset = table &+ ((va >> (12 + 9 * UInt64(level))) & 0x1ff) &* 8 &- MachineMap.ramBase
            guard pteOffset < ramSize else { return nil }
            let page = Int(pteOffset >> 12)
            tablePages[page >> 6] |= 1 << UInt64(page & 63)
            let pte = ram.load(fromByteOffset: Int(pteOffset), as: UInt64.self)
            let r = pte & 2 != 0, w = pte & 4 != 0, x = pte & 8 != 0
            if pte & 1 == 0 || (!r && w) || pte >> 54 != 0 { return nil }
            let ppn = (pte >> 10) & ((1 << 44) - 1)
            if !r && !x {
                if level == 0 { return nil }
                table = ppn << 12
                level -= 1
                continue
            }
            let user = pte & 16 != 0, accessed = pte & 64 != 0, dirty = pte & 128 != 0
            if tlb.priv == Privilege.user {
                if !user { return nil }
            } else if user && (kind == FastRunner.fetch || tlb.sumMxr & MStatus.sum == 0) {
                return nil
            }
            switch kind {
            case FastRunner.fetch: if !x { return nil }
            case FastRunner.load: if !(r || (x && tlb.sumMxr & MStatus.mxr != 0)) { return nil }
            default: if !w || !dirty { return nil }
            }
            if !accessed { return nil }
            let low: UInt64 = level == 0 ? 0 : (1 << (9 * UInt64(level))) - 1
            if ppn & low != 0 { return nil }
            let span: UInt64 = (1 << (12 + 9 * UInt64(level))) - 1
            let frame = (((ppn << 12) & ~span) | (va & span & ~0xfff)) &- MachineMap.ramBase
            guard frame < ramSize else { return nil }
            tlb.tags[slot] = (va >> 12) &+ 1
            tlb.frames[slot] = frame
            return frame | (va & 0xfff)
        }
    }
}
