import Commitment
import Foundation
import Game
import Report
import RISCV
import Scenario
import Transport

/// A party's own execution of the task on the real machine, answering the game's
/// questions (claim, roots, proofs) from checkpoints so no query replays from step 0
/// (page deltas, see `CheckpointChain` and docs/ARCHITECTURE.md "Checkpoints").
/// Corruptions make the party believe a wrong trace (a faulty solver or verifier whose
/// machine flipped bits): every one is applied, in step order.
///
/// The party's trace is the run with every flip applied as the run passes it: the state
/// at step t carries each flip whose `step` < t. Once the machine halts (at step H of
/// this corrupted run) stepping is the identity, so every later step names the same
/// state: the flips still pending — `step` ≥ H − 1, i.e. at or after the halt — all land
/// on that halted final state. The party's claim (its final root) then carries them; the
/// first step whose post-state differs from the true run is H − 1 (or an earlier flip).
/// No target reaches the halt flag, so the flipped final state is still halted.
public final class MachineOracle: TraceOracle {
    /// A flipped bit applied right after step `step` executes, i.e. the transition
    /// `step → step + 1` is the wrong one and the first disputed step is `step` — or, for
    /// a flip at or past the halt, H − 1 (see the type's comment).
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
    /// Host bytes the checkpoints hold now (what `checkpointBudgetBytes` bounds).
    public var checkpointBytes: Int { checkpoints.bytes }

    let boot: () throws -> Machine
    /// Every flip the party's machine suffers, in step order (several at one step in the
    /// order given).
    public let corruptions: [Corruption]
    /// How many of `corruptions` the cursor's state carries (a prefix).
    var applied = 0
    let maxSteps: UInt64
    /// At most this many checkpoints are kept.
    let checkpointLimit = 64
    /// At most this many host bytes are spent on checkpoints (the first one, the boot
    /// image's pages, is kept whatever it costs).
    let checkpointBudgetBytes: Int
    /// The cursor's state at earlier steps, each tagged with how many corruptions it
    /// carries: page deltas (see `CheckpointChain`), so a checkpoint costs the pages the
    /// run wrote since the previous one, not a copy of RAM.
    let checkpoints: CheckpointChain
    var checkpointInterval: UInt64
    /// The machine positioned at some step, with its tree.
    let cursor: Machine
    let tree: StateTree
    var claim: Claim?
    var finalSteps: UInt64 = 0
    var finalOutput: [UInt8] = []
    let progress: ((UInt64) -> Void)?

    /// Boots the task once (`boot` is never called again: checkpoints restore the cursor in place).
    /// `corruptions` may come in any order (see `inStepOrder`).
    /// `checkpointBudgetBytes` bounds the memory spent on checkpoints (counted in host
    /// bytes: the pages they save and their bookkeeping); one is taken every
    /// `checkpointInterval` steps of the first run until there are too many (then the
    /// spacing doubles).
    public init(boot: @escaping () throws -> Machine, maxSteps: UInt64, corruptions: [Corruption] = [],
                checkpointBudgetBytes: Int = 1 << 30, checkpointInterval: UInt64 = 1 << 16,
                progress: ((UInt64) -> Void)? = nil) throws {
        self.boot = boot
        self.maxSteps = maxSteps
        self.corruptions = Self.inStepOrder(corruptions)
        self.progress = progress
        self.checkpointBudgetBytes = checkpointBudgetBytes
        let first = try boot()
        cursor = first
        precondition(checkpointInterval > 0, "checkpoint interval must be positive")
        self.checkpointInterval = checkpointInterval
        tree = StateTree(first.storage)
        checkpoints = try CheckpointChain(machine: first, tree: tree, tag: 0)
    }

    /// `corruptions` sorted by step; flips at the same step keep their order. (Flips
    /// commute, so the order within a step changes no state; a fixed one keeps runs
    /// reproducible all the same.)
    public static func inStepOrder(_ corruptions: [Corruption]) -> [Corruption] {
        corruptions.enumerated().sorted { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }.map(\.element)
    }

