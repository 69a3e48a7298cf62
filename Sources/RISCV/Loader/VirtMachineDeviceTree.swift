/// What the guest needs to know about one tbsim machine, to be written into its device tree.
///
/// tbsim's machine follows QEMU `-M virt`'s memory map with a single hart, so firmware and
/// kernels built for QEMU virt (OpenSBI's generic platform, Linux's defconfig) find their
/// devices where they expect them.
public struct VirtMachineDescription: Sendable {
    /// Physical address of the first RAM byte.
    public var ramBase: UInt64
    /// RAM size in bytes.
    public var ramSize: UInt64
    /// Kernel command line for `/chosen/bootargs`. (A NUL inside would end it early for readers.)
    public var bootargs: String
    /// Physical `[start, end)` of an initial ramdisk in RAM, written to `/chosen` when present.
    public var initrd: (start: UInt64, end: UInt64)?
    /// Ticks per second of `mtime`/`time`, for `/cpus/timebase-frequency`.
    public var timebaseFrequency: UInt32
    /// The hart's ISA string for `riscv,isa`; must describe what the hart implements.
    public var isa: String
    /// The hart's address translation mode for `mmu-type`; tbsim implements Sv39.
    public var mmuType: String
    /// Extra entries for the DTB's memory reservation block (e.g. where firmware lives).
    public var reservations: [DeviceTreeReservation]

    /// A description with QEMU virt's defaults for everything but the RAM size.
    public init(ramBase: UInt64 = 0x8000_0000, ramSize: UInt64, bootargs: String = "",
                initrd: (start: UInt64, end: UInt64)? = nil, timebaseFrequency: UInt32 = 10_000_000,
                isa: String = "rv64imafdc_zicsr_zifencei", mmuType: String = "riscv,sv39",
                reservations: [DeviceTreeReservation] = []) {
        self.ramBase = ramBase
        self.ramSize = ramSize
        self.bootargs = bootargs
        self.initrd = initrd
        self.timebaseFrequency = timebaseFrequency
        self.isa = isa
        self.mmuType = mmuType
        self.reservations = reservations
    }
}

/// Device trees for tbsim's machines.
public enum DeviceTree {
    /// Base addresses and sizes of the virt machine's devices (QEMU `-M virt`'s map).
    public enum VirtMap {
        /// SiFive test finisher / syscon used for poweroff and reboot.
        public static let test: (base: UInt64, size: UInt64) = (0x0010_0000, 0x1000)
        /// Core-local interruptor (msip, mtimecmp, mtime).
        public static let clint: (base: UInt64, size: UInt64) = (0x0200_0000, 0x1_0000)
        /// Platform-level interrupt controller.
        public static let plic: (base: UInt64, size: UInt64) = (0x0c00_0000, 0x60_0000)
        /// NS16550A UART.
        public static let uart: (base: UInt64, size: UInt64) = (0x1000_0000, 0x100)
        /// The UART's PLIC interrupt source number.
        public static let uartInterrupt: UInt32 = 10
        /// The UART's input clock in Hz (the divisor latch is computed against it).
        public static let uartClock: UInt32 = 3_686_400
        /// Number of PLIC interrupt sources advertised (`riscv,ndev`).
        public static let plicSources: UInt32 = 95
        /// Value written to the test device to power off successfully.
        public static let poweroffValue: UInt32 = 0x5555
        /// Value written to the test device to reboot.
        public static let rebootValue: UInt32 = 0x7777
    }

    /// Phandles assigned in the virt tree (fixed, so the blob is reproducible).
    public enum VirtPhandle {
        /// `/cpus/cpu@0`.
        public static let cpu: UInt32 = 1
        /// `/cpus/cpu@0/interrupt-controller`, the hart-local interrupt controller.
        public static let cpuInterruptController: UInt32 = 2
        /// `/soc/plic@c000000`.
        public static let plic: UInt32 = 3
        /// `/soc/test@100000`.
        public static let test: UInt32 = 4
    }

    /// The DTB (version 17) describing `d`; its length is the blob's total size. Linux and
    /// OpenSBI's generic platform boot from it. Firmware that edits the tree in place (OpenSBI
    /// adds reserved-memory nodes) needs free RAM after the blob: place it with room to spare.
    public static func virtMachine(_ d: VirtMachineDescription) -> [UInt8] {
        virtMachineTree(d).serialize()
    }

