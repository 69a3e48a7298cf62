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
    public static let linuxReadyMarker = TaskSpecification.linuxReadyMarker

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
        if linux && ramMiB < TaskSpecification.linuxMinimumRAMMiB {
            throw ValidationError("--linux needs --ram \(TaskSpecification.linuxMinimumRAMMiB) or more (OpenSBI's fw_jump.bin moves the device tree to 0x82200000)")
        }
        if ramMiB < 1 || ramMiB > 16384 {
            throw ValidationError("--ram must be between 1 and 16384 MiB (got \(ramMiB))")
        }
    }

    /// Reads every file and boots a machine.
    public func makeMachine() throws -> Machine {
        var input = try stdin.map { try readFile($0, what: "stdin file") } ?? []
        let image: BootImage
        if linux {
            input = TaskSpecification.linuxConsoleInput(input)
            image = BootImage(program: try readFile(firmware, what: "firmware (run `make guest-linux`)"),
                              programIsRaw: true,
                              kernel: try readFile(kernel, what: "kernel (run `make guest-linux`)"),
                              initrd: try readFile(initrd, what: "initrd (run `make guest-linux`)"),
                              bootargs: bootargs, ramSize: ramMiB << 20,
                              inputMarker: Array((inputAfter ?? GuestOptions.linuxReadyMarker).utf8))
        } else {
            image = BootImage(program: try readFile(program!, what: "program"), ramSize: ramMiB << 20,
                              inputMarker: Array((inputAfter ?? "").utf8))
        }
        do {
            return try Machine(image, input: input)
        } catch let e as ELFError {
            throw CLIError("\(program ?? firmware): \(e)")
        } catch let e as MachineError {
            throw CLIError("\(e)")
        }
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

/// Monotonic host time in seconds, for wall-clock figures only (never committed).
func hostSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write((s + "\n").data(using: .utf8)!)
}
