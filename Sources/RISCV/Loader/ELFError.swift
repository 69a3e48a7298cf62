/// Why a byte array is not a loadable RISC-V ELF64 image.
///
/// A struct wrapping a private enum (swift-nio style) so new causes can be added without
/// breaking callers that switch on nothing but compare with the static cases. Every case's
/// `description` names the cause: the offending number, segment index, byte offset or
/// address range, so a user can tell what is wrong with their file without a hex editor.
public struct ELFError: Error, CustomStringConvertible, Equatable, Sendable {
    private enum Kind: Equatable, Sendable {
        case notELF(magic: [UInt8])
        case wrongClass(UInt8)
        case wrongEndianness(UInt8)
        case wrongVersion(UInt32)
        case wrongMachine(UInt16)
        case wrongType(UInt16)
        case truncated(what: String, offset: UInt64, length: UInt64, fileSize: UInt64)
        case badHeaderField(what: String, value: UInt64)
        case segmentOutsideRAM(index: Int, start: UInt64, size: UInt64, ramBase: UInt64, ramSize: UInt64)
        case fileSizeExceedsMemorySize(index: Int, fileSize: UInt64, memorySize: UInt64)
        case overlappingSegments(first: Int, firstStart: UInt64, firstSize: UInt64,
                                 second: Int, secondStart: UInt64, secondSize: UInt64)
        case noLoadableSegment
        case entryNotExecutable(entry: UInt64)
    }

    private let kind: Kind
    private init(_ kind: Kind) { self.kind = kind }

    /// The first four bytes are not `7f 45 4c 46` ("\x7fELF").
    public static func notELF(magic: [UInt8]) -> ELFError { ELFError(.notELF(magic: magic)) }
    /// `EI_CLASS` is not ELFCLASS64 (2); ELF32 files are rejected because tbsim is RV64 only.
    public static func wrongClass(_ elfClass: UInt8) -> ELFError { ELFError(.wrongClass(elfClass)) }
    /// `EI_DATA` is not ELFDATA2LSB (1); RISC-V images are little-endian.
    public static func wrongEndianness(_ data: UInt8) -> ELFError { ELFError(.wrongEndianness(data)) }
    /// `EI_VERSION` or `e_version` is not EV_CURRENT (1).
    public static func wrongVersion(_ version: UInt32) -> ELFError { ELFError(.wrongVersion(version)) }
    /// `e_machine` is not EM_RISCV (243).
    public static func wrongMachine(_ machine: UInt16) -> ELFError { ELFError(.wrongMachine(machine)) }
    /// `e_type` is neither ET_EXEC (2) nor ET_DYN (3).
    public static func wrongType(_ type: UInt16) -> ELFError { ELFError(.wrongType(type)) }
    /// Reading `what` needs bytes `[offset, offset+length)` but the file has only `fileSize` bytes
    /// (or `offset+length` overflows 64 bits).
    public static func truncated(_ what: String, offset: UInt64, length: UInt64, fileSize: UInt64) -> ELFError {
        ELFError(.truncated(what: what, offset: offset, length: length, fileSize: fileSize))
    }
    /// A header field holds a value this loader cannot interpret (e.g. a program header entry
    /// size smaller than the 56 bytes ELF64 defines).
    public static func badHeaderField(_ what: String, value: UInt64) -> ELFError {
        ELFError(.badHeaderField(what: what, value: value))
    }
    /// PT_LOAD segment `index` occupies `[start, start+size)`, which is not inside
    /// `[ramBase, ramBase+ramSize)` (including the case where `start+size` overflows).
    public static func segmentOutsideRAM(index: Int, start: UInt64, size: UInt64,
                                         ramBase: UInt64, ramSize: UInt64) -> ELFError {
        ELFError(.segmentOutsideRAM(index: index, start: start, size: size, ramBase: ramBase, ramSize: ramSize))
    }
    /// PT_LOAD segment `index` has `p_filesz > p_memsz`.
    public static func fileSizeExceedsMemorySize(index: Int, fileSize: UInt64, memorySize: UInt64) -> ELFError {
        ELFError(.fileSizeExceedsMemorySize(index: index, fileSize: fileSize, memorySize: memorySize))
    }
    /// Two PT_LOAD segments (program header indices `first` < `second` in address order)
    /// cover at least one common physical byte.
    public static func overlappingSegments(first: Int, firstStart: UInt64, firstSize: UInt64,
                                           second: Int, secondStart: UInt64, secondSize: UInt64) -> ELFError {
        ELFError(.overlappingSegments(first: first, firstStart: firstStart, firstSize: firstSize,
                                      second: second, secondStart: secondStart, secondSize: secondSize))
    }
    /// The program header table has no PT_LOAD entry with a non-zero memory size.
    public static let noLoadableSegment = ELFError(.noLoadableSegment)
    /// The (physical) entry point is not inside any loaded segment marked executable (PF_X).
    public static func entryNotExecutable(entry: UInt64) -> ELFError { ELFError(.entryNotExecutable(entry: entry)) }

