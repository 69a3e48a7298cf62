import ArgumentParser
import Foundation
import RISCV
import Scenario

/// How a task's machine is described on the command line; shared by run, hash and prove.
public struct GuestOptions: ParsableArguments {
    @Argument(help: "The RISC-V ELF64 program to run (omit with --linux).")
    public var program: String?

    @Option(help: "File whose bytes feed the guest's UART input.")
    public var stdin: String?

    @Option(name: .customLong("ram"), help: "RAM size in MiB.")
    public var ramMiB: UInt64 = 128

    @Flag(help: "Boot the Linux workload (OpenSBI + kernel + initramfs) built by `make guest-linux`. Its shell runs --stdin as a script (a final Ctrl-D ends the input); the console output is the output.")
    public var linux = false

    @Option(help: "Linux kernel Image (with --linux).")
    public var kernel: String = "build/linux/Image"

    @Option(help: "Initramfs (with --linux).")
    public var initrd: String = "build/linux/initramfs.cpio.gz"

    @Option(help: "Firmware loaded at the start of RAM (with --linux).")
    public var firmware: String = "build/linux/fw_jump.bin"

    @Option(help: "Kernel command line (with --linux).")
    public var bootargs: String = "console=ttyS0 earlycon=uart8250,mmio,0x10000000 initramfs_async=0"

    @Option(help: ArgumentHelp("Hold the input until the guest has printed this text (default with --linux: the init script's ready line).", valueName: "TEXT"))
    public var inputAfter: String?

    /// The Linux guest's /init prints this once it reads its script from the console.
    public static let linuxReadyMarker = ScenarioTask.linuxReadyMarker

    public init() {}

    public func validate() throws {
        if linux && program != nil {
            throw ValidationError("give either a PROGRAM or --linux, not both")
        }
        if !linux && program == nil {
            throw ValidationError("missing PROGRAM (an RV64 ELF), or --linux to boot the Linux workload")
        }
        if let m = inputAfter, m.utf8.count > 32 {
            throw ValidationError("--input-after takes at most 32 bytes (got \(m.utf8.count))")
        }
        if linux && ramMiB < ScenarioTask.linuxMinimumRAMMiB {
            throw ValidationError("--linux needs --ram \(ScenarioTask.linuxMinimumRAMMiB) or more (OpenSBI's fw_jump.bin moves the device tree to 0x82200000)")
        }
        if ramMiB < 1 || ramMiB > 16384 {
            throw ValidationError("--ram must be between 1 and 16384 MiB (got \(ramMiB))")
        }
    }

    /// The task these options describe.
    public var task: ScenarioTask {
        let image: ScenarioTask.Image = linux
            ? .linux(firmware: firmware, kernel: kernel, initrd: initrd, bootargs: bootargs)
            : .program(path: program ?? "")
        return ScenarioTask(image: image, stdin: stdin, ramMiB: ramMiB, inputAfter: inputAfter)
    }

    /// Reads every file and boots the machine, the same way every party of a scenario does.
    public func makeMachine() throws -> Machine {
        do { return try task.boot() } catch let e as TaskBootError { throw CLIError(e.description) }
    }
}

/// A failure reported as one line on standard error, with a non-zero exit status.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads a whole file, turning failures into an error that names the file.
func readFile(_ path: String, what: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        let exists = FileManager.default.fileExists(atPath: path)
        throw CLIError(exists ? "cannot read \(what) \(path)" : "\(what) \(path) does not exist")
    }
    return [UInt8](data)
}

/// Writes to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write((s + "\n").data(using: .utf8)!)
}
