import Commitment
import Crypto

/// An account on the simulated chain: an Ed25519 public key (32 bytes). The chain knows
/// every account from the scenario; a transaction is a party's only if it verifies
/// under that party's account key.
/// (`@unchecked`: swift-crypto's public key is an immutable value it has not marked Sendable.)
public struct AccountKey: Hashable, @unchecked Sendable, CustomStringConvertible {
    /// The raw 32-byte Ed25519 public key.
    public let bytes: [UInt8]
    private let key: Curve25519.Signing.PublicKey

    /// The key with these 32 bytes; nil if they are not a usable Ed25519 public key.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32, let k = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return nil }
        self.bytes = bytes
        key = k
    }

    /// Equal when the key bytes are.
    public static func == (a: AccountKey, b: AccountKey) -> Bool { a.bytes == b.bytes }

    /// Hashes the key bytes.
    public func hash(into h: inout Hasher) { h.combine(bytes) }

    /// The key written as 64 hex digits (as in key files and scenario files).
    public init?(hex: String) {
        guard let b = HexBytes.decode(hex) else { return nil }
        self.init(bytes: b)
    }

    /// 64 lower-case hex digits.
    public var hex: String { HexBytes.encode(bytes) }

    /// The hex form.
    public var description: String { hex }

    /// True when `signature` is this key's Ed25519 signature of `message`.
    public func verifies(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// A party's secret: the Ed25519 private key behind its `AccountKey`. Never leaves the
/// process that plays the party (the judge's key never leaves the judge's).
/// (`@unchecked`: swift-crypto's private key is an immutable value it has not marked Sendable.)
public struct SigningKey: @unchecked Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// The key whose 32-byte Ed25519 seed is `seed`; nil if `seed` is not 32 bytes.
    public init?(seed: [UInt8]) {
        guard seed.count == 32, let k = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else { return nil }
        key = k
    }

    /// A fresh key from the system's randomness (`tbsim keygen`).
    public static func generate() -> SigningKey { SigningKey(key: Curve25519.Signing.PrivateKey()) }

    private init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    /// The key a scenario gives `name` by default: its seed is
    /// keccak256("tbsim/account-key/v1" ‖ scenario seed (u64, big-endian) ‖ name), so a run
    /// is reproducible — and anyone who knows the scenario can sign for every party. That
    /// is fine for a simulation on one host; runs across hosts use key files instead.
    public static func derived(scenarioSeed: UInt64, name: String) -> SigningKey {
        var w = FrameWriter()
        w.u64(scenarioSeed)
        let material = Array("tbsim/account-key/v1".utf8) + w.out + Array(name.utf8)
        return SigningKey(seed: Keccak.hash(material).bytes)!
    }

    /// The 32-byte seed (what a key file holds, in hex).
    public var seed: [UInt8] { Array(key.rawRepresentation) }

    /// The public half: the account.
    public var account: AccountKey { AccountKey(bytes: Array(key.publicKey.rawRepresentation))! }

    /// The Ed25519 signature of `message` (64 bytes).
    public func sign(_ message: [UInt8]) -> [UInt8] {
        // Signing with a well-formed key cannot fail; a failure here is a broken library.
        Array(try! key.signature(for: message))
    }
}

/// Lower-case hex for keys and key files.
enum HexBytes {
    static func encode(_ b: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count * 2)
        for x in b { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ s: String) -> [UInt8]? {
        let chars = Array(s.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let h = nibble(chars[i]), let l = nibble(chars[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }
}

extension SigningKey {
    /// Reads a key file: the 32-byte seed as 64 hex digits (surrounding whitespace
    /// allowed). Nil if the text is anything else.
    public init?(keyFileText text: String) {
        let trimmed = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        guard trimmed.count == 1, let b = HexBytes.decode(String(trimmed[0])) else { return nil }
        self.init(seed: b)
    }

    /// A key file's text: the seed in hex and a newline.
    public var keyFileText: String { HexBytes.encode(seed) + "\n" }
}
