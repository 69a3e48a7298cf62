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

/// Computes roots from opened leaves and sibling hashes. The walk fixes the canonical
/// sibling order every proof uses: region by region (0…3, then the top tree as "region"
/// 4), within a region level by level from the leaves up, within a level by ascending
/// index. A node is a sibling exactly when it is needed and not computable from the
/// opened leaves, so shared siblings appear once.
///
/// `root(post: false)` hashes the pre-values and remembers every inner node; the
/// following `root(post: true)` hashes the post-values and reuses the remembered node
/// wherever nothing below it changed, so a step that writes little costs little.
/// `roots` does both in one walk (the verifier, which knows the post-values before it
/// walks).
///
/// Which nodes are siblings depends only on the leaves' positions, so a walk first takes
/// every sibling from the source in the canonical order, and only then hashes: level by
/// level, all regions at once, so the independent nodes of one level (the paths of
/// different leaves and regions, pre- and post-state) are hashed together
/// (`Keccak.hashPairs`). The nodes computed, and so `hashes`, are the same as hashing
/// path by path: every pre-state parent, and every post-state parent with a changed leaf
/// below it.
struct MultiproofWalk {
    /// Node hashes (keccak256 of two children) computed by the walks since this was last
    /// reset: what an on-chain verifier pays KECCAK256 for.
    var hashes = 0
    /// Every inner node of the last pre-state walk, in the order the walk computed them.
    private var memo: [Node] = []
    /// The frontiers of all groups, back to back.
    private var entries: [Entry] = []
    /// The siblings of all groups, back to back, each group's in canonical order.
    private var siblingNodes: [Node] = []
    private var groups: [Group] = []
    /// Room for one level's batch: the pairs to hash, where each result goes, the results.
    private var pairs: [Node] = []
    private var destinations: [Destination] = []
    private var results: [Node] = []

    /// Which roots a walk computes.
    enum Mode { case pre, post, both }

    struct Entry {
        var index: UInt64
        var pre: Node
        var post: Node
        /// Whether a leaf below changed (then `post` is hashed, else it is `pre`).
        var changed: Bool
    }

    /// Where a hashed pair's result goes: `entries[entry].pre` (and the memo slot), its
    /// `.post`, or both (a parent of an unchanged subtree in a `.both` walk).
    struct Destination {
        var entry: Int
        var memo: Int
        var pre: Bool
        var post: Bool
    }

    /// A region (or the top tree) being reduced: its frontier is `entries[start..<start + count]`,
    /// its siblings `siblingNodes[siblingStart + siblingCursor...]`.
    struct Group {
        var region: Int
        var levels: Int
        var start: Int
        var count: Int
        var siblingStart: Int
        var siblingCursor = 0
    }

    /// The root over `leaves` (sorted by region, then index; distinct) of their pre-values
    /// (`post` false) or post-values, or nil when the sibling source runs out.
    mutating func root<S: SiblingSource>(_ leaves: [ProofLeaf], post: Bool, siblings: inout S) -> Node? {
        guard let r = walk(leaves, mode: post ? .post : .pre, siblings: &siblings) else { return nil }
        return post ? r.post : r.pre
    }

    /// Both roots over `leaves` in one walk, or nil when the sibling source runs out.
    mutating func roots<S: SiblingSource>(_ leaves: [ProofLeaf], siblings: inout S) -> (pre: Node, post: Node)? {
        walk(leaves, mode: .both, siblings: &siblings)
    }

    private mutating func walk<S: SiblingSource>(_ leaves: [ProofLeaf], mode: Mode, siblings: inout S) -> (pre: Node, post: Node)? {
        entries.removeAll(keepingCapacity: true)
        siblingNodes.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)

