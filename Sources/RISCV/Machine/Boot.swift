/// Puts a boot image into a fresh machine the way QEMU's virt board does: images in RAM,
/// the device tree near the top of RAM, and a reset ROM at 0x1000 that passes the hart id
/// in a0, the device tree in a1 and a firmware-info block in a2, then jumps in M-mode.
public enum Boot {
    /// Where a kernel goes when the program is firmware (OpenSBI fw_jump's default).
    public static let kernelOffset: UInt64 = 0x20_0000

    /// Marks dirty only the pages the images and the device tree cover, so a machine whose
    /// storage tracks writes exactly keeps the rest of its RAM unread until used.
    static func load(_ image: BootImage, into storage: MachineStorage) throws {
        try storage.withMutableRAM(markingWritten: { ram in
            var written: [Range<Int>] = []
            try load(image, into: storage, ram: ram, written: &written)
            return ((), written)
        })
    }

    /// Loads `image`; `written` receives every RAM byte range it writes (offsets from the
    /// start of RAM).
    private static func load(_ image: BootImage, into storage: MachineStorage, ram: UnsafeMutableRawBufferPointer,
                             written: inout [Range<Int>]) throws {
        let ramBase = MachineMap.ramBase
        let ramSize = image.ramSize
        var entry: UInt64
        var programEnd: UInt64
        if image.programIsRaw {
            guard !image.program.isEmpty, UInt64(image.program.count) <= ramSize else {
                throw MachineError("firmware image of \(image.program.count) bytes does not fit in RAM")
            }
            image.program.withUnsafeBytes { src in
                ram.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: image.program.count)
            }
            written.append(0..<image.program.count)
            entry = ramBase
            programEnd = ramBase + UInt64(image.program.count)
        } else {
            let elf = try ELFImage.parse(image.program, ramBase: ramBase, ramSize: ramSize)
            elf.place(into: ram, ramBase: ramBase)
            for segment in elf.segments {
                let start = Int(segment.physicalAddress - ramBase)
                written.append(start..<start + Int(segment.memorySize))
            }
            entry = elf.entry
            programEnd = elf.segments.map { $0.physicalAddress + $0.memorySize }.max() ?? ramBase
        }
        var nextStage: UInt64 = 0
        // The highest byte any image occupies; the device tree must sit above it.
        var reservedTop = programEnd
        var initrdRange: (start: UInt64, end: UInt64)?
        if let kernel = image.kernel {
            let at = ramBase + kernelOffset
            guard ramSize > kernelOffset, UInt64(kernel.count) <= ramSize - kernelOffset else {
                throw MachineError("kernel image of \(kernel.count) bytes does not fit in \(ramSize >> 20) MiB of RAM")
            }
            let end = programEnd
            guard end <= at else {
                throw MachineError("firmware ends at 0x\(String(end, radix: 16)), overlapping the kernel at 0x\(String(at, radix: 16))")
            }
            kernel.withUnsafeBytes { src in
                ram.baseAddress!.advanced(by: Int(kernelOffset)).copyMemory(from: src.baseAddress!, byteCount: kernel.count)
            }
            written.append(Int(kernelOffset)..<Int(kernelOffset) + kernel.count)
            nextStage = at
            reservedTop = max(reservedTop, at + UInt64(kernel.count))
        }
        if let initrd = image.initrd {
            // Like QEMU's virt board: far enough above the kernel that unpacking the
            // kernel cannot clobber it (kernel + min(RAM/2, 128 MiB)).
            let size = UInt64(initrd.count)
            let start = ramBase + kernelOffset + min(ramSize / 2, 128 << 20)
            guard start >= reservedTop, size <= ramBase + ramSize - start else {
                throw MachineError("initrd of \(initrd.count) bytes does not fit above the kernel in \(ramSize >> 20) MiB of RAM; use more RAM")
            }
            initrdRange = (start, start + size)
            reservedTop = start + size
        }
        let fdt = deviceTree(ramSize: ramSize, bootargs: image.bootargs, initrd: initrdRange)
        // Like QEMU: 2 MiB-aligned near the top of RAM, leaving room for firmware to grow
        // the tree in place; in small RAM, just below the top on a page boundary.
        let top = ramBase + ramSize
        var fdtAddress = (top - UInt64(fdt.count) - 0x1_0000) & ~((2 << 20) - 1)
        if fdtAddress < reservedTop { fdtAddress = (top - UInt64(fdt.count) - 0x1000) & ~0xfff }
        guard fdtAddress >= reservedTop, fdtAddress >= ramBase else {
            throw MachineError("the images (\((reservedTop - ramBase) >> 20) MiB) leave no room for the device tree in \(ramSize >> 20) MiB of RAM; use more RAM")
        }
        if let initrd = image.initrd, let range = initrdRange {
            initrd.withUnsafeBytes { src in
                ram.baseAddress!.advanced(by: Int(range.start - ramBase)).copyMemory(from: src.baseAddress!, byteCount: initrd.count)
            }
            written.append(Int(range.start - ramBase)..<Int(range.start - ramBase) + initrd.count)
        }
        fdt.withUnsafeBytes { src in
            ram.baseAddress!.advanced(by: Int(fdtAddress - ramBase)).copyMemory(from: src.baseAddress!, byteCount: fdt.count)
        }
        written.append(Int(fdtAddress - ramBase)..<Int(fdtAddress - ramBase) + fdt.count)
        if image.kernel == nil { nextStage = 0 }
        writeResetROM(storage, entry: entry, fdt: fdtAddress, nextStage: nextStage)
        entry = MachineMap.romBase
        guard image.inputMarker.count <= CoreLayout.inputMarkerWords * 8 else {
            throw MachineError("input marker is \(image.inputMarker.count) bytes; at most \(CoreLayout.inputMarkerWords * 8)")
        }
        storage[core: CoreLayout.inputMarkerLength] = UInt64(image.inputMarker.count)
        for (i, b) in image.inputMarker.enumerated() { storage[core: CoreLayout.inputMarker + i / 8] |= UInt64(b) << UInt64(8 * (i % 8)) }
        storage[core: CoreLayout.pc] = entry
        storage[core: CoreLayout.priv] = Privilege.machine
        storage[core: CoreLayout.mtimecmp] = ~0
    }

    /// The reset ROM: six instructions, the entry and device-tree addresses, then the
    /// firmware-dynamic-info block (magic "OSBI", version 2, next stage in S-mode).
    static func writeResetROM(_ storage: MachineStorage, entry: UInt64, fdt: UInt64, nextStage: UInt64) {
        let code: [UInt32] = [
            0x0000_0297, // auipc t0, 0
            0x0282_8613, // addi  a2, t0, 40      (firmware info block)
            0xf140_2573, // csrr  a0, mhartid
            0x0202_b583, // ld    a1, 32(t0)      (device tree)
            0x0182_b283, // ld    t0, 24(t0)      (entry)
            0x0002_8067, // jr    t0
        ]
        var words = [UInt64](repeating: 0, count: CoreLayout.romWords)
        for (i, c) in code.enumerated() {
            words[i / 2] |= UInt64(c) << (32 * UInt64(i % 2))
        }
        words[3] = entry
        words[4] = fdt
        words[5] = 0x4942_534f          // magic
        words[6] = 2                    // version
        words[7] = nextStage            // next_addr
        words[8] = 1                    // next_mode: S
        words[9] = 0                    // options
        words[10] = 0                   // boot_hart
        for (i, w) in words.enumerated() { storage[core: CoreLayout.rom + i] = w }
    }

    /// The device tree for this machine, padded so firmware can grow it in place.
    static func deviceTree(ramSize: UInt64, bootargs: String, initrd: (start: UInt64, end: UInt64)?) -> [UInt8] {
        DeviceTree.virtMachine(VirtMachineDescription(ramSize: ramSize, bootargs: bootargs, initrd: initrd))
    }
}
