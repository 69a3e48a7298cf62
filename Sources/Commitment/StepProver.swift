import RISCV

/// A one-step proof and the roots it connects.
public struct StepProof {
    /// The encoded proof (`StepProofFormat`).
    public var bytes: [UInt8]
    /// Root before the step.
    public var pre: Digest
    /// Root after the step.
    public var post: Digest
}

/// Builds one-step proofs by running the same `Hart.step()` the runner uses.
public enum StepProver {
    /// Proves the step from `machine`'s current state (step N → N+1) and then advances
    /// `machine` by that one step with `Machine.step()` (so the machine and its step count
    /// move on exactly as a plain run would). `tree` must be bound to `machine.storage`.
    public static func prove(_ machine: Machine, tree: StateTree) -> StepProof {
        precondition(tree.storage === machine.storage, "the tree must be bound to the machine's storage")
        let pre = tree.rootNode()
        let access = LoggingAccess(machine.storage)
        var hart = Hart(access)
        hart.step()
        let leaves = access.log.sortedLeaves

        var source = TreeSiblings(tree: tree)
        var walk = MultiproofWalk()
        let roots = walk.roots(leaves, siblings: &source)
        precondition(roots?.pre == pre, "multiproof pre-root disagrees with the state tree")
        let post = roots!.post
        let bytes = StepProofFormat.encode(pre: pre.digest, post: post.digest, leaves: leaves, siblings: source.siblings)
        machine.step()
        return StepProof(bytes: bytes, pre: pre.digest, post: post.digest)
    }
}

/// Siblings read from a fresh state tree; records each with whether it is a zero subtree.
/// Nodes inside a page are not cached by the tree, so the first request for a page hashes
/// all of it once (heap order: 1 = page root, leaves at 128…255) and later requests reuse it.
struct TreeSiblings: SiblingSource {
    let tree: StateTree
    var siblings: [(node: Node, zero: Bool)] = []
    private var pages: [(key: UInt64, nodes: [Node])] = []

    init(tree: StateTree) { self.tree = tree }

    mutating func next(region: Int, level: Int, index: UInt64) -> Node? {
        let n: Node
        if region == StateLayout.ram || region == StateLayout.input || region == StateLayout.output,
           level < StateLayout.pageLevels {
            let shift = UInt64(StateLayout.pageLevels - level)
            let nodes = pageNodes(region: region, page: index >> shift)
            n = nodes[Int((1 << shift) + (index & ((1 << shift) - 1)))]
        } else {
            n = tree.node(region: region, level: level, index: index)
        }
        siblings.append((n, n == zeroNode(region: region, level: level, index: index)))
        return n
    }

    private mutating func pageNodes(region: Int, page: UInt64) -> [Node] {
        let key = UInt64(region) << 40 | page
        if let hit = pages.first(where: { $0.key == key }) { return hit.nodes }
        var nodes = [Node](repeating: .zero, count: 256)
        for i in 0..<128 { nodes[128 + i] = tree.leaf(region: region, index: page << 7 | UInt64(i)) }
        // Level by level in a work buffer (each level's nodes hashed together), copied out
        // into the heap.
        withUnsafeTemporaryAllocation(of: Node.self, capacity: 128 + 128 + 64) { buf in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { dest in
                let work = buf.baseAddress!, pairs = work + 128, out = work + 256
                for i in 0..<128 { work[i] = nodes[128 + i] }
                var width = 64
                var level = 0
                while width >= 1 {
                    hashLevel(work, width: width, level: level, pairs: pairs, out: out, dest: dest.baseAddress!)
                    for j in 0..<width { nodes[width + j] = work[j] }
                    width >>= 1
                    level += 1
                }
            }
        }
        pages.append((key, nodes))
        return nodes
    }
}
