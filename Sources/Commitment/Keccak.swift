import CKeccak

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

extension Keccak {
    /// How many nodes the CPU's vector permutation hashes at once (8 with AVX-512, 4 with
    /// AVX2), or 0 when there is none and every node is hashed by `permute()` alone.
    static let batchWidth = Int(tbsim_keccak_batch_width())

    /// `out[i] = hash(pairs[2i], pairs[2i + 1])` for i in 0..<count: the same function as
    /// `hash(_:_:)`, computed several nodes at a time by the vector permutation of the
    /// `CKeccak` target when the CPU has one (the tree's levels are made of independent
    /// nodes). `pairs` and `out` must not overlap.
    @inline(__always)
    static func hashPairs(_ pairs: UnsafePointer<Node>, into out: UnsafeMutablePointer<Node>, count: Int) {
        if batchWidth > 0 {
            UnsafeRawPointer(pairs).withMemoryRebound(to: UInt64.self, capacity: 8 * count) { p in
                UnsafeMutableRawPointer(out).withMemoryRebound(to: UInt64.self, capacity: 4 * count) { o in
                    tbsim_keccak_node_pairs(p, o, count)
                }
            }
        } else {
            hashPairsOneByOne(pairs, into: out, count: count)
        }
    }

    /// `hashPairs` with the scalar permutation only (the fallback, and the reference the
    /// tests hold the vector path to).
    static func hashPairsOneByOne(_ pairs: UnsafePointer<Node>, into out: UnsafeMutablePointer<Node>, count: Int) {
        for i in 0..<count { out[i] = hash(pairs[2 * i], pairs[2 * i + 1]) }
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

    /// keccak-f[1600]: 24 rounds, two per loop iteration (state a → e → a), each round
    /// computed row by row (θ's column parities, then for each output row its five
    /// ρ-rotated, π-placed inputs and their χ) so few values are live at once.
    ///
    /// Lane complementing (the Keccak team's "Keccak implementation overview", §2.2):
    /// lanes 1, 2, 8, 12, 17 and 20 are held complemented during the rounds. θ, ρ, π and
    /// ι commute with that; χ's `b ^ (~b1 & b2)` then becomes, per lane, one of
    /// `b ^ (b1 | b2)`, `b ^ (b1 & b2)` or a form with one complemented input, so each row
    /// needs one NOT instead of five (x86-64 without BMI has no and-not).
    @inline(never)
    mutating func permute() {
        var a0 = self.a0, a1 = ~self.a1, a2 = ~self.a2, a3 = self.a3, a4 = self.a4
        var a5 = self.a5, a6 = self.a6, a7 = self.a7, a8 = ~self.a8, a9 = self.a9
        var a10 = self.a10, a11 = self.a11, a12 = ~self.a12, a13 = self.a13, a14 = self.a14
        var a15 = self.a15, a16 = self.a16, a17 = ~self.a17, a18 = self.a18, a19 = self.a19
        var a20 = ~self.a20, a21 = self.a21, a22 = self.a22, a23 = self.a23, a24 = self.a24
        var e0: UInt64 = 0, e1: UInt64 = 0, e2: UInt64 = 0, e3: UInt64 = 0, e4: UInt64 = 0
        var e5: UInt64 = 0, e6: UInt64 = 0, e7: UInt64 = 0, e8: UInt64 = 0, e9: UInt64 = 0
        var e10: UInt64 = 0, e11: UInt64 = 0, e12: UInt64 = 0, e13: UInt64 = 0, e14: UInt64 = 0
        var e15: UInt64 = 0, e16: UInt64 = 0, e17: UInt64 = 0, e18: UInt64 = 0, e19: UInt64 = 0
        var e20: UInt64 = 0, e21: UInt64 = 0, e22: UInt64 = 0, e23: UInt64 = 0, e24: UInt64 = 0
        var round = 0
        while round < 24 {
            do { // a → e
                let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
                let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
                let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
                let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
                let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
                let d0 = c4 ^ rotl(c1, 1)
                let d1 = c0 ^ rotl(c2, 1)
                let d2 = c1 ^ rotl(c3, 1)
                let d3 = c2 ^ rotl(c4, 1)
                let d4 = c3 ^ rotl(c0, 1)
                let b00 = a0 ^ d0
                let b01 = rotl(a6 ^ d1, 44)
                let b02 = rotl(a12 ^ d2, 43)
                let b03 = rotl(a18 ^ d3, 21)
                let b04 = rotl(a24 ^ d4, 14)
                let n0 = ~b02
                e0 = b00 ^ (b01 | b02) ^ roundConstants[round]
                e1 = b01 ^ (n0 | b03)
                e2 = b02 ^ (b03 & b04)
                e3 = b03 ^ (b04 | b00)
                e4 = b04 ^ (b00 & b01)
                let b10 = rotl(a3 ^ d3, 28)
                let b11 = rotl(a9 ^ d4, 20)
                let b12 = rotl(a10 ^ d0, 3)
                let b13 = rotl(a16 ^ d1, 45)
                let b14 = rotl(a22 ^ d2, 61)
                let n1 = ~b14
                e5 = b10 ^ (b11 | b12)
                e6 = b11 ^ (b12 & b13)
                e7 = b12 ^ (b13 | n1)
                e8 = b13 ^ (b14 | b10)
                e9 = b14 ^ (b10 & b11)
                let b20 = rotl(a1 ^ d1, 1)
                let b21 = rotl(a7 ^ d2, 6)
                let b22 = rotl(a13 ^ d3, 25)
                let b23 = rotl(a19 ^ d4, 8)
                let b24 = rotl(a20 ^ d0, 18)
                let n2 = ~b23
                e10 = b20 ^ (b21 | b22)
                e11 = b21 ^ (b22 & b23)
                e12 = b22 ^ (n2 & b24)
                e13 = n2 ^ (b24 | b20)
                e14 = b24 ^ (b20 & b21)
                let b30 = rotl(a4 ^ d4, 27)
                let b31 = rotl(a5 ^ d0, 36)
                let b32 = rotl(a11 ^ d1, 10)
                let b33 = rotl(a17 ^ d2, 15)
                let b34 = rotl(a23 ^ d3, 56)
                let n3 = ~b33
                e15 = b30 ^ (b31 & b32)
                e16 = b31 ^ (b32 | b33)
                e17 = b32 ^ (n3 | b34)
                e18 = n3 ^ (b34 & b30)
                e19 = b34 ^ (b30 | b31)
                let b40 = rotl(a2 ^ d2, 62)
                let b41 = rotl(a8 ^ d3, 55)
                let b42 = rotl(a14 ^ d4, 39)
                let b43 = rotl(a15 ^ d0, 41)
                let b44 = rotl(a21 ^ d1, 2)
                let n4 = ~b41
                e20 = b40 ^ (n4 & b42)
                e21 = n4 ^ (b42 | b43)
                e22 = b42 ^ (b43 & b44)
                e23 = b43 ^ (b44 | b40)
                e24 = b44 ^ (b40 & b41)
            }
            do { // e → a
                let c0 = e0 ^ e5 ^ e10 ^ e15 ^ e20
                let c1 = e1 ^ e6 ^ e11 ^ e16 ^ e21
                let c2 = e2 ^ e7 ^ e12 ^ e17 ^ e22
                let c3 = e3 ^ e8 ^ e13 ^ e18 ^ e23
                let c4 = e4 ^ e9 ^ e14 ^ e19 ^ e24
                let d0 = c4 ^ rotl(c1, 1)
                let d1 = c0 ^ rotl(c2, 1)
                let d2 = c1 ^ rotl(c3, 1)
                let d3 = c2 ^ rotl(c4, 1)
                let d4 = c3 ^ rotl(c0, 1)
                let b00 = e0 ^ d0
                let b01 = rotl(e6 ^ d1, 44)
                let b02 = rotl(e12 ^ d2, 43)
                let b03 = rotl(e18 ^ d3, 21)
                let b04 = rotl(e24 ^ d4, 14)
                let n0 = ~b02
                a0 = b00 ^ (b01 | b02) ^ roundConstants[round + 1]
                a1 = b01 ^ (n0 | b03)
                a2 = b02 ^ (b03 & b04)
                a3 = b03 ^ (b04 | b00)
                a4 = b04 ^ (b00 & b01)
                let b10 = rotl(e3 ^ d3, 28)
                let b11 = rotl(e9 ^ d4, 20)
                let b12 = rotl(e10 ^ d0, 3)
                let b13 = rotl(e16 ^ d1, 45)
                let b14 = rotl(e22 ^ d2, 61)
                let n1 = ~b14
                a5 = b10 ^ (b11 | b12)
                a6 = b11 ^ (b12 & b13)
                a7 = b12 ^ (b13 | n1)
                a8 = b13 ^ (b14 | b10)
                a9 = b14 ^ (b10 & b11)
                let b20 = rotl(e1 ^ d1, 1)
                let b21 = rotl(e7 ^ d2, 6)
                let b22 = rotl(e13 ^ d3, 25)
                let b23 = rotl(e19 ^ d4, 8)
                let b24 = rotl(e20 ^ d0, 18)
                let n2 = ~b23
                a10 = b20 ^ (b21 | b22)
                a11 = b21 ^ (b22 & b23)
                a12 = b22 ^ (n2 & b24)
                a13 = n2 ^ (b24 | b20)
                a14 = b24 ^ (b20 & b21)
                let b30 = rotl(e4 ^ d4, 27)
                let b31 = rotl(e5 ^ d0, 36)
                let b32 = rotl(e11 ^ d1, 10)
                let b33 = rotl(e17 ^ d2, 15)
                let b34 = rotl(e23 ^ d3, 56)
                let n3 = ~b33
                a15 = b30 ^ (b31 & b32)
                a16 = b31 ^ (b32 | b33)
                a17 = b32 ^ (n3 | b34)
                a18 = n3 ^ (b34 & b30)
                a19 = b34 ^ (b30 | b31)
                let b40 = rotl(e2 ^ d2, 62)
                let b41 = rotl(e8 ^ d3, 55)
                let b42 = rotl(e14 ^ d4, 39)
                let b43 = rotl(e15 ^ d0, 41)
                let b44 = rotl(e21 ^ d1, 2)
                let n4 = ~b41
                a20 = b40 ^ (n4 & b42)
                a21 = n4 ^ (b42 | b43)
                a22 = b42 ^ (b43 & b44)
                a23 = b43 ^ (b44 | b40)
                a24 = b44 ^ (b40 & b41)
            }
            round += 2
        }
        self.a0 = a0; self.a1 = ~a1; self.a2 = ~a2; self.a3 = a3; self.a4 = a4
        self.a5 = a5; self.a6 = a6; self.a7 = a7; self.a8 = ~a8; self.a9 = a9
        self.a10 = a10; self.a11 = a11; self.a12 = ~a12; self.a13 = a13; self.a14 = a14
        self.a15 = a15; self.a16 = a16; self.a17 = ~a17; self.a18 = a18; self.a19 = a19
        self.a20 = ~a20; self.a21 = a21; self.a22 = a22; self.a23 = a23; self.a24 = a24
    }
}

/// x rotated left by n (0 < n < 64).
@inline(__always) private func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { x &<< n | x &>> (64 &- n) }

/// ι-step round constants of keccak-f[1600] (FIPS 202 §3.2.5).
private let roundConstants: [UInt64] = [
    0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
    0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
    0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
    0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
    0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
    0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
]
