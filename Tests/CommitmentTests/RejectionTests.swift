import Testing
import RISCV
@testable import Commitment

/// Everything inconsistent is rejected, with a reason.
struct RejectionTests {
    /// A machine of the traps guest at `step` with a fresh tree.
    static func traps(at step: UInt64) throws -> (Machine, StateTree)? {
        guard let m = try Guests.machine("traps") else { return nil }
        m.run(steps: step)
        return (m, StateTree(m.storage))
    }

    /// Builds a proof of the next step of `m` whose opened leaves are the step's real ones
    /// edited by `edit`, with correct siblings and pre-root for the edited set (what a
    /// careful cheater could produce). The machine is not advanced.
    static func forged(_ m: Machine, _ tree: StateTree, _ edit: (inout [ProofLeaf]) -> Void) -> [UInt8] {
        let preRoot = tree.rootNode()
        let access = LoggingAccess(m.storage)
        var hart = Hart(access)
        hart.step()
        var leaves = access.log.sortedLeaves
        edit(&leaves)
        var source = TreeSiblings(tree: tree)
        var walk = MultiproofWalk()
        let pre = walk.root(leaves, post: false, siblings: &source)!
        #expect(pre == preRoot)
        var recorded = RecordedSiblings(nodes: source.siblings.map(\.node))
        let post = walk.root(leaves, post: true, siblings: &recorded)!
        return StepProofFormat.encode(pre: pre.digest, post: post.digest, leaves: leaves, siblings: source.siblings)
    }

    static func reason(_ proof: [UInt8]) -> String? {
        if case .failure(let e) = verifyStep(proof) { return e.description }
        return nil
    }

    @Test(.enabled(if: Guests.available("traps"), "run `make guests` first"))
    func everySingleBitFlipIsRejected() throws {
        // Step 89 of traps takes an ecall trap; step 1000 is an ordinary instruction.
        for step: UInt64 in [88, 1000] {
            let (m, tree) = try #require(try Self.traps(at: step))
            let p = StepProver.prove(m, tree: tree)
            #expect((try? verifyStep(p.bytes).get()) != nil)
            var accepted: [Int] = []
            var bytes = p.bytes
            for bit in 0..<(8 * bytes.count) {
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
                if Self.reason(bytes) == nil { accepted.append(bit) }
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            #expect(accepted.isEmpty, "flipped bits accepted at step \(step): \(accepted.prefix(10))")
        }
    }

    @Test(.enabled(if: Guests.available("traps"), "run `make guests` first"))
    func flippedClaimedRootsAreRejected() throws {
        let (m, tree) = try #require(try Self.traps(at: 500))
        let p = StepProver.prove(m, tree: tree)
        var checker = StepProofChecker()
        _ = try checker.check(p.bytes, pre: p.pre, post: p.post)
        for bit in 0..<256 {
            var pre = p.pre.bytes, post = p.post.bytes
            pre[bit / 8] ^= 1 << UInt8(bit % 8)
            post[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(throws: VerifyError.self) { try checker.check(p.bytes, pre: Digest(bytes: pre), post: p.post) }
            #expect(throws: VerifyError.self) { try checker.check(p.bytes, pre: p.pre, post: Digest(bytes: post)) }
        }
    }

    @Test(.enabled(if: Guests.available("traps"), "run `make guests` first"))
    func truncationAndTrailingBytes() throws {
        let (m, tree) = try #require(try Self.traps(at: 300))
        let p = StepProver.prove(m, tree: tree).bytes
        for n in 0..<p.count {
            let r = Self.reason(Array(p[..<n]))
            #expect(r != nil, "a \(n)-byte prefix was accepted")
        }
        #expect(Self.reason(p + [0])?.contains("1 trailing bytes from byte \(p.count)") == true)
        #expect(Self.reason([UInt8]("TBSQ".utf8) + p[4...])?.contains("bad magic") == true)
        var v2 = p; v2[4] = 2
        #expect(Self.reason(v2)?.contains("unsupported version 2") == true)
        // A leaf value that does not lead to the root.
        var bad = p; bad[StepProofFormat.headerSize + 5] ^= 0x40
        #expect(Self.reason(bad)?.contains("pre-root") == true)
    }

    @Test(.enabled(if: Guests.available("traps"), "run `make guests` first"))
    func missingAndExtraAccesses() throws {
        let (m, tree) = try #require(try Self.traps(at: 1000))
        // Leave out the fetched RAM leaf: the siblings are right for the smaller set.
        let missing = Self.forged(m, tree) { leaves in leaves.removeAll { $0.region == StateLayout.ram } }
        #expect(Self.reason(missing)?.contains("missing access: the step touches ram leaf") == true)
        // Leave out the leaf with the halt flag: the very first read.
        let noHalt = Self.forged(m, tree) { leaves in leaves.removeAll { $0.region == 0 && $0.index == 0 } }
        #expect(Self.reason(noHalt)?.contains("missing access: the step touches core leaf 0") == true)
        // Open one more leaf than the step touches.
        let extra = Self.forged(m, tree) { leaves in
            let v = tree.leaf(region: StateLayout.ram, index: 12345)
            leaves.append(ProofLeaf(region: StateLayout.ram, index: 12345, pre: v, post: v))
            leaves.sort { ($0.region, $0.index) < ($1.region, $1.index) }
        }
        #expect(Self.reason(extra)?.contains("extra access: the proof opens ram leaf 12345") == true)
        // The honest proof of the same step is fine.
        let honest = Self.forged(m, tree) { _ in }
        #expect(Self.reason(honest) == nil)
        #expect(honest == StepProver.prove(m, tree: tree).bytes)
    }

    @Test(.enabled(if: Guests.available("traps"), "run `make guests` first"))
    func wrongPostRootIsRejected() throws {
        let (m, tree) = try #require(try Self.traps(at: 1000))
        var p = StepProver.prove(m, tree: tree).bytes
        // Claim the pre-root as the post-root (as if the step did nothing).
        p.replaceSubrange(40..<72, with: p[8..<40])
        #expect(Self.reason(p)?.contains("replaying the step gives post-root") == true)
    }
}
