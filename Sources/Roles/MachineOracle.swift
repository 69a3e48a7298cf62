import Commitment
import Foundation
import Game
import Report
import RISCV
import Scenario
import Transport

/// A party's own execution of the task on the real machine, answering the game's
/// questions (claim, roots, proofs) from checkpoints so no query replays from step 0.
/// An optional corruption makes the party believe a wrong trace (a faulty solver or
/// verifier whose machine flipped a bit).
public final class MachineOracle: TraceOracle {
    /// A flipped bit applied right after step `step` executes, i.e. the transition
    /// `step → step + 1` is the wrong one and the first disputed step is `step`.
    public struct Corruption: Equatable, Sendable {
        public var step: UInt64
        public var target: CorruptionTarget
        public var bit: Int
        public init(step: UInt64, target: CorruptionTarget, bit: Int) {
            self.step = step; self.target = target; self.bit = bit
        }
    }

    /// Figures for the party's metrics (not committed state).
    public private(set) var stepsExecuted: UInt64 = 0
    public private(set) var rootsComputed = 0
    public private(set) var proofsBuilt = 0
    public private(set) var computeSeconds = 0.0
    public var checkpointCount: Int { checkpoints.count }

    let boot: () throws -> Machine
    let corruption: Corruption?
    let maxSteps: UInt64
    let checkpointLimit: Int
    /// Copies of the machine and of its hash tree at earlier steps.
    var checkpoints: [(steps: UInt64, machine: Machine, tree: StateTree)] = []
    var checkpointInterval: UInt64
    /// The machine positioned at some step, with its tree.
    var cursor: Machine
    var tree: StateTree
    var claim: Claim?
    var finalSteps: UInt64 = 0
    var finalOutput: [UInt8] = []
    let progress: ((UInt64) -> Void)?

    /// Boots the task (`boot` is called again never: checkpoints are copies).
    /// `checkpointBudgetBytes` bounds the memory spent on checkpoints.
    public init(boot: @escaping () throws -> Machine, maxSteps: UInt64, corruption: Corruption? = nil,
                checkpointBudgetBytes: Int = 1 << 30, progress: ((UInt64) -> Void)? = nil) throws {
        self.boot = boot
        self.maxSteps = maxSteps
        self.corruption = corruption
        self.progress = progress
        let first = try boot()
        cursor = first
        let perCheckpoint = max(1, first.storage.ramSize + CoreLayout.count * 8)
        checkpointLimit = max(2, min(64, checkpointBudgetBytes / perCheckpoint))
        checkpointInterval = 1 << 16
        tree = StateTree(first.storage)
        let initial = first.copy()
        checkpoints.append((0, initial, tree.copy(boundTo: initial.storage)))
    }

    // MARK: running

    /// Runs the cursor forward to `target` (≤ maxSteps), applying the corruption when the
    /// run passes it and leaving checkpoints behind on the first pass.
    func advance(to target: UInt64, recordCheckpoints: Bool = false) {
        let start = monotonicSeconds()
        while cursor.steps < target && !cursor.halted {
            var stop = target
            if let c = corruption, cursor.steps <= c.step { stop = min(stop, c.step + 1) }
            if recordCheckpoints {
                let nextCheckpoint = (cursor.steps / checkpointInterval + 1) * checkpointInterval
                stop = min(stop, nextCheckpoint)
            }
            let before = cursor.steps
            cursor.run(steps: stop - cursor.steps)
            stepsExecuted += cursor.steps - before
            if let c = corruption, cursor.steps == c.step + 1, before <= c.step { applyCorruption(c) }
            if recordCheckpoints && cursor.steps % checkpointInterval == 0 && !cursor.halted {
                addCheckpoint()
                progress?(cursor.steps)
            }
        }
        computeSeconds += monotonicSeconds() - start
    }

    func applyCorruption(_ c: Corruption) {
        let core = cursor.storage.core
        switch c.target {
        case .register(let r):
            core[CoreLayout.x + r] ^= 1 << UInt64(c.bit)
        case .pc:
            core[CoreLayout.pc] ^= 1 << UInt64(c.bit)
        case .memory(let address):
            let offset = Int(address &- MachineMap.ramBase)
            if offset >= 0 && offset + 8 <= cursor.storage.ramSize {
                let p = cursor.storage.ram.advanced(by: offset).assumingMemoryBound(to: UInt64.self)
                p.pointee ^= 1 << UInt64(c.bit)
                let page = offset / MachineStorage.pageSize
                cursor.storage.dirtyPages[page >> 6] |= 1 << UInt64(page & 63)
                cursor.invalidateCaches()
            }
        }
    }

    func addCheckpoint() {
        let m = cursor.copy()
        checkpoints.append((cursor.steps, m, tree.copy(boundTo: m.storage)))
        if checkpoints.count > checkpointLimit {
            // Thin out: keep step 0 and every other checkpoint, double the spacing.
            checkpointInterval *= 2
            checkpoints = checkpoints.filter { $0.steps % checkpointInterval == 0 }
        }
    }

    /// Puts the cursor at `step` (clamped to the final step), from the nearest
    /// checkpoint at or before it when the cursor is past it.
    func position(at step: UInt64) {
        if claim == nil { _ = try? finalClaim() }
        let target = min(step, finalSteps)
        if cursor.steps > target {
            let base = checkpoints.last { $0.steps <= target } ?? checkpoints[0]
            cursor = base.machine.copy()
            tree = base.tree.copy(boundTo: cursor.storage)
        }
        advance(to: target)
    }

    // MARK: TraceOracle

    public func finalClaim() throws -> Claim {
        if let claim { return claim }
        advance(to: maxSteps, recordCheckpoints: true)
        finalSteps = cursor.steps
        finalOutput = cursor.output
        let root = tree.root()
        rootsComputed += 1
        let c = Claim(root: root, steps: finalSteps, outputHash: Keccak.hash(finalOutput))
        claim = c
        return c
    }

    public func root(atStep step: UInt64) throws -> Digest {
        position(at: step)
        rootsComputed += 1
        return tree.root()
    }

    public func stepProof(atStep step: UInt64) throws -> [UInt8] {
        position(at: step)
        let start = monotonicSeconds()
        // A halted machine's step is the identity: proving it leaves the cursor in place.
        let proof = StepProver.prove(cursor, tree: tree)
        computeSeconds += monotonicSeconds() - start
        proofsBuilt += 1
        if let c = corruption, cursor.steps == c.step + 1 { applyCorruption(c) }
        return proof.bytes
    }

    public func outputOpening() throws -> [UInt8] {
        position(at: finalSteps)
        return OutputOpening.open(tree)
    }

    /// The party's figures for the report: what its run cost and the claim it ends in.
    public func metrics(name: String, role: Role, wallSeconds: Double) -> PartyMetrics {
        PartyMetrics(name: name, role: role, stepsExecuted: stepsExecuted, rootsComputed: rootsComputed,
                     proofsBuilt: proofsBuilt, computeSeconds: computeSeconds, wallSeconds: wallSeconds,
                     peakCheckpoints: checkpointCount, ownClaim: claim)
    }

    /// Whether the party's run halted within the step limit.
    public var halted: Bool { cursor.halted }
    /// The output of the party's run.
    public var output: [UInt8] { finalOutput }
}
