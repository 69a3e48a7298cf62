/// A 32-byte hash (keccak256 output): state roots, output hashes, tree nodes.
/// Stored as four big-endian 64-bit lanes so comparisons and hashing are cheap.
public struct Digest: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bytes 0–7, 8–15, 16–23, 24–31, each read big-endian.
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    public static let zero = Digest(w0: 0, w1: 0, w2: 0, w3: 0)

    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Builds a digest from exactly 32 bytes.
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 32, "a digest is 32 bytes")
        var lanes = [UInt64](repeating: 0, count: 4)
        for (i, b) in bytes.enumerated() { lanes[i / 8] = lanes[i / 8] << 8 | UInt64(b) }
        self.init(w0: lanes[0], w1: lanes[1], w2: lanes[2], w3: lanes[3])
    }

    /// Parses `0x` + 64 hex digits (the prefix is optional); nil for anything else.
    public init?(hex: String) {
        var s = Substring(hex)
        if s.hasPrefix("0x") || s.hasPrefix("0X") { s = s.dropFirst(2) }
        guard s.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var it = s.makeIterator()
        while let hi = it.next(), let lo = it.next() {
            guard let h = hi.hexDigitValue, let l = lo.hexDigitValue else { return nil }
            bytes.append(UInt8(h << 4 | l))
        }
        self.init(bytes: bytes)
    }

    /// The 32 bytes in order.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for lane in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: lane >> UInt64(shift))) }
        }
        return out
    }

    /// `0x` + 64 lowercase hex digits, the form every CLI command prints.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var s = [UInt8]("0x".utf8)
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (a: Digest, b: Digest) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }
}
