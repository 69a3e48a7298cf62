extension Digest: Codable {
    /// A digest is `0x` + 64 hex digits in text formats (JSON, YAML).
    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Digest(hex: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected 0x + 64 hex digits, got \"\(s)\""))
        }
        self = d
    }

    /// Writes `0x` + 64 hex digits.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
