/// Memory-mapped devices outside RAM. Every device register is a core word, so device
/// state is committed like any other state (invariant 3).
extension Hart {
    @inline(__always) func isDevice(_ pa: UInt64) -> Bool {
        pa &- MachineMap.uartBase < MachineMap.uartSize
            || pa &- MachineMap.clintBase < MachineMap.clintSize
            || pa &- MachineMap.plicBase < MachineMap.plicSize
            || pa &- MachineMap.finisherBase < 0x1000
    }

    mutating func deviceLoad(_ pa: UInt64, _ size: Int, va: UInt64) throws(Trap) -> UInt64 {
        if pa &- MachineMap.uartBase < MachineMap.uartSize {
            return uartRead(pa - MachineMap.uartBase)
        }
        if pa &- MachineMap.clintBase < MachineMap.clintSize {
            return clintRead(pa - MachineMap.clintBase, size)
        }
        if pa &- MachineMap.plicBase < MachineMap.plicSize {
            if size != 4 { throw Trap(Cause.loadAccessFault, va) }
            return plicRead(pa - MachineMap.plicBase)
        }
        if pa &- MachineMap.romBase < UInt64(L.romWords * 8) && (pa &+ UInt64(size)) &- MachineMap.romBase <= UInt64(L.romWords * 8) {
            return romRead(pa, size)
        }
        if pa &- MachineMap.finisherBase < 0x1000 { return 0 }
        throw Trap(Cause.loadAccessFault, va)
    }

    mutating func deviceStore(_ pa: UInt64, _ size: Int, _ value: UInt64, va: UInt64) throws(Trap) {
        if pa &- MachineMap.uartBase < MachineMap.uartSize {
            uartWrite(pa - MachineMap.uartBase, UInt8(truncatingIfNeeded: value))
            return
        }
        if pa &- MachineMap.clintBase < MachineMap.clintSize {
            clintWrite(pa - MachineMap.clintBase, size, value)
            return
        }
        if pa &- MachineMap.plicBase < MachineMap.plicSize {
            if size != 4 { throw Trap(Cause.storeAccessFault, va) }
            plicWrite(pa - MachineMap.plicBase, UInt32(truncatingIfNeeded: value))
            return
        }
        if pa &- MachineMap.finisherBase < 0x1000 {
            if pa == MachineMap.finisherBase && size >= 2 { finisherWrite(UInt32(truncatingIfNeeded: value)) }
            return
        }
        throw Trap(Cause.storeAccessFault, va)
    }

    /// Reads `size` bytes of the reset ROM (little-endian), which lives in core words.
    mutating func romRead(_ pa: UInt64, _ size: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<size {
            let off = Int(pa - MachineMap.romBase) + i
            let word = s.read(L.rom + off / 8)
            v |= ((word >> UInt64(8 * (off % 8))) & 0xff) << UInt64(8 * i)
        }
        return v
    }

    // MARK: SiFive test finisher

    /// 0x5555 = pass (exit 0), (code << 16) | 0x3333 = fail with code, 0x7777 (reset) halts
    /// with 0; anything else is ignored. 16-bit writes count (OpenSBI uses them). Halting makes every later step the identity.
    mutating func finisherWrite(_ value: UInt32) {
        switch value & 0xffff {
        case 0x5555, 0x7777:
            s.write(L.exitCode, 0)
        case 0x3333:
            s.write(L.exitCode, UInt64(value >> 16))
        default:
            return
        }
        s.write(L.halted, 1)
    }

    // MARK: CLINT

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
