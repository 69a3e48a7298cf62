import Foundation
import Testing
@testable import RISCV

/// The fast path of `Machine.run` must be bit-identical to the reference step
/// (design invariant 1): every guest is run both ways in lockstep, one step at a time,
/// and the whole committed state is compared after every step.
struct FastPathLockstepTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let guests = ["hello", "intops", "rvc", "atomics", "traps", "vm", "counters", "sha256", "fp", "sort", "triggers"]

    @Test(arguments: guests, blockEngines)
    func fastPathMatchesTheReferenceStep(_ name: String, _ engine: Engine) throws {
        let path = Self.root + "/build/guests/\(name).elf"
        let elf = try #require(FileManager.default.contents(atPath: path), "missing \(path): run `make guests`")
        let input = FileManager.default.contents(atPath: Self.root + "/guests/expected/\(name).in").map { [UInt8]($0) } ?? []
        let fast = try Machine(BootImage(program: [UInt8](elf)), input: input)
        fast.engine = engine
        let reference = try Machine(BootImage(program: [UInt8](elf)), input: input)
        // Every step for the first 150k steps, then in growing strides to the halt.
        var step: UInt64 = 0
        var stride: UInt64 = 1
        while !reference.halted && step < 40_000_000 {
            if step >= 150_000 { stride = min(stride * 2, 65_536) }
            let a = fast.run(steps: stride, fastPath: true)
            let b = reference.run(steps: stride, fastPath: false)
            step += stride
            #expect(a == b, "\(name): step counts differ at \(step)")
            let coreSame = memcmp(fast.storage.core, reference.storage.core, CoreLayout.count * 8) == 0
            if !coreSame {
                let differing = (0..<CoreLayout.count).filter { fast.storage.core[$0] != reference.storage.core[$0] }
                Issue.record("\(name): core words \(differing) differ after step \(step) (pc fast 0x\(String(fast.pc, radix: 16)), reference 0x\(String(reference.pc, radix: 16)))")
                return
            }
            if stride > 1 || step % 4096 == 0 {
                #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0, "\(name): RAM differs after step \(step)")
            }
        }
        #expect(reference.halted && fast.halted, "\(name) did not halt")
        #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0)
        #expect(fast.output == reference.output)
        #expect(fast.steps == reference.steps)
        // The committed step counter is the step at which the run halted (the lockstep
        // above checked it on every engine along the way), and halted steps leave it be.
        #expect(fast.storage[core: CoreLayout.stepCount] == fast.steps, "\(name): step counter vs steps taken")
        fast.step()
        fast.run(steps: 10)
        #expect(fast.storage[core: CoreLayout.stepCount] == reference.steps)
        #expect(fast.steps == reference.steps + 1)
    }
}

private let linuxGuestDir = FastPathLockstepTests.root + "/build/linux"

/// The same lockstep comparison over the start of the Linux boot (OpenSBI in M-mode,
/// then the kernel in S-mode with Sv39 on: the fast path's translation cache at work).
/// Skipped (and counted as skipped) without the Linux guest; `make test` builds it first.
@Test(.enabled(if: FileManager.default.fileExists(atPath: linuxGuestDir + "/Image"),
               "no Linux guest in build/linux: run `make guest-linux`"))
func fastPathMatchesTheReferenceStepBootingLinux() throws {
    let dir = linuxGuestDir
    func file(_ name: String) throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: dir + "/" + name), "missing \(dir)/\(name): run `make guest-linux`"))
    }
    let firmware = try file("fw_jump.bin"), kernel = try file("Image"), initrd = try file("initramfs.cpio.gz")
    func boot() throws -> Machine {
        try Machine(BootImage(program: firmware, programIsRaw: true, kernel: kernel,
                              initrd: initrd, bootargs: "console=ttyS0 earlycon=uart8250,mmio,0x10000000"),
                    input: Array("echo hi\n".utf8))
    }
    let fast = try boot(), reference = try boot()
    var step: UInt64 = 0
    var stride: UInt64 = 64
    var pagingSince: UInt64?
    // Until Sv39 has been on for 2M steps (at most 60M steps in all).
    while step < 60_000_000 && (pagingSince.map { step - $0 < 2_000_000 } ?? true) {
        fast.run(steps: stride, fastPath: true)
        reference.run(steps: stride, fastPath: false)
        step += stride
        if pagingSince == nil && reference.storage.core[CoreLayout.satp] >> 60 == 8 { pagingSince = step }
        if memcmp(fast.storage.core, reference.storage.core, CoreLayout.count * 8) != 0 {
            let differing = (0..<CoreLayout.count).filter { fast.storage.core[$0] != reference.storage.core[$0] }
            Issue.record("core words \(differing) differ after step \(step)")
            return
        }
        if step % (1 << 20) < stride {
            #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0, "RAM differs after step \(step)")
        }
        if step > 1_000_000 { stride = 4096 }
    }
    #expect(pagingSince != nil, "the kernel never turned Sv39 on within the compared steps")
    #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0)
    #expect(fast.output == reference.output)
}
