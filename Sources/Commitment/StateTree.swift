import RISCV

/// The hash tree of one machine's state, bound to its `MachineStorage`, kept up to date
/// incrementally: `root()` re-hashes only the RAM pages written since the last root
/// (the storage's dirty bitmap), the output pages that grew, the core leaves whose words
/// changed, and their paths. Everything else comes from the cache.
///
/// The tree reads the storage and calls `storage.clearDirty()`; nothing else may clear
/// the dirty bits while a tree is bound, or the cache goes stale.
public final class StateTree {
    /// The state this tree commits to.
    public let storage: MachineStorage

    /// Core region nodes as a heap: index 1 is the root, leaves at 128…255.
    let coreNodes: UnsafeMutablePointer<Node>
    /// The core words as of the last `root()`, to find the leaves that changed.
    let coreShadow: UnsafeMutablePointer<UInt64>
    var ram: PageLevels
    var input: PageLevels
    var output: PageLevels
    /// Output pages hashed so far reflect this many bytes.
    var outputHashed = 0

    /// Binds a tree to `storage` and hashes all of it (a cold root). All-zero pages cost a
    /// scan, not a hash; pages the storage knows were never written (`zeroOutsideDirty`)
    /// are zero subtrees without a read.
    public init(_ storage: MachineStorage) {
        self.storage = storage
        coreNodes = .allocate(capacity: 256)
        coreNodes.initialize(repeating: .zero, count: 256)
        coreShadow = .allocate(capacity: CoreLayout.count)
        coreShadow.update(from: storage.core, count: CoreLayout.count)
        ram = PageLevels(depth: StateLayout.depth(StateLayout.ram))
        input = PageLevels(depth: StateLayout.depth(StateLayout.input))
        output = PageLevels(depth: StateLayout.depth(StateLayout.output))

        // Core: every leaf, then every inner node.
        for i in 0..<128 { coreNodes[128 + i] = Node(loading: UnsafeRawPointer(storage.core + 4 * i)) }
        for i in stride(from: 127, through: 1, by: -1) { coreNodes[i] = Keccak.hash(coreNodes[2 * i], coreNodes[2 * i + 1]) }

        let ramPages = storage.ramSize / StateLayout.pageSize
        ram.setPageCount(ramPages)
        let ramBase = UnsafeRawPointer(storage.ram)
        let written = storage.zeroOutsideDirty ? dirtyRAMPages() : Array(0..<ramPages)
        ram.rehash(pages: written) { hashPage(ramBase + $0 * StateLayout.pageSize) }

        let inputBytes = storage.input
        let inputPages = (inputBytes.count + StateLayout.pageSize - 1) / StateLayout.pageSize
        input.setPageCount(inputPages)
        input.rehash(pages: Array(0..<inputPages)) { hashBytePage(inputBytes, page: $0) }

        refreshOutput(from: 0)
        storage.clearDirty()
    }

    /// A tree for `storage`, which must be an exact copy (`MachineStorage.copy()`) of this
    /// tree's storage made now: the caches are cloned instead of re-hashing everything, so a
    /// checkpoint restores in the time of a copy, not of a cold root.
    public func copy(boundTo storage: MachineStorage) -> StateTree {
        precondition(storage.ramSize == self.storage.ramSize, "the copy must have the same RAM size")
        return StateTree(cloning: self, storage: storage)
    }

    private init(cloning other: StateTree, storage: MachineStorage) {
        self.storage = storage
        coreNodes = .allocate(capacity: 256)
        coreNodes.initialize(from: other.coreNodes, count: 256)
        coreShadow = .allocate(capacity: CoreLayout.count)
        coreShadow.initialize(from: other.coreShadow, count: CoreLayout.count)
        ram = other.ram
        input = other.input
        output = other.output
        outputHashed = other.outputHashed
    }

    deinit {
        coreNodes.deallocate()
        coreShadow.deallocate()
    }

    /// The state root now. Incremental: only what changed since the previous call (or
    /// since `init`) is re-hashed.
    public func root() -> Digest { rootNode().digest }

    /// The root as a node (little-endian lanes).
    func rootNode() -> Node {
        refreshCore()
        refreshRAM()
        refreshOutput(from: outputHashed)
        storage.clearDirty()
        return combineTop(regionRoots())
    }

    /// The four region roots as of the last refresh.
    func regionRoots() -> [Node] { [coreNodes[1], ram.root, input.root, output.root] }

    // MARK: refresh