        // 1. The frontiers, and every sibling in canonical order.
        var parents = 0
        var i = 0
        while i < leaves.count {
            let region = leaves[i].region
            let start = entries.count
            while i < leaves.count && leaves[i].region == region {
                let l = leaves[i]
                entries.append(Entry(index: l.index, pre: l.pre, post: l.post, changed: mode != .pre && l.post != l.pre))
                i += 1
            }
            var g = Group(region: region, levels: StateLayout.depth(region), start: start, count: entries.count - start,
                          siblingStart: siblingNodes.count)
            guard takeSiblings(&g, parents: &parents, siblings: &siblings) else { return nil }
            groups.append(g)
        }
        if groups.isEmpty { return nil }
        let regionGroups = groups.count
        let topStart = entries.count
        for g in 0..<regionGroups {
            entries.append(Entry(index: UInt64(groups[g].region), pre: .zero, post: .zero, changed: false))
        }
        var top = Group(region: 4, levels: StateLayout.topLevels, start: topStart, count: regionGroups,
                        siblingStart: siblingNodes.count)
        guard takeSiblings(&top, parents: &parents, siblings: &siblings) else { return nil }
        groups.append(top)

        // 2. Hash the regions level by level, all at once, then the top tree. A level has at
        // most one parent per entry, each hashed at most twice (pre and post).
        if mode != .post {
            memo.removeAll(keepingCapacity: true)
            memo.append(contentsOf: repeatElement(.zero, count: parents))
        }
        precondition(memo.count == parents, "a post-state walk follows the pre-state walk over the same leaves")
        let room = 2 * entries.count
        if results.count < room {
            results.append(contentsOf: repeatElement(.zero, count: room - results.count))
            pairs.append(contentsOf: repeatElement(.zero, count: 2 * room - pairs.count))
            destinations.append(contentsOf: repeatElement(Destination(entry: 0, memo: 0, pre: false, post: false),
                                                          count: room - destinations.count))
        }
        let groupList = groups
        var hashed = 0
        let root = entries.withUnsafeMutableBufferPointer { e in
            siblingNodes.withUnsafeBufferPointer { sib in
                memo.withUnsafeMutableBufferPointer { m in
                    pairs.withUnsafeMutableBufferPointer { p in
                        results.withUnsafeMutableBufferPointer { r in
                            destinations.withUnsafeMutableBufferPointer { d in
                                var b = Batcher(entries: e.baseAddress!, siblings: sib.baseAddress, memo: m.baseAddress,
                                                pairs: p.baseAddress!, results: r.baseAddress!, destinations: d.baseAddress!,
                                                mode: mode)
                                let root = b.run(groupList, regionGroups: regionGroups)
                                hashed = b.hashes
                                return root
                            }
                        }
                    }
                }
            }
        }
        hashes += hashed
        return root
    }

    /// Takes from `source`, in canonical order, every sibling `g`'s leaves need (from their
    /// positions alone), and counts the parents the walk will compute; false when the
    /// source runs out.
    private mutating func takeSiblings<S: SiblingSource>(_ g: inout Group, parents: inout Int, siblings source: inout S) -> Bool {
        let start = g.start, count = g.count
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { buf in
            let scratch = buf.baseAddress!
            for k in 0..<count { scratch[k] = entries[start + k].index }
            var n = count
            for level in 0..<g.levels {
                var r = 0, w = 0
                while r < n {
                    let index = scratch[r]
                    if index & 1 == 0 && r + 1 < n && scratch[r + 1] == index + 1 {
                        r += 2
                    } else {
                        guard let s = source.next(region: g.region, level: level, index: index ^ 1) else { return false }
                        siblingNodes.append(s)
                        r += 1
                    }
                    scratch[w] = index >> 1
                    w += 1
                }
                n = w
                parents += w
            }
            return true
        }
    }
}

/// The hashing half of a walk, over the walk's buffers: each level of every group is
/// reduced in place, its pairs queued, and the queue hashed as one batch.
private struct Batcher {
    let entries: UnsafeMutablePointer<MultiproofWalk.Entry>
    let siblings: UnsafePointer<Node>?
    let memo: UnsafeMutablePointer<Node>?
    let pairs: UnsafeMutablePointer<Node>
    let results: UnsafeMutablePointer<Node>
    let destinations: UnsafeMutablePointer<MultiproofWalk.Destination>
    let mode: MultiproofWalk.Mode
    var queued = 0
    var memoPos = 0
    var hashes = 0

