import RISCV

/// Proves what a machine has written so far against its state root, in a constant size
/// whatever the output's length, so the judge can check the output hash of a claim and no
/// frame limit a configuration allows can keep an honest party from answering.
///
/// The **output hash** is keccak256(outputLength as u64 little-endian ‖ output region
/// root): a commitment to the output bytes that anyone holding them can recompute
/// (`hash(ofOutput:)`), and that the state root fixes. The opening shows the two
/// numbers it is made of: core leaf 5 (words 20…23; `outputLength` is word 22) with its
/// path to the core region root, and the other three region roots.
///
/// Format, version 2 (integers little-endian), exactly 392 bytes:
///
///     0    4  magic "TBSO"
///     4    2  version (2)
///     6    2  reserved, 0
///     8   32  state root
///    40   32  core leaf 5
///    72  224  its 7 siblings in the core region, from the leaf's level up
///   296   32  RAM region root
///   328   32  input region root
///   360   32  output region root
public enum OutputOpening {
    /// "TBSO".
    public static let magic: [UInt8] = Array("TBSO".utf8)
    /// The only version this build reads and writes.
    public static let version: UInt16 = 2
    /// Every opening's size in bytes.
    public static let size = 392
    static let coreLeaf = StateLayout.coreLeaf(ofWord: CoreLayout.outputLength)
    static let coreDepth = StateLayout.depth(StateLayout.core)
    /// Hashes a check computes, each over at most 64 bytes (one keccak256 word pair): the
    /// core leaf's path to the core region root (7), the four region roots to the state
    /// root (3), and the output hash itself (40 bytes).
    public static let hashesChecked = coreDepth + 3 + 1

    /// The output hash of `length` bytes whose output region has root `regionRoot`.
    static func hash(length: UInt64, regionRoot: Digest) -> Digest {
        var b = [UInt8]()
        appendLE(&b, length, 8)
        return Keccak.hash(b + regionRoot.bytes)
    }

    /// The output hash of `output` as a machine would have written it: its bytes as the
    /// leaves of the output region (docs/STATE.md), zero beyond the end.
    public static func hash(ofOutput output: [UInt8]) -> Digest {
        // The same page-by-page hashing the state tree gives the output region.
        var region = PageLevels(depth: StateLayout.depth(StateLayout.output))
        let pages = (output.count + StateLayout.pageSize - 1) / StateLayout.pageSize
        region.setPageCount(pages)
        region.rehash(pages: Array(0..<pages)) { hashBytePage(output, page: $0) }
        return hash(length: UInt64(output.count), regionRoot: region.root.digest)
    }

    /// Opens the output of `tree`'s machine as of now (the root is brought up to date).
    public static func open(_ tree: StateTree) -> [UInt8] {
        let root = tree.rootNode()
        let regions = tree.regionRoots()
        var out = magic
        appendLE(&out, UInt64(version), 2)
        appendLE(&out, 0, 2)
        out += root.digest.bytes
        var heap = (1 << coreDepth) + coreLeaf.leaf
        out += tree.coreNodes[heap].digest.bytes
        while heap > 1 {
            out += tree.coreNodes[heap ^ 1].digest.bytes
            heap >>= 1
        }
        for r in regions.dropFirst() { out += r.digest.bytes }
        precondition(out.count == size)
        return out
    }

    /// Checks an opening against `root`; returns the output's length and hash.
    public static func check(_ b: [UInt8], root: Digest) throws(VerifyError) -> (length: UInt64, hash: Digest) {
        let what = "output opening"
        guard b.count == size else { throw VerifyError("\(what): \(b.count) bytes; an opening is exactly \(size)") }
        if Array(b[0..<4]) != magic { throw VerifyError("\(what): bad magic at byte 0") }
        let v = readLE(b, 4, 2)
        if v != UInt64(version) { throw VerifyError("\(what): unsupported version \(v) at byte 4") }
        if readLE(b, 6, 2) != 0 { throw VerifyError("\(what): reserved field at byte 6 is not zero") }
        let claimed = Digest(bytes: b[8..<40])
        if claimed != root { throw VerifyError("\(what) is for root \(claimed), not \(root)") }
        func node(_ offset: Int) -> Node { b.withUnsafeBytes { Node(loading: $0.baseAddress! + offset) } }
        let leaf = node(40)
        let length = leaf[coreLeaf.lane]
        guard length <= UInt64(MachineStorage.tapeCapacity) else {
            throw VerifyError("\(what): output length \(length) (byte \(40 + 8 * coreLeaf.lane)) exceeds the tape")
        }
        var heap = (1 << coreDepth) + coreLeaf.leaf
        var core = leaf
        for i in 0..<coreDepth {
            let sibling = node(72 + 32 * i)
            core = heap & 1 == 0 ? Keccak.hash(core, sibling) : Keccak.hash(sibling, core)
            heap >>= 1
        }
        let output = node(360)
        let computed = combineTop([core, node(296), node(328), output]).digest
        if computed != root { throw VerifyError("\(what): the leaf and roots give state root \(computed), not \(root)") }
        return (length, hash(length: length, regionRoot: output.digest))
    }
}

/// The output opening of `tree`'s machine (see `OutputOpening`).
public func openOutput(_ tree: StateTree) -> [UInt8] { OutputOpening.open(tree) }

/// The output hash an opening proves against `root`, or nil when it does not.
public func checkOutputOpening(_ bytes: [UInt8], root: Digest) -> Digest? {
    try? OutputOpening.check(bytes, root: root).hash
}