    func refreshCore() {
        let core = storage.core
        // Heap indices of the changed nodes of the current level, ascending.
        var changed: [Int] = []
        for leaf in 0..<128 {
            let w = 4 * leaf
            if core[w] != coreShadow[w] || core[w + 1] != coreShadow[w + 1]
                || core[w + 2] != coreShadow[w + 2] || core[w + 3] != coreShadow[w + 3] {
                changed.append(128 + leaf)
                coreNodes[128 + leaf] = Node(core[w], core[w + 1], core[w + 2], core[w + 3])
            }
        }
        if changed.isEmpty { return }
        coreShadow.update(from: core, count: CoreLayout.count)
        // Each level's changed parents are independent: hash them together.
        withUnsafeTemporaryAllocation(of: Node.self, capacity: 3 * 64) { buf in
            let pairs = buf.baseAddress!, out = pairs + 128
            while changed[0] > 1 {
                var parents: [Int] = []
                parents.reserveCapacity(changed.count)
                for h in changed where parents.last != h >> 1 {
                    let p = h >> 1
                    pairs[2 * parents.count] = coreNodes[2 * p]
                    pairs[2 * parents.count + 1] = coreNodes[2 * p + 1]
                    parents.append(p)
                }
                Keccak.hashPairs(pairs, into: out, count: parents.count)
                for (i, p) in parents.enumerated() { coreNodes[p] = out[i] }
                changed = parents
            }
        }
    }

    /// The RAM pages written since the storage's last `clearDirty()`, ascending.
    func dirtyRAMPages() -> [Int] {
        let pages = storage.ramSize / StateLayout.pageSize
        var dirty: [Int] = []
        for w in 0..<storage.dirtyWordCount {
            var bits = storage.dirtyPages[w]
            while bits != 0 {
                let page = w * 64 + bits.trailingZeroBitCount
                if page < pages { dirty.append(page) }
                bits &= bits - 1
            }
        }
        return dirty
    }

    func refreshRAM() {
        let dirty = dirtyRAMPages()
        if dirty.isEmpty { return }
        let base = UnsafeRawPointer(storage.ram)
        ram.rehash(pages: dirty) { hashPage(base + $0 * StateLayout.pageSize) }
    }

    /// Re-hashes the output pages from the one holding byte `from` to the end.
    func refreshOutput(from: Int) {
        let bytes = storage.output
        let count = bytes.count
        if count == outputHashed && from == outputHashed { return }
        let pages = (count + StateLayout.pageSize - 1) / StateLayout.pageSize
        var first = min(from, outputHashed, count) / StateLayout.pageSize
        // Shrinking (a checkpoint restore) drops pages: the last page kept is re-hashed so
        // the ancestors that covered dropped pages are recomputed.
        if count < outputHashed && pages > 0 { first = min(first, pages - 1) }
        output.setPageCount(pages)
        if first < pages { output.rehash(pages: Array(first..<pages)) { hashBytePage(bytes, page: $0) } }
        outputHashed = count
    }

    // MARK: checkpoints

    /// The root of RAM page `page` as of the last refresh (call `root()` first).
    func ramPageRoot(_ page: Int) -> Node { ram.node(level: 0, index: page) }

    /// Whether RAM page `page` was all zeros at the last refresh.
    func ramPageIsZero(_ page: Int) -> Bool { ram.node(level: 0, index: page) == zeroHashes[StateLayout.pageLevels] }

    /// Takes `roots` (page → root, pages ascending) as the roots of RAM pages whose bytes a
    /// checkpoint restore has just put back, and recomputes their ancestors: no page is
    /// hashed.
    func setRAMPageRoots(pages: [Int], roots: [Node]) {
        var i = 0
        ram.rehash(pages: pages) { _ in defer { i += 1 }; return roots[i] }
    }

    /// Replaces the output with `bytes`, re-hashing from the first byte that differs.
    func replaceOutput(_ bytes: [UInt8]) {
        let old = storage.output
        let n = min(old.count, bytes.count)
        var same = 0
        old.withUnsafeBytes { a in
            bytes.withUnsafeBytes { b in
                while same < n && a[same] == b[same] { same += 1 }
            }
        }
        storage.output = bytes
        refreshOutput(from: same)
    }

    // MARK: reading nodes (for proofs)