    /// A one-line human-readable explanation naming the cause.
    public var description: String {
        switch kind {
        case .notELF(let magic):
            return "not an ELF file: the first bytes are \(hexBytes(magic)), expected 7f 45 4c 46 (\"\\x7fELF\")"
        case .wrongClass(let c):
            let name = c == 1 ? " (ELF32)" : ""
            return "ELF class \(c)\(name) is not supported: tbsim loads only ELF64 (class 2) images"
        case .wrongEndianness(let d):
            let name = d == 2 ? " (big-endian)" : ""
            return "ELF data encoding \(d)\(name) is not supported: RISC-V images must be little-endian (1)"
        case .wrongVersion(let v):
            return "ELF version \(v) is not supported: expected 1 (EV_CURRENT)"
        case .wrongMachine(let m):
            let name = machineName(m).map { " (\($0))" } ?? ""
            return "ELF machine \(m)\(name) is not RISC-V: expected e_machine 243 (EM_RISCV)"
        case .wrongType(let t):
            let name = typeName(t).map { " (\($0))" } ?? ""
            return "ELF type \(t)\(name) is not loadable: expected an executable (ET_EXEC, 2) or position-independent executable (ET_DYN, 3)"
        case .truncated(let what, let offset, let length, let fileSize):
            let (end, overflow) = offset.addingReportingOverflow(length)
            let range = overflow ? "[\(hex(offset)), \(hex(offset)) + \(hex(length))) which overflows 64 bits"
                                 : "bytes [\(hex(offset)), \(hex(end)))"
            return "ELF file truncated: reading \(what) needs \(range), but the file is only \(fileSize) (\(hex(fileSize))) bytes"
        case .badHeaderField(let what, let value):
            return "ELF header field \(what) has unsupported value \(value) (\(hex(value)))"
        case .segmentOutsideRAM(let index, let start, let size, let ramBase, let ramSize):
            return "PT_LOAD segment \(index) at physical \(range(start, size)) is outside RAM \(range(ramBase, ramSize))"
        case .fileSizeExceedsMemorySize(let index, let fileSize, let memorySize):
            return "PT_LOAD segment \(index) has p_filesz \(hex(fileSize)) larger than p_memsz \(hex(memorySize))"
        case .overlappingSegments(let a, let aStart, let aSize, let b, let bStart, let bSize):
            return "PT_LOAD segments \(a) at \(range(aStart, aSize)) and \(b) at \(range(bStart, bSize)) overlap"
        case .noLoadableSegment:
            return "ELF file has no PT_LOAD segment with a non-zero size: nothing to load"
        case .entryNotExecutable(let entry):
            return "entry point \(hex(entry)) is not inside any loaded executable (PF_X) segment"
        }
    }
}

/// `0x…` lower-case hexadecimal, for messages.
private func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

/// `[start, end)` in hex; the end is written as `start + size` when it would not fit 64 bits.
private func range(_ start: UInt64, _ size: UInt64) -> String {
    let (end, overflow) = start.addingReportingOverflow(size)
    return overflow ? "[\(hex(start)), \(hex(start)) + \(hex(size)) (beyond 2^64))" : "[\(hex(start)), \(hex(end)))"
}

private func hexBytes(_ bytes: [UInt8]) -> String {
    if bytes.isEmpty { return "(none: the file is empty)" }
    return bytes.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: " ")
}

/// Names of a few machines people plausibly hand to the loader by mistake.
private func machineName(_ m: UInt16) -> String? {
    switch m {
    case 3: return "EM_386, x86"
    case 8: return "EM_MIPS"
    case 20: return "EM_PPC"
    case 21: return "EM_PPC64"
    case 40: return "EM_ARM"
    case 62: return "EM_X86_64"
    case 183: return "EM_AARCH64"
    case 243: return "EM_RISCV"
    case 258: return "EM_LOONGARCH"
    default: return nil
    }
}

private func typeName(_ t: UInt16) -> String? {
    switch t {
    case 0: return "ET_NONE"
    case 1: return "ET_REL, a relocatable object: link it first"
    case 2: return "ET_EXEC"
    case 3: return "ET_DYN"
    case 4: return "ET_CORE, a core dump"
    default: return nil
    }
}
