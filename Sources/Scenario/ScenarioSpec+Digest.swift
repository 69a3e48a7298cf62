import Commitment
import Foundation

extension ScenarioSpec {
    /// The scenario as every node must see it: a canonical JSON encoding (sorted keys) of
    /// the resolved model, so two nodes agree exactly when they would play the same game.
    public func canonicalEncoding() -> [UInt8] { canonicalJSON(self) }

    /// keccak256 of `canonicalEncoding()`: what the launcher hands the nodes and what
    /// every party's hello carries, so a node started on a different file is refused.
    public var digest: Digest { Keccak.hash(canonicalEncoding()) }
}

/// `value` as canonical JSON: sorted keys, slashes unescaped. For models of plain values,
/// whose encoding cannot fail.
func canonicalJSON<T: Encodable>(_ value: T) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return [UInt8]((try? encoder.encode(value)) ?? Data())
}
