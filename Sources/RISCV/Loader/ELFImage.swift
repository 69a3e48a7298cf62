/// One loadable (PT_LOAD) segment placed at its physical address.
///
/// The address is `p_paddr`, as QEMU's `-kernel`/`-bios` ELF loader uses, because tbsim boots
/// with paging off: physical is what the first instruction sees. `bytes` are the `p_filesz`
/// bytes from the file; the remaining `memorySize - bytes.count` bytes are zero (`.bss`).
public struct ELFSegment: Equatable, Sendable {
    /// Physical load address of the first byte (`p_paddr`).
    public let physicalAddress: UInt64
    /// The file-backed contents (`p_filesz` bytes).
    public let bytes: [UInt8]
    /// Size in memory (`p_memsz`, ≥ `bytes.count`); the tail past `bytes` is zero-filled.
    public let memorySize: UInt64

    /// A segment from its parts; `memorySize` must be at least `bytes.count`.
    public init(physicalAddress: UInt64, bytes: [UInt8], memorySize: UInt64) {
        precondition(UInt64(bytes.count) <= memorySize, "ELFSegment: bytes.count exceeds memorySize")
        self.physicalAddress = physicalAddress
        self.bytes = bytes
        self.memorySize = memorySize
    }
}

/// A validated RISC-V ELF64 little-endian executable, reduced to what booting needs: the
/// entry point and the bytes to place in RAM.
///
/// Accepted file types: ET_EXEC and ET_DYN. An ET_DYN image is placed at its own `p_paddr`
/// with no load bias and no relocation processing — correct for static position-independent
/// firmware that relocates itself (OpenSBI's `fw_*.elf` are built that way), which is the only
/// kind of ET_DYN a bare machine can boot.
///
/// `parse` never traps on hostile input: every offset, size and address sum is checked for
/// 64-bit overflow and reported as an `ELFError` naming the cause.
public struct ELFImage: Equatable, Sendable {
    /// Physical address of the first instruction. `e_entry` is a virtual address; when it falls
    /// in an executable segment whose `p_vaddr` differs from its `p_paddr` it is translated by
    /// that segment's offset (as QEMU does), otherwise it is used as is.
    public let entry: UInt64
    /// The PT_LOAD segments with a non-zero memory size, in ascending physical address order.
    /// They never overlap and all lie inside the RAM range given to `parse`.
    public let segments: [ELFSegment]
    /// Defined symbols from `.symtab` (empty for stripped files); see `symbol(named:)`.
    private let symbols: [String: UInt64]

    /// Value (address) of the defined symbol `name` from the static symbol table, or nil when the
    /// file has no such symbol or no symbol table. Global and weak symbols win over local ones of
    /// the same name; among equals the first in the table wins. For tests and debugging.
    public func symbol(named name: String) -> UInt64? { symbols[name] }

    /// Validate `bytes` as a RISC-V ELF64 executable whose loadable segments fit inside RAM
    /// `[ramBase, ramBase + ramSize)` and return its entry point and segments.
    ///
    /// Throws `ELFError` for: bad magic, ELF32, big-endian, a version other than 1, a machine
    /// other than EM_RISCV, a type other than ET_EXEC/ET_DYN, truncation of the header, program
    /// header table, segment data, section header table or symbol table, `p_filesz > p_memsz`,
    /// a segment outside RAM, overlapping segments, no PT_LOAD, or an entry point outside every
    /// executable segment's file-backed bytes.
    public static func parse(_ bytes: [UInt8], ramBase: UInt64, ramSize: UInt64) throws -> ELFImage {
        let file = ELFFileReader(bytes)
        let header = try ELFFileHeader(file)
        let loads = try readLoadSegments(file, header, ramBase: ramBase, ramSize: ramSize)
        let ordered = try sortedRejectingOverlap(loads)
        let entry = try physicalEntry(header.entry, segments: loads)
        let symbols = try readSymbols(file, header)
        return ELFImage(entry: entry,
                        segments: ordered.map { ELFSegment(physicalAddress: $0.physicalAddress, bytes: $0.bytes,
                                                           memorySize: $0.memorySize) },
                        symbols: symbols)
    }

