import RISCV

/// Proves what a machine has written so far against its state root, so a party holding
/// only the root (the judge) can learn the output and its keccak256. The opening opens
/// the core leaf holding `outputLength` and every output leaf that holds an output byte,
/// with their Merkle siblings.
///
/// Format, version 1 (integers little-endian):
///
///     0   4  magic "TBSO"
///     4   2  version (1)
///     6   2  reserved, 0
///     8  32  state root
///    40   4  leaf count L
///    44   4  sibling count S
///    48      leaves, bitmap and siblings exactly as in a step proof (`StepProofFormat`)
///
/// The leaves must be exactly core leaf 5 (words 20…23, `outputLength` is word 22) and
/// output leaves 0 ..< ⌈outputLength / 32⌉, and the bytes past the output's end in its
/// last leaf must be zero.
public enum OutputOpening {
    /// "TBSO".
    public static let magic: [UInt8] = Array("TBSO".utf8)
    /// The only version this build reads and writes.
    public static let version: UInt16 = 1
    static let headerSize = 48

    /// Opens the output of `tree`'s machine as of now (the root is brought up to date).
    public static func open(_ tree: StateTree) -> [UInt8] {
        let root = tree.rootNode()
        let length = Int(tree.storage.core[CoreLayout.outputLength])
        let (leafIndex, _) = StateLayout.coreLeaf(ofWord: CoreLayout.outputLength)
        var leaves = [ProofLeaf]()
        let c = tree.leaf(region: StateLayout.core, index: UInt64(leafIndex))
        leaves.append(ProofLeaf(region: StateLayout.core, index: UInt64(leafIndex), pre: c, post: c))
        for i in 0..<UInt64((length + 31) / 32) {
            let v = tree.leaf(region: StateLayout.output, index: i)
            leaves.append(ProofLeaf(region: StateLayout.output, index: i, pre: v, post: v))
        }
        var source = TreeSiblings(tree: tree)
        var walk = MultiproofWalk()
        let computed = walk.root(leaves, post: false, siblings: &source)
        precondition(computed == root, "output opening disagrees with the state tree")
        var out = magic
        appendLE(&out, UInt64(version), 2)
        appendLE(&out, 0, 2)
        out += root.digest.bytes
        appendLE(&out, UInt64(leaves.count), 4)
        appendLE(&out, UInt64(source.siblings.count), 4)
        StepProofFormat.encodeBody(&out, leaves: leaves, siblings: source.siblings)
        return out
    }

    /// Checks an opening against `root` and returns the output bytes and their keccak256.
    public static func check(_ b: [UInt8], root: Digest) throws(VerifyError) -> (output: [UInt8], hash: Digest) {
        let what = "output opening"
        try StepProofFormat.requireBytes(b, 0, headerSize, "header", what: what)
        if Array(b[0..<4]) != magic { throw VerifyError("\(what): bad magic at byte 0") }
        let v = readLE(b, 4, 2)
        if v != UInt64(version) { throw VerifyError("\(what): unsupported version \(v) at byte 4") }
        if readLE(b, 6, 2) != 0 { throw VerifyError("\(what): reserved field at byte 6 is not zero") }
        let claimed = Digest(bytes: b[8..<40])
        if claimed != root { throw VerifyError("\(what) is for root \(claimed), not \(root)") }
        let leafCount = Int(readLE(b, 40, 4)), siblingCount = Int(readLE(b, 44, 4))
        let body = try StepProofFormat.decodeBody(b, from: headerSize, leafCount: leafCount, siblingCount: siblingCount, what: what)
        let leaves = body.leaves
        let (coreLeaf, lane) = StateLayout.coreLeaf(ofWord: CoreLayout.outputLength)
        guard let first = leaves.first, first.region == StateLayout.core, first.index == UInt64(coreLeaf) else {
            throw VerifyError("\(what): the first leaf must be core leaf \(coreLeaf) (outputLength)")
        }
        let length = first.pre[lane]
        guard length <= UInt64(MachineStorage.tapeCapacity) else { throw VerifyError("\(what): output length \(length) exceeds the tape") }
        let outputLeaves = (Int(length) + 31) / 32
        guard leaves.count == 1 + outputLeaves else {
            throw VerifyError("\(what): \(leaves.count - 1) output leaves opened, the output of \(length) bytes needs \(outputLeaves)")
        }
        for (i, l) in leaves.dropFirst().enumerated() where l.region != StateLayout.output || l.index != UInt64(i) {
            throw VerifyError("\(what): leaf \(i + 1) must be output leaf \(i)")
        }
        var siblings = DecodedSiblings(bytes: b, count: siblingCount, bitmapOffset: body.bitmapOffset, hashOffset: body.hashesOffset)
        var walk = MultiproofWalk()
        guard let computed = walk.root(leaves, post: false, siblings: &siblings) else {
            throw VerifyError("\(what) has \(siblingCount) siblings; the opened leaves need more")
        }
        if siblings.cursor != siblingCount { throw VerifyError("\(what) has \(siblingCount) siblings; the leaves need only \(siblings.cursor)") }
        if computed.digest != root { throw VerifyError("\(what): leaves and siblings give root \(computed.digest), not \(root)") }
        var output: [UInt8] = []
        output.reserveCapacity(outputLeaves * 32)
        for l in leaves.dropFirst() { l.pre.append(to: &output) }
        if output[Int(length)...].contains(where: { $0 != 0 }) { throw VerifyError("\(what): bytes past the output's end are not zero") }
        output.removeLast(output.count - Int(length))
        return (output, Keccak.hash(output))
    }
}

/// The output opening of `tree`'s machine (see `OutputOpening`).
public func openOutput(_ tree: StateTree) -> [UInt8] { OutputOpening.open(tree) }

/// keccak256 of the output an opening proves against `root`, or nil when it does not.
public func checkOutputOpening(_ bytes: [UInt8], root: Digest) -> Digest? {
    try? OutputOpening.check(bytes, root: root).hash
}