    /// Reduces `groups` (the regions, then the top tree) to the root: pre- and post-state.
    mutating func run(_ groups: [MultiproofWalk.Group], regionGroups: Int) -> (pre: Node, post: Node) {
        var gs = groups
        var deepest = 0
        for g in 0..<regionGroups { deepest = max(deepest, gs[g].levels) }
        for level in 0..<deepest {
            for g in 0..<regionGroups where level < gs[g].levels { reduceLevel(&gs[g]) }
            hashBatch()
        }
        var top = gs[regionGroups]
        for g in 0..<regionGroups {
            let regionRoot = entries[gs[g].start]
            entries[top.start + g] = MultiproofWalk.Entry(index: UInt64(gs[g].region), pre: regionRoot.pre,
                                                          post: regionRoot.post, changed: regionRoot.changed)
        }
        for _ in 0..<top.levels {
            reduceLevel(&top)
            hashBatch()
        }
        return (entries[top.start].pre, entries[top.start].post)
    }

    /// Reduces `g`'s frontier by one level in place: each parent's index and changed flag
    /// now, its nodes once the batch is hashed (or, in a `.post` walk, from the memo when
    /// nothing below it changed).
    mutating func reduceLevel(_ g: inout MultiproofWalk.Group) {
        var r = 0, w = 0
        let n = g.count
        let f = entries + g.start
        while r < n {
            let e = f[r]
            let left: MultiproofWalk.Entry, right: MultiproofWalk.Entry
            if e.index & 1 == 0 && r + 1 < n && f[r + 1].index == e.index + 1 {
                left = e; right = f[r + 1]; r += 2
            } else {
                let s = siblings![g.siblingStart + g.siblingCursor]
                g.siblingCursor += 1
                let sib = MultiproofWalk.Entry(index: e.index ^ 1, pre: s, post: s, changed: false)
                if e.index & 1 == 0 { left = e; right = sib } else { left = sib; right = e }
                r += 1
            }
            let changed = left.changed || right.changed
            let slot = g.start + w
            var parent = MultiproofWalk.Entry(index: e.index >> 1, pre: .zero, post: .zero, changed: changed)
            switch mode {
            case .pre:
                queue(left.pre, right.pre, .init(entry: slot, memo: memoPos, pre: true, post: false))
            case .post:
                if changed {
                    queue(left.post, right.post, .init(entry: slot, memo: memoPos, pre: false, post: true))
                } else {
                    parent.post = memo![memoPos]
                }
            case .both:
                queue(left.pre, right.pre, .init(entry: slot, memo: memoPos, pre: true, post: !changed))
                if changed { queue(left.post, right.post, .init(entry: slot, memo: memoPos, pre: false, post: true)) }
            }
            memoPos += 1
            f[w] = parent
            w += 1
        }
        g.count = w
    }

    @inline(__always) mutating func queue(_ left: Node, _ right: Node, _ d: MultiproofWalk.Destination) {
        pairs[2 * queued] = left
        pairs[2 * queued + 1] = right
        destinations[queued] = d
        queued += 1
    }

    /// Hashes the pairs queued by this level's `reduceLevel` calls and puts each result
    /// where it belongs (a pre-state node also into the memo).
    mutating func hashBatch() {
        let n = queued
        if n == 0 { return }
        Keccak.hashPairs(pairs, into: results, count: n)
        for k in 0..<n {
            let d = destinations[k]
            if d.pre {
                entries[d.entry].pre = results[k]
                memo![d.memo] = results[k]
            }
            if d.post { entries[d.entry].post = results[k] }
        }
        hashes += n
        queued = 0
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
        let pre = b.withUnsafeBytes { Node(loading: $0.baseAddress! + 8).digest }
        let post = b.withUnsafeBytes { Node(loading: $0.baseAddress! + 40).digest }
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
/// position asked for, a 1 bit the next written-out hash.
struct DecodedSiblings: SiblingSource {
    let bytes: [UInt8]
    let count: Int
    let bitmapOffset: Int
    var hashOffset: Int
    var cursor = 0

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