    // MARK: running

    /// Runs the cursor forward to `target` (≤ maxSteps), applying each corruption when the
    /// run passes it (and the pending ones once it halts) and leaving checkpoints behind
    /// on the first pass.
    func advance(to target: UInt64, recordCheckpoints: Bool = false) throws {
        let start = monotonicSeconds()
        applyDueCorruptions()
        while cursor.steps < target && !cursor.halted {
            var stop = target
            // Not yet due, so its step ≥ the cursor's: stop right after it executes (a flip
            // at step 2⁶⁴ − 1 can only land on a halted state).
            if applied < corruptions.count, corruptions[applied].step < .max {
                stop = min(stop, corruptions[applied].step + 1)
            }
            if recordCheckpoints {
                let nextCheckpoint = (cursor.steps / checkpointInterval + 1) * checkpointInterval
                stop = min(stop, nextCheckpoint)
            }
            let before = cursor.steps
            cursor.run(steps: stop - cursor.steps)
            stepsExecuted += cursor.steps - before
            applyDueCorruptions()
            if recordCheckpoints && cursor.steps % checkpointInterval == 0 && !cursor.halted {
                try addCheckpoint()
                progress?(cursor.steps)
            }
        }
        computeSeconds += monotonicSeconds() - start
    }

    /// Brings the cursor's state to the party's trace at its step: applies every
    /// corruption whose step has executed (`step` < the cursor's step) and, once the
    /// machine has halted, every one still pending (see the type's comment).
    func applyDueCorruptions() {
        while applied < corruptions.count && (cursor.halted || corruptions[applied].step < cursor.steps) {
            applyCorruption(corruptions[applied])
            applied += 1
        }
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

    func addCheckpoint() throws {
        try checkpoints.record(tag: applied)
        // Thin out while over the count or the bytes: keep step 0 and every other
        // checkpoint, double the spacing.
        while checkpoints.count > checkpointLimit || (checkpoints.bytes > checkpointBudgetBytes && checkpoints.count > 1) {
            checkpointInterval = checkpointInterval.multipliedReportingOverflow(by: 2).overflow ? 1 << 63 : checkpointInterval * 2
            let steps = checkpoints.steps
            for i in stride(from: steps.count - 1, through: 1, by: -1) where steps[i] % checkpointInterval != 0 {
                checkpoints.remove(at: i)
            }
        }
    }

    /// Puts the cursor at `step` (clamped to the final step) from the nearest checkpoint at
    /// or before it, when the cursor is past `step` or behind that checkpoint.
    func position(at step: UInt64) throws {
        if claim == nil { _ = try finalClaim() }
        let target = min(step, finalSteps)
        let steps = checkpoints.steps
        let base = steps.lastIndex { $0 <= target } ?? 0
        if cursor.steps > target || steps[base] > cursor.steps {
            checkpoints.restore(base)
            applied = checkpoints.tag(base)
        }
        try advance(to: target)
    }

    // MARK: TraceOracle

    public func finalClaim() throws -> Claim {
        if let claim { return claim }
        try advance(to: maxSteps, recordCheckpoints: true)
        finalSteps = cursor.steps
        finalOutput = cursor.output
        let root = tree.root()
        rootsComputed += 1
        let c = Claim(root: root, steps: finalSteps, outputHash: OutputOpening.hash(ofOutput: finalOutput))
        claim = c
        return c
    }

    public func root(atStep step: UInt64) throws -> Digest {
        try position(at: step)
        rootsComputed += 1
        return tree.root()
    }

    public func stepProof(atStep step: UInt64) throws -> [UInt8] {
        try position(at: step)
        let start = monotonicSeconds()
        // A halted machine's step is the identity: proving it leaves the cursor in place.
        let proof = StepProver.prove(cursor, tree: tree)
        computeSeconds += monotonicSeconds() - start
        proofsBuilt += 1
        applyDueCorruptions()
        return proof.bytes
    }

    public func outputOpening() throws -> [UInt8] {
        try position(at: finalSteps)
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
