import Foundation
@testable import RISCV

/// The guest programs of `guests/` (built by `make guests` into `build/guests/NAME.elf`),
/// their expected outputs, and one shared, memoised tbsim run per guest so that several
/// tests (expected output, QEMU differential, instruction counts) pay for it once.
enum Guests {
    /// The package root, derived from this file's path (Tests/RISCVTests/Support/…).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let programs = root.appendingPathComponent("guests/programs")
    static let expected = root.appendingPathComponent("guests/expected")
    static let build = root.appendingPathComponent("build/guests")
    static let qemuRun = root.appendingPathComponent("guests/qemu-run.sh")

    /// Every program name (`programs/NAME.c` or `.S`), sorted.
    static let all: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: programs.path)) ?? []
        return Set(files.filter { $0.hasSuffix(".c") || $0.hasSuffix(".S") }.map { String($0.dropLast(2)) }).sorted()
    }()

    /// The programs the tests execute: all of them, the 100 M-instruction benchmarks
    /// included (debug builds optimise the machine for this, see Package.swift).
    /// `TBSIM_GUESTS=hello,vm` restricts the run to those programs (handy while debugging).
    static let tested: [String] = {
        var names = all
        if let only = ProcessInfo.processInfo.environment["TBSIM_GUESTS"] {
            let wanted = Set(only.split(separator: ",").map(String.init))
            names = all.filter { wanted.contains($0) }
        }
        return names
    }()

    /// Small programs (well under a million instructions) used for run-twice determinism.
    static let small: [String] = tested.filter { ["hello", "traps", "vm", "rvc", "atomics", "counters", "fp", "triggers"].contains($0) }

    static func elfURL(_ name: String) -> URL { build.appendingPathComponent("\(name).elf") }
    static func inputURL(_ name: String) -> URL? {
        let u = expected.appendingPathComponent("\(name).in")
        return FileManager.default.fileExists(atPath: u.path) ? u : nil
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func elf(_ name: String) throws -> [UInt8] {
        let url = elfURL(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(description: "\(url.path) is missing: run `make guests` (the Makefile's test target builds the guests first)")
        }
        return [UInt8](data)
    }

    static func input(_ name: String) -> [UInt8] {
        guard let u = inputURL(name), let d = FileManager.default.contents(atPath: u.path) else { return [] }
        return [UInt8](d)
    }

    static func expectedOutput(_ name: String) throws -> [UInt8] {
        let u = expected.appendingPathComponent("\(name).out")
        guard let d = FileManager.default.contents(atPath: u.path) else {
            throw Missing(description: "\(u.path) is missing")
        }
        return [UInt8](d)
    }

    /// QEMU's instruction count for the guest (`expected/NAME.icount`), if recorded.
    static func qemuCount(_ name: String) -> UInt64? {
        let u = expected.appendingPathComponent("\(name).icount")
        guard let d = FileManager.default.contents(atPath: u.path),
              let s = String(data: d, encoding: .utf8) else { return nil }
        return UInt64(s.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Budget for one guest: generous for the programs the README lists (≤ 115 M
    /// instructions), so a runaway guest fails instead of hanging the test run.
    static let stepBudget: UInt64 = 400_000_000

    static let cache = GuestRunCache()
}

/// What one guest run produced.
struct GuestRun: Sendable {
    var output: [UInt8]
    var halted: Bool
    var exitCode: UInt64
    /// Steps taken until the halt (each step counts one instruction, or is a fetch fault
    /// or an interrupt, which count nothing).
    var steps: UInt64
    /// The icount core word (instructions counted, trapping ones included).
    var retired: UInt64
    var instret: UInt64
    /// Exceptions that counted no instruction (fetch faults, execute triggers).
    var exceptions: UInt64
    /// Exceptions raised before the instruction started: by its fetch (access or page
    /// fault) or by an execute trigger (a breakpoint that counted nothing; ebreak counts).
    /// QEMU never starts such an instruction, so its count leaves them out.
    var fetchFaults: UInt64
    var interrupts: UInt64
    var core: [UInt64]
    /// A digest of RAM (FNV-1a over 64-bit words), for run-to-run comparisons.
    var ramDigest: UInt64
}

/// Runs each guest at most once per test process; concurrent callers share the run.
actor GuestRunCache {
    private var runs: [String: Task<GuestRun, Error>] = [:]

    func run(_ name: String) async throws -> GuestRun {
        if let t = runs[name] { return try await t.value }
        let t = Task.detached { try runGuest(name) }
        runs[name] = t
        return try await t.value
    }
}

/// Boots `name` as QEMU's `-bios none -kernel` would and steps it to the halt, counting
/// steps that counted no instruction (fetch faults, interrupts) by kind.
func runGuest(_ name: String, budget: UInt64 = Guests.stepBudget) throws -> GuestRun {
    let machine = try Machine(BootImage(program: try Guests.elf(name)), input: Guests.input(name))
    let storage = machine.storage
    let core = storage.core
    var hart = Hart(DirectAccess(storage))
    var steps: UInt64 = 0, exceptions: UInt64 = 0, fetchFaults: UInt64 = 0, interrupts: UInt64 = 0
    while core[CoreLayout.halted] == 0 && steps < budget {
        let before = core[CoreLayout.icount]
        hart.step()
        steps += 1
        if core[CoreLayout.icount] == before {
            let cause = core[CoreLayout.priv] == Privilege.machine ? core[CoreLayout.mcause] : core[CoreLayout.scause]
            if cause & Cause.interruptBit != 0 {
                interrupts += 1
            } else {
                exceptions += 1
                if cause == Cause.instructionPageFault || cause == Cause.instructionAccessFault
                    || cause == Cause.breakpoint { fetchFaults += 1 }
            }
        }
    }
    var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    let words = storage.ram.assumingMemoryBound(to: UInt64.self)
    for i in 0..<(storage.ramSize / 8) where words[i] != 0 {
        digest = (digest ^ UInt64(i)) &* 0x100_0000_01b3
        digest = (digest ^ words[i]) &* 0x100_0000_01b3
    }
    return GuestRun(output: storage.output, halted: core[CoreLayout.halted] != 0, exitCode: core[CoreLayout.exitCode],
                    steps: steps, retired: core[CoreLayout.icount],
                    instret: core[CoreLayout.icount] &+ core[CoreLayout.minstretDelta],
                    exceptions: exceptions, fetchFaults: fetchFaults, interrupts: interrupts,
                    core: (0..<CoreLayout.count).map { core[$0] }, ramDigest: digest)
}

/// Runs a command with stdout captured; nil if it cannot be started.
func runProcess(_ path: String, _ arguments: [String], environment: [String: String]? = nil) -> (status: Int32, stdout: [UInt8], stderr: String)? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    do { try p.run() } catch { return nil }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, [UInt8](o), String(decoding: e, as: UTF8.self))
}

/// Whether an executable called `name` is on PATH.
func onPath(_ name: String) -> Bool {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
}
