import Foundation
import Testing
import TestSupport
import RISCV
@testable import Commitment

/// Delta checkpoints: restoring one gives exactly the state (bytes, core words, output,
/// step count) and the roots the run had there, whatever was written since — including
/// stores into pages a checkpoint saved — and whatever order checkpoints are restored or
/// removed in; a checkpoint costs the pages written since the previous one.
struct CheckpointChainTests {
    /// What a checkpoint must bring back, taken with a deep copy when it is recorded.
    struct Snapshot {
        let storage: MachineStorage
        let steps: UInt64
        let root: Digest
    }

    static func expectEqual(_ m: Machine, _ tree: StateTree, _ s: Snapshot, _ what: String) {
        let st = m.storage
        #expect(m.steps == s.steps, "\(what): step count")
        let coreSame = (0..<CoreLayout.count).allSatisfy { st.core[$0] == s.storage.core[$0] }
        #expect(coreSame, "\(what): core words")
        #expect(memcmp(st.ram, s.storage.ram, st.ramSize) == 0, "\(what): RAM bytes")
        #expect(st.output == s.storage.output, "\(what): output")
        let root = tree.root()
        #expect(root == s.root, "\(what): incremental root")
        #expect(root == StateTree(st.copy()).root(), "\(what): the tree agrees with a cold one")
    }

    /// A small machine driven by a seeded script of writes: RAM stores through the step
    /// semantics' access (some into pages earlier checkpoints saved), core words, output.
    /// Checkpoints are recorded, restored in a shuffled order, removed (middle, last, the
    /// one the machine came from) and recorded again after removals; every restore is
    /// compared byte for byte with a deep copy made when the checkpoint was recorded.
    @Test(arguments: [1, 2, 3])
    func restoresEqualDeepCopiesUnderRandomWritesAndRemovals(seed: UInt64) throws {
        let pages = 70                                     // spans two dirty-bitmap words
        let storage = MachineStorage(ramSize: pages * StateLayout.pageSize, input: Array("tape".utf8))
        let m = Machine(storage: storage)
        var rng = SplitMix64(seed: seed)
        // A boot image: a few non-zero pages; the rest stay zero and are not saved.
        Self.write(storage, pages: [0, 1, 5, 64], rng: &rng)
        let tree = StateTree(storage)
        let chain = try CheckpointChain(machine: m, tree: tree)
        #expect(chain.pageCount(0) == 4, "the first checkpoint holds only the non-zero pages")
        var snaps = [Self.snapshot(m, tree)]
        var step: UInt64 = 0

        func runOn() {
            // Writes, sometimes with a root in between (the tree folds the dirty bits into
            // the mark), core words and output.
            for batch in 0..<Int(1 + rng.next() % 3) {
                let set = (0..<Int(1 + rng.next() % 6)).map { _ in Int(rng.next() % UInt64(pages)) }
                Self.write(storage, pages: set, rng: &rng)
                if batch == 1 { _ = tree.root() }
            }
            storage.core[CoreLayout.x + 1 + Int(rng.next() % 30)] = rng.next()
            if rng.next() % 2 == 0 {
                for _ in 0..<Int(rng.next() % 5000) { storage.access.writeOutput(UInt64(storage.output.count), UInt8(truncatingIfNeeded: rng.next())) }
                storage.core[CoreLayout.outputLength] = UInt64(storage.output.count)
            }
            step += 1 + rng.next() % 1000
            m.restoreStepCount(step)
        }

        for _ in 0..<8 {
            runOn()
            try chain.record(tag: snaps.count)
            snaps.append(Self.snapshot(m, tree))
        }
        runOn()                                            // past the last checkpoint
        for round in 0..<24 {
            let i = Int(rng.next() % UInt64(chain.count))
            chain.restore(i)
            let k = chain.tag(i)
            Self.expectEqual(m, tree, snaps[k], "seed \(seed) round \(round): restore #\(i) (recorded \(k)th)")
            // Stores into the restored state (often into pages a checkpoint saved) must not
            // reach any checkpoint.
            runOn()
            if round == 8 { chain.remove(at: chain.count / 2) }                       // a middle one
            if round == 12 {
                chain.restore(chain.count - 1)
                runOn()
                chain.remove(at: chain.count - 1)                                     // the machine's origin, last
                runOn()
                try chain.record(tag: snaps.count)                                     // recording continues
                snaps.append(Self.snapshot(m, tree))
            }
            if round == 16 && chain.count > 2 {
                chain.restore(1)
                chain.remove(at: 1)                                                    // the machine's origin, not last
            }
        }
        // Every checkpoint left still restores exactly.
        for i in (0..<chain.count).reversed() {
            chain.restore(i)
            Self.expectEqual(m, tree, snaps[chain.tag(i)], "seed \(seed): final pass, restore #\(i)")
        }
    }

    static func write(_ s: MachineStorage, pages: [Int], rng: inout SplitMix64) {
        for p in pages {
            let base = UInt64(p * StateLayout.pageSize)
            for _ in 0..<3 { s.access.writeRAM(base + (rng.next() % 512) * 8, 8, rng.next() | 1) }
        }
    }

