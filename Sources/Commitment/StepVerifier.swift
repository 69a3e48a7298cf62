import RISCV

/// State access for the judge: backed only by the leaves a proof opens. Reads and writes
/// of opened leaves go to the proof's values (which become the post-values); touching a
/// leaf the proof does not open records a "missing access" and reads as zero, so the
/// step can finish and the verifier then rejects the proof.
public struct ProofAccess: StateAccess {
    /// Leaf values, four lanes per opened leaf.
    @usableFromInline let lanes: UnsafeMutablePointer<UInt64>
    /// Whether each opened leaf was touched.
    @usableFromInline let touched: UnsafeMutablePointer<Bool>
    /// Slot of each core leaf, -1 when not opened.
    @usableFromInline let coreSlot: UnsafeMutablePointer<Int32>
    /// Keys (region << 32 | index) of the opened non-core leaves, whose slots follow the core ones.
    @usableFromInline let otherKeys: UnsafeMutablePointer<UInt64>
    @usableFromInline let otherCount: Int
    @usableFromInline let otherBase: Int
    /// The first access to a leaf the proof does not open.
    public var missing: (region: Int, index: UInt64)?

    init(lanes: UnsafeMutablePointer<UInt64>, touched: UnsafeMutablePointer<Bool>, coreSlot: UnsafeMutablePointer<Int32>,
         otherKeys: UnsafeMutablePointer<UInt64>, otherCount: Int, otherBase: Int) {
        self.lanes = lanes; self.touched = touched; self.coreSlot = coreSlot
        self.otherKeys = otherKeys; self.otherCount = otherCount; self.otherBase = otherBase
    }

    @inline(__always) mutating func other(_ region: Int, _ index: UInt64) -> Int? {
        let key = UInt64(region) << 32 | index
        var i = 0
        while i < otherCount {
            if otherKeys[i] == key {
                touched[otherBase + i] = true
                return otherBase + i
            }
            i += 1
        }
        if missing == nil { missing = (region, index) }
        return nil
    }

    @inline(__always) mutating func core(_ index: Int) -> Int? {
        let s = Int(coreSlot[index >> 2])
        if s < 0 {
            if missing == nil { missing = (StateLayout.core, UInt64(index >> 2)) }
            return nil
        }
        touched[s] = true
        return s
    }

    public mutating func read(_ index: Int) -> UInt64 {
        guard let s = core(index) else { return 0 }
        return lanes[4 * s + (index & 3)]
    }

    public mutating func write(_ index: Int, _ value: UInt64) {
        guard let s = core(index) else { return }
        lanes[4 * s + (index & 3)] = value
    }

    public mutating func readRAM(_ offset: UInt64, _ size: Int) -> UInt64 {
        guard let s = other(StateLayout.ram, offset >> 5) else { return 0 }
        return laneBits(s, byte: Int(offset & 31), size: size)
    }

    public mutating func writeRAM(_ offset: UInt64, _ size: Int, _ value: UInt64) {
        guard let s = other(StateLayout.ram, offset >> 5) else { return }
        setLaneBits(s, byte: Int(offset & 31), size: size, value)
    }

    public mutating func readInput(_ position: UInt64) -> UInt8 {
        guard let s = other(StateLayout.input, position >> 5) else { return 0 }
        return UInt8(truncatingIfNeeded: laneBits(s, byte: Int(position & 31), size: 1))
    }

    public mutating func writeOutput(_ position: UInt64, _ byte: UInt8) {
        guard let s = other(StateLayout.output, position >> 5) else { return }
        setLaneBits(s, byte: Int(position & 31), size: 1, UInt64(byte))
    }

    @inline(__always) func laneBits(_ s: Int, byte: Int, size: Int) -> UInt64 {
        let v = lanes[4 * s + (byte >> 3)] >> UInt64((byte & 7) * 8)
        return size == 8 ? v : v & ((1 << UInt64(size * 8)) - 1)
    }

    @inline(__always) func setLaneBits(_ s: Int, byte: Int, size: Int, _ value: UInt64) {
        let shift = UInt64((byte & 7) * 8)
        let mask: UInt64 = size == 8 ? ~0 : ((1 << UInt64(size * 8)) - 1) << shift
        let p = lanes + 4 * s + (byte >> 3)
        p.pointee = (p.pointee & ~mask) | ((value << shift) & mask)
    }
}

/// What a valid one-step proof establishes.
public struct StepVerdict: Equatable, Sendable {
    /// Root before the step (recomputed from what the step read).
    public var pre: Digest
    /// Root after the step (recomputed from what it wrote).
    public var post: Digest
    /// Whether the pre-state was halted (then the step is the identity and post == pre).
    public var preHalted: Bool
    /// The committed step counter before the step (`CoreLayout.stepCount`), when the step
    /// touched it: every step does, so it is nil only for proofs of a foreign format.
    /// For a halted pre-state it is the step at which the machine halted.
    public var preStepCount: UInt64?
    /// Size of the proof in bytes (the game charges for it).
    public var proofSize: Int
    /// Node hashes the verification computed: the pre-root walk over the opened leaves and
    /// siblings, plus the post-root walk's re-hashed paths (docs/STATE.md, "Verification").
    public var nodeHashes: Int = 0
}