    /// The 32 bytes of leaf `index` of `region` in the current storage.
    func leaf(region: Int, index: UInt64) -> Node {
        switch region {
        case StateLayout.core:
            let w = 4 * Int(index)
            let c = storage.core
            return Node(c[w], c[w + 1], c[w + 2], c[w + 3])
        case StateLayout.ram:
            let off = Int(index) * 32
            if off >= storage.ramSize { return .zero }
            return Node(loading: UnsafeRawPointer(storage.ram) + off)
        case StateLayout.input:
            return leafOfBytes(storage.input, index: Int(index))
        default:
            return leafOfBytes(storage.output, index: Int(index))
        }
    }

    /// The node at (`level`, `index`) of `region` (0…3), or of the top tree (`region` 4).
    /// Nodes inside a page are recomputed from the leaves; the rest come from the cache,
    /// which must be fresh (call `root()` first).
    func node(region: Int, level: Int, index: UInt64) -> Node {
        if region == 4 {
            let roots = regionRoots()
            if level == 0 { return roots[Int(index)] }
            return Keccak.hash(roots[2 * Int(index)], roots[2 * Int(index) + 1])
        }
        if region == StateLayout.core { return coreNodes[(1 << (7 - level)) + Int(index)] }
        if level >= StateLayout.pageLevels {
            let levels = region == StateLayout.ram ? ram : region == StateLayout.input ? input : output
            return levels.node(level: level - StateLayout.pageLevels, index: Int(index))
        }
        if level == 0 { return leaf(region: region, index: index) }
        return hashPair(node(region: region, level: level - 1, index: 2 * index),
                        node(region: region, level: level - 1, index: 2 * index + 1), level: level - 1)
    }
}

/// H(a, b) where both are nodes at `level`; two zero subtrees give the next zero hash
/// without hashing.
@inline(__always) func hashPair(_ a: Node, _ b: Node, level: Int) -> Node {
    let z = zeroHashes[level]
    if a == z && b == z { return zeroHashes[level + 1] }
    return Keccak.hash(a, b)
}

/// The top of the tree: H(H(core, ram), H(input, output)).
@inline(__always) func combineTop(_ r: [Node]) -> Node {
    Keccak.hash(Keccak.hash(r[0], r[1]), Keccak.hash(r[2], r[3]))
}

/// Leaf `index` of a byte string that is zero beyond its end.
func leafOfBytes(_ bytes: [UInt8], index: Int) -> Node {
    let off = index * 32
    if off >= bytes.count { return .zero }
    if off + 32 <= bytes.count { return bytes.withUnsafeBytes { Node(loading: $0.baseAddress! + off) } }
    var tmp = [UInt8](repeating: 0, count: 32)
    for i in off..<bytes.count { tmp[i - off] = bytes[i] }
    return tmp.withUnsafeBytes { Node(loading: $0.baseAddress!) }
}

/// Root of one 4 KiB page (128 leaves). A page of zeros is recognised by a scan and costs
/// no hashing; pairs of zero subtrees inside a page are skipped the same way. The nodes of
/// each level are independent, so they are hashed in batches (`hashLevel`).
func hashPage(_ p: UnsafeRawPointer) -> Node {
    var any: UInt64 = 0
    var i = 0
    while i < 512 {
        any |= p.load(fromByteOffset: 8 * i, as: UInt64.self) | p.load(fromByteOffset: 8 * i + 8, as: UInt64.self)
            | p.load(fromByteOffset: 8 * i + 16, as: UInt64.self) | p.load(fromByteOffset: 8 * i + 24, as: UInt64.self)
        i += 4
        if any != 0 { break }
    }
    if any == 0 { return zeroHashes[StateLayout.pageLevels] }
    // b: the 128 leaves, then each level written over the front of the one below it.
    return withUnsafeTemporaryAllocation(of: Node.self, capacity: 128 + 128 + 64) { buf in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { d in
            let b = buf.baseAddress!
            let pairs = b + 128, out = b + 256
            for j in 0..<128 { b[j] = Node(loading: p + 32 * j) }
            var width = 64
            var level = 0
            while width >= 1 {
                hashLevel(b, width: width, level: level, pairs: pairs, out: out, dest: d.baseAddress!)
                width >>= 1
                level += 1
            }
            return b[0]
        }
    }
}

