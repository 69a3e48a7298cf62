/// The largest one-step proof the format can need, derived from what one step can touch
/// (docs/STATE.md, "Proof size bound"). The game uses it to refuse configurations whose
/// frame size or block gas limit would make the judge refuse an honest party's proof.
public enum StepProofBounds {
    /// Leaves one step can touch: every core leaf (128: a trap writes many CSRs); in RAM an
    /// instruction fetch and one data access of at most 8 bytes, each spanning at most
    /// two leaves on at most two pages, each page translated by a three-level Sv39 walk
    /// whose PTE updates hit the same leaves (2 + 2 + 6 + 6 = 16); one input-tape byte;
    /// one output byte.
    public static let maxLeaves = 128 + 16 + 1 + 1

    /// Siblings: at most one per level of each opened leaf's path (the deepest region,
    /// RAM, has 29 levels, plus the 2 of the top tree).
    public static let maxSiblings = maxLeaves * (StateLayout.depths.max()! + 2)

    /// Bytes: the 76-byte header, 37 per leaf, the sibling bitmap and 32 per sibling.
    public static let maxBytes = 76 + 37 * maxLeaves + (maxSiblings + 7) / 8 + 32 * maxSiblings

    /// Node hashes verifying one step can take: each walk (pre-root, post-root) hashes at
    /// most one node per level of each opened leaf's path.
    public static let maxNodeHashes = 2 * maxSiblings
}
