import Commitment

/// One party's own execution of the task. The state machines trust their oracle
/// completely: a corrupted execution is modelled by a corrupted oracle.
public protocol TraceOracle: AnyObject {
    /// The claim this party's run ends in.
    func finalClaim() throws -> Claim
    /// The state root after `atStep` steps (stepping a halted machine is the identity, so
    /// steps past the halt give the final root).
    func root(atStep: UInt64) throws -> Digest
    /// The one-step proof of step `atStep` → `atStep + 1`.
    func stepProof(atStep: UInt64) throws -> [UInt8]
    /// The opening of the final state's output region, checked by `ProofChecker.checkOutput`.
    func outputOpening() throws -> [UInt8]
}
