import Testing
import TestSupport
import RISCV
@testable import Commitment

/// The incremental root after several RAM pages were written between two roots must be
/// the root a freshly built tree gives for the same state: every dirty page re-hashed,
/// and every shared ancestor re-hashed after both of its children.
struct IncrementalRootTests {
    /// Writes a few words derived from `salt` into each of `pages` through the step
    /// semantics' access (which marks the pages dirty).
    static func scribble(_ s: MachineStorage, pages: [Int], salt: UInt64) {
        let a = s.access
        for p in pages {
            let base = UInt64(p * StateLayout.pageSize)
            // First word, a middle byte, last word of the page.
            a.writeRAM(base, 8, 0x0123_4567_89ab_cdef ^ salt ^ UInt64(p) << 20)
            a.writeRAM(base + 2_051, 1, salt &+ UInt64(p))
            a.writeRAM(base + UInt64(StateLayout.pageSize) - 8, 8, ~salt &* UInt64(p + 1))
        }
    }

    /// Page sets dirtied between two roots, for a RAM of `pages` pages: first and last,
    /// two siblings under one parent, two neighbours under different parents, both sides
    /// of a dirty-bitmap word boundary, scattered non-adjacent pages, a long run, and all.
    static func dirtySets(pages n: Int) -> [[Int]] {
        [
            [0, n - 1],
            [2, 3],
            [3, 4],
            [63, 64],
            [0, 64, 128, n - 1],
            [1, 7, 40, 99, 130, n - 2],
            Array(60..<70) + [n - 1],
            Array(0..<n),
        ]
    }

    /// 256 pages (a power of two) and 259 (the last pages have no stored right sibling).
    @Test(arguments: [256, 259])
    func severalDirtyPagesGiveTheFreshTreesRoot(pages: Int) {
        let s = MachineStorage(ramSize: pages * StateLayout.pageSize, input: Array("tape".utf8))
        let tree = StateTree(s)
        var previous = tree.root()
        #expect(previous == StateTree(s.copy()).root())
        for (round, set) in Self.dirtySets(pages: pages).enumerated() {
            Self.scribble(s, pages: set, salt: UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
            let incremental = tree.root()
            let fresh = StateTree(s.copy()).root()
            #expect(incremental == fresh, "pages \(set) dirtied in round \(round)")
            #expect(incremental != previous, "round \(round) changed RAM, so the root must change")
            previous = incremental
        }
    }

    /// Writes between roots in several batches (roots taken only after some of them), mixed
    /// with core-word and output changes, agree with a fresh tree every time.
    @Test func batchesOfWritesMixedWithCoreAndOutput() {
        let pages = 256
        let s = MachineStorage(ramSize: pages * StateLayout.pageSize, input: [])
        let tree = StateTree(s)
        var rng = SplitMix64(seed: 11)
        for round in 0..<12 {
            let batches = 1 + Int(rng.next() % 3)
            for _ in 0..<batches {
                let count = 2 + Int(rng.next() % 5)
                let set = Array(Set((0..<count).map { _ in Int(rng.next() % UInt64(pages)) })).sorted()
                Self.scribble(s, pages: set, salt: rng.next())
            }
            if round % 3 == 0 { s.core[CoreLayout.x + 1 + round] = rng.next() }
            if round % 4 == 1 {
                let a = s.access
                for _ in 0..<700 { a.writeOutput(UInt64(s.output.count), UInt8(truncatingIfNeeded: rng.next())) }
                s.core[CoreLayout.outputLength] = UInt64(s.output.count)
            }
            #expect(tree.root() == StateTree(s.copy()).root(), "round \(round)")
        }
    }

    /// The same on a small state, against the slow reference statement of docs/STATE.md.
    @Test func firstAndLastPageAgainstTheReference() {
        let s = StateTreeTests.sample()                   // 64 KiB: 16 pages
        let tree = StateTree(s)
        _ = tree.root()
        Self.scribble(s, pages: [0, 15], salt: 5)
        #expect(tree.root() == ReferenceRoot.root(s))
        Self.scribble(s, pages: [1, 6, 9, 14], salt: 6)
        #expect(tree.root() == ReferenceRoot.root(s))
    }
}