/// One level of a subtree in place: `nodes[j] = hashPair(nodes[2j], nodes[2j + 1], level:)`
/// for j in 0..<width. Pairs of zero subtrees become the next zero hash without hashing;
/// the others are gathered into `pairs` (room for 2 × width nodes) and hashed together
/// into `out` (room for width); `dest` (room for width) holds where each result goes.
@inline(__always)
func hashLevel(_ nodes: UnsafeMutablePointer<Node>, width: Int, level: Int,
               pairs: UnsafeMutablePointer<Node>, out: UnsafeMutablePointer<Node>, dest: UnsafeMutablePointer<Int>) {
    let z = zeroHashes[level], zNext = zeroHashes[level + 1]
    var n = 0
    // Slot j is written only after pairs 0…j were read, so working in place is safe.
    for j in 0..<width {
        let l = nodes[2 * j], r = nodes[2 * j + 1]
        if l == z && r == z {
            nodes[j] = zNext
        } else {
            pairs[2 * n] = l
            pairs[2 * n + 1] = r
            dest[n] = j
            n += 1
        }
    }
    if n == 0 { return }
    Keccak.hashPairs(pairs, into: out, count: n)
    for k in 0..<n { nodes[dest[k]] = out[k] }
}

/// Root of page `page` of a byte string that is zero beyond its end.
func hashBytePage(_ bytes: [UInt8], page: Int) -> Node {
    let start = page * StateLayout.pageSize
    if start + StateLayout.pageSize <= bytes.count {
        return bytes.withUnsafeBytes { hashPage($0.baseAddress! + start) }
    }
    var tmp = [UInt8](repeating: 0, count: StateLayout.pageSize)
    for i in start..<bytes.count { tmp[i - start] = bytes[i] }
    return tmp.withUnsafeBytes { hashPage($0.baseAddress!) }
}

/// The cached levels of a region above its pages: `levels[0]` are page roots, `levels[k]`
/// the nodes 2^k pages wide, up to the region root. Nodes past the stored prefix are
/// zero subtrees.
struct PageLevels {
    /// Region depth in leaf levels.
    let depth: Int
    var levels: [[Node]]

    init(depth: Int) {
        self.depth = depth
        levels = Array(repeating: [], count: depth - StateLayout.pageLevels + 1)
    }

    var top: Int { levels.count - 1 }

    /// The region root.
    var root: Node { levels[top].isEmpty ? zeroHashes[depth] : levels[top][0] }

    /// Node `index` at page-relative level `k`.
    @inline(__always) func node(level k: Int, index: Int) -> Node {
        index < levels[k].count ? levels[k][index] : zeroHashes[StateLayout.pageLevels + k]
    }

    /// Resizes the stored prefix to `pages` pages (new entries are zero subtrees until
    /// re-hashed). Pages only ever grow in practice.
    mutating func setPageCount(_ pages: Int) {
        var n = pages
        for k in 0...top {
            let z = zeroHashes[StateLayout.pageLevels + k]
            if levels[k].count < n {
                levels[k].append(contentsOf: repeatElement(z, count: n - levels[k].count))
            } else if levels[k].count > n {
                levels[k].removeLast(levels[k].count - n)
            }
            n = (n + 1) / 2
        }
    }

    /// `levels[k][q] = hashPair(children of q)` for each q in `parents`, the non-zero
    /// pairs hashed together (`Keccak.hashPairs`).
    private mutating func hashParents(_ parents: [Int], level k: Int, childLevel below: Int) {
        let z = zeroHashes[below], zNext = zeroHashes[below + 1]
        withUnsafeTemporaryAllocation(of: Node.self, capacity: 3 * parents.count) { buf in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: parents.count) { d in
                let pairs = buf.baseAddress!, out = pairs + 2 * parents.count, dest = d.baseAddress!
                var n = 0
                for q in parents {
                    let l = node(level: k - 1, index: 2 * q), r = node(level: k - 1, index: 2 * q + 1)
                    if l == z && r == z {
                        levels[k][q] = zNext
                    } else {
                        pairs[2 * n] = l; pairs[2 * n + 1] = r; dest[n] = q
                        n += 1
                    }
                }
                Keccak.hashPairs(pairs, into: out, count: n)
                for i in 0..<n { levels[k][dest[i]] = out[i] }
            }
        }
    }

    /// Re-hashes `pages` (ascending, distinct) with `hash` and then their ancestors.
    mutating func rehash(pages: [Int], _ hash: (Int) -> Node) {
        if pages.isEmpty { return }
        for p in pages { levels[0][p] = hash(p) }
        var current = pages
        for k in 1...max(top, 1) where k <= top {
            var parents: [Int] = []
            parents.reserveCapacity(current.count)
            for i in current where parents.last != i >> 1 { parents.append(i >> 1) }
            let below = StateLayout.pageLevels + k - 1
            hashParents(parents, level: k, childLevel: below)
            current = parents
        }
    }
}
