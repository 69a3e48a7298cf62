/// How the game contract keeps a bisection round's roots (`game.storage`). The choice
/// moves gas between storage and calldata, so the cheapest k depends on it
/// (docs/GAME.md, "Gas").
public enum RootStorage: String, Codable, CaseIterable, Sendable {
    /// One storage slot per posted root; a pick copies the two roots it keeps into the
    /// dispute's end slots, and the step proof is checked against those.
    case perRoot = "per_root"
    /// One slot per dispute holding keccak256 of the current round's roots (its two ends
    /// and the roots posted between them); the roots travel in calldata only. Every later
    /// move that needs them (the next root posting and the step proof: the two ends; a
    /// pick: all of them) resupplies them as calldata and the contract re-hashes them
    /// against the slot.
    case rootsHash = "roots_hash"
}

/// A storage slot of the simulated game contract (docs/GAME.md, "Gas": which move
/// touches which).
public enum ContractSlot: Hashable, Sendable {
    /// Phase, deadlines, claimed step count, chosen k, dispute count: one packed word,
    /// written when the task was posted.
    case game
    /// The task's initial root (written when the task was posted).
    case taskRoot
    /// The committed root.
    case claimRoot
    /// The committed output hash.
    case claimOutput
    /// A party's deposit-currency balance held by the contract.
    case balance(PartyID)
    /// A party's locked deposit; for a verifier packed with its "has challenged" flag, so
    /// it stays non-zero once the verifier has challenged.
    case escrow(PartyID)
    /// A dispute's challenger, kind, turn and deadline.
    case disputeMeta(UInt32)
    /// A dispute's interval (lo, hi) and both chess clocks.
    case disputeSpan(UInt32)
    /// `per_root`: the root at the interval's left end (zero: the task's initial root).
    case rootLo(UInt32)
    /// `per_root`: the root at the interval's right end (zero: the claimed root).
    case rootHi(UInt32)
    /// `per_root`: the i-th root of the dispute's current round.
    case posted(UInt32, Int)
    /// `roots_hash`: keccak256 of the current round's roots.
    case rootsHash(UInt32)
}

/// One transaction's gas beyond its intrinsic cost, metered as Ethereum meters it: every
/// SLOAD and SSTORE priced by whether its slot is cold or warm in the transaction
/// (EIP-2929) and by what the write does to it (EIP-2200: zero → non-zero, non-zero →
/// non-zero, a slot already written in the transaction), clearing refunds (EIP-3529),
/// and the contract's computation (keccak, the one-step verifier).
///
/// The simulation knows whether a slot holds zero, not its value, so every write is
/// taken to change the value unless it writes zero over zero.
public struct StorageMeter: Sendable {
    /// The prices.
    public let gas: GasSchedule
    /// Gas used so far, before refunds.
    public private(set) var used: UInt64 = 0
    /// Refund earned so far (EIP-2200 bookkeeping; capped only when the transaction is charged).
    public var refund: UInt64 { UInt64(max(0, refundSigned)) }
    private var refundSigned: Int64 = 0
    private var accessed: Set<ContractSlot> = []
    /// For slots written in this transaction: whether each held non-zero before it, and now.
    private var original: [ContractSlot: Bool] = [:]
    private var current: [ContractSlot: Bool] = [:]

    /// An empty meter.
    public init(gas: GasSchedule) { self.gas = gas }

    /// Whether `slot` has been written in this transaction.
    public func wrote(_ slot: ContractSlot) -> Bool { original[slot] != nil }

    /// Adds the contract's computation (keccak, the step verifier, …).
    public mutating func compute(_ g: UInt64) { used += g }

    /// An SLOAD of `slot`.
    public mutating func read(_ slot: ContractSlot) {
        used += accessed.insert(slot).inserted ? gas.sloadCold : gas.sloadWarm
    }

