/// How the step semantics read and write machine state. The transition is written once,
/// generic over this protocol (design invariant 1): direct access runs fast, a logging
/// access records every touch for a one-step proof, a proof-backed access lets the judge
/// re-run one step from the proof alone.
public protocol StateAccess {
    /// Reads core word `index` (see `CoreLayout`).
    mutating func read(_ index: Int) -> UInt64
    /// Writes core word `index`.
    mutating func write(_ index: Int, _ value: UInt64)
    /// Reads `size` (1, 2, 4 or 8) bytes at RAM offset `offset`, little-endian, zero-extended.
    /// The access is naturally aligned and lies inside RAM (the caller checks).
    mutating func readRAM(_ offset: UInt64, _ size: Int) -> UInt64
    /// Writes the low `size` bytes of `value` at RAM offset `offset` (aligned, inside RAM).
    mutating func writeRAM(_ offset: UInt64, _ size: Int, _ value: UInt64)
    /// Byte `position` of the input tape (`position < inputLength`).
    mutating func readInput(_ position: UInt64) -> UInt8
    /// Stores output byte `position` (always the current output length: output only grows).
    mutating func writeOutput(_ position: UInt64, _ byte: UInt8)
}
