import RISCV

/// Figures for `tbsim bench` (printed, never asserted): keccak throughput, cold and
/// incremental roots, proof sizes, prove and verify times. Host time is used only here.
public enum CommitmentBenchmarks {
    /// One figure.
    public typealias Figure = (name: String, value: Double, unit: String)
    /// Reads a clock in seconds (the caller chooses: wall time, or the thread's CPU time
    /// on a shared machine).
    public typealias Clock = () -> Double

    /// Runs every benchmark on `program` (an ELF, booted with 128 MiB of RAM and `input`):
    /// cold root after boot; incremental root after `steps` more steps (or until halt);
    /// then proofs of `proofSteps` consecutive steps from there. Times are read from `clock`.
    public static func run(program: [UInt8], input: [UInt8] = [], steps: UInt64 = 1_000_000,
                           proofSteps: Int = 2000, clock: @escaping Clock = wallSeconds) throws -> [Figure] {
        let seconds = { (body: () -> Void) in measure(clock, body) }
        var figures: [Figure] = []
        figures += keccak(clock: clock)

        let machine = try Machine(BootImage(program: program, ramSize: 128 << 20), input: input)
        var tree: StateTree!
        // A copy keeps no record of what was written, so its cold root scans every page.
        let copy = machine.storage.copy()
        let scan = seconds { _ = StateTree(copy).root() }
        let cold = seconds { tree = StateTree(machine.storage) }
        figures.append(("cold root, 128 MiB machine after boot", cold * 1e3, "ms"))
        figures.append(("cold root, 128 MiB, every page scanned", scan * 1e3, "ms"))

        let ran = machine.run(steps: steps)
        var root = Digest.zero
        let incremental = seconds { root = tree.root() }
        figures.append(("incremental root after \(ran) steps", incremental * 1e3, "ms"))
        precondition(root == StateTree(machine.storage.copy()).root(), "incremental root differs from a cold one")
        // Steady state: one step, one root (what a prover pays per step).
        let few = 1000
        let perStep = seconds { for _ in 0..<few { machine.run(steps: 1); _ = tree.root() } } / Double(few)
        figures.append(("step + incremental root", perStep * 1e6, "µs"))

        var proofs: [[UInt8]] = []
        let proving = seconds {
            for _ in 0..<proofSteps { proofs.append(StepProver.prove(machine, tree: tree).bytes) }
        }
        figures.append(("prove one step", proving / Double(proofSteps) * 1e6, "µs"))
        let sizes = proofs.map(\.count).sorted()
        figures.append(("proof size, median of \(proofSteps) steps", Double(sizes[sizes.count / 2]), "bytes"))
        figures.append(("proof size, max of \(proofSteps) steps", Double(sizes.last!), "bytes"))
        var checker = StepProofChecker()
        var failures = 0
        let verifying = seconds {
            for p in proofs { if (try? checker.check(p)) == nil { failures += 1 } }
        }
        precondition(failures == 0, "\(failures) proofs did not verify")
        figures.append(("verify one step", verifying / Double(proofSteps) * 1e6, "µs"))
        // Of which: the replay of `Hart.step()` over the opened leaves (the rest is decoding
        // and the two Merkle walks, i.e. keccak).
        var decoded = try proofs.map { try StepProofFormat.decode($0).leaves }
        var replayed = 0
        let replaying = seconds {
            for i in decoded.indices where (try? StepProofChecker.replay(&decoded[i])) != nil { replayed += 1 }
        }
        precondition(replayed == proofSteps, "\(proofSteps - replayed) replays failed")
        figures.append(("  of which replaying the step", replaying / Double(proofSteps) * 1e6, "µs"))
        return figures
    }

    /// keccak256 throughput over long messages and over tree nodes (64-byte inputs).
    public static func keccak(clock: @escaping Clock = wallSeconds) -> [Figure] {
        let seconds = { (body: () -> Void) in measure(clock, body) }
        let bytes = [UInt8](repeating: 0x5a, count: 16 << 20)
        var sink = Digest.zero
        let long = seconds { sink = bytes.withUnsafeBytes { Keccak.hash($0) } }
        var node = Node(sink)
        let count = 200_000
        let nodes = seconds { for _ in 0..<count { node = Keccak.hash(node, node) } }
        precondition(node != .zero)
        // A level of a page: 64 independent nodes, hashed together when the CPU allows.
        var pairs = [Node](repeating: node, count: 128), out = [Node](repeating: .zero, count: 64)
        let batched = seconds {
            for _ in 0..<(count / 64) {
                pairs.withUnsafeBufferPointer { p in
                    out.withUnsafeMutableBufferPointer { Keccak.hashPairs(p.baseAddress!, into: $0.baseAddress!, count: 64) }
                }
                pairs[0] = out[63]
            }
        }
        precondition(out[0] != .zero)
        let how = Keccak.batchWidth > 0 ? "\(Keccak.batchWidth) lanes" : "no vector unit: one by one"
        return [
            ("keccak256, 16 MiB message", Double(bytes.count) / long / 1e6, "MB/s"),
            ("keccak256, 64-byte tree nodes", Double(64 * count) / nodes / 1e6, "MB/s"),
            ("tree node hash", nodes / Double(count) * 1e9, "ns"),
            ("tree node hash, 64 independent (\(how))", batched / Double(count / 64 * 64) * 1e9, "ns"),
        ]
    }

    /// Seconds on the host's continuous clock (wall time).
    public static func wallSeconds() -> Double {
        let t = ContinuousClock.now - start
        return Double(t.components.seconds) + Double(t.components.attoseconds) / 1e18
    }
    private static let start = ContinuousClock.now

    static func measure(_ clock: Clock, _ body: () -> Void) -> Double {
        let t0 = clock()
        body()
        return clock() - t0
    }
}
