@testable import RISCV

/// A bare machine for instruction-level tests: RAM at 0x8000_0000 with no boot image, the
/// hart in M-mode at the start of RAM, and every piece of state reachable as core words
/// (`CoreLayout`). Steps run through the one reference transition, `Hart.step()`, over
/// `DirectAccess`.
final class TestMachine {
    static let base: UInt64 = MachineMap.ramBase
    /// Where the default M-mode and S-mode trap vectors point (no code there unless a test
    /// installs a handler).
    static let mtvecDefault: UInt64 = base + 0x800
    static let stvecDefault: UInt64 = base + 0xC00

    let storage: MachineStorage

    /// A machine with `ramSize` bytes of RAM, `code` at the start of RAM, pc there, M-mode,
    /// the timer disarmed (mtimecmp = all ones, as the boot code sets it) and trap vectors at
    /// `mtvecDefault` / `stvecDefault`.
    init(ramSize: Int = 8 << 20, input: [UInt8] = [], code: [UInt32] = []) {
        storage = MachineStorage(ramSize: ramSize, input: input)
        self[core: CoreLayout.pc] = Self.base
        self[core: CoreLayout.priv] = Privilege.machine
        self[core: CoreLayout.mtimecmp] = ~0
        self[core: CoreLayout.mtvec] = Self.mtvecDefault
        self[core: CoreLayout.stvec] = Self.stvecDefault
        load(code, at: Self.base)
    }

    subscript(core index: Int) -> UInt64 {
        get { storage.core[index] }
        set { storage.core[index] = newValue }
    }

    /// Integer register `r` (writes to x0 are refused: the machine relies on x0 = 0).
    subscript(x r: UInt32) -> UInt64 {
        get { storage.core[CoreLayout.x + Int(r)] }
        set {
            precondition(r != 0, "x0 is hard-wired to zero")
            storage.core[CoreLayout.x + Int(r)] = newValue
        }
    }

    var pc: UInt64 {
        get { self[core: CoreLayout.pc] }
        set { self[core: CoreLayout.pc] = newValue }
    }
    var priv: UInt64 {
        get { self[core: CoreLayout.priv] }
        set { self[core: CoreLayout.priv] = newValue }
    }
    var mstatus: UInt64 {
        get { self[core: CoreLayout.mstatus] }
        set { self[core: CoreLayout.mstatus] = newValue }
    }
    var mcause: UInt64 { self[core: CoreLayout.mcause] }
    var mepc: UInt64 { self[core: CoreLayout.mepc] }
    var mtval: UInt64 { self[core: CoreLayout.mtval] }
    var scause: UInt64 { self[core: CoreLayout.scause] }
    var sepc: UInt64 { self[core: CoreLayout.sepc] }
    var stval: UInt64 { self[core: CoreLayout.stval] }
    var icount: UInt64 { self[core: CoreLayout.icount] }

    /// Writes 32-bit instruction words at physical address `addr`.
    func load(_ words: [UInt32], at addr: UInt64) {
        for (i, w) in words.enumerated() { write(addr + UInt64(4 * i), 4, UInt64(w)) }
    }

    /// Writes 16-bit parcels at `addr` (compressed instructions, or halves of 32-bit ones).
    func load(parcels: [UInt16], at addr: UInt64) {
        for (i, h) in parcels.enumerated() { write(addr + UInt64(2 * i), 2, UInt64(h)) }
    }

    /// Reads `size` bytes of RAM at physical address `pa` (little-endian, any alignment).
    func read(_ pa: UInt64, _ size: Int) -> UInt64 {
        precondition(pa >= Self.base && pa + UInt64(size) <= Self.base + UInt64(storage.ramSize), "outside RAM")
        var v: UInt64 = 0
        let p = storage.ram.assumingMemoryBound(to: UInt8.self)
        for i in 0..<size { v |= UInt64(p[Int(pa - Self.base) + i]) << (8 * UInt64(i)) }
        return v
    }

    /// Writes the low `size` bytes of `value` into RAM at `pa`.
    func write(_ pa: UInt64, _ size: Int, _ value: UInt64) {
        precondition(pa >= Self.base && pa + UInt64(size) <= Self.base + UInt64(storage.ramSize), "outside RAM")
        let p = storage.ram.assumingMemoryBound(to: UInt8.self)
        for i in 0..<size { p[Int(pa - Self.base) + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    /// Runs `n` steps of the reference transition.
    func step(_ n: Int = 1) {
        var hart = Hart(DirectAccess(storage))
        for _ in 0..<n { hart.step() }
    }

    /// CSR `addr` as an M-mode `csrr` would read it (views and derived bits included).
    func csr(_ addr: UInt32) -> UInt64 {
        var hart = Hart(DirectAccess(storage))
        let saved = priv
        priv = Privilege.machine
        defer { priv = saved }
        return (try? hart.csrRead(addr, inst: 0)) ?? 0xdead_dead_dead_dead
    }

    /// All core words (for whole-state comparisons).
    var coreWords: [UInt64] { (0..<CoreLayout.count).map { storage.core[$0] } }

    /// Installs at `mtvecDefault` an M-mode handler that skips the trapping instruction
    /// (mepc += 4) and returns with mret; it clobbers t6. Four instructions.
    func installSkippingHandler() {
        load([csrr(t6, CSRAddr.mepc), addi(t6, t6, 4), csrw(CSRAddr.mepc, t6), mret], at: Self.mtvecDefault)
    }
}

/// Sign-extension helpers for writing expected values by hand.
func s64(_ v: Int64) -> UInt64 { UInt64(bitPattern: v) }
