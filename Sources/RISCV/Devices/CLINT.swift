/// The CLINT (core-local interruptor): msip, mtimecmp and mtime. mtime is derived from
/// the instruction clock (`Hart.mtime()`); a write to mtime moves `timeOffset`.
extension Hart {
    mutating func clintRead(_ off: UInt64, _ size: Int) -> UInt64 {
        var value: UInt64
        var base: UInt64
        switch off {
        case 0..<4: value = s.read(L.msip) & 1; base = 0
        case 0x4000..<0x4008: value = s.read(L.mtimecmp); base = 0x4000
        case 0xbff8..<0xc000: value = mtime(); base = 0xbff8
        default: return 0
        }
        let shift = (off - base) * 8
        value >>= shift
        return size == 8 ? value : value & ((1 << UInt64(size * 8)) - 1)
    }

    mutating func clintWrite(_ off: UInt64, _ size: Int, _ value: UInt64) {
        func merge(_ old: UInt64, _ at: UInt64) -> UInt64 {
            if size == 8 { return value }
            let shift = (off - at) * 8
            let mask: UInt64 = ((1 << UInt64(size * 8)) - 1) << shift
            return (old & ~mask) | ((value << shift) & mask)
        }
        switch off {
        case 0..<4: s.write(L.msip, value & 1)
        case 0x4000..<0x4008: s.write(L.mtimecmp, merge(s.read(L.mtimecmp), 0x4000))
        case 0xbff8..<0xc000:
            let now = mtime()
            let wanted = merge(now, 0xbff8)
            s.write(L.timeOffset, s.read(L.timeOffset) &+ (wanted &- now))
        default: break
        }
    }
}
