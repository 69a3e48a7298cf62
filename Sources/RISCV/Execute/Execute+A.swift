/// The A extension: LR/SC with a committed reservation, and AMOs. Atomics must be
/// naturally aligned and target RAM; otherwise they raise the spec's misaligned or access
/// fault (store/AMO causes, load causes for LR).
extension Hart {
    mutating func atomic(_ inst: UInt32) throws(Trap) {
        let f3 = Field.funct3(inst)
        guard f3 == 2 || f3 == 3 else { throw illegal(inst) }
        let size = f3 == 2 ? 4 : 8
        let op = inst >> 27
        let rd = Field.rd(inst)
        let addr = x(Field.rs1(inst))
        let misaligned = addr & UInt64(size - 1) != 0
        switch op {
        case 0x02: // LR
            guard Field.rs2(inst) == 0 else { throw illegal(inst) }
            if misaligned { throw Trap(Cause.loadMisaligned, addr) }
            let pa = try translate(addr, .load)
            let off = try ramOffset(pa, size, va: addr, cause: Cause.loadAccessFault)
            let v = s.readRAM(off, size)
            s.write(L.reservationAddress, addr)
            s.write(L.reservationValid, 1)
            setX(rd, size == 4 ? sext32(v) : v)
        case 0x03: // SC
            if misaligned { throw Trap(Cause.storeMisaligned, addr) }
            let ok = s.read(L.reservationValid) != 0 && s.read(L.reservationAddress) == addr
            if ok {
                let pa = try translate(addr, .store)
                let off = try ramOffset(pa, size, va: addr, cause: Cause.storeAccessFault)
                s.writeRAM(off, size, x(Field.rs2(inst)))
            }
            s.write(L.reservationValid, 0)
            setX(rd, ok ? 0 : 1)
        default:
            if misaligned { throw Trap(Cause.storeMisaligned, addr) }
            let pa = try translate(addr, .store)
            let off = try ramOffset(pa, size, va: addr, cause: Cause.storeAccessFault)
            let raw = s.readRAM(off, size)
            let old = size == 4 ? sext32(raw) : raw
            let src = size == 4 ? sext32(x(Field.rs2(inst))) : x(Field.rs2(inst))
            let result: UInt64
            switch op {
            case 0x01: result = src
            case 0x00: result = old &+ src
            case 0x04: result = old ^ src
            case 0x0c: result = old & src
            case 0x08: result = old | src
            case 0x10: result = Int64(bitPattern: old) < Int64(bitPattern: src) ? old : src
            case 0x14: result = Int64(bitPattern: old) > Int64(bitPattern: src) ? old : src
            case 0x18: result = size == 4 ? (UInt32(truncatingIfNeeded: old) < UInt32(truncatingIfNeeded: src) ? old : src) : (old < src ? old : src)
            case 0x1c: result = size == 4 ? (UInt32(truncatingIfNeeded: old) > UInt32(truncatingIfNeeded: src) ? old : src) : (old > src ? old : src)
            default: throw illegal(inst)
            }
            s.writeRAM(off, size, result)
            setX(rd, old)
        }
    }

    @inline(__always) mutating func ramOffset(_ pa: UInt64, _ size: Int, va: UInt64, cause: UInt64) throws(Trap) -> UInt64 {
        let off = pa &- MachineMap.ramBase
        guard off < s.read(L.ramSize) else { throw Trap(cause, va) }
        return off
    }
}