    /// Copy every segment into `ram`, whose first byte is physical address `ramBase`, and zero
    /// the `memorySize - bytes.count` tail of each. Bytes of `ram` outside the segments are left
    /// untouched. The image must fit `ram` — guaranteed when it was parsed with the same
    /// `ramBase` and a `ramSize` no larger than `ram.count`; anything else is a programming error
    /// and traps.
    public func place(into ram: UnsafeMutableRawBufferPointer, ramBase: UInt64) {
        for segment in segments {
            precondition(segment.physicalAddress >= ramBase, "ELFImage.place: segment below ramBase")
            let offset = segment.physicalAddress - ramBase
            precondition(offset <= UInt64(ram.count) && segment.memorySize <= UInt64(ram.count) - offset,
                         "ELFImage.place: segment at 0x\(String(segment.physicalAddress, radix: 16)) does not fit RAM")
            let start = Int(offset)
            let fileCount = segment.bytes.count
            if fileCount > 0 {
                segment.bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: ram[start ..< start + fileCount]).copyMemory(from: source)
                }
            }
            let zeroStart = start + fileCount
            let zeroEnd = start + Int(segment.memorySize)
            if zeroEnd > zeroStart {
                UnsafeMutableRawBufferPointer(rebasing: ram[zeroStart ..< zeroEnd]).initializeMemory(as: UInt8.self,
                                                                                                      repeating: 0)
            }
        }
    }
}

// MARK: - Parsing

/// ELF constants used here (values from the System V ABI and the RISC-V ELF psABI).
private enum ELFConstant {
    static let magic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
    static let class64: UInt8 = 2
    static let dataLittleEndian: UInt8 = 1
    static let versionCurrent: UInt32 = 1
    static let typeExec: UInt16 = 2
    static let typeDyn: UInt16 = 3
    static let machineRISCV: UInt16 = 243
    static let fileHeaderSize: UInt64 = 64
    static let programHeaderSize: UInt64 = 56
    static let sectionHeaderSize: UInt64 = 64
    static let symbolSize: UInt64 = 24
    static let extendedNumbering: UInt16 = 0xffff  // PN_XNUM
    static let ptLoad: UInt32 = 1
    static let pfExecute: UInt32 = 1
    static let shtSymtab: UInt32 = 2
    static let shtStrtab: UInt32 = 3
    static let shnUndef: UInt16 = 0
    static let shnLoReserve: UInt16 = 0xff00
    static let shnAbs: UInt16 = 0xfff1
    static let sttSection: UInt8 = 3
    static let sttFile: UInt8 = 4
    static let stbLocal: UInt8 = 0
}

/// Bounds-checked little-endian reads from the file; every failure names what was being read.
private struct ELFFileReader {
    let bytes: [UInt8]
    var size: UInt64 { UInt64(bytes.count) }
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Throw `truncated` unless `[offset, offset+length)` lies inside the file.
    func require(_ what: @autoclosure () -> String, offset: UInt64, length: UInt64) throws {
        let (end, overflow) = offset.addingReportingOverflow(length)
        if overflow || end > size {
            throw ELFError.truncated(what(), offset: offset, length: length, fileSize: size)
        }
    }

    /// Little-endian unsigned integer of `width` bytes at `offset` (already range-checked).
    func uint(_ offset: UInt64, _ width: Int) -> UInt64 {
        let start = Int(offset)
        var value: UInt64 = 0
        for i in stride(from: width - 1, through: 0, by: -1) { value = value << 8 | UInt64(bytes[start + i]) }
        return value
    }
    func u8(_ offset: UInt64) -> UInt8 { bytes[Int(offset)] }
    func u16(_ offset: UInt64) -> UInt16 { UInt16(uint(offset, 2)) }
    func u32(_ offset: UInt64) -> UInt32 { UInt32(uint(offset, 4)) }
    func u64(_ offset: UInt64) -> UInt64 { uint(offset, 8) }

    func slice(_ offset: UInt64, _ length: UInt64) -> [UInt8] {
        Array(bytes[Int(offset) ..< Int(offset + length)])
    }
}

/// The fields of the 64-byte ELF64 file header this loader uses, validated.
private struct ELFFileHeader {
    let entry: UInt64
    let programHeaderOffset: UInt64
    let programHeaderEntrySize: UInt64
    let programHeaderCount: UInt64
    let sectionHeaderOffset: UInt64
    let sectionHeaderEntrySize: UInt64
    let sectionHeaderCount: UInt64

