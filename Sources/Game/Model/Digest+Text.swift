import Commitment

extension KeyedDecodingContainer {
    /// Digests travel in text formats as `0x` + 64 hex digits.
    func decodeDigest(forKey key: Key) throws -> Digest {
        let s = try decode(String.self, forKey: key)
        guard let d = Digest(hex: s) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                debugDescription: "`\(key.stringValue)` must be 0x + 64 hex digits, got \"\(s)\"")
        }
        return d
    }
}
