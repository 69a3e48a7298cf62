import Foundation
import Testing
import RISCV
@testable import Commitment

struct OutputOpeningTests {
    @Test(.enabled(if: Guests.available("hello"), "run `make guests` first"))
    func helloOutputIsProvenAgainstTheRoot() throws {
        let m = try #require(try Guests.machine("hello"))
        m.run(steps: 10_000)
        #expect(m.halted)
        let expected = [UInt8](try #require(FileManager.default.contents(atPath: Guests.root.appendingPathComponent("guests/expected/hello.out").path)))
        #expect(m.output == expected)
        let tree = StateTree(m.storage)
        let root = tree.root()
        let opening = openOutput(tree)
        let checked = try OutputOpening.check(opening, root: root)
        #expect(checked.length == UInt64(expected.count))
        // The hash of the bytes alone, by an independent statement of docs/STATE.md:
        // the output region's root over the bytes, bound with the length.
        let region = ReferenceRoot.region(expected, depth: StateLayout.depth(StateLayout.output))
        let independent = Keccak.hash(withUnsafeBytes(of: UInt64(expected.count).littleEndian, Array.init) + region)
        #expect(checked.hash == independent)
        #expect(OutputOpening.hash(ofOutput: expected) == independent)
        #expect(checkOutputOpening(opening, root: root) == independent)
        #expect(opening.count == OutputOpening.size)

        // Any other root, or any flipped bit, is rejected.
        var other = root.bytes; other[31] ^= 1
        #expect(checkOutputOpening(opening, root: Digest(bytes: other)) == nil)
        var accepted: [Int] = []
        var bytes = opening
        for bit in 0..<(8 * bytes.count) {
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            if checkOutputOpening(bytes, root: root) != nil { accepted.append(bit) }
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
        }
        #expect(accepted.isEmpty, "flipped bits accepted: \(accepted.prefix(10))")
        #expect(checkOutputOpening(opening + [0], root: root) == nil)
    }

    @Test func emptyOutputOpensToTheHashOfLengthZeroAndTheZeroRegion() throws {
        let s = MachineStorage(ramSize: 4096)
        let tree = StateTree(s)
        let checked = try OutputOpening.check(openOutput(tree), root: tree.root())
        #expect(checked.length == 0)
        #expect(checked.hash == Keccak.hash([UInt8](repeating: 0, count: 8) + zeroHashes[21].digest.bytes))
        #expect(checked.hash == OutputOpening.hash(ofOutput: []))
    }

    /// The opening has one size whatever the output's length, so no frame limit a
    /// configuration allows can keep an honest solver from answering an output dispute;
    /// before, it carried the whole output (up to the 64 MiB region).
    @Test func theOpeningOfAMegabyteOfOutputIsAsSmallAsAnyOther() throws {
        let s = MachineStorage(ramSize: 4096)
        var output = [UInt8](repeating: 0, count: 1 << 20)
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in output.indices { x ^= x << 13; x ^= x >> 7; x ^= x << 17; output[i] = UInt8(truncatingIfNeeded: x) }
        s.output = output
        s[core: CoreLayout.outputLength] = UInt64(output.count)
        let tree = StateTree(s)
        let opening = openOutput(tree)
        #expect(opening.count == OutputOpening.size)
        let checked = try OutputOpening.check(opening, root: tree.root())
        #expect(checked.length == UInt64(output.count))
        #expect(checked.hash == OutputOpening.hash(ofOutput: output))
        // One byte more, or one byte changed, is another hash.
        #expect(OutputOpening.hash(ofOutput: output + [0]) != checked.hash)
        output[12_345] ^= 1
        #expect(OutputOpening.hash(ofOutput: output) != checked.hash)
    }
}
