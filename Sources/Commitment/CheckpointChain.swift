#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RISCV

/// A checkpoint could not be taken; the description names what failed. The chain is left
/// as it was before the attempt.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Checkpoints of one machine's run that cost what changed: the first holds the RAM pages
/// that were not all zeros when the chain began (for a booted machine, the loaded images),
/// every later one only the pages written since the previous one, each page with its root
/// in the hash tree, plus the core words (4 KiB) and the output's length. Restoring puts
/// the bound machine and tree back in place: it rewrites only the pages where the machine
/// may differ from the checkpoint — those written since the machine last equalled a
/// checkpoint, and those the checkpoints in between changed — and takes their roots from
/// the checkpoint, so no page is re-hashed.
///
/// The live machine's RAM stays one flat block: the store path is unchanged (it sets its
/// dirty bit as before; `MachineStorage.clearDirty()` folds the dirty bits into a second
/// bitmap, the mark, which says which pages a new checkpoint must copy).
///
/// Checkpoints are recorded in step order from the live run (`record`), and may then be
/// restored in any order; a checkpoint can be removed (`remove(at:)`) to make room, its
/// pages passing to the next one when that needs them.
public final class CheckpointChain {
    /// One saved RAM page: its bytes (a 4 KiB allocation of the chain's) and its root.
    struct SavedPage {
        let bytes: UnsafeMutableRawPointer
        let root: Node
    }

    /// One checkpoint: the state after `steps` steps, as a delta against the one before.
    struct Checkpoint {
        var steps: UInt64
        /// The caller's number carried along (the oracle: how many corruptions it carries).
        var tag: Int
        var core: [UInt64]
        /// The pages written since the previous checkpoint (for the first: every page not
        /// all zeros), with their contents at this checkpoint.
        var pages: [Int: SavedPage]
        /// How many bytes of `outputLog` the output held.
        var outputLength: Int
    }

    /// The machine and the tree the chain records from and restores into.
    public let machine: Machine
    public let tree: StateTree
    var checkpoints: [Checkpoint] = []
    /// The output at the latest record; every checkpoint's output is a prefix of it (the
    /// output only grows along a run).
    var outputLog: [UInt8] = []
    /// The checkpoint the machine last equalled (restored or recorded); since then it has
    /// written exactly the pages in its storage's mark.
    var origin = 0
    /// Bytes the chain holds (page copies with their bookkeeping, core words, output).
    public private(set) var bytes = 0
    /// Allocates one page copy (`malloc`; tests put a failing one here).
    var allocatePage: () -> UnsafeMutableRawPointer? = { malloc(MachineStorage.pageSize) }

    /// Host bytes one saved page costs: its 4 KiB, the allocator's header, and its
    /// dictionary slot (index, pointer and root) in a table at most half full.
    public static let bytesPerPage = MachineStorage.pageSize + 16 + 2 * (MemoryLayout<Int>.stride + MemoryLayout<SavedPage>.stride)
    /// Host bytes one checkpoint costs besides its pages.
    public static let bytesPerCheckpoint = CoreLayout.count * 8 + MemoryLayout<Checkpoint>.stride + 64

    /// Begins the chain with the machine's present state as its first checkpoint (the
    /// tree must be bound to the machine's storage).
    public init(machine: Machine, tree: StateTree, tag: Int = 0) throws {
        precondition(tree.storage === machine.storage, "the tree must be bound to the machine's storage")
        self.machine = machine
        self.tree = tree
        _ = tree.root()
        let ramPages = machine.storage.ramSize / MachineStorage.pageSize
        let nonZero = (0..<ramPages).filter { !tree.ramPageIsZero($0) }
        try append(steps: machine.steps, tag: tag, pages: nonZero)
    }

    deinit {
        for c in checkpoints { for p in c.pages.values { free(p.bytes) } }
    }

    /// How many checkpoints the chain holds.
    public var count: Int { checkpoints.count }
    /// The step of each checkpoint, ascending.
    public var steps: [UInt64] { checkpoints.map(\.steps) }
    /// The tag of checkpoint `index`.
    public func tag(_ index: Int) -> Int { checkpoints[index].tag }
    /// How many RAM pages checkpoint `index` holds.
    public func pageCount(_ index: Int) -> Int { checkpoints[index].pages.count }

    /// Records the machine's present state after the last checkpoint. The machine must have
    /// run on from the last checkpoint (recorded or restored) without a restore in between.
    /// Brings the tree up to date (the saved pages carry their roots).
    public func record(tag: Int) throws {
        precondition(origin == checkpoints.count - 1, "record only from a run that continues the last checkpoint")
        precondition(machine.steps >= checkpoints[origin].steps, "checkpoints are recorded in step order")
        _ = tree.root()
        try append(steps: machine.steps, tag: tag, pages: machine.storage.pagesWrittenSinceMark())
    }

