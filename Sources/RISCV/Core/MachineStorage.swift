#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole committed state of one machine held in host memory: core words, RAM, the
/// input tape and the output so far. It also remembers which RAM pages were written since
/// the last `clearDirty()` so the commitment layer can re-hash incrementally (the 4 KiB of
/// core words are cheap enough to re-hash every time).
public final class MachineStorage {
    /// Granularity of dirty tracking (bytes).
    public static let pageSize = 4096
    /// Largest input tape and output the state format holds.
    public static let tapeCapacity = 1 << 26

    // The raw pointers stay visible inside the package for the hot loops that cannot
    // afford a closure per access: the engines, `DirectAccess`, and the commitment layer's
    // hashing and proving. Everything else goes through the scoped accessors below.
    /// The core words (`CoreLayout.count` of them).
    package let core: UnsafeMutablePointer<UInt64>
    /// `ramSize` bytes of guest RAM (RAM offset 0 is `MachineMap.ramBase`).
    package let ram: UnsafeMutableRawPointer
    /// Bytes of RAM.
    public let ramSize: Int
    /// One bit per RAM page written since the last `clearDirty()`.
    package let dirtyPages: UnsafeMutablePointer<UInt64>
    /// Words in the dirty-page bitmap.
    public let dirtyWordCount: Int
    /// One bit per RAM page written since the last `resetMark()`: `clearDirty()` folds the
    /// dirty bits in before clearing them, so a page written is in `dirtyPages` or here
    /// until the mark is reset. Checkpoints use it to copy only the pages written since the
    /// previous one; the store path never touches it (it sets the dirty bit only).
    package let markedPages: UnsafeMutablePointer<UInt64>
    /// RAM pages the fast path read page-table entries from (not state: bookkeeping for
    /// its translation cache), and a count of writes that hit such pages.
    let tablePages: UnsafeMutablePointer<UInt64>
    var tableWrites = 0
    /// RAM pages decoded code was taken from (not state: the block cache's, checked on
    /// every store so that stores into code drop the blocks they hit).
    let codePages: UnsafeMutablePointer<UInt64>
    /// The block engine's decoded blocks, made on first use (not state; see `BlockCache`).
    private(set) var blockCacheIfMade: BlockCache?
    var blockCache: BlockCache {
        if let c = blockCacheIfMade { return c }
        let c = BlockCache(ram: ram, ramSize: ramSize, codePages: codePages)
        blockCacheIfMade = c
        return c
    }
    /// True while every RAM page outside `dirtyPages` is all zeros: the storage came fresh
    /// from `calloc` and every write since marked its page (`trackWritesExactly()`). A cold
    /// root then hashes the dirty pages only and never reads the rest: reading an untouched
    /// page of a mostly unused RAM faults in host memory for nothing (a 128 MiB machine is
    /// 32 768 page faults). The first `clearDirty()` ends it.
    package private(set) var zeroOutsideDirty = false
    public private(set) var input: [UInt8]
    public var output: [UInt8] = []
    /// Output length at the last `clearDirty()`.
    public private(set) var outputCleanLength = 0

    /// Allocates a zeroed machine with `ramSize` bytes of RAM (a multiple of the page size);
    /// stops the program if the host cannot give the RAM (`init(allocating:input:)` throws).
    public convenience init(ramSize: Int, input: [UInt8] = []) {
        do { try self.init(allocating: ramSize, input: input) } catch { fatalError("\(error)") }
    }

    /// Allocates a zeroed machine with `ramSize` bytes of RAM (a multiple of the page size),
    /// or throws a `MachineError` saying how much RAM the host could not give.
    public init(allocating ramSize: Int, input: [UInt8] = []) throws {
        precondition(ramSize > 0 && ramSize % MachineStorage.pageSize == 0, "RAM size must be a whole number of pages")
        precondition(input.count <= MachineStorage.tapeCapacity, "input larger than the tape")
        // calloc: zeroed RAM whose untouched pages cost nothing until used (a 128 MiB
        // machine that touches a few MiB does not pay for clearing the rest).
        guard let zeroed = calloc(ramSize, 1) else {
            throw MachineError("cannot allocate \(ramSize) bytes (\(ramSize >> 20) MiB) of guest RAM")
        }
        self.ramSize = ramSize
        core = .allocate(capacity: CoreLayout.count)
        core.initialize(repeating: 0, count: CoreLayout.count)
        ram = zeroed
        let pages = ramSize / MachineStorage.pageSize
        dirtyWordCount = (pages + 63) / 64
        dirtyPages = .allocate(capacity: dirtyWordCount)
        dirtyPages.initialize(repeating: ~0, count: dirtyWordCount)
        markedPages = .allocate(capacity: dirtyWordCount)
        markedPages.initialize(repeating: 0, count: dirtyWordCount)
        tablePages = .allocate(capacity: dirtyWordCount)
        tablePages.initialize(repeating: 0, count: dirtyWordCount)
        codePages = .allocate(capacity: dirtyWordCount)
        codePages.initialize(repeating: 0, count: dirtyWordCount)
        self.input = input
        core[CoreLayout.inputLength] = UInt64(input.count)
        core[CoreLayout.ramSize] = UInt64(ramSize)
    }

