import RISCV

/// One opened leaf of a multiproof: where it is, its value before the step, and (after a
/// replay) its value after.
struct ProofLeaf {
    var region: Int
    var index: UInt64
    var pre: Node
    var post: Node
}

/// Where the sibling hashes of a multiproof come from while a root is computed: the
/// decoded proof (verifier), the state tree (prover), or a list recorded earlier.
protocol SiblingSource {
    /// The hash of the node at (`region`, `level`, `index`); nil when the source has run out.
    mutating func next(region: Int, level: Int, index: UInt64) -> Node?
}

/// Replays siblings recorded by an earlier walk over the same leaves.
struct RecordedSiblings: SiblingSource {
    var nodes: [Node]
    var cursor = 0
    mutating func next(region: Int, level: Int, index: UInt64) -> Node? {
        guard cursor < nodes.count else { return nil }
        defer { cursor += 1 }
        return nodes[cursor]
    }
}

/// Computes a root from opened leaves and sibling hashes. The walk fixes the canonical
/// sibling order every proof uses: region by region (0…3, then the top tree as "region"
/// 4), within a region level by level from the leaves up, within a level by ascending
/// index. A node is a sibling exactly when it is needed and not computable from the
/// opened leaves, so shared siblings appear once.
///
/// `walk(post: false)` hashes the pre-values and remembers every inner node; the
/// following `walk(post: true)` hashes the post-values and reuses the remembered node
/// wherever nothing below it changed, so a step that writes little costs little.
struct MultiproofWalk {
    /// Node hashes (keccak256 of two children) computed by the walks since this was last
    /// reset: what an on-chain verifier pays KECCAK256 for.
    var hashes = 0
    private var memo: [Node] = []
    private var frontier: [Entry] = []
    private var top: [Entry] = []

    struct Entry {
        var index: UInt64
        var node: Node
        var changed: Bool
    }

    /// The root over `leaves` (sorted by region, then index; distinct), or nil when the
    /// sibling source runs out.
    mutating func root<S: SiblingSource>(_ leaves: [ProofLeaf], post: Bool, siblings: inout S) -> Node? {
        if !post { memo.removeAll(keepingCapacity: true) }
        var memoPos = 0
        top.removeAll(keepingCapacity: true)
        var i = 0
        while i < leaves.count {
            let region = leaves[i].region
            frontier.removeAll(keepingCapacity: true)
            while i < leaves.count && leaves[i].region == region {
                let l = leaves[i]
                frontier.append(Entry(index: l.index, node: post ? l.post : l.pre, changed: post && l.post != l.pre))
                i += 1
            }
            guard Self.reduce(&frontier, memo: &memo, region: region, levels: StateLayout.depth(region), post: post,
                              memoPos: &memoPos, hashes: &hashes, siblings: &siblings) else { return nil }
            top.append(Entry(index: UInt64(region), node: frontier[0].node, changed: frontier[0].changed))
        }
        guard !top.isEmpty, Self.reduce(&top, memo: &memo, region: 4, levels: StateLayout.topLevels, post: post,
                                       memoPos: &memoPos, hashes: &hashes, siblings: &siblings) else { return nil }
        return top[0].node
    }

    /// Hashes `f` up `levels` levels in place; false when a sibling is missing.
    private static func reduce<S: SiblingSource>(_ f: inout [Entry], memo: inout [Node], region: Int, levels: Int,
                                                 post: Bool, memoPos: inout Int, hashes: inout Int, siblings: inout S) -> Bool {
        for level in 0..<levels {
            var r = 0, w = 0
            let n = f.count
            while r < n {
                let e = f[r]
                let left: Entry, right: Entry
                if e.index & 1 == 0 && r + 1 < n && f[r + 1].index == e.index + 1 {
                    left = e; right = f[r + 1]; r += 2
                } else {
                    guard let s = siblings.next(region: region, level: level, index: e.index ^ 1) else { return false }
                    let sib = Entry(index: e.index ^ 1, node: s, changed: false)
                    if e.index & 1 == 0 { left = e; right = sib } else { left = sib; right = e }
                    r += 1
                }
                let changed = left.changed || right.changed
                let parent: Node
                if post && !changed {
                    parent = memo[memoPos]
                } else {
                    parent = Keccak.hash(left.node, right.node)
                    hashes += 1
                    if !post { memo.append(parent) }
                }
                memoPos += 1
                f[w] = Entry(index: e.index >> 1, node: parent, changed: changed)
                w += 1
            }
            f.removeLast(n - w)
        }
        return true
    }
}

