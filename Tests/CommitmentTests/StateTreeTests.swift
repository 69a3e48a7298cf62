import Foundation
import Testing
import RISCV
@testable import Commitment

struct StateTreeTests {
    /// A small hand-filled state: a few core words, scattered RAM bytes, an input tape
    /// and some output.
    static func sample() -> MachineStorage {
        let s = MachineStorage(ramSize: 64 << 10, input: Array("the input tape".utf8))
        s.core[CoreLayout.pc] = 0x8000_0000
        s.core[CoreLayout.x + 5] = 0xdead_beef_0123_4567
        s.core[CoreLayout.rom + 3] = 42
        s.ram.storeBytes(of: 0x1122_3344_5566_7788, toByteOffset: 8, as: UInt64.self)
        s.ram.storeBytes(of: 0xff, toByteOffset: 40_000, as: UInt8.self)
        s.output = Array("hello".utf8)
        s.core[CoreLayout.outputLength] = 5
        return s
    }

    @Test func coldRootMatchesTheReferenceTree() {
        let s = Self.sample()
        #expect(StateTree(s).root() == ReferenceRoot.root(s))
    }

    @Test func emptyStateRootMatchesTheReference() {
        let s = MachineStorage(ramSize: 4096)
        #expect(StateTree(s).root() == ReferenceRoot.root(s))
    }

    @Test func incrementalRootFollowsEveryKindOfChange() {
        let s = Self.sample()
        let tree = StateTree(s)
        let before = tree.root()
        #expect(tree.root() == before, "no change, same root")

        // A RAM write through the step-semantics access marks the page dirty.
        let a = s.access
        a.writeRAM(50_000, 4, 0xabcd_ef01)
        a.write(CoreLayout.x + 7, 99)
        a.writeOutput(5, 0x21)
        s.core[CoreLayout.outputLength] = 6
        let after = tree.root()
        #expect(after != before)
        #expect(after == ReferenceRoot.root(s))
        #expect(after == StateTree(s.copy()).root())

        // Output crossing a page boundary.
        for i in 6..<5000 { a.writeOutput(UInt64(i), UInt8(i & 0xff)) }
        s.core[CoreLayout.outputLength] = 5000
        #expect(tree.root() == ReferenceRoot.root(s))
    }

    @Test func changingAnyRegionChangesTheRoot() {
        let base = StateTree(Self.sample()).root()
        let edits: [(MachineStorage) -> Void] = [
            { $0.core[CoreLayout.priv] ^= 1 },
            { $0.ram.storeBytes(of: 1, toByteOffset: 65535, as: UInt8.self) },
            { $0.output.append(7) },
        ]
        for (i, edit) in edits.enumerated() {
            let s = Self.sample()
            edit(s)
            #expect(StateTree(s).root() != base, "edit \(i) left the root unchanged")
        }
        // A different input tape (same length) is a different state.
        let s = MachineStorage(ramSize: 64 << 10, input: Array("the input tapf".utf8))
        let t = Self.sample()
        s.core.update(from: t.core, count: CoreLayout.count)
        s.ram.copyMemory(from: t.ram, byteCount: t.ramSize)
        s.output = t.output
        #expect(StateTree(s).root() != base)
    }
}

/// A cloned tree bound to a copied machine keeps giving the roots a cold tree gives, and
/// the original is unaffected — the basis of cheap checkpoint restores.
@Test func aClonedTreeFollowsItsCopiedMachine() throws {
    let machine = try #require(try Guests.machine("sha256"), "missing build/guests/sha256.elf: run `make guests`")
    let tree = StateTree(machine.storage)
    machine.run(steps: 20_000)
    _ = tree.root()
    machine.run(steps: 5_000)              // dirty pages pending in the original
    let copy = machine.copy()
    let clone = tree.copy(boundTo: copy.storage)
    #expect(clone.root() == StateTree(copy.storage.copy()).root())
    copy.run(steps: 30_000)
    #expect(clone.root() == StateTree(copy.storage.copy()).root())
    machine.run(steps: 1_000)
    #expect(tree.root() == StateTree(machine.storage.copy()).root())
    #expect(tree.root() != clone.root())
}

/// A booted machine's first root reads only the pages the boot images and the run wrote
/// (the rest of its RAM is known to be zero), and equals the root of a full scan of the
/// same state — at boot, after a run with no tree bound, and on the Linux-style path
/// where firmware is loaded raw.
@Test(arguments: ["hello", "sha256", "counters", "vm"])
func aBootedMachinesFirstRootMatchesAFullScan(_ name: String) throws {
    guard let machine = try Guests.machine(name) else {
        Issue.record("missing build/guests/\(name).elf: run `make guests`"); return
    }
    let storage = machine.storage
    #expect(storage.zeroOutsideDirty)
    #expect(storage.pagesWrittenSinceMark().count < 64, "boot marked \(storage.pagesWrittenSinceMark().count) pages")
    // `copy()` does not know what was written, so its cold root reads every page.
    let atBoot = StateTree(storage.copy()).root()
    #expect(!storage.copy().zeroOutsideDirty)

    let booted = try #require(try Guests.machine(name))
    #expect(StateTree(booted.storage).root() == atBoot)
    #expect(!booted.storage.zeroOutsideDirty, "a root clears the dirty bits, and with them what was known")

    machine.run(steps: 5_000)
    let full = StateTree(storage.copy()).root()
    #expect(storage.zeroOutsideDirty)
    #expect(StateTree(storage).root() == full)
}

/// The Linux path's images (raw firmware, kernel, initrd, device tree) are marked as
/// written too: the first root equals a full scan's.
@Test func linuxStyleImagesAreMarkedWritten() throws {
    let elf = try #require(FileManager.default.contents(atPath: Guests.path("hello")), "run `make guests`")
    let kernel = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
    let initrd = (0..<9_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
    let image = BootImage(program: [UInt8](elf), programIsRaw: true, kernel: kernel, initrd: initrd, ramSize: 16 << 20)
    let machine = try Machine(image)
    #expect(machine.storage.zeroOutsideDirty)
    #expect(StateTree(machine.storage).root() == StateTree(machine.storage.copy()).root())
}
