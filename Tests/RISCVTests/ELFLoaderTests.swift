import Foundation
import Testing
@testable import RISCV

// Small ELF64 files are assembled here byte by byte from the System V ABI layout (file header 64
// bytes, program headers 56, section headers 64, symbols 24), so every error path is reached
// with a file whose one defect is known.

private let ramBase: UInt64 = 0x8000_0000
private let ramSize: UInt64 = 0x0100_0000  // 16 MiB

/// One program header plus the bytes it points at.
private struct TestSegment {
    var type: UInt32 = 1  // PT_LOAD
    var flags: UInt32 = 5  // R+X
    var virtualAddress: UInt64
    var physicalAddress: UInt64
    var data: [UInt8]
    var memorySize: UInt64
    /// Overrides for hostile headers; nil means "consistent with `data`".
    var offsetOverride: UInt64? = nil
    var fileSizeOverride: UInt64? = nil

    init(at address: UInt64, data: [UInt8], memorySize: UInt64? = nil, flags: UInt32 = 5, type: UInt32 = 1) {
        self.virtualAddress = address
        self.physicalAddress = address
        self.data = data
        self.memorySize = memorySize ?? UInt64(data.count)
        self.flags = flags
        self.type = type
    }
}

/// A whole test file: header fields, segments, and an optional symbol table.
private struct TestELF {
    var elfClass: UInt8 = 2
    var dataEncoding: UInt8 = 1
    var identVersion: UInt8 = 1
    var type: UInt16 = 2
    var machine: UInt16 = 243
    var version: UInt32 = 1
    var entry: UInt64 = ramBase
    var segments: [TestSegment] = []
    var symbols: [(name: String, value: UInt64, info: UInt8, section: UInt16)] = []
    var phoffOverride: UInt64? = nil
    var phentsize: UInt16 = 56
    var phnumOverride: UInt16? = nil

    func bytes() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        let phoff = 64
        out += [UInt8](repeating: 0, count: 56 * segments.count)
        var dataOffsets: [Int] = []
        for segment in segments {
            while out.count % 8 != 0 { out.append(0) }
            dataOffsets.append(out.count)
            out += segment.data
        }
        for (i, segment) in segments.enumerated() {
            let base = phoff + 56 * i
            put32(&out, base, segment.type)
            put32(&out, base + 4, segment.flags)
            put64(&out, base + 8, segment.offsetOverride ?? UInt64(dataOffsets[i]))
            put64(&out, base + 16, segment.virtualAddress)
            put64(&out, base + 24, segment.physicalAddress)
            put64(&out, base + 32, segment.fileSizeOverride ?? UInt64(segment.data.count))
            put64(&out, base + 40, segment.memorySize)
            put64(&out, base + 48, 8)
        }
        var shoff = 0
        var shnum = 0
        if !symbols.isEmpty {
            // Sections: 0 null, 1 .symtab, 2 .strtab; section headers last in the file.
            var strtab: [UInt8] = [0]
            var symtab = [UInt8](repeating: 0, count: 24)  // symbol 0 is the null symbol
            for symbol in symbols {
                var entry = [UInt8](repeating: 0, count: 24)
                put32(&entry, 0, UInt32(strtab.count))
                entry[4] = symbol.info
                put16(&entry, 6, symbol.section)
                put64(&entry, 8, symbol.value)
                symtab += entry
                strtab += Array(symbol.name.utf8) + [0]
            }
            while out.count % 8 != 0 { out.append(0) }
            let symOffset = out.count
            out += symtab
            let strOffset = out.count
            out += strtab
            while out.count % 8 != 0 { out.append(0) }
            shoff = out.count
            shnum = 3
            var headers = [UInt8](repeating: 0, count: 64 * 3)
            put32(&headers, 64 + 4, 2)  // SHT_SYMTAB
            put64(&headers, 64 + 24, UInt64(symOffset))
            put64(&headers, 64 + 32, UInt64(symtab.count))
            put32(&headers, 64 + 40, 2)  // sh_link → .strtab
            put64(&headers, 64 + 56, 24)
            put32(&headers, 128 + 4, 3)  // SHT_STRTAB
            put64(&headers, 128 + 24, UInt64(strOffset))
            put64(&headers, 128 + 32, UInt64(strtab.count))
            out += headers
        }
        out[0 ..< 4] = [0x7f, 0x45, 0x4c, 0x46]
        out[4] = elfClass
        out[5] = dataEncoding
        out[6] = identVersion
        put16(&out, 16, type)
        put16(&out, 18, machine)
        put32(&out, 20, version)
        put64(&out, 24, entry)
        put64(&out, 32, phoffOverride ?? UInt64(phoff))
        put64(&out, 40, UInt64(shoff))
        put16(&out, 52, 64)
        put16(&out, 54, phentsize)
        put16(&out, 56, phnumOverride ?? UInt16(segments.count))
        put16(&out, 58, 64)
        put16(&out, 60, UInt16(shnum))
        return out
    }
}