    /// The same tree before flattening, for callers that want to inspect or extend it.
    public static func virtMachineTree(_ d: VirtMachineDescription) -> FlattenedDeviceTree {
        typealias P = DeviceTreeProperty
        typealias M = VirtMap
        typealias H = VirtPhandle
        // Hart-local interrupt numbers (mip bit positions) from the privileged spec.
        let machineSoftware: UInt32 = 3, machineTimer: UInt32 = 7
        let supervisorExternal: UInt32 = 9, machineExternal: UInt32 = 11

        func hex(_ v: UInt64) -> String { String(v, radix: 16) }
        func reg(_ r: (base: UInt64, size: UInt64)) -> P { .addressRanges("reg", [(r.base, r.size)]) }

        let cpu = DeviceTreeNode("cpu@0", [
            .phandle(H.cpu),
            .string("device_type", "cpu"),
            .u32("reg", 0),
            .string("status", "okay"),
            .string("compatible", "riscv"),
            .string("riscv,isa", d.isa),
            .string("mmu-type", d.mmuType),
        ], children: [
            DeviceTreeNode("interrupt-controller", [
                .u32("#address-cells", 0),  // interrupt providers need it for interrupt-map parsing
                .u32("#interrupt-cells", 1),
                .empty("interrupt-controller"),
                .string("compatible", "riscv,cpu-intc"),
                .phandle(H.cpuInterruptController),
            ]),
        ])
        let cpus = DeviceTreeNode("cpus", [
            .u32("#address-cells", 1),
            .u32("#size-cells", 0),
            .u32("timebase-frequency", d.timebaseFrequency),
        ], children: [cpu])

        let memory = DeviceTreeNode("memory@\(hex(d.ramBase))", [
            .string("device_type", "memory"),
            .addressRanges("reg", [(d.ramBase, d.ramSize)]),
        ])

        let intc = H.cpuInterruptController
        let soc = DeviceTreeNode("soc", [
            .u32("#address-cells", 2),
            .u32("#size-cells", 2),
            .string("compatible", "simple-bus"),
            .empty("ranges"),
        ], children: [
            DeviceTreeNode("test@\(hex(M.test.base))", [
                .phandle(H.test),
                reg(M.test),
                .strings("compatible", ["sifive,test1", "sifive,test0", "syscon"]),
            ]),
            DeviceTreeNode("serial@\(hex(M.uart.base))", [
                .u32("interrupts", M.uartInterrupt),
                .reference("interrupt-parent", H.plic),
                .u32("clock-frequency", M.uartClock),
                reg(M.uart),
                .string("compatible", "ns16550a"),
            ]),
            DeviceTreeNode("plic@\(hex(M.plic.base))", [
                .phandle(H.plic),
                .u32("riscv,ndev", M.plicSources),
                reg(M.plic),
                .cells("interrupts-extended", [intc, machineExternal, intc, supervisorExternal]),
                .empty("interrupt-controller"),
                .strings("compatible", ["sifive,plic-1.0.0", "riscv,plic0"]),
                .u32("#address-cells", 0),
                .u32("#interrupt-cells", 1),
            ]),
            DeviceTreeNode("clint@\(hex(M.clint.base))", [
                .cells("interrupts-extended", [intc, machineSoftware, intc, machineTimer]),
                reg(M.clint),
                .strings("compatible", ["sifive,clint0", "riscv,clint0"]),
            ]),
        ])

        var chosen = DeviceTreeNode("chosen", [
            .string("bootargs", d.bootargs),
            .string("stdout-path", "/soc/serial@\(hex(M.uart.base))"),
        ])
        if let initrd = d.initrd {
            chosen.add(.u64("linux,initrd-start", initrd.start))
            chosen.add(.u64("linux,initrd-end", initrd.end))
        }

        let syscon: [DeviceTreeProperty] = [.reference("regmap", H.test), .u32("offset", 0)]
        let root = DeviceTreeNode("", [
            .u32("#address-cells", 2),
            .u32("#size-cells", 2),
            .strings("compatible", ["tbsim,virt", "riscv-virtio"]),
            .string("model", "tbsim,virt"),
        ], children: [
            chosen,
            DeviceTreeNode("poweroff", [.u32("value", M.poweroffValue)] + syscon
                           + [.string("compatible", "syscon-poweroff")]),
            DeviceTreeNode("reboot", [.u32("value", M.rebootValue)] + syscon
                           + [.string("compatible", "syscon-reboot")]),
            memory,
            cpus,
            soc,
        ])
        return FlattenedDeviceTree(root: root, reservations: d.reservations, bootCPUID: 0)
    }
}
