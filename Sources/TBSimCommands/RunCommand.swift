import ArgumentParser
import Foundation
import RISCV
import Transport

/// `tbsim run`: runs a guest natively fast; its UART output is the command's output and
/// its exit code the command's exit status.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a RISC-V program (or the Linux workload) on the deterministic machine.",
        discussion: """
        The guest's UART output goes to standard output (or --stdout FILE), its input comes \
        from --stdin FILE. The exit status is the guest's exit code (as QEMU reports it: modulo \
        256). A run stopped by --max-steps exits with status \(RunCommand.stepLimitStatus).
        """)

    /// Exit status when the step limit stops a run.
    public static let stepLimitStatus: Int32 = 124

    @OptionGroup public var guest: GuestOptions

    @Option(help: "Write the guest's output to this file instead of standard output.")
    public var stdout: String?

    @Option(help: "Stop after this many steps.")
    public var maxSteps: UInt64 = 50_000_000_000

    @Flag(help: "Print instructions retired, steps, wall time and MIPS to standard error.")
    public var stats = false

    public init() {}

    public func run() throws {
        let machine = try guest.makeMachine()
        let out: FileHandle
        if let path = stdout {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let h = FileHandle(forWritingAtPath: path) else {
                throw CLIError("cannot create --stdout file \(path)")
            }
            out = h
        } else {
            out = FileHandle.standardOutput
        }
        let progress = isatty(2) == 1
        let start = monotonicSeconds()
        var written = 0
        var lastReport = start
        var progressShown = false
        func flushOutput() {
            let o = machine.storage.output
            if o.count > written {
                // The progress line shares the terminal: clear it before the guest speaks.
                if progressShown { FileHandle.standardError.write("\r\u{1b}[K".data(using: .utf8)!); progressShown = false }
                out.write(Data(o[written...]))
                written = o.count
            }
        }
        while !machine.halted && machine.steps < maxSteps {
            machine.run(steps: min(20_000_000, maxSteps - machine.steps))
            flushOutput()
            let now = monotonicSeconds()
            if progress && now - lastReport > 0.5 {
                lastReport = now
                let mips = Double(machine.steps) / (now - start) / 1e6
                FileHandle.standardError.write("\r\u{1b}[K[tbsim] \(machine.steps) steps, \(String(format: "%.0f", mips)) MIPS".data(using: .utf8)!)
                progressShown = true
            }
        }
        flushOutput()
        if progressShown { FileHandle.standardError.write("\r\u{1b}[K".data(using: .utf8)!) }
        let wall = monotonicSeconds() - start
        if stats {
            printError("instructions retired: \(machine.instret)")
            printError("steps: \(machine.steps)")
            printError(String(format: "wall time: %.3f s", wall))
            printError(String(format: "MIPS: %.1f", Double(machine.instret) / max(wall, 1e-9) / 1e6))
        }
        if !machine.halted {
            printError("tbsim: stopped after \(machine.steps) steps (--max-steps) without the guest halting; pc=0x\(String(machine.pc, radix: 16))")
            throw ExitCode(RunCommand.stepLimitStatus)
        }
        let code = machine.exitCode
        if code > 255 { printError("tbsim: guest exit code \(code) reported modulo 256") }
        if code != 0 { throw ExitCode(Int32(truncatingIfNeeded: code & 0xff)) }
    }
}