private func put16(_ b: inout [UInt8], _ at: Int, _ v: UInt16) { for i in 0 ..< 2 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
private func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) { for i in 0 ..< 4 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
private func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) { for i in 0 ..< 8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }

/// Code (4 RISC-V NOPs then `ebreak`), data, and a `.bss` tail: the happy path.
private func validELF() -> TestELF {
    let nop: [UInt8] = [0x13, 0x00, 0x00, 0x00]
    let code = nop + nop + nop + nop + [0x73, 0x00, 0x10, 0x00]
    var elf = TestELF()
    elf.entry = ramBase + 4
    elf.segments = [
        TestSegment(at: ramBase, data: code),
        TestSegment(at: ramBase + 0x1000, data: [1, 2, 3, 4, 5, 6, 7, 8], memorySize: 0x20, flags: 6),
    ]
    elf.symbols = [
        (name: "_start", value: ramBase, info: 0x12, section: 1),  // GLOBAL FUNC
        (name: "counter", value: ramBase + 0x1000, info: 0x01, section: 2),  // LOCAL OBJECT
        (name: "counter", value: ramBase + 0x1008, info: 0x11, section: 2),  // GLOBAL OBJECT wins
        (name: "external", value: 0, info: 0x10, section: 0),  // undefined: not a definition
    ]
    return elf
}

