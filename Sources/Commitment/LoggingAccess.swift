import RISCV

/// State access for proving: runs the step against the full state without changing it.
/// The first touch of a leaf (core, RAM, input or output) copies its 32 bytes from the
/// storage into the log — that is the pre-value the proof opens — and every later read
/// or write of that leaf goes to the log's copy, which ends up holding the post-value.
/// The storage itself is never written, so the prover can still read pre-state siblings
/// from the tree after the step.
public struct LoggingAccess: StateAccess {
    /// The touched leaves, shared with whoever created this access.
    public let log: AccessLog

    /// A logging view of `storage`; the log starts empty.
    public init(_ storage: MachineStorage) { log = AccessLog(storage) }

    public func read(_ index: Int) -> UInt64 {
        let s = log.slot(StateLayout.core, UInt64(index >> 2))
        return log.current[s][index & 3]
    }

    public func write(_ index: Int, _ value: UInt64) {
        let s = log.slot(StateLayout.core, UInt64(index >> 2))
        log.current[s][index & 3] = value
    }

    public func readRAM(_ offset: UInt64, _ size: Int) -> UInt64 {
        let s = log.slot(StateLayout.ram, offset >> 5)
        return extract(log.current[s], byte: Int(offset & 31), size: size)
    }

    public func writeRAM(_ offset: UInt64, _ size: Int, _ value: UInt64) {
        let s = log.slot(StateLayout.ram, offset >> 5)
        insert(&log.current[s], byte: Int(offset & 31), size: size, value)
    }

    public func readInput(_ position: UInt64) -> UInt8 {
        let s = log.slot(StateLayout.input, position >> 5)
        return UInt8(truncatingIfNeeded: extract(log.current[s], byte: Int(position & 31), size: 1))
    }

    public func writeOutput(_ position: UInt64, _ byte: UInt8) {
        let s = log.slot(StateLayout.output, position >> 5)
        insert(&log.current[s], byte: Int(position & 31), size: 1, UInt64(byte))
    }
}

/// The leaves one step touched, in first-touch order, with their values before the step
/// (`pre`) and as the step left them (`current`).
public final class AccessLog {
    let storage: MachineStorage
    /// (region, leaf index) of each touched leaf, in first-touch order.
    public private(set) var touched: [(region: Int, index: UInt64)] = []
    var pre: [Node] = []
    var current: [Node] = []

    init(_ storage: MachineStorage) { self.storage = storage }

    /// The log slot of a leaf, loading it from the storage on first touch.
    func slot(_ region: Int, _ index: UInt64) -> Int {
        for (i, t) in touched.enumerated() where t.region == region && t.index == index { return i }
        let value: Node
        switch region {
        case StateLayout.core:
            let w = 4 * Int(index), c = storage.core
            value = Node(c[w], c[w + 1], c[w + 2], c[w + 3])
        case StateLayout.ram:
            value = Node(loading: UnsafeRawPointer(storage.ram) + Int(index) * 32)
        case StateLayout.input:
            value = leafOfBytes(storage.input, index: Int(index))
        default:
            value = leafOfBytes(storage.output, index: Int(index))
        }
        touched.append((region, index))
        pre.append(value)
        current.append(value)
        return touched.count - 1
    }

    /// The touched leaves sorted by (region, index), as a proof lists them.
    var sortedLeaves: [ProofLeaf] {
        touched.indices.map { ProofLeaf(region: touched[$0].region, index: touched[$0].index, pre: pre[$0], post: current[$0]) }
            .sorted { ($0.region, $0.index) < ($1.region, $1.index) }
    }
}

/// Bits `size` bytes wide at byte `byte` of a leaf (aligned, so inside one lane).
@inline(__always) func extract(_ n: Node, byte: Int, size: Int) -> UInt64 {
    let v = n[byte >> 3] >> UInt64((byte & 7) * 8)
    return size == 8 ? v : v & ((1 << UInt64(size * 8)) - 1)
}

/// Replaces `size` bytes at byte `byte` of a leaf with the low bytes of `value`.
@inline(__always) func insert(_ n: inout Node, byte: Int, size: Int, _ value: UInt64) {
    let shift = UInt64((byte & 7) * 8)
    let mask: UInt64 = size == 8 ? ~0 : ((1 << UInt64(size * 8)) - 1) << shift
    let lane = byte >> 3
    n[lane] = (n[lane] & ~mask) | ((value << shift) & mask)
}
