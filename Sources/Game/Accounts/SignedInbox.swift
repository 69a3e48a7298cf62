import Commitment

/// The accounts of one chain: its id and every signer's public key (the judge's under
/// party 0). Built once from the scenario; the judge checks transactions against it and
/// the parties check the judge's notifications against it.
public struct AccountBook: Equatable, Sendable {
    /// The chain's id (the scenario's digest): a signature made for one scenario's chain
    /// is refused by every other's.
    public let chainID: Digest
    /// Every signer's key, the judge's included.
    public let keys: [PartyID: AccountKey]

    /// A book of `keys` on chain `chainID`.
    public init(chainID: Digest, keys: [PartyID: AccountKey]) {
        self.chainID = chainID
        self.keys = keys
    }

    /// A book with no accounts: every signed message is refused as from an unknown account.
    public static let empty = AccountBook(chainID: Digest(w0: 0, w1: 0, w2: 0, w3: 0), keys: [:])
}

/// The receiving end of signed messages of one domain: it decodes an envelope and
/// admits it only if it is of the expected domain, on this chain, from a known account,
/// signed by that account, and carries a nonce strictly greater than the last one
/// admitted from that signer. Pure (no I/O), so the judge, the parties and an offline
/// replay use the same checks.
///
/// The nonce advances as soon as an envelope is admitted, whatever the game then makes
/// of its payload (as on Ethereum, where a reverted transaction still uses its nonce).
public struct SignedInbox: Equatable, Sendable {
    /// The accounts.
    public let book: AccountBook
    /// The domain admitted.
    public let domain: SignedEnvelope.Domain
    /// The last admitted nonce per signer (absent: none yet, so the first nonce must be ≥ 1).
    public private(set) var lastNonce: [PartyID: UInt64] = [:]

    /// An inbox admitting `domain` messages signed by the accounts of `book`.
    public init(book: AccountBook, domain: SignedEnvelope.Domain, lastNonce: [PartyID: UInt64] = [:]) {
        self.book = book
        self.domain = domain
        self.lastNonce = lastNonce
    }

    /// What was admitted: who signed it and the payload.
    public struct Admitted: Equatable, Sendable {
        /// The signer, proven by the signature.
        public var party: PartyID
        /// The signed payload.
        public var payload: [UInt8]
        /// The envelope's nonce.
        public var nonce: UInt64
    }

    /// Why an envelope was refused: the rejection and, when the envelope decoded, the
    /// party it claims to be from (not proven).
    public struct Refusal: Error, Equatable, Sendable {
        /// The party named in the envelope, if it decoded.
        public var claimed: PartyID?
        /// Why.
        public var rejection: Rejection
    }

    /// Checks `bytes` without changing anything: the signer and payload if it would be
    /// admitted now.
    public func check(_ bytes: [UInt8], maxPayloadBytes: Int = 1 << 20) -> Result<Admitted, Refusal> {
        let e: SignedEnvelope
        do { e = try SignedEnvelope.decode(bytes, maxPayloadBytes: maxPayloadBytes) } catch let error as GameMessageError {
            if case let .oversized(size, _) = error.kind {
                return .failure(Refusal(claimed: nil, rejection: .oversized(bytes: size, max: maxPayloadBytes + SignedEnvelope.overhead)))
            }
            return .failure(Refusal(claimed: nil, rejection: .undecodable(error)))
        } catch {
            return .failure(Refusal(claimed: nil, rejection: .undecodable(GameMessageError(.invalidValue(field: "envelope", detail: "\(error)"), at: 0))))
        }
        guard e.domain == domain else { return .failure(Refusal(claimed: e.party, rejection: .wrongDomain(e.domain.rawValue))) }
        guard e.chainID == book.chainID else { return .failure(Refusal(claimed: e.party, rejection: .wrongChain)) }
        guard let key = book.keys[e.party] else { return .failure(Refusal(claimed: e.party, rejection: .unknownAccount(e.party))) }
        guard e.isSigned(by: key) else { return .failure(Refusal(claimed: e.party, rejection: .badSignature)) }
        let last = lastNonce[e.party] ?? 0
        guard e.nonce > last else { return .failure(Refusal(claimed: e.party, rejection: .staleNonce(nonce: e.nonce, last: last))) }
        return .success(Admitted(party: e.party, payload: e.payload, nonce: e.nonce))
    }

    /// Checks `bytes` and, if admitted, advances the signer's nonce.
    public mutating func admit(_ bytes: [UInt8], maxPayloadBytes: Int = 1 << 20) -> Result<Admitted, Refusal> {
        let r = check(bytes, maxPayloadBytes: maxPayloadBytes)
        if case let .success(a) = r { lastNonce[a.party] = a.nonce }
        return r
    }
}

/// The sending end: signs payloads of one domain as one party, numbering them 1, 2, 3, …
public struct Signer: Sendable {
    /// Who signs.
    public let party: PartyID
    /// The domain of what it signs.
    public let domain: SignedEnvelope.Domain
    /// The chain.
    public let chainID: Digest
    private let key: SigningKey
    /// The nonce of the last envelope signed (0 before the first).
    public private(set) var nonce: UInt64 = 0

    /// A signer for `party` with `key`.
    public init(party: PartyID, key: SigningKey, domain: SignedEnvelope.Domain, chainID: Digest) {
        self.party = party; self.key = key; self.domain = domain; self.chainID = chainID
    }

    /// The next envelope: `payload` signed with the next nonce, encoded.
    public mutating func sign(_ payload: [UInt8]) -> [UInt8] {
        nonce += 1
        return SignedEnvelope(signing: payload, domain: domain, chainID: chainID, party: party, nonce: nonce, key: key).encode()
    }
}
