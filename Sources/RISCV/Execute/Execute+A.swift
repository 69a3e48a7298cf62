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
            if triggersArmed() { try checkDataTriggers(addr, size, Trigger.load) }
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
                // QEMU does SC as a compare-and-swap: load triggers see it too.
                if triggersArmed() { try checkDataTriggers(addr, size, Trigger.load | Trigger.store) }
                let off = try ramOffset(pa, size, va: addr, cause: Cause.storeAccessFault)
                s.writeRAM(off, size, x(Field.rs2(inst)))
            }
            s.write(L.reservationValid, 0)
            setX(rd, ok ? 0 : 1)
        default:
            if misaligned { throw Trap(Cause.storeMisaligned, addr) }
            let pa = try translate(addr, .store)
            if triggersArmed() { try checkDataTriggers(addr, size, Trigger.load | Trigger.store) }
            let off = try ramOffset(pa, size, va: addr, cause: Cause.storeAccessFault)
            let raw = s.readRAM(off, size)
            let old = size == 4 ? sext32(raw) : raw
            let src = size == 4 ? sext32(x(Field.rs2(inst))) : x(Field.rs2(inst))
            guard let result = amoResult(op, old: old, src: src, word: size == 4) else { throw illegal(inst) }
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

/// What an AMO with funct5 `op` stores, given the old memory value and the source register
/// (both sign-extended from 32 bits for the .W forms); nil for a funct5 that is no AMO.
/// Shared by the reference step and the block engine.
@inline(__always) func amoResult(_ op: UInt32, old: UInt64, src: UInt64, word: Bool) -> UInt64? {
    switch op {
    case 0x01: return src
    case 0x00: return old &+ src
    case 0x04: return old ^ src
    case 0x0c: return old & src
    case 0x08: return old | src
    case 0x10: return Int64(bitPattern: old) < Int64(bitPattern: src) ? old : src
    case 0x14: return Int64(bitPattern: old) > Int64(bitPattern: src) ? old : src
    case 0x18: return word ? (UInt32(truncatingIfNeeded: old) < UInt32(truncatingIfNeeded: src) ? old : src) : (old < src ? old : src)
    case 0x1c: return word ? (UInt32(truncatingIfNeeded: old) > UInt32(truncatingIfNeeded: src) ? old : src) : (old > src ? old : src)
    default: return nil
    }
}