    /// An SSTORE to `slot`, which held non-zero (`from`) before the transaction or its
    /// last write in it, and holds non-zero (`to`) after.
    public mutating func write(_ slot: ContractSlot, from: Bool, to: Bool) {
        if accessed.insert(slot).inserted { used += gas.sloadCold }
        let clear = Int64(gas.sstoreClearRefund)
        if let orig = original[slot] {
            // A slot already written in this transaction: a warm access, and the refund
            // follows the slot back and forth (EIP-2200).
            let cur = current[slot] ?? orig
            used += gas.sloadWarm
            if orig && cur && !to { refundSigned += clear }
            if orig && !cur && to { refundSigned -= clear }
        } else {
            let was = current[slot] ?? from
            original[slot] = was
            if !was && !to {
                used += gas.sloadWarm                    // zero over zero: no change
            } else if !was {
                used += gas.sstoreSet
            } else {
                used += gas.sstoreReset
                if !to { refundSigned += clear }
            }
        }
        current[slot] = to
    }
}

extension StorageMeter {
    /// The reads every dispute move starts with: the game word, then the dispute's
    /// turn/deadline and its interval/clocks.
    public mutating func readDispute(_ id: UInt32) {
        read(.game); read(.disputeMeta(id)); read(.disputeSpan(id))
    }

    /// What an accepted post_roots does after those reads: the new turn, the chess clock,
    /// and the round's roots under `storage`. `ends` is the calldata the move must
    /// resupply (the current ends, `roots_hash` after the first round); `slotsUsed` the
    /// root slots earlier rounds of the dispute filled (`per_root`).
    public mutating func postRoots(dispute id: UInt32, roots: Int, firstRound: Bool, ends: [UInt8], slotsUsed: Int,
                                   chessClock: Bool, storage: RootStorage) {
        write(.disputeMeta(id), from: true, to: true)
        if chessClock { write(.disputeSpan(id), from: true, to: true) }
        switch storage {
        case .perRoot:
            for i in 0..<roots { write(.posted(id, i), from: i < slotsUsed, to: true) }
        case .rootsHash:
            if firstRound {
                // The ends are the task's initial root and the claimed root, both stored.
                read(.taskRoot); read(.claimRoot)
            } else {
                compute(gas.calldata(ends) + gas.keccak(byteCount: 64))
                read(.rootsHash(id))
            }
            compute(gas.keccak(byteCount: 32 * (roots + 2)))
            write(.rootsHash(id), from: !firstRound, to: true)
        }
    }

    /// What an accepted pick of part `index` (of `roots` + 1) does after the reads: the new
    /// turn and interval, and the two roots it keeps. `allRoots` is the calldata a
    /// `roots_hash` pick resupplies (the round's ends and posted roots); `loStored` /
    /// `hiStored` say whether the dispute's end slots were written before (`per_root`).
    public mutating func pick(dispute id: UInt32, index: Int, roots: Int, allRoots: [UInt8], loStored: Bool, hiStored: Bool,
                              storage: RootStorage) {
        write(.disputeMeta(id), from: true, to: true)
        write(.disputeSpan(id), from: true, to: true)
        switch storage {
        case .perRoot:
            if index > 0 { read(.posted(id, index - 1)); write(.rootLo(id), from: loStored, to: true) }
            if index < roots { read(.posted(id, index)); write(.rootHi(id), from: hiStored, to: true) }
        case .rootsHash:
            compute(gas.calldata(allRoots))
            read(.rootsHash(id))
            compute(gas.keccak(byteCount: 32 * (roots + 2)) + gas.keccak(byteCount: 64))
            write(.rootsHash(id), from: true, to: true)
        }
    }

    /// The reads of a step proof's two ends: the end slots (or, not yet written, the task's
    /// initial root and the claimed root) under `per_root`; under `roots_hash` after a
    /// pick, the two ends resupplied as `ends` and checked against the hash.
    public mutating func stepProofEnds(dispute id: UInt32, picked: Bool, loStored: Bool, hiStored: Bool, ends: [UInt8],
                                       storage: RootStorage) {
        switch storage {
        case .perRoot:
            read(loStored ? .rootLo(id) : .taskRoot)
            read(hiStored ? .rootHi(id) : .claimRoot)
        case .rootsHash:
            if picked {
                compute(gas.calldata(ends) + gas.keccak(byteCount: 64))
                read(.rootsHash(id))
            } else {
                read(.taskRoot); read(.claimRoot)
            }
        }
    }
}
