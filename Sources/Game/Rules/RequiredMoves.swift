import Commitment

/// The largest transaction of each kind an honest party may have to send, and its gas:
/// what a configuration must let through. A frame limit or a block gas limit below any of
/// these would let the judge refuse an honest move — and a liar win by timeout — so such a
/// configuration is refused before the game (docs/GAME.md, "Limits").
public struct RequiredMove: Equatable, Sendable {
    /// The move.
    public var kind: GameMessage.Kind
    /// Its largest frame, in bytes (the `GameMessage` encoding the judge limits).
    public var frameBytes: Int
    /// Its largest gas, every frame byte charged as non-zero calldata.
    public var gas: UInt64

    /// The required moves of a game under `config` and `gas` with up to `challengers`
    /// challengers (the output opening has one size for every output, docs/STATE.md,
    /// "Output opening"). A move that ends a dispute may settle the game and return every
    /// other challenger's deposit in the same transaction, so its bound grows with them.
    public static func all(config: GameConfig, gas: GasSchedule, challengers: Int = 1) -> [RequiredMove] {
        let proof = StepProofBounds.maxBytes
        let header = 2 + 8 + 4                 // version, tag, task id, dispute
        let claim = 32 + 8 + 32
        let roots = max(0, config.largestArity - 1)
        func nonZero(_ n: Int) -> [UInt8] { [UInt8](repeating: 0xff, count: n) }
        func move(_ kind: GameMessage.Kind, _ bytes: Int, metered: UInt64) -> RequiredMove {
            let calldata = gas.calldataNonZeroByte.multipliedReportingOverflow(by: UInt64(bytes))
            var total = gas.txBase.addingReportingOverflow(calldata.partialValue)
            total = total.partialValue.addingReportingOverflow(metered)
            let overflow = calldata.overflow || total.overflow
            return RequiredMove(kind: kind, frameBytes: bytes, gas: overflow ? .max : total.partialValue)
        }
        // Storage and contract work, slot by slot as the judge meters them, each move in
        // its costliest case (fresh slots; for roots_hash the larger of the first and a
        // later round). A dispute-ending move also pays for the resolution it sets off:
        // up to `resolutionSlots` updated slots (dispute, escrows, balances, game, the
        // next dispute) and, when it settles the game, `refundGas` per other challenger
        // whose deposit comes back; refunds of cleared slots are ignored.
        let (refunds, over) = Self.refundGas(gas).multipliedReportingOverflow(by: UInt64(max(0, challengers - 1)))
        let resolution = over ? UInt64.max / 4 : UInt64(Self.resolutionSlots) * (gas.sloadCold + gas.sstoreSet) + refunds
        let verify = gas.stepVerification(proofBytes: proof, workUnits: StepProofBounds.maxNodeHashes)
        var commit = StorageMeter(gas: gas)
        commit.read(.game); commit.read(.balance(.judge))
        commit.write(.game, from: true, to: true); commit.write(.claimRoot, from: false, to: true)
        commit.write(.claimOutput, from: false, to: true)
        commit.write(.balance(.judge), from: true, to: true); commit.write(.escrow(.judge), from: false, to: true)
        var challenge = StorageMeter(gas: gas)
        challenge.read(.game); challenge.read(.escrow(.judge)); challenge.read(.claimRoot); challenge.read(.balance(.judge))
        challenge.write(.balance(.judge), from: true, to: true); challenge.write(.escrow(.judge), from: false, to: true)
        challenge.write(.game, from: true, to: true)
        challenge.write(.disputeMeta(1), from: false, to: true); challenge.write(.disputeSpan(1), from: false, to: true)
        var postRoots: UInt64 = 0, pick: UInt64 = 0
        for first in [true, false] {
            var p = StorageMeter(gas: gas)
            p.readDispute(1)
            p.postRoots(dispute: 1, roots: roots, firstRound: first, ends: nonZero(64), slotsUsed: 0, chessClock: true,
                        storage: config.storage)
            postRoots = max(postRoots, p.used)
        }
        var q = StorageMeter(gas: gas)
        q.readDispute(1)
        q.pick(dispute: 1, index: min(1, roots), roots: roots, allRoots: nonZero(32 * (roots + 2)), loStored: false,
               hiStored: false, storage: config.storage)
        pick = q.used
        var step = StorageMeter(gas: gas)
        step.readDispute(1)
        step.stepProofEnds(dispute: 1, picked: true, loStored: true, hiStored: true, ends: nonZero(64), storage: config.storage)
        step.read(.taskRoot); step.read(.claimRoot)
        var opening = StorageMeter(gas: gas)
        opening.read(.game); opening.read(.disputeMeta(1)); opening.read(.claimRoot); opening.read(.claimOutput)
        return [
            move(.commit, header + claim + 4 + proof, metered: commit.used + verify),
            move(.challenge, header + 1 + claim, metered: challenge.used),
            move(.postRoots, header + 4 + 32 * roots, metered: postRoots),
            move(.pick, header + 4, metered: pick),
            move(.stepProof, header + 4 + proof, metered: step.used + verify + resolution),
            move(.outputOpening, header + 4 + OutputOpening.size, metered: opening.used + resolution
                 + gas.outputOpeningCheck(bytes: OutputOpening.size, hashes: OutputOpening.hashesChecked)),
        ]
    }

    /// Most slots a dispute's resolution writes in the transaction that ends it (not
    /// counting the refunds of the other challengers when it settles the game).
    public static let resolutionSlots = 8
    /// Most gas the settlement spends per other challenger whose deposit it returns: its
    /// escrow slot updated (non-zero before: it holds the deposit) and its balance slot
    /// written, fresh at worst (the challenger staked everything it had).
    public static func refundGas(_ gas: GasSchedule) -> UInt64 {
        2 * gas.sloadCold + gas.sstoreReset + gas.sstoreSet
    }
}