/// Parse and return the error, failing the test if parsing succeeds.
private func parseError(_ bytes: [UInt8], ramBase base: UInt64 = ramBase, ramSize size: UInt64 = ramSize,
                        sourceLocation: SourceLocation = #_sourceLocation) -> ELFError? {
    do {
        let image = try ELFImage.parse(bytes, ramBase: base, ramSize: size)
        Issue.record("expected an ELFError, parsed \(image.segments.count) segments", sourceLocation: sourceLocation)
        return nil
    } catch let error as ELFError {
        return error
    } catch {
        Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("ELF loader")
struct ELFLoaderTests {
    @Test func validImageParses() throws {
        let image = try ELFImage.parse(validELF().bytes(), ramBase: ramBase, ramSize: ramSize)
        #expect(image.entry == ramBase + 4)
        #expect(image.segments.count == 2)
        #expect(image.segments[0].physicalAddress == ramBase)
        #expect(image.segments[0].bytes.count == 20)
        #expect(image.segments[0].memorySize == 20)
        #expect(image.segments[1] == ELFSegment(physicalAddress: ramBase + 0x1000, bytes: [1, 2, 3, 4, 5, 6, 7, 8],
                                                memorySize: 0x20))
        #expect(image.symbol(named: "_start") == ramBase)
        #expect(image.symbol(named: "counter") == ramBase + 0x1008)
        #expect(image.symbol(named: "external") == nil)
        #expect(image.symbol(named: "missing") == nil)
    }

    /// The reset ROM jumps to the ELF's entry point even when it is not the start of RAM.
    /// QEMU 7.2 (`-bios none -kernel`) differs: its ROM always jumps to 0x80000000 and
    /// passes the entry only as the firmware-info block's next_addr (README, "Known
    /// differences"); every shipped guest has its entry at the start of RAM, where the two
    /// agree.
    @Test func bootStartsAtTheEntryPoint() throws {
        let machine = try Machine(BootImage(program: validELF().bytes(), ramSize: ramSize))
        #expect(machine.storage[core: CoreLayout.pc] == MachineMap.romBase)
        machine.run(steps: 6, engine: .reference)  // the ROM's six instructions
        #expect(machine.storage[core: CoreLayout.pc] == ramBase + 4)
        #expect(machine.storage[core: CoreLayout.rom + 7] == 0, "next_addr: no next stage without a kernel")
    }

    @Test func segmentsComeOutInAddressOrder() throws {
        var elf = validELF()
        elf.segments.reverse()
        let image = try ELFImage.parse(elf.bytes(), ramBase: ramBase, ramSize: ramSize)
        #expect(image.segments.map(\.physicalAddress) == [ramBase, ramBase + 0x1000])
    }

    @Test func placeCopiesAndZeroFills() throws {
        let image = try ELFImage.parse(validELF().bytes(), ramBase: ramBase, ramSize: ramSize)
        var ram = [UInt8](repeating: 0xAA, count: 0x2000)
        ram.withUnsafeMutableBytes { image.place(into: $0, ramBase: ramBase) }
        #expect(Array(ram[0 ..< 4]) == [0x13, 0, 0, 0])
        #expect(Array(ram[16 ..< 20]) == [0x73, 0x00, 0x10, 0x00])
        #expect(ram[20] == 0xAA)  // between segments: untouched
        #expect(Array(ram[0x1000 ..< 0x1008]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(ram[0x1008 ..< 0x1020].allSatisfy { $0 == 0 })  // .bss zeroed
        #expect(ram[0x1020] == 0xAA)
    }

    @Test func strippedFileHasNoSymbols() throws {
        var elf = validELF()
        elf.symbols = []
        let image = try ELFImage.parse(elf.bytes(), ramBase: ramBase, ramSize: ramSize)
        #expect(image.symbol(named: "_start") == nil)
    }

    @Test func positionIndependentExecutableIsAccepted() throws {
        var elf = validELF()
        elf.type = 3  // ET_DYN: loaded at p_paddr, no bias
        let image = try ELFImage.parse(elf.bytes(), ramBase: ramBase, ramSize: ramSize)
        #expect(image.segments[0].physicalAddress == ramBase)
    }

    @Test func virtualEntryIsTranslatedToPhysical() throws {
        var elf = validELF()
        let virtualBase: UInt64 = 0xffff_ffff_8000_0000
        elf.segments[0].virtualAddress = virtualBase
        elf.entry = virtualBase + 8
        let image = try ELFImage.parse(elf.bytes(), ramBase: ramBase, ramSize: ramSize)
        #expect(image.entry == ramBase + 8)
    }

    @Test func emptySegmentsAndNonLoadHeadersAreIgnored() throws {
        var elf = validELF()
        elf.segments.append(TestSegment(at: 0, data: [9, 9], flags: 4, type: 4))  // PT_NOTE outside RAM
        elf.segments.append(TestSegment(at: 0x10, data: [], memorySize: 0, flags: 6))  // empty PT_LOAD
        let image = try ELFImage.parse(elf.bytes(), ramBase: ramBase, ramSize: ramSize)
        #expect(image.segments.count == 2)
    }

    @Test func segmentMayEndExactlyAtTopOfAddressSpace() throws {
        var elf = TestELF()
        elf.entry = UInt64.max - 7
        elf.segments = [TestSegment(at: UInt64.max - 7, data: [0x13, 0, 0, 0, 0x13, 0, 0, 0])]
        let image = try ELFImage.parse(elf.bytes(), ramBase: UInt64.max - 0xfff, ramSize: 0x1000)
        #expect(image.segments.count == 1)
    }

    // MARK: Errors, one per cause

    @Test func badMagic() {
        var bytes = validELF().bytes()
        bytes[0 ..< 4] = [0x4d, 0x5a, 0x90, 0x00]
        let error = parseError(bytes)
        #expect(error == .notELF(magic: [0x4d, 0x5a, 0x90, 0x00]))
        #expect(error?.description.contains("not an ELF file") == true)
        #expect(error?.description.contains("4d 5a 90 00") == true)
        #expect(parseError([]) == .notELF(magic: []))
        #expect(parseError([0x7f, 0x45, 0x4c, 0x47]) == .notELF(magic: [0x7f, 0x45, 0x4c, 0x47]))
    }

    @Test func elf32IsRejected() {
        var elf = validELF()
        elf.elfClass = 1
        let error = parseError(elf.bytes())
        #expect(error == .wrongClass(1))
        #expect(error?.description.contains("ELF32") == true)
        // A file as short as a real ELF32 header still reports the class, not truncation.
        #expect(parseError(Array(elf.bytes()[0 ..< 52])) == .wrongClass(1))
    }

    @Test func bigEndianIsRejected() {
        var elf = validELF()
        elf.dataEncoding = 2
        let error = parseError(elf.bytes())
        #expect(error == .wrongEndianness(2))
        #expect(error?.description.contains("big-endian") == true)
    }

    @Test func wrongVersionIsRejected() {
        var elf = validELF()
        elf.version = 2
        #expect(parseError(elf.bytes()) == .wrongVersion(2))
        elf = validELF()
        elf.identVersion = 0
        #expect(parseError(elf.bytes()) == .wrongVersion(0))
    }

    @Test func wrongMachineIsNamed() {
        var elf = validELF()
        elf.machine = 62
        let error = parseError(elf.bytes())
        #expect(error == .wrongMachine(62))
        #expect(error?.description.contains("machine 62") == true)
        #expect(error?.description.contains("243") == true)
        elf.machine = 4242
        #expect(parseError(elf.bytes())?.description.contains("machine 4242") == true)
    }

    @Test func nonExecutableTypesAreRejected() {
        var elf = validELF()
        elf.type = 1
        let error = parseError(elf.bytes())
        #expect(error == .wrongType(1))
        #expect(error?.description.contains("ET_REL") == true)
        elf.type = 4
        #expect(parseError(elf.bytes()) == .wrongType(4))
    }

    @Test func truncatedHeader() {
        let bytes = Array(validELF().bytes()[0 ..< 40])
        let error = parseError(bytes)
        #expect(error == .truncated("the ELF64 file header", offset: 0, length: 64, fileSize: 40))
        #expect(error?.description.contains("file header") == true)
        #expect(error?.description.contains("[0x0, 0x40)") == true)
    }

    @Test func truncatedProgramHeaderTable() {
        let bytes = Array(validELF().bytes()[0 ..< 64 + 56 + 10])
        let error = parseError(bytes)
        #expect(error == .truncated("the program header table (2 entries of 56 bytes)", offset: 64, length: 112,
                                    fileSize: 130))
        #expect(error?.description.contains("program header table") == true)
        #expect(error?.description.contains("0xb0") == true)  // end of the table: 64 + 112 = 176
    }

    @Test func segmentDataPastEndOfFile() {
        var elf = validELF()
        elf.symbols = []
        elf.segments[1].fileSizeOverride = 0x18  // 16 bytes more than the file holds
        elf.segments[1].memorySize = 0x20
        let error = parseError(elf.bytes())
        guard let description = error?.description else { return }
        #expect(description.contains("PT_LOAD segment 1"))
        #expect(description.contains("p_filesz 24"))
        #expect(description.contains("truncated"))
    }

    @Test func hostileOffsetsDoNotTrap() {
        var elf = validELF()
        elf.phoffOverride = UInt64.max - 10
        #expect(parseError(elf.bytes())?.description.contains("program header table") == true)

        elf = validELF()
        elf.segments[0].offsetOverride = UInt64.max - 3
        let error = parseError(elf.bytes())
        #expect(error?.description.contains("overflows 64 bits") == true)
        #expect(error?.description.contains("PT_LOAD segment 0") == true)

        elf = validELF()
        elf.phentsize = 20
        #expect(parseError(elf.bytes()) == .badHeaderField("e_phentsize", value: 20))
    }

    @Test func segmentOutsideRAM() {
        var elf = validELF()
        elf.segments[1].physicalAddress = 0x1000
        elf.segments[1].virtualAddress = 0x1000
        let error = parseError(elf.bytes())
        #expect(error == .segmentOutsideRAM(index: 1, start: 0x1000, size: 0x20, ramBase: ramBase, ramSize: ramSize))
        #expect(error?.description.contains("segment 1") == true)
        #expect(error?.description.contains("[0x1000, 0x1020)") == true)
        #expect(error?.description.contains("[0x80000000, 0x81000000)") == true)

        // Starts inside RAM, ends past it.
        elf = validELF()
        elf.segments[1].physicalAddress = ramBase + ramSize - 0x10
        #expect(parseError(elf.bytes()) == .segmentOutsideRAM(index: 1, start: ramBase + ramSize - 0x10, size: 0x20,
                                                              ramBase: ramBase, ramSize: ramSize))

        // Address + size wraps around 2^64.
        elf = validELF()
        elf.segments[1].physicalAddress = UInt64.max - 0xf
        let wrapped = parseError(elf.bytes(), ramBase: 0, ramSize: UInt64.max)
        #expect(wrapped == .segmentOutsideRAM(index: 1, start: UInt64.max - 0xf, size: 0x20, ramBase: 0,
                                              ramSize: UInt64.max))
        #expect(wrapped?.description.contains("beyond 2^64") == true)
    }

    @Test func fileSizeLargerThanMemorySize() {
        var elf = validELF()
        elf.segments[1].memorySize = 4
        let error = parseError(elf.bytes())
        #expect(error == .fileSizeExceedsMemorySize(index: 1, fileSize: 8, memorySize: 4))
        #expect(error?.description.contains("p_filesz 0x8 larger than p_memsz 0x4") == true)
    }

    @Test func overlappingSegments() {
        var elf = validELF()
        elf.segments[1].physicalAddress = ramBase + 0x10  // code covers [0, 0x14)
        let error = parseError(elf.bytes())
        #expect(error == .overlappingSegments(first: 0, firstStart: ramBase, firstSize: 20,
                                              second: 1, secondStart: ramBase + 0x10, secondSize: 0x20))
        #expect(error?.description.contains("segments 0 at [0x80000000, 0x80000014) and 1") == true)
        // Touching is not overlapping.
        elf.segments[1].physicalAddress = ramBase + 20
        #expect(throws: Never.self) { try ELFImage.parse(elf.bytes(), ramBase: ramBase, ramSize: ramSize) }
    }

    @Test func noLoadableSegment() {
        var elf = validELF()
        elf.segments = [TestSegment(at: ramBase, data: [1, 2, 3, 4], flags: 4, type: 4)]  // PT_NOTE only
        let error = parseError(elf.bytes())
        #expect(error == .noLoadableSegment)
        #expect(error?.description.contains("no PT_LOAD") == true)
        elf.segments = []
        #expect(parseError(elf.bytes()) == .noLoadableSegment)
    }

    @Test func entryMustBeInExecutableBytes() {
        var elf = validELF()
        elf.entry = ramBase + 0x1000  // the data segment: not PF_X
        var error = parseError(elf.bytes())
        #expect(error == .entryNotExecutable(entry: ramBase + 0x1000))
        #expect(error?.description.contains("0x80001000") == true)
        elf.entry = ramBase + 0x5000  // nowhere
        #expect(parseError(elf.bytes()) == .entryNotExecutable(entry: ramBase + 0x5000))
        elf = validELF()
        elf.segments[0].memorySize = 0x100
        elf.entry = ramBase + 0x80  // executable segment's zero-filled tail: nothing to run
        error = parseError(elf.bytes())
        #expect(error == .entryNotExecutable(entry: ramBase + 0x80))
    }

    @Test func badSymbolTableIsReported() {
        var bytes = validELF().bytes()
        // Point the .symtab's sh_link at itself (section 1), which is not a string table.
        let shoff = Int(bytes[40]) | Int(bytes[41]) << 8
        bytes[shoff + 64 + 40] = 1
        #expect(parseError(bytes)?.description.contains("sh_link") == true)
    }

    @Test func everyStrictPrefixIsRejected() {
        // The section header table is the last thing in the file, so no prefix is complete.
        let bytes = validELF().bytes()
        for length in 0 ..< bytes.count {
            #expect(throws: ELFError.self, "prefix of \(length) bytes") {
                try ELFImage.parse(Array(bytes[0 ..< length]), ramBase: ramBase, ramSize: ramSize)
            }
        }
    }

    @Test func randomCorruptionNeverTraps() {
        // Seeded (SplitMix64) so the run is reproducible; the property is "returns or throws".
        var state: UInt64 = 0x7b5_1a0d
        func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        let original = validELF().bytes()
        var outcomes = (parsed: 0, rejected: 0)
        for _ in 0 ..< 3000 {
            var bytes = original
            for _ in 0 ..< 1 + Int(next() % 4) {
                let at = Int(next() % UInt64(min(bytes.count, 200)))  // mostly header fields
                bytes[at] = UInt8(truncatingIfNeeded: next())
            }
            if (try? ELFImage.parse(bytes, ramBase: ramBase, ramSize: ramSize)) != nil {
                outcomes.parsed += 1
            } else {
                outcomes.rejected += 1
            }
        }
        #expect(outcomes.rejected > 0)
        #expect(outcomes.parsed > 0)  // some mutations only hit code bytes or unused fields
    }

    // MARK: Real files, checked against binutils' readelf as an independent reader

    @Test(.enabled(if: FileManager.default.fileExists(atPath: openSBIPath) && toolExists("readelf"),
                   "needs QEMU's bundled OpenSBI ELF and binutils' readelf"))
    func qemuBundledOpenSBIParses() throws {
        try checkAgainstReadelf(openSBIPath)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: helloPath) && toolExists("readelf"),
                   "needs build/guests/hello.elf (make guests) and binutils' readelf"))
    func guestHelloParses() throws {
        try checkAgainstReadelf(helloPath, symbol: "_start")
    }
}

