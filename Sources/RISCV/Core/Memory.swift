/// The kind of memory access, which decides permission checks and fault causes.
public enum AccessKind {
    case fetch, load, store

    @inline(__always) var pageFault: UInt64 {
        switch self {
        case .fetch: return Cause.instructionPageFault
        case .load: return Cause.loadPageFault
        case .store: return Cause.storePageFault
        }
    }

    @inline(__always) var accessFault: UInt64 {
        switch self {
        case .fetch: return Cause.instructionAccessFault
        case .load: return Cause.loadAccessFault
        case .store: return Cause.storeAccessFault
        }
    }
}

extension Hart {
    // MARK: virtual memory

    /// Translates a virtual address for `kind` under the current privilege, satp and
    /// mstatus (Sv39, hardware-managed A/D bits). Page-table edits are seen at once, without
    /// sfence.vma: the only cache (`cachedTranslation`, engines only) is dropped by any
    /// write to a page that page-table entries were read from (invariant 2).
    @inline(__always) mutating func translate(_ va: UInt64, _ kind: AccessKind) throws(Trap) -> UInt64 {
        let satp = s.read(L.satp)
        if satp >> 60 != 8 { return va }
        var priv = s.read(L.priv)
        var mstatus: UInt64 = 0
        if kind != .fetch {
            mstatus = s.read(L.mstatus)
            if priv == Privilege.machine && mstatus & MStatus.mprv != 0 {
                priv = (mstatus >> MStatus.mppShift) & 3
            }
        }
        if priv == Privilege.machine { return va }
        if kind == .fetch { mstatus = s.read(L.mstatus) }
        if let fast, let pa = cachedTranslation(fast, va, kind, priv: priv, mstatus: mstatus, satp: satp) { return pa }
        return try walk(va, kind, priv: priv, mstatus: mstatus, satp: satp)
    }

    /// `va`'s translation from the fast path's cache, or nil: then `walk` decides. The
    /// cache first drops what the fast path would drop before using it (its bank for this
    /// privilege if satp or SUM/MXR changed, everything after a write to a page-table
    /// page: `TranslationCache.validate`), and a miss is filled by the same Sv39 rules as
    /// `walk` (`FastRunner.fill`) but only for translations that need no A/D update and
    /// land in RAM, so a hit is exactly what `walk` would return, with nothing for it to
    /// write. With `TranslationCache.checking` (tests) every hit is also walked and compared.
    @inline(__always)
    mutating func cachedTranslation(_ fast: FastRunner, _ va: UInt64, _ kind: AccessKind, priv: UInt64,
                                    mstatus: UInt64, satp: UInt64) -> UInt64? {
        let tlb = fast.tlb
        tlb.validate(satp: satp, priv: priv, mstatus: mstatus, tableWrites: fast.storage.tableWrites)
        let k = kind == .fetch ? FastRunner.fetch : kind == .load ? FastRunner.load : FastRunner.store
        guard let off = fast.translate(va, k) else { return nil }
        let pa = off &+ MachineMap.ramBase
        if tlb.checking {
            tlb.checked &+= 1
            let storesBefore = fast.storage.tableWrites
            let walked = try? walk(va, kind, priv: priv, mstatus: mstatus, satp: satp)
            // A hit the walk disagrees with, or for which it had to set A/D bits.
            if walked != pa || fast.storage.tableWrites != storesBefore {
                tlb.mismatches &+= 1
                return nil
            }
        }
        return pa
    }

