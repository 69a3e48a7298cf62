import Testing
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
}
