import Game

/// A transaction the judge has received but the chain has not yet taken: the chain time
/// it takes effect at (its arrival, or the start of the block the rule mines it in) and
/// its place among everything received.
struct PendingTransaction: Comparable {
    /// Chain time (ms) at which the chain takes it.
    let time: UInt64
    /// Its number in the order received (unique): breaks ties of `time`.
    let seq: UInt64
    /// The signed envelope exactly as it arrived.
    let envelope: [UInt8]
    /// Its sender, once the chain has checked its signature (transactions waiting for
    /// their block).
    var party: PartyID? = nil

    static func < (a: Self, b: Self) -> Bool { (a.time, a.seq) < (b.time, b.seq) }
    static func == (a: Self, b: Self) -> Bool { a.time == b.time && a.seq == b.seq }
}

/// Pending transactions in chain order (time, then arrival). Appending in order is O(1);
/// an out-of-order push is a binary search and an insert. Popped slots are reclaimed in
/// bulk, so a long game does not keep what it consumed.
struct PendingQueue {
    private var items: [PendingTransaction] = []
    private var head = 0

    /// The next transaction in chain order.
    var first: PendingTransaction? { head < items.count ? items[head] : nil }

    /// How many are pending.
    var count: Int { items.count - head }

    /// Adds `t` at its place in chain order.
    mutating func push(_ t: PendingTransaction) {
        if items.last.map({ $0 < t }) ?? true { return items.append(t) }
        var lo = head, hi = items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        items.insert(t, at: lo)
    }

    /// Removes the first transaction (there must be one).
    mutating func pop() {
        precondition(head < items.count, "pop from an empty queue")
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: items.count <= 1024)
            head = 0
        } else if head >= 1024, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
