/// keccak256 exactly as Ethereum uses it: Keccak[c = 512] with the original Keccak padding
/// (domain byte 0x01, not SHA-3's 0x06), 136-byte rate, 32-byte output.
///
/// The permutation is keccak-f[1600] from FIPS 202 with the 25 lanes held in local
/// variables and each round's θ, ρ, π, χ, ι steps written out lane by lane (the ρ offsets
/// and π positions come straight from the standard's tables), so the hot path touches no
/// array except the round-constant table.
public enum Keccak {
    /// Hashes `bytes` (any length) with keccak256.
    public static func hash<C: Collection>(_ bytes: C) -> Digest where C.Element == UInt8 {
        let array = Array(bytes)
        return array.withUnsafeBytes { hash(UnsafeRawBufferPointer($0)) }
    }

    /// Hashes the bytes of a raw buffer with keccak256.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> Digest {
        var s = KeccakState()
        let rate = 136
        var offset = 0
        let count = buffer.count
        while count - offset >= rate {
            s.absorbBlock(buffer.baseAddress! + offset)
            s.permute()
            offset += rate
        }
        // Last (partial) block with the multi-rate padding 0x01 … 0x80.
        var block = [UInt8](repeating: 0, count: rate)
        let tail = count - offset
        if tail > 0 { block.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: buffer.baseAddress! + offset, byteCount: tail) } }
        block[tail] ^= 0x01
        block[rate - 1] ^= 0x80
        block.withUnsafeBytes { s.absorbBlock($0.baseAddress!) }
        s.permute()
        return Node(s.a0, s.a1, s.a2, s.a3).digest
    }

    /// keccak256(left ‖ right) for two 32-byte nodes: one block, one permutation. This is
    /// the only hash the state tree uses.
    @inline(__always)
    public static func hash(_ left: Node, _ right: Node) -> Node {
        var s = KeccakState()
        s.a0 = left.l0; s.a1 = left.l1; s.a2 = left.l2; s.a3 = left.l3
        s.a4 = right.l0; s.a5 = right.l1; s.a6 = right.l2; s.a7 = right.l3
        s.a8 = 0x01
        s.a16 = 0x8000_0000_0000_0000
        s.permute()
        return Node(s.a0, s.a1, s.a2, s.a3)
    }
}

/// A 32-byte tree node (leaf contents or a hash) as four little-endian 64-bit lanes, i.e.
/// exactly the lanes keccak absorbs; `digest` turns it into the byte-ordered `Digest`.
public struct Node: Equatable, Sendable {
    /// Bytes 0–7, 8–15, 16–23, 24–31, each read little-endian.
    public var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    /// The all-zero 32 bytes.
    public static let zero = Node(0, 0, 0, 0)

    /// A node from its four little-endian lanes.
    @inline(__always) public init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    /// The node holding the same 32 bytes as `digest`.
    @inline(__always) public init(_ digest: Digest) {
        self.init(digest.w0.byteSwapped, digest.w1.byteSwapped, digest.w2.byteSwapped, digest.w3.byteSwapped)
    }

    /// Loads 32 bytes from `p` (any alignment).
    @inline(__always) public init(loading p: UnsafeRawPointer) {
        self.init(UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)),
                  UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                  UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                  UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// The same 32 bytes as a `Digest`.
    @inline(__always) public var digest: Digest {
        Digest(w0: l0.byteSwapped, w1: l1.byteSwapped, w2: l2.byteSwapped, w3: l3.byteSwapped)
    }

    /// Lane `i` (0…3).
    @inline(__always) public subscript(_ i: Int) -> UInt64 {
        get {
            switch i & 3 {
            case 0: return l0
            case 1: return l1
            case 2: return l2
            default: return l3
            }
        }
        set {
            switch i & 3 {
            case 0: l0 = newValue
            case 1: l1 = newValue
            case 2: l2 = newValue
            default: l3 = newValue
            }
        }
    }

    /// Whether all 32 bytes are zero.
    @inline(__always) public var isZero: Bool { l0 | l1 | l2 | l3 == 0 }

    /// Appends the 32 bytes in order.
    public func append(to out: inout [UInt8]) {
        for lane in [l0, l1, l2, l3] {
            for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: lane >> UInt64(8 * i))) }
        }
    }
}

/// The keccak-f[1600] state: lane (x, y) is `a(x + 5y)`.
struct KeccakState {
    var a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0, a4: UInt64 = 0
    var a5: UInt64 = 0, a6: UInt64 = 0, a7: UInt64 = 0, a8: UInt64 = 0, a9: UInt64 = 0
    var a10: UInt64 = 0, a11: UInt64 = 0, a12: UInt64 = 0, a13: UInt64 = 0, a14: UInt64 = 0
    var a15: UInt64 = 0, a16: UInt64 = 0, a17: UInt64 = 0, a18: UInt64 = 0, a19: UInt64 = 0
    var a20: UInt64 = 0, a21: UInt64 = 0, a22: UInt64 = 0, a23: UInt64 = 0, a24: UInt64 = 0