/// The binary proof format, version 1 (docs/STATE.md, "One-step proofs"). All integers
/// little-endian.
///
///     0   4  magic "TBSP"
///     4   2  version (1)
///     6   2  reserved, 0
///     8  32  pre-state root
///    40  32  post-state root
///    72   2  leaf count L (≥ 1)
///    74   2  sibling count S
///    76      L × 37: region (u8), leaf index (u32), the leaf's 32 bytes before the step;
///            sorted by (region, index), no repeats
///     …      ⌈S/8⌉ bytes: bit i (byte i/8, bit i%8) is 1 when sibling i is written out,
///            0 when it is the zero subtree of its position; unused bits 0
///     …      32 bytes per written-out sibling, in canonical order
///
/// Nothing may follow.
public enum StepProofFormat {
    /// "TBSP".
    public static let magic: [UInt8] = Array("TBSP".utf8)
    /// The only version this build reads and writes.
    public static let version: UInt16 = 1
    /// Bytes before the first leaf.
    public static let headerSize = 76
    /// Bytes per opened leaf.
    public static let leafRecordSize = 37

    /// Encodes a proof.
    static func encode(pre: Digest, post: Digest, leaves: [ProofLeaf], siblings: [(node: Node, zero: Bool)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + leaves.count * leafRecordSize + siblings.count * 33)
        out += magic
        appendLE(&out, UInt64(version), 2)
        appendLE(&out, 0, 2)
        out += pre.bytes
        out += post.bytes
        appendLE(&out, UInt64(leaves.count), 2)
        appendLE(&out, UInt64(siblings.count), 2)
        encodeBody(&out, leaves: leaves, siblings: siblings)
        return out
    }

    /// Appends the leaf records, the sibling bitmap and the written-out siblings.
    static func encodeBody(_ out: inout [UInt8], leaves: [ProofLeaf], siblings: [(node: Node, zero: Bool)]) {
        for l in leaves {
            out.append(UInt8(l.region))
            appendLE(&out, l.index, 4)
            l.pre.append(to: &out)
        }
        var bitmap = [UInt8](repeating: 0, count: (siblings.count + 7) / 8)
        for (i, s) in siblings.enumerated() where !s.zero { bitmap[i / 8] |= 1 << UInt8(i % 8) }
        out += bitmap
        for s in siblings where !s.zero { s.node.append(to: &out) }
    }

    /// A decoded proof: claimed roots, opened leaves and the sibling stream.
    struct Decoded {
        var pre: Digest
        var post: Digest
        var leaves: [ProofLeaf]
        var siblingCount: Int
        /// Byte offset of the bitmap.
        var bitmapOffset: Int
        /// Byte offset of the first written-out sibling.
        var hashesOffset: Int
    }

    /// Decodes strictly: every count, bound, order and padding bit is checked, and the
    /// bytes must end exactly where the format says.
    static func decode(_ b: [UInt8], what: String = "proof") throws(VerifyError) -> Decoded {
        func need(_ offset: Int, _ n: Int, _ field: String) throws(VerifyError) {
            try requireBytes(b, offset, n, field, what: what)
        }
        try need(0, 4, "magic")
        if Array(b[0..<4]) != magic { throw VerifyError("\(what): bad magic at byte 0 (not a tbsim step proof)") }
        try need(4, 4, "version")
        let version = readLE(b, 4, 2)
        if version != UInt64(StepProofFormat.version) {
            throw VerifyError("\(what): unsupported version \(version) at byte 4 (this build reads version \(StepProofFormat.version))")
        }
        if readLE(b, 6, 2) != 0 { throw VerifyError("\(what): reserved field at byte 6 is not zero") }
        try need(8, headerSize - 8, "header")
        let pre = Digest(bytes: b[8..<40])
        let post = Digest(bytes: b[40..<72])
        let leafCount = Int(readLE(b, 72, 2))
        let siblingCount = Int(readLE(b, 74, 2))
        if leafCount == 0 { throw VerifyError("\(what): leaf count at byte 72 is 0 (a step always reads the halt flag)") }
        let body = try decodeBody(b, from: headerSize, leafCount: leafCount, siblingCount: siblingCount, what: what)
        return Decoded(pre: pre, post: post, leaves: body.leaves, siblingCount: siblingCount,
                       bitmapOffset: body.bitmapOffset, hashesOffset: body.hashesOffset)
    }

