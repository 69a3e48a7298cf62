import Commitment

extension NetworkScenario {
    /// The network as every process must see it: a canonical JSON encoding (sorted keys)
    /// of the resolved model, as `ScenarioSpec.canonicalEncoding()` is for one game.
    public func canonicalEncoding() -> [UInt8] { canonicalJSON(self) }

    /// keccak256 of `canonicalEncoding()`: the id of the network's own chain, which every
    /// party's join is signed for, so a process started on a different file is refused.
    public var digest: Digest { Keccak.hash(canonicalEncoding()) }
}
