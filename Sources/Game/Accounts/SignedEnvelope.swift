import Commitment

/// A signed message of the chain: a party's transaction, the judge's notification, or a
/// party's hello. The signature covers a domain-separation prefix and every byte of the
/// envelope before the signature: what it is (`domain`), which chain (`chainID`), who
/// (`party`), which of its messages (`nonce`) and the payload — for transactions and
/// notifications the `GameMessage` frame, which itself names task and dispute.
///
/// Wire format (big-endian, docs/GAME.md): version u8 (1), domain u8, chain_id digest,
/// party u32, nonce u64, payload bytes (u32 length + bytes), signature (64 bytes).
public struct SignedEnvelope: Equatable, Sendable {
    /// What a signature is for; part of the signed bytes, so a signature made for one
    /// purpose never passes for another.
    public enum Domain: UInt8, Sendable {
        /// A move: party → judge.
        case transaction = 1
        /// A notification: judge → party.
        case notification = 2
        /// A hello: a party binds the connection it speaks on to its account.
        case hello = 3
        /// A ledger record: the judge signs the hash of each record it commits, so an
        /// offline replay can tell a ledger the judge wrote from an edited one.
        case ledger = 4
    }

    /// The envelope's version byte.
    public static let version: UInt8 = 1
    /// Bytes an envelope adds to its payload: 1 + 1 + 32 + 4 + 8 + 4 + 64.
    public static let overhead = 114
    /// The prefix every signed message starts with (never sent; it keeps tbsim's
    /// signatures from meaning anything to any other protocol using the same keys).
    static let domainSeparator = Array("tbsim signed message v1\u{0}".utf8)

    /// What the signature is for.
    public var domain: Domain
    /// The chain (one per scenario: its digest).
    public var chainID: Digest
    /// The signer: the judge (0) or a party of the roster.
    public var party: PartyID
    /// The signer's sequence number: strictly increasing per signer and domain.
    public var nonce: UInt64
    /// The signed payload.
    public var payload: [UInt8]
    /// The Ed25519 signature (64 bytes).
    public var signature: [UInt8]

    /// An envelope signed with `key`.
    public init(signing payload: [UInt8], domain: Domain, chainID: Digest, party: PartyID, nonce: UInt64, key: SigningKey) {
        self.domain = domain; self.chainID = chainID; self.party = party; self.nonce = nonce; self.payload = payload
        signature = []
        signature = key.sign(signedBytes)
    }

    /// An envelope with the given fields, signed or not (for decoding and for tests that forge).
    public init(domain: Domain, chainID: Digest, party: PartyID, nonce: UInt64, payload: [UInt8], signature: [UInt8]) {
        self.domain = domain; self.chainID = chainID; self.party = party; self.nonce = nonce
        self.payload = payload; self.signature = signature
    }

    private var header: [UInt8] {
        var w = FrameWriter()
        w.u8(Self.version); w.u8(domain.rawValue); w.digest(chainID); w.u32(party.rawValue); w.u64(nonce); w.bytes(payload)
        return w.out
    }

    /// The bytes the signature covers: the domain separator, then the envelope up to
    /// its signature.
    public var signedBytes: [UInt8] { Self.domainSeparator + header }

    /// The envelope on the wire.
    public func encode() -> [UInt8] { header + signature }

    /// True when the signature is `key`'s over this envelope.
    public func isSigned(by key: AccountKey) -> Bool { key.verifies(signature, of: signedBytes) }

    /// Parses an envelope strictly (no trailing bytes); throws `GameMessageError` naming
    /// the field. Payloads longer than `maxPayloadBytes` are refused before allocation.
    public static func decode(_ bytes: [UInt8], maxPayloadBytes: Int = 1 << 20) throws -> SignedEnvelope {
        guard bytes.count <= maxPayloadBytes + overhead else {
            throw GameMessageError(.oversized(size: bytes.count, max: maxPayloadBytes + overhead), at: 0)
        }
        var r = FrameReader(bytes)
        let v = try r.u8("envelope.version")
        guard v == version else { throw GameMessageError(.unsupportedVersion(v), at: 0) }
        let domainAt = r.offset
        guard let domain = Domain(rawValue: try r.u8("envelope.domain")) else {
            throw GameMessageError(.invalidValue(field: "envelope.domain", detail: "unknown domain"), at: domainAt)
        }
        let chain = try r.digest("envelope.chain_id")
        let party = PartyID(try r.u32("envelope.party"))
        let nonce = try r.u64("envelope.nonce")
        let payload = try r.bytes("envelope.payload")
        let sigAt = r.offset
        guard r.remaining >= 64 else {
            throw GameMessageError(.truncated(field: "envelope.signature", needed: 64, available: r.remaining), at: sigAt)
        }
        guard r.remaining == 64 else { throw GameMessageError(.trailingBytes(count: r.remaining - 64), at: sigAt + 64) }
        return SignedEnvelope(domain: domain, chainID: chain, party: party, nonce: nonce, payload: payload,
                              signature: Array(bytes[sigAt...]))
    }
}
