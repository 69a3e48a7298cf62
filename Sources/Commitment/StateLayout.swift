import RISCV

/// The shape of the committed state's hash tree (docs/STATE.md is the prose version).
/// Everything here is part of the state format: changing any number changes every root.
///
/// Leaves are 32 bytes of state; an inner node is keccak256(left ‖ right). The state is
/// four regions, each a perfect binary tree of fixed depth whose leaves are the region's
/// bytes in order (zero beyond the region's current contents):
///
/// | region | bytes | leaves | depth |
/// |---|---|---|---|
/// | 0 core words (`CoreLayout`, 512 × u64 little-endian) | 4 KiB | 2^7 | 7 |
/// | 1 RAM (`ramSize` bytes used, the rest zero) | 16 GiB | 2^29 | 29 |
/// | 2 input tape (`inputLength` bytes used) | 64 MiB | 2^21 | 21 |
/// | 3 output (`outputLength` bytes used) | 64 MiB | 2^21 | 21 |
///
/// root = H(H(core, ram), H(input, output)). Fixed depths mean a leaf's path length never
/// depends on an unproven number, and all-zero subtrees hash to precomputed constants.
public enum StateLayout {
    /// Bytes per leaf.
    public static let leafSize = 32
    /// Bytes per page: the unit of dirty tracking and caching (128 leaves, 7 levels).
    public static let pageSize = 4096
    /// Levels inside one page.
    public static let pageLevels = 7
    /// Number of regions.
    public static let regionCount = 4
    /// Region numbers.
    public static let core = 0, ram = 1, input = 2, output = 3
    /// Depth (levels of hashing from leaves to the region root) of each region.
    public static let depths = [7, 29, 21, 21]
    /// Human-readable region names (for errors and docs).
    public static let names = ["core", "ram", "input", "output"]
    /// The top tree over the four region roots has this many levels.
    public static let topLevels = 2

    /// Depth of `region`.
    @inline(__always) public static func depth(_ region: Int) -> Int {
        switch region {
        case 0: return 7
        case 1: return 29
        default: return 21
        }
    }

    /// The core-region leaf holding core word `word`, and the lane inside it.
    @inline(__always) public static func coreLeaf(ofWord word: Int) -> (leaf: Int, lane: Int) { (word >> 2, word & 3) }
}

/// Hashes of all-zero subtrees: `zeroHashes[k]` is the root of 2^k zero leaves.
/// zeroHashes[0] is the zero leaf itself.
public let zeroHashes: [Node] = {
    precondition(UInt16(1).littleEndian == 1, "the state format assumes a little-endian host")
    var z = [Node.zero]
    for _ in 0..<29 { z.append(Keccak.hash(z.last!, z.last!)) }
    return z
}()

/// The root of the all-zero subtree at position (`level`, `index`) of the top tree, whose
/// level 0 holds the four region roots. A proof may name any sibling that equals the
/// zero subtree of its position with one bit instead of 32 bytes.
let topZeroHashes: [[Node]] = {
    let r = (0..<4).map { zeroHashes[StateLayout.depth($0)] }
    return [r, [Keccak.hash(r[0], r[1]), Keccak.hash(r[2], r[3])]]
}()

/// The zero-subtree hash at a tree position; `region` 4 means the top tree.
@inline(__always) func zeroNode(region: Int, level: Int, index: UInt64) -> Node {
    region < 4 ? zeroHashes[level] : topZeroHashes[level][Int(index)]
}