    /// Throws "truncated" unless `b` holds bytes `offset..<offset + n`.
    static func requireBytes(_ b: [UInt8], _ offset: Int, _ n: Int, _ field: String, what: String) throws(VerifyError) {
        if b.count < offset + n {
            throw VerifyError("\(what) truncated at byte \(b.count): \(field) needs bytes \(offset)..<\(offset + n)")
        }
    }

    /// Decodes leaf records, bitmap and siblings from `offset` to the very end of `b`.
    static func decodeBody(_ b: [UInt8], from start: Int, leafCount: Int, siblingCount: Int,
                           what: String) throws(VerifyError) -> (leaves: [ProofLeaf], bitmapOffset: Int, hashesOffset: Int) {
        func need(_ offset: Int, _ n: Int, _ field: String) throws(VerifyError) {
            try requireBytes(b, offset, n, field, what: what)
        }
        var offset = start
        try need(offset, leafCount * leafRecordSize, "\(leafCount) leaves")
        var leaves: [ProofLeaf] = []
        leaves.reserveCapacity(leafCount)
        for _ in 0..<leafCount {
            let region = Int(b[offset])
            if region >= StateLayout.regionCount { throw VerifyError("\(what): region \(region) at byte \(offset) does not exist (0…3)") }
            let index = readLE(b, offset + 1, 4)
            if index >> UInt64(StateLayout.depth(region)) != 0 {
                throw VerifyError("\(what): leaf index \(index) at byte \(offset + 1) is outside the \(StateLayout.names[region]) region")
            }
            if let last = leaves.last, (last.region, last.index) >= (region, index) {
                throw VerifyError("\(what): leaf at byte \(offset) is not after the previous one (leaves must be sorted and distinct)")
            }
            let value = b.withUnsafeBytes { Node(loading: $0.baseAddress! + offset + 5) }
            leaves.append(ProofLeaf(region: region, index: index, pre: value, post: value))
            offset += leafRecordSize
        }
        let bitmapOffset = offset
        let bitmapBytes = (siblingCount + 7) / 8
        try need(offset, bitmapBytes, "sibling bitmap")
        var written = 0
        for i in 0..<bitmapBytes { written += b[offset + i].nonzeroBitCount }
        if siblingCount % 8 != 0 && b[offset + bitmapBytes - 1] >> UInt8(siblingCount % 8) != 0 {
            throw VerifyError("\(what): unused bits set in the sibling bitmap byte at \(offset + bitmapBytes - 1)")
        }
        offset += bitmapBytes
        try need(offset, written * 32, "\(written) sibling hashes")
        let end = offset + written * 32
        if b.count > end { throw VerifyError("\(what): \(b.count - end) trailing bytes from byte \(end)") }
        return (leaves, bitmapOffset, offset)
    }
}

/// Reads the sibling stream of a decoded proof: a 0 bit yields the zero subtree of the
/// position asked for, a 1 bit the next written-out hash. Every sibling handed out is
/// also recorded for the post-state walk.
struct DecodedSiblings: SiblingSource {
    let bytes: [UInt8]
    let count: Int
    let bitmapOffset: Int
    var hashOffset: Int
    var cursor = 0
    var recorded: [Node] = []

    mutating func next(region: Int, level: Int, index: UInt64) -> Node? {
        guard cursor < count else { return nil }
        let bit = bytes[bitmapOffset + cursor / 8] >> UInt8(cursor % 8) & 1
        cursor += 1
        let node: Node
        if bit == 0 {
            node = zeroNode(region: region, level: level, index: index)
        } else {
            node = bytes.withUnsafeBytes { Node(loading: $0.baseAddress! + hashOffset) }
            hashOffset += 32
        }
        recorded.append(node)
        return node
    }
}

/// Why a proof (or an output opening) was rejected: one line, naming the byte offset or
/// the access at fault.
public struct VerifyError: Error, CustomStringConvertible, Equatable {
    /// The one-line reason.
    public let description: String
    /// An error with the given reason.
    public init(_ description: String) { self.description = description }
}

@inline(__always) func appendLE(_ out: inout [UInt8], _ v: UInt64, _ n: Int) {
    for i in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
}

@inline(__always) func readLE(_ b: [UInt8], _ offset: Int, _ n: Int) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<n { v |= UInt64(b[offset + i]) << UInt64(8 * i) }
    return v
}
