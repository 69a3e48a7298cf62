import Foundation
import Testing
@testable import RISCV

/// The block engines against the reference step over the whole Linux workload: boot,
/// OpenSBI, the kernel in S-mode, user space forking and exec'ing busybox (code pages
/// reused as data, atomics, page-table churn), the script, power-off. The reference
/// shares no cache with the engine. Compared every few million steps and at the end.
struct EngineLinuxTests {
    static let dir = Guests.root.path + "/build/linux"
    static let haveLinux = ["fw_jump.bin", "Image", "initramfs.cpio.gz"].allSatisfy {
        FileManager.default.fileExists(atPath: dir + "/" + $0)
    }

    static func boot() throws -> Machine {
        func file(_ name: String) throws -> [UInt8] {
            [UInt8](try #require(FileManager.default.contents(atPath: dir + "/" + name)))
        }
        // As `tbsim run --linux --stdin guests/linux/sample-stdin.txt` boots it.
        var script = [UInt8](try #require(FileManager.default.contents(atPath: Guests.root.path + "/guests/linux/sample-stdin.txt")))
        if script.last != 0x0a { script.append(0x0a) }
        script.append(0x04)
        return try Machine(BootImage(program: try file("fw_jump.bin"), programIsRaw: true, kernel: try file("Image"),
                                     initrd: try file("initramfs.cpio.gz"),
                                     bootargs: "console=ttyS0 earlycon=uart8250,mmio,0x10000000 initramfs_async=0",
                                     inputMarker: Array("tbsim-guest: ready".utf8)),
                           input: script)
    }

    @Test(.enabled(if: haveLinux, "needs `make guest-linux`"), arguments: blockEngines)
    func wholeLinuxRunMatchesTheReference(_ engine: Engine) throws {
        let fast = try Self.boot(), reference = try Self.boot()
        let stride: UInt64 = 4_000_000
        var step: UInt64 = 0
        while !reference.halted && step < 400_000_000 {
            let a = fast.run(steps: stride, engine: engine)
            let b = reference.run(steps: stride, engine: .reference)
            step += stride
            #expect(a == b)
            if memcmp(fast.storage.core, reference.storage.core, CoreLayout.count * 8) != 0 {
                let differing = (0..<CoreLayout.count).filter { fast.storage.core[$0] != reference.storage.core[$0] }
                Issue.record("core words \(differing) differ after step \(step)")
                return
            }
        }
        #expect(reference.halted && fast.halted, "the workload powered off")
        #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0)
        #expect(fast.output == reference.output)
        #expect(fast.steps == reference.steps)
    }
}
