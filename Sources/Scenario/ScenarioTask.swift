import RISCV

/// The computation: a bare-metal ELF, or the Linux workload.
public struct ScenarioTask: Equatable, Codable, Sendable {
    /// What the machine boots.
    public enum Image: Equatable, Codable, Sendable {
        /// A bare-metal RV64 ELF.
        case program(path: String)
        /// OpenSBI firmware, a kernel Image, an initramfs and the kernel command line.
        case linux(firmware: String, kernel: String, initrd: String, bootargs: String)
    }
    /// What the machine boots.
    public var image: Image
    /// File fed to the UART input (nil = empty input).
    public var stdin: String?
    /// The task's step limit: a run that does not halt within it is a failed task.
    public var maxSteps: UInt64
    /// Guest RAM in MiB.
    public var ramMiB: UInt64
    /// The UART input is held until the guest has printed this text (nil: the Linux
    /// workload's ready line for `linux`, no gate for a program).
    public var inputAfter: String?

    /// The Linux guest's /init prints this line once it reads its script from the
    /// console; the UART input is held until then (see `BootImage.inputMarker`).
    public static let linuxReadyMarker = "tbsim-guest: ready"

    /// Debian's OpenSBI fw_jump.bin moves the device tree to 0x82200000, so the Linux
    /// workload needs RAM past that.
    public static let linuxMinimumRAMMiB: UInt64 = 64

    /// The Linux guest's console input: the script, ending in a newline, then Ctrl-D
    /// (0x04) — end of input on a terminal, so a script that does not power off itself
    /// still ends (the guest's /init powers off when its input ends).
    public static func linuxConsoleInput(_ script: [UInt8]) -> [UInt8] {
        var input = script
        if let last = input.last, last != 0x0a { input.append(0x0a) }
        input.append(0x04)
        return input
    }

    /// Builds a task; see the properties.
    public init(image: Image, stdin: String? = nil, maxSteps: UInt64 = 1_000_000_000, ramMiB: UInt64 = 128,
                inputAfter: String? = nil) {
        self.image = image; self.stdin = stdin; self.maxSteps = maxSteps; self.ramMiB = ramMiB
        self.inputAfter = inputAfter
    }
}
