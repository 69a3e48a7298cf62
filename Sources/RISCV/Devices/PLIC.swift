/// A SiFive-style PLIC with 95 sources and two contexts (hart 0 M-mode = 0, S-mode = 1),
/// laid out as on QEMU's virt board. Sources are level-triggered: a source is pending while
/// its line is high and it is not claimed.
extension Hart {
    @inline(__always) mutating func plicBit(_ base: Int, _ src: Int) -> Bool {
        (s.read(base + (src >> 6)) >> UInt64(src & 63)) & 1 != 0
    }

    mutating func plicSetBit(_ base: Int, _ src: Int, _ on: Bool) {
        let w = base + (src >> 6)
        let bit: UInt64 = 1 << UInt64(src & 63)
        let old = s.read(w)
        let new = on ? old | bit : old & ~bit
        if new != old { s.write(w, new) }
    }

    /// Drives source `src`'s interrupt line.
    mutating func plicSetLevel(_ src: Int, _ level: Bool) {
        plicSetBit(L.plicPending, src, level && !plicBit(L.plicClaimed, src))
        plicUpdateLines()
    }

    /// The best pending, enabled source above the context's threshold (0 if none).
    mutating func plicBest(context: Int) -> Int {
        let enable = context == 0 ? L.plicEnableM : L.plicEnableS
        let threshold = s.read(context == 0 ? L.plicThresholdM : L.plicThresholdS)
        var best = 0
        var bestPriority: UInt64 = 0
        for w in 0..<2 {
            var bits = s.read(L.plicPending + w) & s.read(enable + w)
            while bits != 0 {
                let src = w * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                if src == 0 || src >= L.plicSources { continue }
                let p = s.read(L.plicPriority + src)
                if p > threshold && p > bestPriority { best = src; bestPriority = p }
            }
        }
        return best
    }

    mutating func plicUpdateLines() {
        let lines: UInt64 = (plicBest(context: 0) != 0 ? 1 : 0) | (plicBest(context: 1) != 0 ? 2 : 0)
        if s.read(L.plicLines) != lines { s.write(L.plicLines, lines) }
    }

    mutating func plicRead(_ off: UInt64) -> UInt64 {
        switch off {
        case 0..<0x1000:
            let src = Int(off / 4)
            return src < L.plicSources ? s.read(L.plicPriority + src) : 0
        case 0x1000..<0x1080:
            return plicWord(L.plicPending, Int(off - 0x1000) / 4)
        case 0x2000..<0x2080:
            return plicWord(L.plicEnableM, Int(off - 0x2000) / 4)
        case 0x2080..<0x2100:
            return plicWord(L.plicEnableS, Int(off - 0x2080) / 4)
        case 0x20_0000: return s.read(L.plicThresholdM)
        case 0x20_1000: return s.read(L.plicThresholdS)
        case 0x20_0004, 0x20_1004:
            let context = off == 0x20_0004 ? 0 : 1
            let src = plicBest(context: context)
            if src != 0 {
                plicSetBit(L.plicPending, src, false)
                plicSetBit(L.plicClaimed, src, true)
                plicUpdateLines()
            }
            return UInt64(src)
        default: return 0
        }
    }

    /// 32-bit word `index` of a 96-bit source set.
    mutating func plicWord(_ base: Int, _ index: Int) -> UInt64 {
        guard index < 3 else { return 0 }
        let w = s.read(base + index / 2)
        return index % 2 == 0 ? w & 0xffff_ffff : w >> 32
    }

    mutating func plicSetWord(_ base: Int, _ index: Int, _ value: UInt32) {
        guard index < 3 else { return }
        let w = s.read(base + index / 2)
        var new = index % 2 == 0 ? (w & ~0xffff_ffff) | UInt64(value) : (w & 0xffff_ffff) | UInt64(value) << 32
        if index == 0 { new &= ~1 }             // source 0 does not exist
        if index == 2 { new &= 0xffff_ffff }    // nor do sources ≥ 96
        s.write(base + index / 2, new)
    }

    mutating func plicWrite(_ off: UInt64, _ value: UInt32) {
        switch off {
        case 0..<0x1000:
            let src = Int(off / 4)
            if src > 0 && src < L.plicSources { s.write(L.plicPriority + src, UInt64(value & 7)) }
        case 0x2000..<0x2080:
            plicSetWord(L.plicEnableM, Int(off - 0x2000) / 4, value)
        case 0x2080..<0x2100:
            plicSetWord(L.plicEnableS, Int(off - 0x2080) / 4, value)
        case 0x20_0000: s.write(L.plicThresholdM, UInt64(value & 7))
        case 0x20_1000: s.write(L.plicThresholdS, UInt64(value & 7))
        case 0x20_0004, 0x20_1004:
            let src = Int(value)
            if src > 0 && src < L.plicSources && plicBit(L.plicClaimed, src) {
                plicSetBit(L.plicClaimed, src, false)
                // Level-triggered: a line still high pends again.
                if src == MachineMap.uartIRQ { uartUpdateIRQ() }
            }
        default: return
        }
        plicUpdateLines()
    }
}
