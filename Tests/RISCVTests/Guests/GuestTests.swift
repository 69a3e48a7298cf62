import Foundation
import Testing
@testable import RISCV

// Whole guest programs: output and exit code against guests/expected (recorded on QEMU and
// checked by independent models, see guests/README.md), against a live QEMU run, QEMU's
// instruction counts, and run-to-run determinism.

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// The first line where two outputs differ, for readable failures.
private func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    let la = text(a).split(separator: "\n", omittingEmptySubsequences: false)
    let lb = text(b).split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(la.count, lb.count) {
        let x = i < la.count ? String(la[i]) : "<end>", y = i < lb.count ? String(lb[i]) : "<end>"
        if x != y { return "line \(i + 1): tbsim «\(x)» vs expected «\(y)»" }
    }
    return "same lines"
}

private let qemuAvailable = onPath("qemu-system-riscv64")

@Suite struct GuestTests {
    @Test func guestsAreBuilt() throws {
        #expect(!Guests.all.isEmpty, "no programs found under \(Guests.programs.path)")
        for name in Guests.all {
            _ = try Guests.elf(name)
        }
    }

    @Test(arguments: Guests.tested)
    func matchesExpectedOutput(_ name: String) async throws {
        let run = try await Guests.cache.run(name)
        let expected = try Guests.expectedOutput(name)
        #expect(run.halted, "\(name) did not halt within \(Guests.stepBudget) steps")
        #expect(run.exitCode == 0, "\(name) exit code \(run.exitCode); output tail: \(text(Array(run.output.suffix(300))))")
        let same = run.output == expected
        #expect(same, "\(name): \(firstDifference(run.output, expected))")
    }

    /// QEMU's plugin (guests/qemu-plugin/icount.c) counts every instruction QEMU starts,
    /// from the first reset-ROM instruction to the finisher store; found by experiment:
    /// - tbsim runs the same 6-instruction reset ROM, so ROM instructions count on both;
    /// - an instruction that raises an exception is counted by both (tbsim's instruction
    ///   clock follows QEMU's -icount), except fetch faults, which QEMU raises before the
    ///   instruction exists and tbsim does not count either;
    /// - interrupts are a step in tbsim but not an instruction in either count;
    /// - MMIO re-execution (icount I/O recompile) does not double-count: the replayed
    ///   block is instrumented for memory only (checked with hand-written programs);
    /// - on QEMU, qemu-run.sh plants an input descriptor that rt_init finds, which takes 4
    ///   more instructions (li, sb, ld, sd) than on tbsim, where that RAM is zero.
    /// So QEMU = counted + 4 for programs without interrupts (`exceptions` below are the
    /// uncounted ones: fetch faults). Programs with timer interrupts spin on mtime until
    /// the interrupt arrives, so the count depends on when the interrupt is taken, and
    /// QEMU takes the timer interrupt about 12 instructions after mtime reaches mtimecmp
    /// (tbsim: at once; measured with hand-written programs). Only closeness is checked
    /// for them.
    @Test(arguments: Guests.tested.filter { Guests.qemuCount($0) != nil })
    func instructionCountMatchesQEMU(_ name: String) async throws {
        let run = try await Guests.cache.run(name)
        let qemu = try #require(Guests.qemuCount(name))
        try #require(run.halted && run.exitCode == 0, "\(name) did not run to a clean halt")
        #expect(run.steps == run.retired + run.exceptions + run.interrupts, "every step retires or traps")
        let predicted = run.retired + run.exceptions - run.fetchFaults + 4
        let detail = "\(name): QEMU \(qemu); tbsim retired \(run.retired), exceptions \(run.exceptions) (fetch faults \(run.fetchFaults)), interrupts \(run.interrupts)"
        if run.interrupts == 0 {
            #expect(predicted == qemu, "\(detail)")
        } else {
            let diff = predicted > qemu ? predicted - qemu : qemu - predicted
            #expect(diff <= 20 * run.interrupts, "\(detail)")
        }
    }

    @Test(.enabled(if: qemuAvailable, "qemu-system-riscv64 is not installed (apt-get install qemu-system-misc)"),
          arguments: Guests.tested)
    func matchesQEMU(_ name: String) async throws {
        let run = try await Guests.cache.run(name)
        _ = try Guests.elf(name)
        var args = [Guests.elfURL(name).path]
        if let input = Guests.inputURL(name) { args.append(input.path) }
        let qemu = try #require(runProcess(Guests.qemuRun.path, args), "cannot start \(Guests.qemuRun.path)")
        #expect(qemu.status != 124, "QEMU timed out")
        #expect(UInt64(qemu.status) == run.exitCode, "exit code: QEMU \(qemu.status), tbsim \(run.exitCode); \(qemu.stderr)")
        let same = run.output == qemu.stdout
        #expect(same, "\(name): \(firstDifference(run.output, qemu.stdout))")
    }

    @Test(arguments: Guests.small)
    func deterministic(_ name: String) async throws {
        let first = try await Guests.cache.run(name)
        let second = try runGuest(name)
        #expect(first.output == second.output)
        #expect(first.steps == second.steps)
        #expect(first.instret == second.instret)
        #expect(first.core == second.core, "final core words")
        #expect(first.ramDigest == second.ramDigest, "final RAM")
    }

    @Test func missingELFNamesTheFix() {
        #expect(throws: Guests.Missing.self) { try Guests.elf("no-such-guest") }
        do {
            _ = try Guests.elf("no-such-guest")
        } catch {
            #expect("\(error)".contains("make guests"))
        }
    }

    @Test func haltedMachineStaysPut() throws {
        let machine = try Machine(BootImage(program: try Guests.elf("hello")))
        machine.run(steps: 1_000_000)
        #expect(machine.halted)
        let before = (0..<CoreLayout.count).map { machine.storage.core[$0] }
        let output = machine.output
        for _ in 0..<10 { machine.step() }
        #expect((0..<CoreLayout.count).map { machine.storage.core[$0] } == before, "stepping a halted machine is the identity")
        #expect(machine.output == output)
    }
}