    deinit {
        core.deallocate()
        free(ram)
        dirtyPages.deallocate()
        markedPages.deallocate()
        tablePages.deallocate()
        codePages.deallocate()
    }

    /// For the owner of a storage just allocated and not yet written: from now on every
    /// write marks its page (the step semantics, the engines, `markPageDirty`,
    /// `withMutableRAM`), so the allocation's all-dirty bitmap is cleared and
    /// `zeroOutsideDirty` holds. Not for storage that anything may have written through
    /// the raw `ram` pointer without marking.
    package func trackWritesExactly() {
        dirtyPages.update(repeating: 0, count: dirtyWordCount)
        zeroOutsideDirty = true
    }

    /// A deep copy (used for checkpoints).
    public func copy() -> MachineStorage {
        let c = MachineStorage(ramSize: ramSize, input: input)
        c.core.update(from: core, count: CoreLayout.count)
        c.ram.copyMemory(from: ram, byteCount: ramSize)
        c.dirtyPages.update(from: dirtyPages, count: dirtyWordCount)
        c.markedPages.update(from: markedPages, count: dirtyWordCount)
        c.output = output
        c.outputCleanLength = outputCleanLength
        return c
    }

    /// Forgets what was written so far (called after the commitment layer re-hashed). The
    /// pages stay in the mark (`pagesWrittenSinceMark()`).
    public func clearDirty() {
        zeroOutsideDirty = false
        for w in 0..<dirtyWordCount {
            markedPages[w] |= dirtyPages[w]
            dirtyPages[w] = 0
        }
        outputCleanLength = output.count
    }

    /// The RAM pages written since the last `resetMark()` (or since allocation), ascending.
    public func pagesWrittenSinceMark() -> [Int] {
        let pages = ramSize / MachineStorage.pageSize
        var result: [Int] = []
        for w in 0..<dirtyWordCount {
            var bits = markedPages[w] | dirtyPages[w]
            while bits != 0 {
                let page = w * 64 + bits.trailingZeroBitCount
                if page < pages { result.append(page) }
                bits &= bits - 1
            }
        }
        return result
    }

    /// Starts a new mark: no page counts as written since.
    public func resetMark() {
        markedPages.update(repeating: 0, count: dirtyWordCount)
    }

    /// Counts page `page` as written since the mark without making it dirty (its hash in a
    /// bound tree stays valid): for a checkpoint store whose state this one no longer
    /// provably equals at that page.
    package func addToMark(_ page: Int) {
        markedPages[page >> 6] |= 1 << UInt64(page & 63)
    }

    /// Forgets the dirty pages and the mark at once, without folding one into the other:
    /// for a checkpoint restore that has just made RAM equal to a state whose page hashes
    /// the bound tree now holds.
    package func clearDirtyAndMark(outputClean: Int) {
        zeroOutsideDirty = false
        dirtyPages.update(repeating: 0, count: dirtyWordCount)
        markedPages.update(repeating: 0, count: dirtyWordCount)
        outputCleanLength = outputClean
    }

    /// Whether RAM page `page` was written since the last `clearDirty()`.
    @inline(__always) public func isPageDirty(_ page: Int) -> Bool {
        dirtyPages[page >> 6] & (1 << UInt64(page & 63)) != 0
    }

    /// Core word `index` (see `CoreLayout`).
    @inline(__always) public subscript(core index: Int) -> UInt64 {
        get {
            precondition(index >= 0 && index < CoreLayout.count, "core word out of range")
            return core[index]
        }
        set {
            precondition(index >= 0 && index < CoreLayout.count, "core word out of range")
            core[index] = newValue
        }
    }

