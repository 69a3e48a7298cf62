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
}