    mutating func walk(_ va: UInt64, _ kind: AccessKind, priv: UInt64, mstatus: UInt64, satp: UInt64) throws(Trap) -> UInt64 {
        // Bits 63…39 must all equal bit 38.
        if UInt64(bitPattern: Int64(bitPattern: va << 25) >> 25) != va { throw Trap(kind.pageFault, va) }
        var table = (satp & ((1 << 44) - 1)) << 12
        var level = 2
        while true {
            let vpn = (va >> (12 + 9 * UInt64(level))) & 0x1ff
            let pteAddr = table &+ vpn &* 8
            let off = pteAddr &- MachineMap.ramBase
            if off >= s.read(L.ramSize) { throw Trap(kind.accessFault, va) }
            var pte = s.readRAM(off, 8)
            let v = pte & 1, r = (pte >> 1) & 1, w = (pte >> 2) & 1, x = (pte >> 3) & 1
            // Reserved bits (63…54: no Svpbmt/Svnapot) and invalid encodings fault.
            if v == 0 || (r == 0 && w == 1) || pte >> 54 != 0 { throw Trap(kind.pageFault, va) }
            let ppn = (pte >> 10) & ((1 << 44) - 1)
            if r == 0 && x == 0 {
                if level == 0 { throw Trap(kind.pageFault, va) }
                table = ppn << 12
                level -= 1
                continue
            }
            // Leaf: permissions.
            let u = (pte >> 4) & 1
            if priv == Privilege.user {
                if u == 0 { throw Trap(kind.pageFault, va) }
            } else if u == 1 {
                if kind == .fetch || mstatus & MStatus.sum == 0 { throw Trap(kind.pageFault, va) }
            }
            switch kind {
            case .fetch: if x == 0 { throw Trap(kind.pageFault, va) }
            case .load: if r == 0 && !(x == 1 && mstatus & MStatus.mxr != 0) { throw Trap(kind.pageFault, va) }
            case .store: if w == 0 { throw Trap(kind.pageFault, va) }
            }
            // Misaligned superpage.
            let lowMask: UInt64 = level == 0 ? 0 : (1 << (9 * UInt64(level))) - 1
            if ppn & lowMask != 0 { throw Trap(kind.pageFault, va) }
            // Accessed / dirty, set by hardware.
            var newPTE = pte | (1 << 6)
            if kind == .store { newPTE |= 1 << 7 }
            if newPTE != pte {
                pte = newPTE
                s.writeRAM(off, 8, pte)
            }
            let pageOffsetMask: UInt64 = (1 << (12 + 9 * UInt64(level))) - 1
            return ((ppn << 12) & ~pageOffsetMask) | (va & pageOffsetMask)
        }
    }

    // MARK: loads and stores

    /// Loads `size` bytes at virtual address `va`, zero-extended. Misaligned accesses are
    /// performed byte by byte (as QEMU does), each byte translated on its own.
    @inline(__always) mutating func load(_ va: UInt64, _ size: Int) throws(Trap) -> UInt64 {
        if va & UInt64(size - 1) == 0 {
            let pa = try translate(va, .load)
            if triggersArmed() { try checkDataTriggers(va, size, Trigger.load) }
            return try physLoad(pa, size, va: va)
        }
        if triggersArmed() {
            // Every byte translates before the trigger looks at the whole access.
            for i in 0..<size { _ = try translate(va &+ UInt64(i), .load) }
            try checkDataTriggers(va, size, Trigger.load)
        }
        var value: UInt64 = 0
        for i in 0..<size {
            let a = va &+ UInt64(i)
            let pa = try translate(a, .load)
            value |= try physLoad(pa, 1, va: a) << (8 * UInt64(i))
        }
        return value
    }

    /// Stores the low `size` bytes of `value` at `va`. A misaligned store translates every
    /// byte before writing any, so a fault leaves memory untouched.
    @inline(__always) mutating func store(_ va: UInt64, _ size: Int, _ value: UInt64) throws(Trap) {
        if va & UInt64(size - 1) == 0 {
            let pa = try translate(va, .store)
            if triggersArmed() { try checkDataTriggers(va, size, Trigger.store) }
            try physStore(pa, size, value, va: va)
            return
        }
        // First pass: every byte must translate and be storable; second pass writes.
        for i in 0..<size {
            let a = va &+ UInt64(i)
            try checkStorable(try translate(a, .store), va: a)
        }
        if triggersArmed() { try checkDataTriggers(va, size, Trigger.store) }
        for i in 0..<size {
            let a = va &+ UInt64(i)
            try physStore(try translate(a, .store), 1, value >> (8 * UInt64(i)), va: a)
        }
    }

    @inline(__always) mutating func checkStorable(_ pa: UInt64, va: UInt64) throws(Trap) {
        if pa &- MachineMap.ramBase < s.read(L.ramSize) { return }
        if !isDevice(pa) { throw Trap(Cause.storeAccessFault, va) }
    }

    @inline(__always) mutating func physLoad(_ pa: UInt64, _ size: Int, va: UInt64) throws(Trap) -> UInt64 {
        let off = pa &- MachineMap.ramBase
        if off < s.read(L.ramSize) { return s.readRAM(off, size) }
        return try deviceLoad(pa, size, va: va)
    }

    @inline(__always) mutating func physStore(_ pa: UInt64, _ size: Int, _ value: UInt64, va: UInt64) throws(Trap) {
        let off = pa &- MachineMap.ramBase
        if off < s.read(L.ramSize) {
            // A store to the reserved address by anyone breaks an LR/SC pair on this hart
            // only through SC itself; plain stores leave the reservation (as the spec allows).
            s.writeRAM(off, size, value)
            return
        }
        try deviceStore(pa, size, value, va: va)
    }
}
