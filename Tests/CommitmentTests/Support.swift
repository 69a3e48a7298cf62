import Foundation
import Testing
import RISCV
@testable import Commitment

/// Guests built by `make guests`, found from this file's path.
enum Guests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ name: String) -> String { root.appendingPathComponent("build/guests/\(name).elf").path }

    static func available(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Boots `name` (with guests/expected/sha256.in as input for sha256); nil when not built.
    static func machine(_ name: String) throws -> Machine? {
        guard let elf = FileManager.default.contents(atPath: path(name)) else { return nil }
        var input: [UInt8] = []
        if name == "sha256" {
            input = [UInt8](FileManager.default.contents(atPath: root.appendingPathComponent("guests/expected/sha256.in").path) ?? Data())
        }
        return try Machine(BootImage(program: [UInt8](elf)), input: input)
    }
}

/// An independent, slow statement of docs/STATE.md: every region's used bytes as leaves,
/// hashed level by level with zero padding, then the fixed top tree.
enum ReferenceRoot {
    static func h(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] { Keccak.hash(a + b).bytes }

    static func region(_ bytes: [UInt8], depth: Int) -> [UInt8] {
        var zero = [UInt8](repeating: 0, count: 32)
        var level: [[UInt8]] = stride(from: 0, to: bytes.count, by: 32).map { i in
            var leaf = Array(bytes[i..<min(i + 32, bytes.count)])
            leaf += [UInt8](repeating: 0, count: 32 - leaf.count)
            return leaf
        }
        for _ in 0..<depth {
            if level.count % 2 == 1 { level.append(zero) }
            level = stride(from: 0, to: level.count, by: 2).map { h(level[$0], level[$0 + 1]) }
            zero = h(zero, zero)
        }
        return level.first ?? zero
    }

    /// The root of a (small) storage, every byte hashed leaf by leaf.
    static func root(_ s: MachineStorage) -> Digest {
        let core = (0..<CoreLayout.count).flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: s.core[w] >> UInt64(8 * $0)) } }
        let ram = [UInt8](UnsafeRawBufferPointer(start: s.ram, count: s.ramSize))
        let r = [region(core, depth: 7), region(ram, depth: 29),
                 region(s.input, depth: 21), region(s.output, depth: 21)]
        return Digest(bytes: h(h(r[0], r[1]), h(r[2], r[3])))
    }
}
