/// Sdtrig debug triggers as QEMU 7.2 has them (docs/ENGINE.md, "Debug triggers"): two
/// address-match triggers, each an mcontrol (type 2) or mcontrol6 (type 6), whose only
/// action is a breakpoint exception (mcause 3, mtval 0). An execute trigger fires before
/// the instruction at tdata2 is fetched; a load or store trigger fires after the access is
/// translated and before it is done, when the access overlaps the watched bytes.
public enum Trigger {
    /// Number of triggers (QEMU's `RV_MAX_TRIGGERS`).
    public static let count = 2
    /// tdata1 after reset: type 2 with every other bit clear. Core words hold tdata1 XOR
    /// this, so a machine that never touches the triggers keeps them all zero.
    public static let resetControl: UInt64 = 2 << 60
    /// tinfo: types 2 and 6 are supported.
    public static let info: UInt64 = (1 << 2) | (1 << 6)

    /// Access bits of tdata1 (the same in types 2 and 6).
    public static let load: UInt64 = 1 << 0
    public static let store: UInt64 = 1 << 1
    public static let execute: UInt64 = 1 << 2
    /// load | store | execute.
    public static let accessBits: UInt64 = 7
    /// U, S and M mode bits (bits 3, 4, 6): bit 3 + privilege selects the mode.
    public static let modeBits: UInt64 = (1 << 3) | (1 << 4) | (1 << 6)
    /// Type 6's VS and VU bits: writable as in QEMU, never matching (no H extension).
    static let type6VirtualModes: UInt64 = (1 << 23) | (1 << 24)

    /// The tdata1 value a write of `value` leaves, given the current `old` value (both as
    /// software sees them). The written type decides: 2 and 6 keep their mode, access and
    /// (if it encodes 1, 2, 4 or 8 bytes or "any") size bits and clear everything else
    /// (dmode, hit, select, timing, action, chain, match, maskmax read 0); any other type
    /// leaves tdata1 unchanged.
    public static func legalised(_ value: UInt64, old: UInt64) -> UInt64 {
        let kept = accessBits | modeBits
        switch value >> 60 {
        case 2:
            let sizeBits = value & ((3 << 16) | (3 << 21))
            return (2 << 60) | (value & kept) | (legalSize(type2Size(value)) ? sizeBits : 0)
        case 6:
            let sizeBits = value & (0xf << 16)
            return (6 << 60) | (value & (kept | type6VirtualModes)) | (legalSize(sizeBits >> 16) ? sizeBits : 0)
        default:
            return old
        }
    }

    /// Size encodings QEMU accepts: any (0), 1, 2, 4 (3) and 8 (5) bytes.
    static func legalSize(_ size: UInt64) -> Bool { size <= 3 || size == 5 }

    /// Type 2's size field: sizehi (bits 22:21) above sizelo (bits 17:16).
    @inline(__always) static func type2Size(_ control: UInt64) -> UInt64 {
        ((control >> 19) & 0xc) | ((control >> 16) & 3)
    }

    /// How many bytes from tdata2 a load/store trigger watches. As QEMU 7.2 does, the size
    /// field's encoded value is the length (so "4 bytes", encoding 3, watches 3), and 0
    /// (any size) watches 8.
    @inline(__always) static func watchedLength(_ control: UInt64) -> UInt64 {
        let size = control >> 60 == 6 ? (control >> 16) & 0xf : type2Size(control)
        return size == 0 ? 8 : size
    }
}

extension Hart {
    /// Whether a trigger may fire: some trigger has an access bit set. The one check every
    /// step that runs an instruction makes (both tdata1 words share a core leaf with the
    /// step counter); the fast engines leave all instructions to this step while it holds.
    @inline(__always) mutating func triggersArmed() -> Bool {
        (s.read(L.triggerControl) | s.read(L.triggerControl + 1)) & Trigger.accessBits != 0
    }

    /// tdata1 of trigger `i` as software sees it.
    @inline(__always) mutating func triggerControl(_ i: Int) -> UInt64 {
        s.read(L.triggerControl + i) ^ Trigger.resetControl
    }

    /// Whether trigger `i` (control `control`) applies in the current privilege mode.
    @inline(__always) mutating func triggerModeMatches(_ control: UInt64) -> Bool {
        control & (UInt64(1) << (3 + s.read(L.priv))) != 0
    }

    /// True when an execute trigger matches the instruction at `pc` (checked before fetch).
    mutating func executeTriggerFires(_ pc: UInt64) -> Bool {
        for i in 0..<Trigger.count {
            let control = triggerControl(i)
            if control & Trigger.execute != 0 && triggerModeMatches(control)
                && s.read(L.triggerAddress + i) == pc {
                return true
            }
        }
        return false
    }

    /// Throws the breakpoint exception when a trigger watching `kinds` (load and/or store
    /// bits) overlaps the `size` bytes at virtual address `va`. Called only while armed,
    /// after the access translated and before it is done.
    mutating func checkDataTriggers(_ va: UInt64, _ size: Int, _ kinds: UInt64) throws(Trap) {
        for i in 0..<Trigger.count {
            let control = triggerControl(i)
            guard control & kinds != 0 && triggerModeMatches(control) else { continue }
            let start = s.read(L.triggerAddress + i)
            let end = start &+ (Trigger.watchedLength(control) - 1)
            // QEMU refuses a watchpoint that runs off the end of the address space.
            guard end >= start else { continue }
            let accessEnd = va &+ UInt64(size - 1)
            if !(va > end || start > accessEnd) { throw Trap(Cause.breakpoint, 0) }
        }
    }

    /// tselect, tdata1–tdata3, tinfo as software reads them.
    mutating func triggerCSRRead(_ addr: UInt32) -> UInt64 {
        let selected = Int(s.read(L.triggerSelect) & 1) // only 0 or 1 is ever stored
        switch addr {
        case 0x7A0: return UInt64(selected)
        case 0x7A1: return triggerControl(selected)
        case 0x7A2: return s.read(L.triggerAddress + selected)
        case 0x7A3: return 0
        default: return Trigger.info
        }
    }

    /// Writes tselect (values past the last trigger are ignored), tdata1 (legalised),
    /// tdata2 (any value); tdata3 and tinfo ignore writes.
    mutating func triggerCSRWrite(_ addr: UInt32, _ v: UInt64) {
        let selected = Int(s.read(L.triggerSelect) & 1) // only 0 or 1 is ever stored
        switch addr {
        case 0x7A0: if v < UInt64(Trigger.count) { s.write(L.triggerSelect, v) }
        case 0x7A1:
            let new = Trigger.legalised(v, old: triggerControl(selected))
            s.write(L.triggerControl + selected, new ^ Trigger.resetControl)
        case 0x7A2: s.write(L.triggerAddress + selected, v)
        default: break
        }
    }
}