/// The stateless step verifier the judge runs: from a proof alone, recompute the
/// pre-root from the opened leaves, replay `Hart.step()` over exactly those leaves, and
/// recompute the post-root from what the step wrote.
public func verifyStep(_ proof: [UInt8]) -> Result<StepVerdict, VerifyError> {
    do throws(VerifyError) {
        var checker = StepProofChecker()
        return .success(try checker.check(proof))
    } catch {
        return .failure(error)
    }
}

/// The judge-facing checker for one-step proofs (see `verifyStep`). Reuses its buffers
/// across calls.
public struct StepProofChecker {
    private var walk = MultiproofWalk()

    /// A checker with empty buffers.
    public init() {}

    /// Verifies `proof`; when `pre` / `post` are given, also requires the proven roots to
    /// be those (the roots the game agreed on).
    public mutating func check(_ proof: [UInt8], pre: Digest? = nil, post: Digest? = nil) throws(VerifyError) -> StepVerdict {
        var d = try StepProofFormat.decode(proof)
        walk.hashes = 0
        if let pre, pre != d.pre { throw VerifyError("proof is for pre-state \(d.pre), not the disputed \(pre)") }
        if let post, post != d.post { throw VerifyError("proof claims post-state \(d.post), not the disputed \(post)") }
        var leaves = d.leaves
        d.leaves = [] // the replay writes post-values into `leaves`: no copy-on-write

        // The step is replayed over the opened leaves first, so that one walk can hash the
        // pre- and post-values together; what the replay finds is reported only after the
        // pre-root checks, in the order the steps below are documented (docs/STATE.md).
        let replayed: Result<Bool, VerifyError>
        do throws(VerifyError) { replayed = .success(try Self.replay(&leaves)) } catch { replayed = .failure(error) }

        // 1. The opened pre-values must reach the claimed pre-root.
        var siblings = DecodedSiblings(bytes: proof, count: d.siblingCount, bitmapOffset: d.bitmapOffset, hashOffset: d.hashesOffset)
        guard let roots = walk.roots(leaves, siblings: &siblings) else {
            throw VerifyError("proof has \(d.siblingCount) siblings; the opened leaves need more")
        }
        if siblings.cursor != d.siblingCount {
            throw VerifyError("proof has \(d.siblingCount) siblings; the opened leaves need only \(siblings.cursor)")
        }
        if roots.pre.digest != d.pre {
            throw VerifyError("opened leaves and siblings give pre-root \(roots.pre.digest), not the claimed \(d.pre)")
        }

        // 2. The step over the opened leaves only.
        let preHalted = try replayed.get()
        let counter = CoreLayout.stepCount
        let counterLeaf = leaves.first { $0.region == StateLayout.core && $0.index == UInt64(counter / 4) }
        let preStepCount = counterLeaf.map { leaf in [leaf.pre.l0, leaf.pre.l1, leaf.pre.l2, leaf.pre.l3][counter % 4] }

        // 3. The written values with the same siblings give the post-root.
        let postRoot = roots.post.digest
        if postRoot != d.post {
            throw VerifyError("replaying the step gives post-root \(postRoot), not the claimed \(d.post)")
        }
        if preHalted && postRoot != roots.pre.digest { throw VerifyError("a halted machine's step changed the state") }
        return StepVerdict(pre: d.pre, post: d.post, preHalted: preHalted, preStepCount: preStepCount,
                           proofSize: proof.count, nodeHashes: walk.hashes)
    }

    /// Runs `Hart.step()` over the opened leaves alone, filling in each leaf's post-value;
    /// rejects a proof whose step touches a leaf it does not open, or opens one the step
    /// does not touch. Returns whether the pre-state was halted.
    static func replay(_ leaves: inout [ProofLeaf]) throws(VerifyError) -> Bool {
        let n = leaves.count
        let lanes = UnsafeMutablePointer<UInt64>.allocate(capacity: 4 * n)
        let touched = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        let coreSlot = UnsafeMutablePointer<Int32>.allocate(capacity: 128)
        let otherKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        defer { lanes.deallocate(); touched.deallocate(); coreSlot.deallocate(); otherKeys.deallocate() }
        touched.initialize(repeating: false, count: n)
        coreSlot.initialize(repeating: -1, count: 128)
        var coreCount = 0
        for (i, l) in leaves.enumerated() {
            lanes[4 * i] = l.pre.l0; lanes[4 * i + 1] = l.pre.l1; lanes[4 * i + 2] = l.pre.l2; lanes[4 * i + 3] = l.pre.l3
            if l.region == StateLayout.core {
                coreSlot[Int(l.index)] = Int32(i)
                coreCount += 1
            } else {
                otherKeys[i - coreCount] = UInt64(l.region) << 32 | l.index
            }
        }
        let access = ProofAccess(lanes: lanes, touched: touched, coreSlot: coreSlot, otherKeys: otherKeys,
                                 otherCount: n - coreCount, otherBase: coreCount)
        var hart = Hart(access)
        hart.step()
        if let m = hart.s.missing {
            throw VerifyError("missing access: the step touches \(StateLayout.names[m.region]) leaf \(m.index), which the proof does not open")
        }
        for i in 0..<n where !touched[i] {
            throw VerifyError("extra access: the proof opens \(StateLayout.names[leaves[i].region]) leaf \(leaves[i].index), which the step does not touch")
        }
        for i in 0..<n { leaves[i].post = Node(lanes[4 * i], lanes[4 * i + 1], lanes[4 * i + 2], lanes[4 * i + 3]) }
        return leaves[0].region == StateLayout.core && leaves[0].index == 0 && leaves[0].pre.l2 != 0
    }
}