private let openSBIPath = "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.elf"
private let helloPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("build/guests/hello.elf").path

/// Parse `path` (if it exists) and compare entry and PT_LOAD segments with `readelf -lhW`.
private func checkAgainstReadelf(_ path: String, symbol: String? = nil,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    let data = try #require(FileManager.default.contents(atPath: path))
    let image = try ELFImage.parse([UInt8](data), ramBase: 0x8000_0000, ramSize: 0x4000_0000)
    #expect(image.segments.allSatisfy { $0.physicalAddress >= 0x8000_0000 }, sourceLocation: sourceLocation)
    let listing = try #require(runTool("readelf", ["-lhW", path]).output)
    var entry: UInt64?
    var loads: [(paddr: UInt64, filesz: UInt64, memsz: UInt64)] = []
    for line in listing.split(separator: "\n") {
        let fields = line.split(separator: " ")
        if line.contains("Entry point address:"), let last = fields.last {
            entry = UInt64(last.dropFirst(2), radix: 16)
        }
        if fields.first == "LOAD", fields.count >= 6,
           let paddr = UInt64(fields[3].dropFirst(2), radix: 16),
           let filesz = UInt64(fields[4].dropFirst(2), radix: 16),
           let memsz = UInt64(fields[5].dropFirst(2), radix: 16), memsz > 0 {
            loads.append((paddr, filesz, memsz))
        }
    }
    loads.sort { $0.paddr < $1.paddr }
    #expect(entry == image.entry, sourceLocation: sourceLocation)
    #expect(loads.map(\.paddr) == image.segments.map(\.physicalAddress), sourceLocation: sourceLocation)
    #expect(loads.map(\.filesz) == image.segments.map { UInt64($0.bytes.count) }, sourceLocation: sourceLocation)
    #expect(loads.map(\.memsz) == image.segments.map(\.memorySize), sourceLocation: sourceLocation)

    if let symbol, let table = runTool("readelf", ["-sW", path]).output {
        let row = table.split(separator: "\n").map { $0.split(separator: " ") }.first { $0.last.map(String.init) == symbol }
        let expected = row.flatMap { UInt64($0[1], radix: 16) }
        #expect(expected != nil, "readelf lists no \(symbol)", sourceLocation: sourceLocation)
        #expect(image.symbol(named: symbol) == expected, sourceLocation: sourceLocation)
    }
}

/// Whether `tool` is on PATH (used to enable tests that compare with an external reader).
func toolExists(_ tool: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
    }
}

/// Run `tool` from PATH; `output` is its stdout when it exits 0 (nil otherwise), `errors` its stderr.
func runTool(_ tool: String, _ arguments: [String]) -> (output: String?, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return (nil, "\(error)") }
    // Drain stderr concurrently so neither pipe can fill up and stall the tool.
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorData = stderr.fileHandleForReading.readDataToEndOfFile() }
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let errors = String(decoding: errorData, as: UTF8.self)
    return (process.terminationStatus == 0 ? String(decoding: output, as: UTF8.self) : nil, errors)
}