    init(_ file: ELFFileReader) throws {
        let magicCount = min(file.bytes.count, 4)
        if Array(file.bytes[0 ..< magicCount]) != Array(ELFConstant.magic[0 ..< magicCount]) || magicCount == 0 {
            throw ELFError.notELF(magic: Array(file.bytes[0 ..< magicCount]))
        }
        // Check the identification bytes that are present before demanding a full ELF64 header,
        // so a short ELF32 or big-endian file is reported as such rather than as truncated.
        if file.size > 4, file.u8(4) != ELFConstant.class64 { throw ELFError.wrongClass(file.u8(4)) }
        if file.size > 5, file.u8(5) != ELFConstant.dataLittleEndian { throw ELFError.wrongEndianness(file.u8(5)) }
        try file.require("the ELF64 file header", offset: 0, length: ELFConstant.fileHeaderSize)
        if UInt32(file.u8(6)) != ELFConstant.versionCurrent { throw ELFError.wrongVersion(UInt32(file.u8(6))) }

        let type = file.u16(16)
        let machine = file.u16(18)
        let version = file.u32(20)
        if machine != ELFConstant.machineRISCV { throw ELFError.wrongMachine(machine) }
        if type != ELFConstant.typeExec && type != ELFConstant.typeDyn { throw ELFError.wrongType(type) }
        if version != ELFConstant.versionCurrent { throw ELFError.wrongVersion(version) }

        entry = file.u64(24)
        programHeaderOffset = file.u64(32)
        sectionHeaderOffset = file.u64(40)
        programHeaderEntrySize = UInt64(file.u16(54))
        let phnum = file.u16(56)
        sectionHeaderEntrySize = UInt64(file.u16(58))
        let shnum = file.u16(60)

        // Extended numbering: with PN_XNUM / shnum 0, the real counts live in section header 0.
        var section0Size: UInt64 = 0
        var section0Info: UInt32 = 0
        if sectionHeaderOffset != 0 && (phnum == ELFConstant.extendedNumbering || shnum == 0) {
            if sectionHeaderEntrySize < ELFConstant.sectionHeaderSize {
                throw ELFError.badHeaderField("e_shentsize", value: sectionHeaderEntrySize)
            }
            try file.require("section header 0 (extended header counts)", offset: sectionHeaderOffset,
                             length: ELFConstant.sectionHeaderSize)
            section0Size = file.u64(sectionHeaderOffset + 32)
            section0Info = file.u32(sectionHeaderOffset + 44)
        }
        if phnum == ELFConstant.extendedNumbering {
            if sectionHeaderOffset == 0 { throw ELFError.badHeaderField("e_phnum (PN_XNUM without section headers)",
                                                                        value: UInt64(phnum)) }
            programHeaderCount = UInt64(section0Info)
        } else {
            programHeaderCount = UInt64(phnum)
        }
        if sectionHeaderOffset == 0 {
            sectionHeaderCount = 0
        } else {
            sectionHeaderCount = shnum == 0 ? section0Size : UInt64(shnum)
        }
    }
}

/// A PT_LOAD segment as read from its program header, before ordering.
private struct LoadSegment {
    let index: Int
    let physicalAddress: UInt64
    let virtualAddress: UInt64
    let memorySize: UInt64
    let executable: Bool
    let bytes: [UInt8]
}

private func readLoadSegments(_ file: ELFFileReader, _ header: ELFFileHeader,
                              ramBase: UInt64, ramSize: UInt64) throws -> [LoadSegment] {
    let count = header.programHeaderCount
    if count == 0 { throw ELFError.noLoadableSegment }
    let entrySize = header.programHeaderEntrySize
    if entrySize < ELFConstant.programHeaderSize { throw ELFError.badHeaderField("e_phentsize", value: entrySize) }
    // count < 2^32 and entrySize < 2^16, so the product cannot overflow.
    try file.require("the program header table (\(count) entries of \(entrySize) bytes)",
                     offset: header.programHeaderOffset, length: count * entrySize)

    var loads: [LoadSegment] = []
    for i in 0 ..< count {
        let base = header.programHeaderOffset + i * entrySize
        guard file.u32(base) == ELFConstant.ptLoad else { continue }
        let index = Int(i)
        let flags = file.u32(base + 4)
        let offset = file.u64(base + 8)
        let vaddr = file.u64(base + 16)
        let paddr = file.u64(base + 24)
        let fileSize = file.u64(base + 32)
        let memorySize = file.u64(base + 40)
        if fileSize > memorySize {
            throw ELFError.fileSizeExceedsMemorySize(index: index, fileSize: fileSize, memorySize: memorySize)
        }
        if memorySize == 0 { continue }  // occupies nothing; linkers emit these harmlessly
        try file.require("the data of PT_LOAD segment \(index) (p_offset \(offset), p_filesz \(fileSize))",
                         offset: offset, length: fileSize)
        let inside = paddr >= ramBase && paddr - ramBase <= ramSize && memorySize <= ramSize - (paddr - ramBase)
        if !inside {
            throw ELFError.segmentOutsideRAM(index: index, start: paddr, size: memorySize,
                                             ramBase: ramBase, ramSize: ramSize)
        }
        loads.append(LoadSegment(index: index, physicalAddress: paddr, virtualAddress: vaddr,
                                 memorySize: memorySize, executable: flags & ELFConstant.pfExecute != 0,
                                 bytes: file.slice(offset, fileSize)))
    }
    if loads.isEmpty { throw ELFError.noLoadableSegment }
    return loads
}

