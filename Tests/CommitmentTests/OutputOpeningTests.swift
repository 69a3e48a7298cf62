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
        #expect(checked.output == expected)
        #expect(checked.hash == Keccak.hash(expected))
        #expect(checkOutputOpening(opening, root: root) == Keccak.hash(expected))

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

    @Test func emptyOutputOpensToTheEmptyHash() throws {
        let s = MachineStorage(ramSize: 4096)
        let tree = StateTree(s)
        let checked = try OutputOpening.check(openOutput(tree), root: tree.root())
        #expect(checked.output.isEmpty)
        #expect(checked.hash.hex == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }
}
