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

/// The verdict of the stateless one-step checker.
public enum StepCheck: Equatable, Sendable {
    /// The proof is internally consistent: executing one step on the state with root `pre`
    /// gives root `post`; `preHalted` says the pre-state was already halted;
    /// `workUnits` is the checker's count of node hashes / accesses, used for gas.
    case valid(pre: Digest, post: Digest, preHalted: Bool, workUnits: Int)
    /// The proof does not verify; the string says why.
    case invalid(String)
}

/// Why an output opening was refused.
public struct CheckError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Human-readable cause.
    public var reason: String
    /// Wraps a cause.
    public init(_ reason: String) { self.reason = reason }
    /// The cause.
    public var description: String { reason }
}

/// What the judge runs: pure functions of the proof bytes, holding no machine state.
public protocol ProofChecker {
    /// Checks a one-step proof.
    func checkStep(_ proof: [UInt8]) -> StepCheck
    /// Checks an output opening against a state root; returns the output hash if consistent.
    func checkOutput(_ opening: [UInt8], root: Digest) -> Result<Digest, CheckError>
}