    /// XORs one 136-byte block (17 lanes) into the state.
    mutating func absorbBlock(_ p: UnsafeRawPointer) {
        @inline(__always) func lane(_ i: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) }
        a0 ^= lane(0); a1 ^= lane(1); a2 ^= lane(2); a3 ^= lane(3); a4 ^= lane(4)
        a5 ^= lane(5); a6 ^= lane(6); a7 ^= lane(7); a8 ^= lane(8); a9 ^= lane(9)
        a10 ^= lane(10); a11 ^= lane(11); a12 ^= lane(12); a13 ^= lane(13); a14 ^= lane(14)
        a15 ^= lane(15); a16 ^= lane(16)
    }

    /// keccak-f[1600]: 24 rounds.
    @inline(never)
    mutating func permute() {
        var a0 = self.a0, a1 = self.a1, a2 = self.a2, a3 = self.a3, a4 = self.a4
        var a5 = self.a5, a6 = self.a6, a7 = self.a7, a8 = self.a8, a9 = self.a9
        var a10 = self.a10, a11 = self.a11, a12 = self.a12, a13 = self.a13, a14 = self.a14
        var a15 = self.a15, a16 = self.a16, a17 = self.a17, a18 = self.a18, a19 = self.a19
        var a20 = self.a20, a21 = self.a21, a22 = self.a22, a23 = self.a23, a24 = self.a24
        var round = 0
        while round < 24 {
            let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
            let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
            let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
            let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
            let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
            let d0 = c4 ^ (c1 &<< 1 | c1 &>> 63)
            let d1 = c0 ^ (c2 &<< 1 | c2 &>> 63)
            let d2 = c1 ^ (c3 &<< 1 | c3 &>> 63)
            let d3 = c2 ^ (c4 &<< 1 | c4 &>> 63)
            let d4 = c3 ^ (c0 &<< 1 | c0 &>> 63)
            let b0 = a0 ^ d0
            let t1 = a6 ^ d1
            let b1 = t1 &<< 44 | t1 &>> 20
            let t2 = a12 ^ d2
            let b2 = t2 &<< 43 | t2 &>> 21
            let t3 = a18 ^ d3
            let b3 = t3 &<< 21 | t3 &>> 43
            let t4 = a24 ^ d4
            let b4 = t4 &<< 14 | t4 &>> 50
            let t5 = a3 ^ d3
            let b5 = t5 &<< 28 | t5 &>> 36
            let t6 = a9 ^ d4
            let b6 = t6 &<< 20 | t6 &>> 44
            let t7 = a10 ^ d0
            let b7 = t7 &<< 3 | t7 &>> 61
            let t8 = a16 ^ d1
            let b8 = t8 &<< 45 | t8 &>> 19
            let t9 = a22 ^ d2
            let b9 = t9 &<< 61 | t9 &>> 3
            let t10 = a1 ^ d1
            let b10 = t10 &<< 1 | t10 &>> 63
            let t11 = a7 ^ d2
            let b11 = t11 &<< 6 | t11 &>> 58
            let t12 = a13 ^ d3
            let b12 = t12 &<< 25 | t12 &>> 39
            let t13 = a19 ^ d4
            let b13 = t13 &<< 8 | t13 &>> 56
            let t14 = a20 ^ d0
            let b14 = t14 &<< 18 | t14 &>> 46
            let t15 = a4 ^ d4
            let b15 = t15 &<< 27 | t15 &>> 37
            let t16 = a5 ^ d0
            let b16 = t16 &<< 36 | t16 &>> 28
            let t17 = a11 ^ d1
            let b17 = t17 &<< 10 | t17 &>> 54
            let t18 = a17 ^ d2
            let b18 = t18 &<< 15 | t18 &>> 49
            let t19 = a23 ^ d3
            let b19 = t19 &<< 56 | t19 &>> 8
            let t20 = a2 ^ d2
            let b20 = t20 &<< 62 | t20 &>> 2
            let t21 = a8 ^ d3
            let b21 = t21 &<< 55 | t21 &>> 9
            let t22 = a14 ^ d4
            let b22 = t22 &<< 39 | t22 &>> 25
            let t23 = a15 ^ d0
            let b23 = t23 &<< 41 | t23 &>> 23
            let t24 = a21 ^ d1
            let b24 = t24 &<< 2 | t24 &>> 62
            a0 = b0 ^ (~b1 & b2)
            a1 = b1 ^ (~b2 & b3)
            a2 = b2 ^ (~b3 & b4)
            a3 = b3 ^ (~b4 & b0)
            a4 = b4 ^ (~b0 & b1)
            a5 = b5 ^ (~b6 & b7)
            a6 = b6 ^ (~b7 & b8)
            a7 = b7 ^ (~b8 & b9)
            a8 = b8 ^ (~b9 & b5)
            a9 = b9 ^ (~b5 & b6)
            a10 = b10 ^ (~b11 & b12)
            a11 = b11 ^ (~b12 & b13)
            a12 = b12 ^ (~b13 & b14)
            a13 = b13 ^ (~b14 & b10)
            a14 = b14 ^ (~b10 & b11)
            a15 = b15 ^ (~b16 & b17)
            a16 = b16 ^ (~b17 & b18)
            a17 = b17 ^ (~b18 & b19)
            a18 = b18 ^ (~b19 & b15)
            a19 = b19 ^ (~b15 & b16)
            a20 = b20 ^ (~b21 & b22)
            a21 = b21 ^ (~b22 & b23)
            a22 = b22 ^ (~b23 & b24)
            a23 = b23 ^ (~b24 & b20)
            a24 = b24 ^ (~b20 & b21)
            a0 ^= roundConstants[round]
            round += 1
        }
        self.a0 = a0; self.a1 = a1; self.a2 = a2; self.a3 = a3; self.a4 = a4
        self.a5 = a5; self.a6 = a6; self.a7 = a7; self.a8 = a8; self.a9 = a9
        self.a10 = a10; self.a11 = a11; self.a12 = a12; self.a13 = a13; self.a14 = a14
        self.a15 = a15; self.a16 = a16; self.a17 = a17; self.a18 = a18; self.a19 = a19
        self.a20 = a20; self.a21 = a21; self.a22 = a22; self.a23 = a23; self.a24 = a24
    }
}

/// ι-step round constants of keccak-f[1600] (FIPS 202 §3.2.5).
private let roundConstants: [UInt64] = [
    0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
    0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
    0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
    0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
    0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
    0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
]
