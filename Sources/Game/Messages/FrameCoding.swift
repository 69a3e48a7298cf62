import Commitment

/// Writes the big-endian fields of frames (game messages, resolutions, and the role
/// processes' control messages): one encoding for everything that crosses the wire.
public struct FrameWriter {
    /// The bytes written so far.
    public private(set) var out: [UInt8] = []
    /// An empty writer.
    public init() {}
    /// Appends one byte.
    public mutating func u8(_ v: UInt8) { out.append(v) }
    /// Appends two bytes, big-endian.
    public mutating func u16(_ v: UInt16) { out.append(UInt8(v >> 8)); out.append(UInt8(v & 0xff)) }
    /// Appends four bytes, big-endian.
    public mutating func u32(_ v: UInt32) {
        out.append(UInt8(truncatingIfNeeded: v >> 24)); out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 8)); out.append(UInt8(truncatingIfNeeded: v))
    }
    /// Appends eight bytes, big-endian.
    public mutating func u64(_ v: UInt64) { u32(UInt32(truncatingIfNeeded: v >> 32)); u32(UInt32(truncatingIfNeeded: v)) }
    /// A digest is its four lanes, big-endian: the same 32 bytes as `Digest.bytes`.
    public mutating func digest(_ d: Digest) { u64(d.w0); u64(d.w1); u64(d.w2); u64(d.w3) }
    /// Appends a u32 length, then the bytes.
    public mutating func bytes(_ b: [UInt8]) { u32(UInt32(b.count)); out.append(contentsOf: b) }
    /// Appends a u32 count, then each value.
    public mutating func u64s(_ v: [UInt64]) { u32(UInt32(v.count)); for x in v { u64(x) } }
    /// Appends a dispute kind: 0 trace, 1 output.
    public mutating func kind(_ k: DisputeKind) { u8(k == .trace ? 0 : 1) }
    /// Appends a boolean as one byte, 0 or 1.
    public mutating func bool(_ b: Bool) { u8(b ? 1 : 0) }
    /// Appends root, steps, output hash.
    public mutating func claim(_ c: Claim) { digest(c.root); u64(c.steps); digest(c.outputHash) }
    /// Appends a u16 length, then UTF-8 (cut at a character boundary past 65535 bytes).
    public mutating func string(_ s: String) {
        var utf8 = Array(s.utf8)
        if utf8.count > Int(UInt16.max) {
            // Cut at a character boundary so the result stays valid UTF-8.
            var cut = Int(UInt16.max)
            while cut > 0 && utf8[cut] & 0xC0 == 0x80 { cut -= 1 }
            utf8 = Array(utf8.prefix(cut))
        }
        u16(UInt16(utf8.count)); out.append(contentsOf: utf8)
    }
}

/// Reads what `FrameWriter` wrote; every failure is a `GameMessageError` naming the field
/// and byte offset, and no count read from the bytes can allocate more than the frame holds.
public struct FrameReader {
    /// The bytes being read.
    public let frame: [UInt8]
    /// Where the next field starts.
    public private(set) var offset = 0
    /// Reads `frame` from its start.
    public init(_ frame: [UInt8]) { self.frame = frame }
    /// Bytes not read yet.
    public var remaining: Int { frame.count - offset }

    mutating func take(_ n: Int, _ field: String) throws -> ArraySlice<UInt8> {
        guard n <= remaining else {
            throw GameMessageError(.truncated(field: field, needed: n, available: remaining), at: offset)
        }
        defer { offset += n }
        return frame[offset..<offset + n]
    }
    /// Checks that `n` bytes remain for `field`, then returns the offset they start at.
    mutating func reserve(_ n: Int, _ field: String) throws -> Int {
        guard n <= remaining else {
            throw GameMessageError(.truncated(field: field, needed: n, available: remaining), at: offset)
        }
        defer { offset += n }
        return offset
    }
    /// Big-endian value of `n` ≤ 8 bytes, read by index (no slices: this is the hot path).
    mutating func uint(_ n: Int, _ f: String) throws -> UInt64 {
        let at = try reserve(n, f)
        var v: UInt64 = 0
        var i = at
        while i < at + n { v = v << 8 | UInt64(frame[i]); i += 1 }
        return v
    }
    /// Reads one byte of field `f`.
    public mutating func u8(_ f: String) throws -> UInt8 { UInt8(try uint(1, f)) }
    /// Reads a big-endian u16 of field `f`.
    public mutating func u16(_ f: String) throws -> UInt16 { UInt16(try uint(2, f)) }
    /// Reads a big-endian u32 of field `f`.
    public mutating func u32(_ f: String) throws -> UInt32 { UInt32(try uint(4, f)) }
    /// Reads a big-endian u64 of field `f`.
    public mutating func u64(_ f: String) throws -> UInt64 { try uint(8, f) }
    /// Reads 32 bytes as a digest.
    public mutating func digest(_ f: String) throws -> Digest {
        guard remaining >= 32 else {
            throw GameMessageError(.truncated(field: f, needed: 32, available: remaining), at: offset)
        }
        return Digest(w0: try u64(f), w1: try u64(f), w2: try u64(f), w3: try u64(f))
    }
    /// Reads a byte that must be 0 or 1.
    public mutating func bool(_ f: String) throws -> Bool {
        let at = offset
        switch try u8(f) {
        case 0: return false
        case 1: return true
        case let v: throw GameMessageError(.invalidValue(field: f, detail: "expected 0 or 1, got \(v)"), at: at)
        }
    }
    /// Reads a dispute kind.
    public mutating func kind() throws -> DisputeKind {
        let at = offset
        switch try u8("kind") {
        case 0: return .trace
        case 1: return .output
        case let v: throw GameMessageError(.invalidValue(field: "kind", detail: "expected 0 (trace) or 1 (output), got \(v)"), at: at)
        }
    }
    /// A u32 element count, checked against the bytes left so a bogus count cannot allocate.
    public mutating func count(_ f: String, elementSize: Int) throws -> Int {
        let at = offset
        let n = Int(try u32(f + ".count"))
        guard n <= remaining / elementSize else {
            throw GameMessageError(.truncated(field: f, needed: n * elementSize, available: remaining), at: at)
        }
        return n
    }
    /// Reads a u32 length, then that many bytes.
    public mutating func bytes(_ f: String) throws -> [UInt8] { Array(try take(try count(f, elementSize: 1), f)) }
    /// Reads a u32 count, then that many digests.
    public mutating func digests(_ f: String) throws -> [Digest] {
        let n = try count(f, elementSize: 32)
        var out: [Digest] = []; out.reserveCapacity(n)
        for _ in 0..<n { out.append(try digest(f)) }
        return out
    }
    /// Reads a u32 count, then that many u64s.
    public mutating func u64s(_ f: String) throws -> [UInt64] {
        let n = try count(f, elementSize: 8)
        var out: [UInt64] = []; out.reserveCapacity(n)
        for _ in 0..<n { out.append(try u64(f)) }
        return out
    }
    /// Reads a claim.
    public mutating func claim() throws -> Claim {
        Claim(root: try digest("claim.root"), steps: try u64("claim.steps"), outputHash: try digest("claim.output_hash"))
    }
    /// Reads a u16 length, then that many bytes of UTF-8.
    public mutating func string(_ f: String) throws -> String {
        let n = Int(try u16(f + ".length"))
        let at = offset
        let raw = try take(n, f)
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw GameMessageError(.invalidValue(field: f, detail: "not valid UTF-8"), at: at)
        }
        return s
    }
}