/// Segments in ascending physical address (ties by program header index, so the order is
/// deterministic), after checking no two share a byte.
private func sortedRejectingOverlap(_ loads: [LoadSegment]) throws -> [LoadSegment] {
    let ordered = loads.sorted { ($0.physicalAddress, $0.index) < ($1.physicalAddress, $1.index) }
    for (a, b) in zip(ordered, ordered.dropFirst()) where b.physicalAddress - a.physicalAddress < a.memorySize {
        let (first, second) = a.index < b.index ? (a, b) : (b, a)
        throw ELFError.overlappingSegments(first: first.index, firstStart: first.physicalAddress,
                                           firstSize: first.memorySize, second: second.index,
                                           secondStart: second.physicalAddress, secondSize: second.memorySize)
    }
    return ordered
}

private func physicalEntry(_ virtualEntry: UInt64, segments: [LoadSegment]) throws -> UInt64 {
    var entry = virtualEntry
    if let text = segments.first(where: {
        $0.executable && $0.virtualAddress != $0.physicalAddress
            && virtualEntry >= $0.virtualAddress && virtualEntry - $0.virtualAddress < $0.memorySize
    }) {
        entry = text.physicalAddress + (virtualEntry - text.virtualAddress)
    }
    let runnable = segments.contains {
        $0.executable && entry >= $0.physicalAddress && entry - $0.physicalAddress < UInt64($0.bytes.count)
    }
    if !runnable { throw ELFError.entryNotExecutable(entry: entry) }
    return entry
}

// MARK: - Symbols

private func readSymbols(_ file: ELFFileReader, _ header: ELFFileHeader) throws -> [String: UInt64] {
    let count = header.sectionHeaderCount
    if count == 0 { return [:] }
    let entrySize = header.sectionHeaderEntrySize
    if entrySize < ELFConstant.sectionHeaderSize { throw ELFError.badHeaderField("e_shentsize", value: entrySize) }
    let (tableSize, overflow) = count.multipliedReportingOverflow(by: entrySize)
    if overflow {
        throw ELFError.badHeaderField("section header count (\(count) entries of \(entrySize) bytes)", value: count)
    }
    try file.require("the section header table (\(count) entries of \(entrySize) bytes)",
                     offset: header.sectionHeaderOffset, length: tableSize)
    func sectionBase(_ i: UInt64) -> UInt64 { header.sectionHeaderOffset + i * entrySize }

    guard let symtab = (0 ..< count).first(where: { file.u32(sectionBase($0) + 4) == ELFConstant.shtSymtab }) else {
        return [:]
    }
    let symBase = sectionBase(symtab)
    let symOffset = file.u64(symBase + 24)
    let symSize = file.u64(symBase + 32)
    let link = UInt64(file.u32(symBase + 40))
    var symEntrySize = file.u64(symBase + 56)
    if symEntrySize == 0 { symEntrySize = ELFConstant.symbolSize }
    if symEntrySize < ELFConstant.symbolSize {
        throw ELFError.badHeaderField("sh_entsize of symbol table section \(symtab)", value: symEntrySize)
    }
    try file.require("the symbol table (section \(symtab))", offset: symOffset, length: symSize)
    if link >= count || file.u32(sectionBase(link) + 4) != ELFConstant.shtStrtab {
        throw ELFError.badHeaderField("sh_link of symbol table section \(symtab) (not a string table)", value: link)
    }
    let strOffset = file.u64(sectionBase(link) + 24)
    let strSize = file.u64(sectionBase(link) + 32)
    try file.require("the symbol string table (section \(link))", offset: strOffset, length: strSize)

    var symbols: [String: UInt64] = [:]
    var isGlobal: [String: Bool] = [:]
    for i in 0 ..< symSize / symEntrySize {
        let s = symOffset + i * symEntrySize
        let nameOffset = UInt64(file.u32(s))
        let info = file.u8(s + 4)
        let sectionIndex = file.u16(s + 6)
        let value = file.u64(s + 8)
        let type = info & 0xf
        let global = info >> 4 != ELFConstant.stbLocal
        if nameOffset == 0 || sectionIndex == ELFConstant.shnUndef || type == ELFConstant.sttSection
            || type == ELFConstant.sttFile
            || (sectionIndex >= ELFConstant.shnLoReserve && sectionIndex != ELFConstant.shnAbs) {
            continue
        }
        if nameOffset >= strSize {
            throw ELFError.badHeaderField("st_name of symbol \(i) (beyond the \(strSize)-byte string table)",
                                          value: nameOffset)
        }
        let start = Int(strOffset + nameOffset)
        let limit = Int(strOffset + strSize)
        guard let end = file.bytes[start ..< limit].firstIndex(of: 0) else {
            throw ELFError.badHeaderField("st_name of symbol \(i) (string runs off its string table unterminated)",
                                          value: nameOffset)
        }
        let name = String(decoding: file.bytes[start ..< end], as: UTF8.self)
        if let seenGlobal = isGlobal[name], seenGlobal || !global { continue }
        symbols[name] = value
        isGlobal[name] = global
    }
    return symbols
}
