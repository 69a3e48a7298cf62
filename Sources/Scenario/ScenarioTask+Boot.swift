import Commitment
import Foundation
import RISCV

/// Why a task cannot be booted: a file that cannot be read, too little RAM for the
/// workload, an image the loader refuses. One line, naming the file.
public struct TaskBootError: Error, CustomStringConvertible, Equatable {
    /// The message for the user.
    public let description: String
    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}

extension ScenarioTask {
    /// The state root of the booted task: what the task giver posts and every party
    /// agrees on by construction.
    public func initialRoot() throws -> Digest { StateTree(try boot().storage).root() }

    /// Reads every file the task names and boots its machine: the one way the task giver,
    /// every party and the CLI's `run`, `hash` and `prove` obtain the initial state.
    public func boot() throws -> Machine {
        var input = try stdin.map { try Self.read($0, what: "stdin file", hint: nil) } ?? []
        let image: BootImage
        switch self.image {
        case .program(let path):
            if let needed = requiredRAMMiB(), needed > ramMiB {
                throw TaskBootError("\(path) needs \(needed) MiB of RAM (its stack top or highest segment), got \(ramMiB) MiB")
            }
            image = BootImage(program: try Self.read(path, what: "program", hint: "`make guests` builds the guest programs"),
                              ramSize: ramMiB << 20, inputMarker: Array((inputAfter ?? "").utf8))
        case .linux(let firmware, let kernel, let initrd, let bootargs):
            guard ramMiB >= Self.linuxMinimumRAMMiB else {
                throw TaskBootError("the Linux workload needs \(Self.linuxMinimumRAMMiB) MiB of RAM or more, got \(ramMiB) (OpenSBI's fw_jump.bin moves the device tree to 0x82200000)")
            }
            let hint = "`make guest-linux` builds the Linux workload"
            input = Self.linuxConsoleInput(input)
            image = BootImage(program: try Self.read(firmware, what: "firmware", hint: hint), programIsRaw: true,
                              kernel: try Self.read(kernel, what: "kernel", hint: hint),
                              initrd: try Self.read(initrd, what: "initrd", hint: hint),
                              bootargs: bootargs, ramSize: ramMiB << 20,
                              inputMarker: Array((inputAfter ?? Self.linuxReadyMarker).utf8))
        }
        do {
            return try Machine(image, input: input)
        } catch let e as ELFError {
            throw TaskBootError("\(imageFile): \(e)")
        } catch let e as MachineError {
            throw TaskBootError("\(e)")
        }
    }

    /// The RAM a bare-metal program needs, in MiB: up to the end of its highest segment
    /// and, when it names one, its stack top (`__stack_top`: the guest runtime puts the
    /// stacks near the top of 128 MiB). Nil for the Linux workload, a file that cannot be
    /// read or one that is not an ELF (booting reports those).
    public func requiredRAMMiB() -> UInt64? {
        guard case let .program(path) = image, let data = FileManager.default.contents(atPath: path),
              let elf = try? ELFImage.parse([UInt8](data), ramBase: MachineMap.ramBase, ramSize: 1 << 40) else { return nil }
        var top = elf.segments.map { $0.physicalAddress + $0.memorySize }.max() ?? MachineMap.ramBase
        if let stack = elf.symbol(named: "__stack_top"), stack > MachineMap.ramBase { top = max(top, stack) }
        let bytes = top - MachineMap.ramBase
        return (bytes + (1 << 20) - 1) >> 20
    }

    /// The file the machine starts from: the program, or the Linux firmware.
    public var imageFile: String {
        switch image {
        case .program(let path): return path
        case .linux(let firmware, _, _, _): return firmware
        }
    }

    static func read(_ path: String, what: String, hint: String?) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw TaskBootError("\(what) \(path) " + (exists ? "cannot be read" : "does not exist")
                                + (exists || hint == nil ? "" : " (\(hint!))"))
        }
        return [UInt8](data)
    }
}
