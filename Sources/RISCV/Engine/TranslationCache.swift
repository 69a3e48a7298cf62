/// The fast path's cache of Sv39 translations (not state). An entry exists only for a
/// translation the page tables allow for one access kind without any A/D update.
/// Entries are kept per privilege level (one bank for S-mode, one for U-mode), each bank
/// remembering the satp and SUM/MXR it was filled under, so a U↔S switch (a system
/// call, an interrupt, a return to user space) selects a bank instead of dropping
/// everything; a bank is dropped when its satp or SUM/MXR changed since it was filled,
/// and every bank when a RAM page that page-table entries were read from is written.
/// Anything unusual is left to the reference step, which walks the tables itself.
final class TranslationCache {
    static let bits = 8
    static let size = 1 << bits
    /// Slots per bank: fetch, load and store, `size` each.
    static let bankSlots = 3 * size
    /// vpn + 1 per slot (0 = empty): two banks (S, U) of fetch, load, store.
    let tags: UnsafeMutablePointer<UInt64>
    /// RAM offset of the 4 KiB frame per slot, `framesOffset` words after its tag (one
    /// allocation, so the threaded engine reaches both from one pointer).
    let frames: UnsafeMutablePointer<UInt64>
    static let framesOffset = 2 * bankSlots
    /// The current bank's first slot (0 for S-mode, `bankSlots` for U-mode).
    var base = 0
    /// The privilege the current bank is for (the fill's permission checks read it).
    var priv: UInt64 = 0
    /// What each bank's entries were computed under (index 0: S, 1: U).
    var satp: (UInt64, UInt64) = (0, 0), sumMxr: (UInt64, UInt64) = (0, 0)
    /// Page-table writes seen when the banks were last dropped (any such write drops both).
    var tableWrites = 0
    /// The slots holding an entry, per bank (bank 1's list starts at `bankSlots`), so
    /// dropping a bank clears what was filled rather than every slot: Linux writes page
    /// tables often, and each such write drops both banks. Every slot whose tag is not 0
    /// is listed once (a slot is listed when a fill finds it empty).
    let filled: UnsafeMutablePointer<Int32>
    var filledCount = (0, 0)
    /// Tests: the reference step walks the page tables on every hit it takes from this
    /// cache and counts hits (`checked`) and disagreements (`mismatches`; then the walk's
    /// answer is used). See `Hart.cachedTranslation`.
    var checking = false
    var checked = 0
    var mismatches = 0

    init() {
        tags = .allocate(capacity: 4 * TranslationCache.bankSlots)
        tags.initialize(repeating: 0, count: 4 * TranslationCache.bankSlots)
        frames = tags + TranslationCache.framesOffset
        filled = .allocate(capacity: 2 * TranslationCache.bankSlots)
    }

    deinit {
        tags.deallocate()
        filled.deallocate()
    }

    /// Records that a fill is about to give `slot` an entry.
    @inline(__always) func filling(_ slot: Int) {
        guard tags[slot] == 0 else { return }
        if slot < TranslationCache.bankSlots {
            filled[filledCount.0] = Int32(slot)
            filledCount.0 += 1
        } else {
            filled[TranslationCache.bankSlots + filledCount.1] = Int32(slot)
            filledCount.1 += 1
        }
    }

    /// Drops every entry of bank 0 (S) or 1 (U).
    func drop(bank: Int) {
        let list = filled + bank * TranslationCache.bankSlots
        let count = bank == 0 ? filledCount.0 : filledCount.1
        for i in 0..<count { tags[Int(list[i])] = 0 }
        if bank == 0 { filledCount.0 = 0 } else { filledCount.1 = 0 }
    }

    /// Drops every entry of both banks.
    func flush() {
        drop(bank: 0)
        drop(bank: 1)
    }

    /// Selects the bank of `priv` and drops what no longer holds: that bank if its satp or
    /// SUM/MXR changed, both if page tables were written since.
    func validate(satp: UInt64, priv: UInt64, mstatus: UInt64, tableWrites: Int) {
        let sumMxr = mstatus & (MStatus.sum | MStatus.mxr)
        if tableWrites != self.tableWrites {
            flush()
            self.tableWrites = tableWrites
        }
        let user = priv == Privilege.user
        base = user ? TranslationCache.bankSlots : 0
        self.priv = priv
        let (oldSatp, oldSumMxr) = user ? (self.satp.1, self.sumMxr.1) : (self.satp.0, self.sumMxr.0)
        if satp != oldSatp || sumMxr != oldSumMxr {
            drop(bank: user ? 1 : 0)
            if user { self.satp.1 = satp; self.sumMxr.1 = sumMxr } else { self.satp.0 = satp; self.sumMxr.0 = sumMxr }
        }
    }

    /// The satp the current bank was filled under.
    var currentSatp: UInt64 { base == 0 ? satp.0 : satp.1 }
    /// The SUM/MXR bits the current bank was filled under.
    var currentSumMxr: UInt64 { base == 0 ? sumMxr.0 : sumMxr.1 }
}

extension FastRunner {
    static let fetch = 0, load = 1, store = 2

    /// The RAM offset `va` translates to for access `kind`, or nil when the reference
    /// step must handle the access (miss it cannot fill, fault, A/D update, not RAM).
    @inline(__always) func translate(_ va: UInt64, _ kind: Int) -> UInt64? {
        let vpn = va >> 12
        let slot = tlb.base &+ (kind << TranslationCache.bits | Int(vpn & UInt64(TranslationCache.size - 1)))
        if tlb.tags[slot] == vpn &+ 1 { return tlb.frames[slot] | (va & 0xfff) }
        return fill(va, kind, slot)
    }

    func fill(_ va: UInt64, _ kind: Int, _ slot: Int) -> UInt64? {
        if UInt64(bitPattern: Int64(bitPattern: va << 25) >> 25) != va { return nil }
        var table = (tlb.currentSatp & ((1 << 44) - 1)) << 12
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
            } else if user && (kind == FastRunner.fetch || tlb.currentSumMxr & MStatus.sum == 0) {
                return nil
            }
            switch kind {
            case FastRunner.fetch: if !x { return nil }
            case FastRunner.load: if !(r || (x && tlb.currentSumMxr & MStatus.mxr != 0)) { return nil }
            default: if !w || !dirty { return nil }
            }
            if !accessed { return nil }
            let low: UInt64 = level == 0 ? 0 : (1 << (9 * UInt64(level))) - 1
            if ppn & low != 0 { return nil }
            let span: UInt64 = (1 << (12 + 9 * UInt64(level))) - 1
            let frame = (((ppn << 12) & ~span) | (va & span & ~0xfff)) &- MachineMap.ramBase
            guard frame < ramSize else { return nil }
            tlb.filling(slot)
            tlb.tags[slot] = (va >> 12) &+ 1
            tlb.frames[slot] = frame
            return frame | (va & 0xfff)
        }
    }
}