    /// Runs `body` over the core words; the buffer must not escape it.
    public func withCoreWords<R>(_ body: (UnsafeMutableBufferPointer<UInt64>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: core, count: CoreLayout.count))
    }

    /// Runs `body` over RAM, read-only; the buffer must not escape it.
    public func withRAM<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: ram, count: ramSize))
    }

    /// Runs `body` over RAM for writing. Every page is marked dirty afterwards and every
    /// cache derived from RAM (translations, decoded blocks) is dropped, because the
    /// machine cannot see which bytes changed.
    public func withMutableRAM<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        defer {
            dirtyPages.update(repeating: ~0, count: dirtyWordCount)
            ramEditedOutsideSemantics()
        }
        return try body(UnsafeMutableRawBufferPointer(start: ram, count: ramSize))
    }

    /// Runs `body` over RAM for writing when it can say where it wrote: it returns its
    /// result and the byte ranges (RAM offsets) it wrote, and only their pages are marked
    /// dirty (every page when it throws). Caches derived from RAM are dropped as by
    /// `withMutableRAM`. For the boot loader, whose images cover a few pages of a large RAM.
    package func withMutableRAM<R>(markingWritten body: (UnsafeMutableRawBufferPointer) throws -> (R, [Range<Int>])) rethrows -> R {
        defer { ramEditedOutsideSemantics() }
        let outcome: (R, [Range<Int>])
        do {
            outcome = try body(UnsafeMutableRawBufferPointer(start: ram, count: ramSize))
        } catch {
            dirtyPages.update(repeating: ~0, count: dirtyWordCount)
            throw error
        }
        let (result, written) = outcome
        for range in written where !range.isEmpty {
            precondition(range.lowerBound >= 0 && range.upperBound <= ramSize, "written range outside RAM")
            for page in (range.lowerBound / MachineStorage.pageSize)...((range.upperBound - 1) / MachineStorage.pageSize) {
                dirtyPages[page >> 6] |= 1 << UInt64(page & 63)
            }
        }
        return result
    }

    /// Marks RAM page `page` as written (for code that edits RAM through `withMutableRAM`
    /// sparingly and wants the next re-hash to cover it).
    public func markPageDirty(_ page: Int) {
        precondition(page >= 0 && page < ramSize / MachineStorage.pageSize, "page out of range")
        dirtyPages[page >> 6] |= 1 << UInt64(page & 63)
    }

    /// Drops every cache derived from RAM contents (not state, so invisible either way).
    func ramEditedOutsideSemantics() {
        tableWrites &+= 1
        blockCacheIfMade?.flush()
    }

    /// A store the step semantics made into a page holding decoded code.
    @inline(never) func codeStored(_ offset: UInt64, _ size: Int) {
        _ = blockCacheIfMade?.stored(offset, size)
    }

    /// A direct-access view for the step semantics.
    public var access: DirectAccess { DirectAccess(self) }
}

/// Direct access: reads and writes go straight to host memory. This is the fast path.
public struct DirectAccess: StateAccess {
    @usableFromInline let core: UnsafeMutablePointer<UInt64>
    @usableFromInline let ram: UnsafeMutableRawPointer
    @usableFromInline let dirty: UnsafeMutablePointer<UInt64>
    @usableFromInline let tablePages: UnsafeMutablePointer<UInt64>
    @usableFromInline let codePages: UnsafeMutablePointer<UInt64>
    @usableFromInline unowned(unsafe) let storage: MachineStorage

    public init(_ storage: MachineStorage) {
        core = storage.core
        ram = storage.ram
        dirty = storage.dirtyPages
        tablePages = storage.tablePages
        codePages = storage.codePages
        self.storage = storage
    }

    @inline(__always) public func read(_ index: Int) -> UInt64 { core[index] }

    @inline(__always) public func write(_ index: Int, _ value: UInt64) {
        core[index] = value
    }

    @inline(__always) public func readRAM(_ offset: UInt64, _ size: Int) -> UInt64 {
        let p = ram + Int(offset)
        switch size {
        case 1: return UInt64(p.load(as: UInt8.self))
        case 2: return UInt64(UInt16(littleEndian: p.load(as: UInt16.self)))
        case 4: return UInt64(UInt32(littleEndian: p.load(as: UInt32.self)))
        default: return UInt64(littleEndian: p.load(as: UInt64.self))
        }
    }

    @inline(__always) public func writeRAM(_ offset: UInt64, _ size: Int, _ value: UInt64) {
        let p = ram + Int(offset)
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, as: UInt32.self)
        default: p.storeBytes(of: value.littleEndian, as: UInt64.self)
        }
        let page = Int(offset >> 12)
        let bit: UInt64 = 1 << UInt64(page & 63)
        dirty[page >> 6] |= bit
        if tablePages[page >> 6] & bit != 0 { storage.tableWrites &+= 1 }
        if codePages[page >> 6] & bit != 0 { storage.codeStored(offset, size) }
    }

    public func readInput(_ position: UInt64) -> UInt8 { storage.input[Int(position)] }

    public func writeOutput(_ position: UInt64, _ byte: UInt8) {
        precondition(Int(position) == storage.output.count, "output is append-only")
        storage.output.append(byte)
    }
}
