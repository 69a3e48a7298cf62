@testable import RISCV

/// Builds Sv39 page tables in a `TestMachine`'s RAM, following the privileged spec's PTE
/// layout (V R W X U G A D in bits 0–7, PPN from bit 10). Tables are taken from a simple
/// bump allocator starting at `tableArea`.
struct PageTables {
    static let v: UInt64 = 1, r: UInt64 = 2, w: UInt64 = 4, x: UInt64 = 8, u: UInt64 = 16
    static let a: UInt64 = 64, d: UInt64 = 128

    let machine: TestMachine
    let root: UInt64
    private var next: UInt64

    init(_ machine: TestMachine, tableArea: UInt64 = TestMachine.base + 0x10_0000) {
        self.machine = machine
        root = tableArea
        next = tableArea + 0x1000
    }

    /// satp value selecting these tables (Sv39, ASID 0).
    var satp: UInt64 { 8 << 60 | root >> 12 }

    /// Physical address of the PTE for `va` at `level` (2 = root), creating intermediate
    /// tables on the way down.
    mutating func pteAddress(_ va: UInt64, level: Int) -> UInt64 {
        var table = root
        var l = 2
        while true {
            let vpn = (va >> (12 + 9 * UInt64(l))) & 0x1ff
            let at = table + 8 * vpn
            if l == level { return at }
            var pte = machine.read(at, 8)
            if pte & Self.v == 0 {
                let t = next
                next += 0x1000
                pte = (t >> 12) << 10 | Self.v
                machine.write(at, 8, pte)
            }
            table = ((pte >> 10) & ((1 << 44) - 1)) << 12
            l -= 1
        }
    }

    /// Maps `va` to `pa` with a leaf at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB).
    @discardableResult
    mutating func map(_ va: UInt64, to pa: UInt64, level: Int = 0, flags: UInt64) -> UInt64 {
        let at = pteAddress(va, level: level)
        machine.write(at, 8, (pa >> 12) << 10 | flags)
        return at
    }

    /// Writes a raw PTE for `va` at `level`.
    @discardableResult
    mutating func setRaw(_ va: UInt64, level: Int, _ pte: UInt64) -> UInt64 {
        let at = pteAddress(va, level: level)
        machine.write(at, 8, pte)
        return at
    }
}
