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

    /// A short script of awk's double arithmetic (FP arithmetic inside blocks, FP state
    /// switched between the processes of a pipe by the kernel).
    static let fpScript = """
        awk 'BEGIN { s = 0; for (i = 1; i <= 3000; i++) s += 1 / (i * i); x = 0.5; for (i = 0; i < 3000; i++) x = 3.9 * x * (1 - x); printf "%.12f %.12f\\n", s, x }' </dev/null
        seq 1 600 | awk '{ s += $1 * $1 / 3; if ($1 % 7 < 3.5) c++ } END { printf "%.6f %d %d\\n", s, c, int(s / 7) }'
        poweroff -f
        """

    static func boot(script name: String = "sample-stdin.txt") throws -> Machine {
        func file(_ name: String) throws -> [UInt8] {
            [UInt8](try #require(FileManager.default.contents(atPath: dir + "/" + name)))
        }
        // As `tbsim run --linux --stdin guests/linux/sample-stdin.txt` boots it.
        var script = name == "fp" ? Array(fpScript.utf8)
            : [UInt8](try #require(FileManager.default.contents(atPath: Guests.root.path + "/guests/linux/" + name)))
        if script.last != 0x0a { script.append(0x0a) }
        script.append(0x04)
        return try Machine(BootImage(program: try file("fw_jump.bin"), programIsRaw: true, kernel: try file("Image"),
                                     initrd: try file("initramfs.cpio.gz"),
                                     bootargs: "console=ttyS0 earlycon=uart8250,mmio,0x10000000 initramfs_async=0",
                                     inputMarker: Array("tbsim-guest: ready".utf8)),
                           input: script)
    }

    /// Both block engines over the sample script; the standard engine also over awk's
    /// doubles (FP arithmetic inside blocks, FP state switched by the kernel).
    @Test(.enabled(if: haveLinux, "needs `make guest-linux`"),
          arguments: [(Engine.blocks, "sample-stdin.txt"), (Engine.threaded, "sample-stdin.txt"), (Engine.standard, "fp")])
    func wholeLinuxRunMatchesTheReference(_ engine: Engine, script: String) throws {
        let fast = try Self.boot(script: script), reference = try Self.boot(script: script)
        // Every translation the reference step takes from the engines' cache is walked too.
        fast.tlb.checking = true
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
        #expect(fast.tlb.checked > 10_000 && fast.tlb.mismatches == 0,
                "\(fast.tlb.checked) cached translations checked, \(fast.tlb.mismatches) wrong")
        if script == "fp" {
            let out = String(decoding: fast.output, as: UTF8.self)
            #expect(out.contains("1.644600789064 0.870390171649"), "awk's sum came out: \(out.suffix(300))")
        }
    }
}
