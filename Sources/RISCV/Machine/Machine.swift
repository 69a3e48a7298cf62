/// Errors from setting up a machine (bad images, bad sizes), each naming its cause.
public struct MachineError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What to boot and how big the machine is.
public struct BootImage {
    /// Bare-metal program: an ELF entered in M-mode via the reset ROM (QEMU `-bios none -kernel`).
    public var program: [UInt8]
    /// Treat `program` as a raw binary loaded at the start of RAM (firmware such as
    /// OpenSBI's fw_jump.bin) instead of an ELF.
    public var programIsRaw: Bool
    /// Optional second stage (Linux kernel Image) loaded at RAM + 2 MiB when `program` is firmware.
    public var kernel: [UInt8]?
    public var initrd: [UInt8]?
    public var bootargs: String
    public var ramSize: UInt64
    /// The input gate's marker (at most 32 bytes; empty = input readable from the start).
    public var inputMarker: [UInt8]

    public init(program: [UInt8], programIsRaw: Bool = false, kernel: [UInt8]? = nil, initrd: [UInt8]? = nil,
                bootargs: String = "", ramSize: UInt64 = MachineMap.defaultRAMSize, inputMarker: [UInt8] = []) {
        self.inputMarker = inputMarker
        self.program = program
        self.programIsRaw = programIsRaw
        self.kernel = kernel
        self.initrd = initrd
        self.bootargs = bootargs
        self.ramSize = ramSize
    }
}

/// A machine ready to run: its committed storage plus the host-side step counter.
/// `Machine` is the fast runner; the commitment layer reads `storage` to hash it.
public final class Machine {
    public let storage: MachineStorage
    /// Steps taken since boot (a claim is (root, steps); the step count is not machine state).
    public private(set) var steps: UInt64 = 0
    /// Decodes remembered by instruction bits (not state: see `DecodeMemo`).
    let memo = DecodeMemo()
    /// The fast path's translations (not state: see `TranslationCache`).
    let tlb = TranslationCache()

    public init(storage: MachineStorage, steps: UInt64 = 0) {
        self.storage = storage
        self.steps = steps
    }

    /// Boots `image` with `input` as the UART's input tape.
    public convenience init(_ image: BootImage, input: [UInt8] = []) throws {
        guard image.ramSize >= 1 << 20, image.ramSize % UInt64(MachineStorage.pageSize) == 0,
              image.ramSize <= 1 << 34 else {
            throw MachineError("RAM size \(image.ramSize) bytes: must be a whole number of 4 KiB pages between 1 MiB and 16 GiB")
        }
        guard input.count <= MachineStorage.tapeCapacity else {
            throw MachineError("input is \(input.count) bytes; the tape holds at most \(MachineStorage.tapeCapacity)")
        }
        let storage = try MachineStorage(allocating: Int(image.ramSize), input: input)
        // Nothing else has this storage yet: from here on every write is marked, so the
        // first root reads only the pages the boot images and the run wrote.
        storage.trackWritesExactly()
        try Boot.load(image, into: storage)
        self.init(storage: storage)
    }

    public var halted: Bool { storage[core: CoreLayout.halted] != 0 }
    public var exitCode: UInt64 { storage[core: CoreLayout.exitCode] }
    public var pc: UInt64 { storage[core: CoreLayout.pc] }
    /// minstret as the guest sees it.
    public var instret: UInt64 { storage[core: CoreLayout.icount] &+ storage[core: CoreLayout.minstretDelta] }
    public var output: [UInt8] { storage.output }

    /// The engine `run(steps:)` uses (they differ only in speed; see `Engine`).
    public var engine: Engine = .standard

    /// Runs until halted or `limit` more steps were taken; returns the steps taken. Steps
    /// on a halted machine change nothing, so a halted machine stops counting. Plain
    /// instructions go through `engine`, everything else through `Hart.step`.
    @discardableResult
    public func run(steps limit: UInt64) -> UInt64 {
        run(steps: limit, engine: engine)
    }

    /// `run(steps:)` with the fast path switchable off (`.reference`), for tests.
    @discardableResult
    public func run(steps limit: UInt64, fastPath: Bool) -> UInt64 {
        run(steps: limit, engine: fastPath ? engine : .reference)
    }

    /// `run(steps:)` on a chosen engine. `.reference` shares no cache with the others
    /// (not even the decode memo), so lockstep tests against it can see cache bugs.
    @discardableResult
    public func run(steps limit: UInt64, engine: Engine) -> UInt64 {
        var done: UInt64 = 0
        // The hot loop reads the halt flag through the raw pointer: the checked subscript
        // costs a bounds test per step.
        let core = storage.core
        switch engine {
        case .reference:
            var hart = Hart(storage.access)
            while done < limit && core[CoreLayout.halted] == 0 {
                hart.stepRunning()
                done += 1
            }
        case .stepwise, .blocks, .threaded:
            // The engine runs what it can; the reference step takes each instruction it
            // leaves (and the rest of a budget too short for a block).
            let fast = FastRunner(storage: storage, memo: memo, tlb: tlb)
            var hart = Hart(storage.access, memo: memo, translations: fast)
            let runFast: (UInt64) -> UInt64
            switch engine {
            case .blocks: runFast = BlockRunner(fast: fast, cache: storage.blockCache).run
            case .threaded: runFast = ThreadedRunner(blocks: BlockRunner(fast: fast, cache: storage.blockCache)).run
            default: runFast = fast.run
            }
            while done < limit && core[CoreLayout.halted] == 0 {
                let budget = fast.budget()
                if budget > 0 {
                    let ran = runFast(min(budget, limit - done))
                    done += ran
                    if ran > 0 { continue }
                }
                hart.stepRunning()
                done += 1
            }
        }
        steps += done
        return done
    }

    /// Runs exactly one step (counted even when halted, where it is the identity).
    public func step() {
        var hart = Hart(storage.access, memo: memo)
        hart.step()
        steps += 1
    }

    /// Advances the step counter over steps already known to be identities (halted machine).
    public func skipHaltedSteps(_ n: UInt64) {
        precondition(halted, "only a halted machine's steps can be skipped")
        steps += n
    }

    /// Forgets every cached translation; for code that edits RAM behind the machine's back.
    public func invalidateCaches() {
        storage.ramEditedOutsideSemantics()
    }

    /// Sets the step counter: for a checkpoint restore that has just put the storage back
    /// in the state it had after `steps` steps.
    package func restoreStepCount(_ steps: UInt64) { self.steps = steps }

    /// A deep copy.
    public func copy() -> Machine { Machine(storage: storage.copy(), steps: steps) }
}
