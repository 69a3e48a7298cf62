import Commitment
import Foundation

extension ScenarioSpec {
    /// The scenario as every node must see it: a canonical JSON encoding (sorted keys) of
    /// the resolved model, so two nodes agree exactly when they would play the same game.
    public func canonicalEncoding() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain value: encoding cannot fail.
        return [UInt8]((try? encoder.encode(self)) ?? Data())
    }

    /// keccak256 of `canonicalEncoding()`: what the launcher hands the nodes and what
    /// every party's hello carries, so a node started on a different file is refused.
    public var digest: Digest { Keccak.hash(canonicalEncoding()) }
}
