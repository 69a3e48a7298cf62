import Commitment

/// The verdict of the stateless one-step checker.
public enum StepCheck: Equatable, Sendable {
    /// The proof is internally consistent: executing one step on the state with root `pre`
    /// gives root `post`; `preHalted` says the pre-state was already halted; `stepCount`
    /// is the committed step counter of the pre-state (for a halted one, the step at
    /// which it halted; nil when the proof does not open it); `workUnits` is the number
    /// of node hashes the check computed (pre-root and post-root walks), each priced as
    /// one KECCAK256 of 64 bytes.
    case valid(pre: Digest, post: Digest, preHalted: Bool, stepCount: UInt64?, workUnits: Int)
    /// The proof does not verify; the text is the verifier's diagnosis of the bytes.
    case invalid(String)
}

/// Why an output opening was refused: the opening checker's diagnosis of the bytes.
public struct CheckError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The checker's diagnosis.
    public var detail: String
    /// Wraps a diagnosis.
    public init(_ detail: String) { self.detail = detail }
    /// The diagnosis.
    public var description: String { detail }
}

/// What the judge runs: pure functions of the proof bytes, holding no machine state.
public protocol ProofChecker {
    /// Checks a one-step proof.
    func checkStep(_ proof: [UInt8]) -> StepCheck
    /// Checks an output opening against a state root; returns the output hash if consistent.
    func checkOutput(_ opening: [UInt8], root: Digest) -> Result<Digest, CheckError>
}

/// The judge's real checker: the commitment layer's stateless one-step verifier and
/// output-opening check.
public struct CommitmentProofChecker: ProofChecker {
    /// The checker has no state.
    public init() {}

    /// Verifies the proof by replaying the step over it.
    public func checkStep(_ proof: [UInt8]) -> StepCheck {
        switch verifyStep(proof) {
        case .success(let v):
            return .valid(pre: v.pre, post: v.post, preHalted: v.preHalted, stepCount: v.preStepCount, workUnits: v.nodeHashes)
        case .failure(let e):
            return .invalid(e.description)
        }
    }

    /// Checks the opening's siblings against `root` and hashes the opened output.
    public func checkOutput(_ opening: [UInt8], root: Digest) -> Result<Digest, CheckError> {
        do {
            return .success(try OutputOpening.check(opening, root: root).hash)
        } catch {
            return .failure(CheckError(error.description))
        }
    }
}