    /// Saves the machine's core words, output and `pages` as a new last checkpoint; on an
    /// allocation failure frees what it took and throws, leaving the chain unchanged.
    private func append(steps: UInt64, tag: Int, pages: [Int]) throws {
        let storage = machine.storage
        var saved: [Int: SavedPage] = [:]
        saved.reserveCapacity(pages.count)
        for page in pages {
            guard let copy = allocatePage() else {
                for p in saved.values { free(p.bytes) }
                throw CheckpointError("cannot allocate \(MachineStorage.pageSize) bytes to save RAM page \(page) "
                    + "(\(saved.count + 1) of \(pages.count)) for the checkpoint at step \(steps); "
                    + "the checkpoints already hold \(bytes) bytes")
            }
            copy.copyMemory(from: storage.ram + page * MachineStorage.pageSize, byteCount: MachineStorage.pageSize)
            saved[page] = SavedPage(bytes: copy, root: tree.ramPageRoot(page))
        }
        let output = storage.output
        if output.count > outputLog.count {
            bytes += output.count - outputLog.count
            outputLog.append(contentsOf: output[outputLog.count...])
        }
        let core = storage.withCoreWords { Array($0) }
        checkpoints.append(Checkpoint(steps: steps, tag: tag, core: core, pages: saved, outputLength: output.count))
        bytes += Self.bytesPerCheckpoint + saved.count * Self.bytesPerPage
        origin = checkpoints.count - 1
        storage.resetMark()
    }

    /// Puts the machine and its tree in the state of checkpoint `index` (its step count
    /// too). Rewrites only the pages where they may differ; drops the machine's caches.
    public func restore(_ index: Int) {
        precondition(index >= 0 && index < checkpoints.count, "no checkpoint \(index)")
        let storage = machine.storage
        var differ = Set(storage.pagesWrittenSinceMark())
        let (low, high) = (min(origin, index), max(origin, index))
        if low < high { for c in checkpoints[(low + 1)...high] { differ.formUnion(c.pages.keys) } }
        let pages = differ.sorted()
        var roots: [Node] = []
        roots.reserveCapacity(pages.count)
        let zeroRoot = zeroHashes[StateLayout.pageLevels]
        // Straight into RAM (not `withMutableRAM`, which would count every page as
        // written); the caches are dropped below.
        for page in pages {
            let dest = storage.ram + page * MachineStorage.pageSize
            if let saved = latest(page, atOrBefore: index) {
                dest.copyMemory(from: saved.bytes, byteCount: MachineStorage.pageSize)
                roots.append(saved.root)
            } else {
                dest.initializeMemory(as: UInt8.self, repeating: 0, count: MachineStorage.pageSize)
                roots.append(zeroRoot)
            }
        }
        let c = checkpoints[index]
        storage.withCoreWords { words in for i in 0..<words.count { words[i] = c.core[i] } }
        tree.setRAMPageRoots(pages: pages, roots: roots)
        tree.replaceOutput(Array(outputLog[..<c.outputLength]))
        storage.clearDirtyAndMark(outputClean: c.outputLength)
        machine.restoreStepCount(c.steps)
        machine.invalidateCaches()
        origin = index
    }

    /// The saved copy of `page` that holds at checkpoint `index`: from the latest
    /// checkpoint at or before it that saved the page; nil when none did (the page was
    /// all zeros when the chain began and unwritten since).
    private func latest(_ page: Int, atOrBefore index: Int) -> SavedPage? {
        var i = index
        while i >= 0 {
            if let p = checkpoints[i].pages[page] { return p }
            i -= 1
        }
        return nil
    }

    /// Removes checkpoint `index` (not the first). Its pages that the next checkpoint does
    /// not save pass to it (the next one's state needs them); the rest are freed.
    public func remove(at index: Int) {
        precondition(index > 0 && index < checkpoints.count, "the first checkpoint stays")
        let gone = checkpoints.remove(at: index)
        bytes -= Self.bytesPerCheckpoint
        if origin == index {
            // The machine equalled the removed checkpoint up to its mark; against the one
            // before, it may also differ where the removed one changed pages.
            for page in gone.pages.keys { machine.storage.addToMark(page) }
            origin = index - 1
        } else if origin > index {
            origin -= 1
        }
        if index < checkpoints.count {
            for (page, saved) in gone.pages {
                if checkpoints[index].pages[page] == nil {
                    checkpoints[index].pages[page] = saved
                } else {
                    free(saved.bytes)
                    bytes -= Self.bytesPerPage
                }
            }
        } else {
            for saved in gone.pages.values { free(saved.bytes) }
            bytes -= gone.pages.count * Self.bytesPerPage
        }
    }
}