    static func snapshot(_ m: Machine, _ tree: StateTree) -> Snapshot {
        Snapshot(storage: m.storage.copy(), steps: m.steps, root: tree.root())
    }

    /// A real guest (sort: four sorting passes over 24 KiB arrays, printing as it goes):
    /// checkpoints every 1.5 M steps; each, restored in a scrambled order, has the root a
    /// run that never checkpointed had at that step, and running on from it gives that
    /// run's roots further on.
    @Test func aGuestRestoredAndRunOnGivesTheRootsOfARunThatNeverCheckpointed() throws {
        guard let m = try Guests.machine("sort"), let reference = try Guests.machine("sort") else { return }
        let interval: UInt64 = 1_500_000, further: UInt64 = 200_000
        // The reference: roots at every checkpoint step and `further` steps on.
        let refTree = StateTree(reference.storage)
        var rootAt: [UInt64: Digest] = [0: refTree.root()]
        while !reference.halted {
            let next = (reference.steps / interval + 1) * interval
            reference.run(steps: next - further - reference.steps)
            rootAt[reference.steps] = refTree.root()
            reference.run(steps: further)
            rootAt[reference.steps] = refTree.root()
        }
        let tree = StateTree(m.storage)
        let chain = try CheckpointChain(machine: m, tree: tree)
        while !m.halted {
            m.run(steps: interval - m.steps % interval)
            if !m.halted { try chain.record(tag: 0) }
        }
        try #require(chain.count >= 10, "sort runs ~18.5 M steps")
        let finalRoot = tree.root()
        var order = Array(0..<chain.count)
        order.swapAt(0, 7); order.swapAt(2, 9); order.swapAt(3, order.count - 1)
        for i in order + [4, 5] {
            chain.restore(i)
            let s = chain.steps[i]
            #expect(m.steps == s)
            #expect(tree.root() == rootAt[s], "checkpoint at step \(s)")
            if let later = rootAt[s + interval - further] {
                m.run(steps: interval - further)
                #expect(tree.root() == later, "\(interval - further) steps after the checkpoint at \(s)")
            }
        }
        chain.restore(chain.count - 1)
        m.run(steps: 100_000_000)
        #expect(tree.root() == finalRoot, "run on to the halt from the last checkpoint")
    }

    /// A checkpoint costs the pages written since the previous one (plus its core words),
    /// not RAM: on a 256 MiB machine, three pages written cost three saved pages.
    @Test func aCheckpointCostsThePagesWrittenSinceThePreviousOne() throws {
        let storage = MachineStorage(ramSize: 256 << 20)
        let m = Machine(storage: storage)
        storage.access.writeRAM(0x1000, 8, 42)
        let tree = StateTree(storage)
        let chain = try CheckpointChain(machine: m, tree: tree)
        #expect(chain.bytes == CheckpointChain.bytesPerCheckpoint + CheckpointChain.bytesPerPage)
        var before = chain.bytes
        for page in [7, 8, 60_000] { storage.access.writeRAM(UInt64(page * 4096 + 16), 4, 7) }
        storage.access.writeRAM(UInt64(8 * 4096), 1, 9)   // the same page again
        try chain.record(tag: 1)
        #expect(chain.pageCount(1) == 3)
        #expect(chain.bytes - before == CheckpointChain.bytesPerCheckpoint + 3 * CheckpointChain.bytesPerPage)
        before = chain.bytes
        try chain.record(tag: 2)                           // nothing written
        #expect(chain.pageCount(2) == 0)
        #expect(chain.bytes - before == CheckpointChain.bytesPerCheckpoint)
        // Removing the middle one: its pages pass to the next, which had none.
        chain.remove(at: 1)
        #expect(chain.pageCount(1) == 3)
        #expect(chain.bytes == before)
    }

    /// Running out of memory while saving pages is an error naming what failed, and leaves
    /// the chain (and what the next checkpoint will save) as it was.
    @Test func aFailedAllocationIsAClearErrorAndChangesNothing() throws {
        let storage = MachineStorage(ramSize: 64 * StateLayout.pageSize)
        let m = Machine(storage: storage)
        let tree = StateTree(storage)
        let chain = try CheckpointChain(machine: m, tree: tree)
        for page in [3, 4, 5] { storage.access.writeRAM(UInt64(page * 4096), 8, 1) }
        let snap = Self.snapshot(m, tree)
        var left = 2
        chain.allocatePage = { left -= 1; return left >= 0 ? malloc(MachineStorage.pageSize) : nil }
        let before = (chain.count, chain.bytes)
        let error = #expect(throws: CheckpointError.self) { try chain.record(tag: 1) }
        #expect(error?.description.contains("cannot allocate 4096 bytes to save RAM page 5 (3 of 3)") == true, "\(String(describing: error))")
        #expect((chain.count, chain.bytes) == before)
        chain.allocatePage = { malloc(MachineStorage.pageSize) }
        try chain.record(tag: 1)
        #expect(chain.pageCount(1) == 3, "the pages of the failed attempt are still to be saved")
        storage.access.writeRAM(4 * 4096, 8, 99)
        chain.restore(1)
        Self.expectEqual(m, tree, snap, "after the failed attempt")
    }
}
