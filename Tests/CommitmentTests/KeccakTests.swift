import Testing
import CKeccak
@testable import Commitment

/// Vectors: keccak256("") is Ethereum's published empty hash; the others come from a
/// small Python model of FIPS 202 written from the spec for this test, whose permutation
/// reproduces hashlib.sha3_256 when given SHA-3's 0x06 padding.
struct KeccakTests {
    static func message(_ n: Int) -> [UInt8] { (0..<n).map { UInt8($0 & 0xff) } }

    @Test func emptyInputIsEthereumsEmptyHash() {
        #expect(Keccak.hash([UInt8]()).hex == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }

    @Test func abc() {
        #expect(Keccak.hash(Array("abc".utf8)).hex == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
    }

    @Test(arguments: [
        (135, "0xcbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62"),
        (136, "0x7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e"),
        (137, "0xac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db"),
    ])
    func blockBoundaries(length: Int, expected: String) {
        #expect(Keccak.hash(Self.message(length)).hex == expected)
    }

    @Test func multiBlock() {
        let m = (0..<300).map { UInt8($0 * 7 % 256) }
        #expect(Keccak.hash(m).hex == "0xe8d0c605aa90a1fe3feb493ad761f5313ddd79b377b06ed215e8c883341c33ae")
    }

    /// keccak-f[1600] applied once and twice to the all-zero state: every lane, compared
    /// with the Keccak team's published intermediate values (KeccakF-1600-IntermediateValues).
    /// Lane complementing keeps six lanes inverted inside the rounds; a slip in one of its
    /// χ forms shows here as a wrong lane rather than only as a wrong digest.
    @Test func permutationOfTheZeroState() {
        let once: [UInt64] = [
            0xF1258F7940E1DDE7, 0x84D5CCF933C0478A, 0xD598261EA65AA9EE, 0xBD1547306F80494D, 0x8B284E056253D057,
            0xFF97A42D7F8E6FD4, 0x90FEE5A0A44647C4, 0x8C5BDA0CD6192E76, 0xAD30A6F71B19059C, 0x30935AB7D08FFC64,
            0xEB5AA93F2317D635, 0xA9A6E6260D712103, 0x81A57C16DBCF555F, 0x43B831CD0347C826, 0x01F22F1A11A5569F,
            0x05E5635A21D9AE61, 0x64BEFEF28CC970F2, 0x613670957BC46611, 0xB87C5A554FD00ECB, 0x8C3EE88A1CCF32C8,
            0x940C7922AE3A2614, 0x1841F924A2C509E4, 0x16F53526E70465C2, 0x75F644E97F30A13B, 0xEAF1FF7B5CECA249,
        ]
        let twice: [UInt64] = [
            0x2D5C954DF96ECB3C, 0x6A332CD07057B56D, 0x093D8D1270D76B6C, 0x8A20D9B25569D094, 0x4F9C4F99E5E7F156,
            0xF957B9A2DA65FB38, 0x85773DAE1275AF0D, 0xFAF4F247C3D810F7, 0x1F1B9EE6F79A8759, 0xE4FECC0FEE98B425,
            0x68CE61B6B9CE68A1, 0xDEEA66C4BA8F974F, 0x33C43D836EAFB1F5, 0xE00654042719DBD9, 0x7CF8A9F009831265,
            0xFD5449A6BF174743, 0x97DDAD33D8994B40, 0x48EAD5FC5D0BE774, 0xE3B8C8EE55B7B03C, 0x91A0226E649E42E9,
            0x900E3129E7BADD7B, 0x202A9EC5FAA3CCE8, 0x5B3402464E1C3DB6, 0x609F4E62A44C1059, 0x20D06CD26A8FBF5C,
        ]
        var s = KeccakState()
        s.permute()
        #expect(s.lanes == once)
        s.permute()
        #expect(s.lanes == twice)
    }

    @Test func nodeHashOfZerosIsTheFirstZeroHash() {
        // keccak256 of 64 zero bytes.
        #expect(zeroHashes[1].digest.hex == "0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5")
        #expect(Keccak.hash(Node.zero, Node.zero) == zeroHashes[1])
    }

    @Test func nodeHashAgreesWithTheByteHash() {
        let bytes = (0..<64).map { UInt8(($0 * 37 + 11) & 0xff) }
        let l = bytes.withUnsafeBytes { Node(loading: $0.baseAddress!) }
        let r = bytes.withUnsafeBytes { Node(loading: $0.baseAddress! + 32) }
        #expect(Keccak.hash(l, r).digest == Keccak.hash(bytes))
        #expect(Node(l.digest) == l)
    }

    /// The batched node hash (the vector permutation when the CPU has one) is the scalar
    /// one, for every batch size around the vector widths, on varied lanes.
    @Test func batchedNodeHashesAreTheScalarOnes() {
        #expect(MemoryLayout<Node>.size == 32 && MemoryLayout<Node>.stride == 32)
        var x: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
        for count in 0...41 {
            let pairs = (0..<(2 * count)).map { i in i % 5 == 3 ? Node.zero : Node(next(), next(), next(), next()) }
            var batched = [Node](repeating: .zero, count: count), scalar = batched
            pairs.withUnsafeBufferPointer { p in
                batched.withUnsafeMutableBufferPointer { Keccak.hashPairs(p.baseAddress!, into: $0.baseAddress!, count: count) }
                scalar.withUnsafeMutableBufferPointer { Keccak.hashPairsOneByOne(p.baseAddress!, into: $0.baseAddress!, count: count) }
            }
            #expect(batched == scalar, "batch of \(count), vector width \(Keccak.batchWidth)")
            // Every vector implementation this CPU can run, not only the one it picks.
            for variant in 1...3 where count > 0 {
                var out = [Node](repeating: .zero, count: count)
                let ran = pairs.withUnsafeBytes { p in
                    out.withUnsafeMutableBytes { o in
                        tbsim_keccak_node_pairs_variant(Int32(variant), p.baseAddress!.assumingMemoryBound(to: UInt64.self),
                                                        o.baseAddress!.assumingMemoryBound(to: UInt64.self), count)
                    }
                }
                if ran != 0 { #expect(out == scalar, "batch of \(count), variant \(variant)") }
            }
        }
    }
}

extension KeccakState {
    /// The 25 lanes, lane (x, y) at x + 5y.
    var lanes: [UInt64] {
        [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14,
         a15, a16, a17, a18, a19, a20, a21, a22, a23, a24]
    }
}
