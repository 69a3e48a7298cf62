import Commitment
import Game
import Report

/// What a party's node loop needs of its execution: the trace oracle its state machine
/// asks, and the party's figures for the report.
public protocol PartyOracle: TraceOracle {
    /// The party's figures: what its run cost and the claim it ends in.
    func metrics(name: String, role: Role, wallSeconds: Double) -> PartyMetrics
}

extension MachineOracle: PartyOracle {}

/// One machine run shared by every party of a process whose machine is the same (same
/// task, same corruptions): in one process, thirty honest verifiers need one execution
/// and one set of checkpoints, not thirty. Each party sees it through its own
/// `OracleView`.
public final class SharedMachine {
    /// The run.
    public let oracle: MachineOracle
    /// What the first full run cost (every party that shares it would have run it).
    fileprivate var firstRun: (steps: UInt64, roots: Int, proofs: Int, seconds: Double)?

    /// Shares `oracle`.
    public init(_ oracle: MachineOracle) { self.oracle = oracle }

    /// A party's view of the run.
    public func view() -> OracleView { OracleView(self) }
}

/// A party's view of a `SharedMachine`: answers from the shared run and counts, as the
/// party's own work, the whole first run plus what was computed for the party's questions
/// — the figures the party would report had it run alone.
public final class OracleView: PartyOracle {
    private let shared: SharedMachine
    private var steps: UInt64 = 0, roots = 0, proofs = 0, seconds = 0.0
    private var counted = false

    fileprivate init(_ shared: SharedMachine) { self.shared = shared }

    /// Runs `body` on the shared oracle and books the work it did to this party.
    private func measured<T>(_ body: () throws -> T) rethrows -> T {
        let o = shared.oracle
        let before = (o.stepsExecuted, o.rootsComputed, o.proofsBuilt, o.computeSeconds)
        let result = try body()
        steps += o.stepsExecuted - before.0; roots += o.rootsComputed - before.1
        proofs += o.proofsBuilt - before.2; seconds += o.computeSeconds - before.3
        return result
    }

    public func finalClaim() throws -> Claim {
        if let first = shared.firstRun {
            // Another party's view ran it: this party would have run it too.
            if !counted {
                counted = true
                steps += first.steps; roots += first.roots; proofs += first.proofs; seconds += first.seconds
            }
            return try shared.oracle.finalClaim()
        }
        let claim = try measured { try shared.oracle.finalClaim() }
        shared.firstRun = (steps, roots, proofs, seconds)
        counted = true
        return claim
    }

    public func root(atStep step: UInt64) throws -> Digest { try measured { try shared.oracle.root(atStep: step) } }
    public func stepProof(atStep step: UInt64) throws -> [UInt8] { try measured { try shared.oracle.stepProof(atStep: step) } }
    public func outputOpening() throws -> [UInt8] { try measured { try shared.oracle.outputOpening() } }

    public func metrics(name: String, role: Role, wallSeconds: Double) -> PartyMetrics {
        var m = shared.oracle.metrics(name: name, role: role, wallSeconds: wallSeconds)
        m.stepsExecuted = steps; m.rootsComputed = roots; m.proofsBuilt = proofs; m.computeSeconds = seconds
        return m
    }
}
