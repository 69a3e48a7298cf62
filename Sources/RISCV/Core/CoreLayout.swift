/// Where every piece of committed machine state other than RAM, the input tape and the
/// output lives: one fixed array of 64-bit "core words". The commitment layer hashes this
/// array as one region, so the order below is part of the state format (docs/STATE.md).
/// Words a typical step touches are kept together at the front so a one-step proof shares
/// most of their Merkle siblings.
public enum CoreLayout {
    /// Number of core words (a power of two).
    public static let count = 512

    // Hot words: touched by (almost) every step.
    public static let pc = 0
    public static let priv = 1
    public static let halted = 2
    public static let exitCode = 3
    /// Instructions retired since reset; the one counter every step increments.
    public static let icount = 4
    /// mcycle = icount + mcycleDelta (software writes and mcountinhibit adjust the delta).
    public static let mcycleDelta = 5
    /// minstret = icount + minstretDelta.
    public static let minstretDelta = 6
    public static let mcountinhibit = 7
    public static let mstatus = 8
    public static let mie = 9
    /// Software-writable pending bits (SSIP, STIP, SEIP); MSIP/MTIP/MEIP are derived from devices.
    public static let mip = 10
    public static let mideleg = 11
    public static let satp = 12
    public static let mtimecmp = 13
    /// Derived interrupt lines the PLIC drives: bit 0 = M-context (MEIP), bit 1 = S-context (SEIP).
    public static let plicLines = 14
    public static let fcsr = 15
    public static let reservationAddress = 16
    public static let reservationValid = 17
    public static let msip = 18
    public static let timeOffset = 19
    public static let inputLength = 20
    public static let inputPosition = 21
    public static let outputLength = 22
    public static let ramSize = 23
    /// Instruction-clock ticks skipped by WFI sleeping until the timer deadline:
    /// mtime = (icount + slept) / instructionsPerTick + timeOffset.
    public static let slept = 24
    /// Input gate: the UART receiver shows no data until the guest has written this
    /// marker (length 0 = open from the start), like a user who types only once the
    /// prompt appears. `inputMarkerMatched` counts marker bytes matched so far.
    public static let inputMarkerLength = 25
    public static let inputMarkerMatched = 26
    /// Steps taken while not halted: every step that takes an interrupt or runs an
    /// instruction (trapping or not) adds one; steps of a halted machine add nothing, so
    /// in a halted state it is the step at which the machine halted. A claim's step count
    /// is bound by it: the halt proof reads it (docs/STATE.md, docs/GAME.md).
    public static let stepCount = 27
    /// tdata1 of debug triggers 0 and 1 (two words), each stored XOR `Trigger.resetControl`
    /// so that the reset value (an mcontrol that matches nothing) is the zero word. They sit
    /// in the core leaf next to the step counter's, which every step opens anyway, because
    /// every step that runs an instruction reads them (docs/STATE.md).
    public static let triggerControl = 28
    /// tselect: which trigger tdata1–tdata3 show (0 or 1).
    public static let triggerSelect = 30

    /// Integer registers x0…x31 (x0 is always zero).
    public static let x = 32
    /// Floating-point registers f0…f31, NaN-boxed 64-bit.
    public static let f = 64

    // Other CSRs.
    public static let medeleg = 96
    public static let mtvec = 97
    public static let mcounteren = 98
    public static let mscratch = 99
    public static let mepc = 100
    public static let mcause = 101
    public static let mtval = 102
    public static let stvec = 103
    public static let scounteren = 104
    public static let sscratch = 105
    public static let sepc = 106
    public static let scause = 107
    public static let stval = 108
    public static let menvcfg = 109
    public static let senvcfg = 110
    public static let misa = 111
    public static let pmpcfg0 = 112
    public static let pmpcfg2 = 113
    /// pmpaddr0…pmpaddr15.
    public static let pmpaddr = 114

    // 16550 UART registers.
    public static let uartIER = 130
    public static let uartLCR = 131
    public static let uartMCR = 132
    public static let uartSCR = 133
    public static let uartDLL = 134
    public static let uartDLM = 135
    public static let uartFCR = 136
    /// 1 while a transmitter-holding-register-empty interrupt is pending.
    public static let uartTHRE = 137

    // PLIC: priorities of sources 0…95, then 96-bit pending / enable / claimed sets.
    public static let plicPriority = 140
    public static let plicSources = 96
    public static let plicPending = 236
    public static let plicEnableM = 238
    public static let plicEnableS = 240
    public static let plicClaimed = 242
    public static let plicThresholdM = 244
    public static let plicThresholdS = 245

    /// The 128-byte reset ROM at 0x1000 (sixteen words), as on QEMU's virt board.
    public static let rom = 256
    public static let romWords = 16

    /// Up to 32 bytes of the input gate's marker.
    public static let inputMarker = 272
    public static let inputMarkerWords = 4

    /// tdata2 (the match address) of debug triggers 0 and 1 (two words); read only while
    /// a trigger is armed.
    public static let triggerAddress = 276
}

/// Fixed facts of the machine and its address map (QEMU `virt`).
public enum MachineMap {
    public static let romBase: UInt64 = 0x1000
    public static let finisherBase: UInt64 = 0x10_0000
    public static let clintBase: UInt64 = 0x200_0000
    public static let clintSize: UInt64 = 0x1_0000
    public static let plicBase: UInt64 = 0xc00_0000
    public static let plicSize: UInt64 = 0x60_0000
    public static let uartBase: UInt64 = 0x1000_0000
    public static let uartSize: UInt64 = 0x100
    public static let ramBase: UInt64 = 0x8000_0000
    public static let defaultRAMSize: UInt64 = 128 << 20
    /// Instructions per mtime tick: QEMU with `-icount shift=0` runs 1 instruction per ns and
    /// the virt timebase is 10 MHz, so mtime advances once every 100 instructions.
    public static let instructionsPerTick: UInt64 = 100
    public static let timebaseFrequency: UInt64 = 10_000_000
    public static let uartIRQ = 10
}
