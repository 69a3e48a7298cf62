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

    /// The required moves of a game under `config` and `gas` (the output opening has one
    /// size for every output, docs/STATE.md, "Output opening").
    public static func all(config: GameConfig, gas: GasSchedule) -> [RequiredMove] {
        let proof = StepProofBounds.maxBytes
        let header = 2 + 8 + 4                 // version, tag, task id, dispute
        let claim = 32 + 8 + 32
        func move(_ kind: GameMessage.Kind, _ bytes: Int, writes: Int, extra: UInt64 = 0) -> RequiredMove {
            let calldata = gas.calldataNonZeroByte.multipliedReportingOverflow(by: UInt64(bytes))
            let storage = gas.storageWrite.multipliedReportingOverflow(by: UInt64(writes))
            var total = gas.txBase.addingReportingOverflow(calldata.partialValue)
            total = total.partialValue.addingReportingOverflow(storage.partialValue)
            total = total.partialValue.addingReportingOverflow(extra)
            let overflow = calldata.overflow || storage.overflow || total.overflow
            return RequiredMove(kind: kind, frameBytes: bytes, gas: overflow ? .max : total.partialValue)
        }
        let verify = gas.stepVerification(proofBytes: proof, workUnits: proof / 32)
        let roots = max(0, config.largestArity - 1)
        return [
            move(.commit, header + claim + 4 + proof, writes: 4, extra: verify),
            move(.challenge, header + 1 + claim, writes: 3),
            move(.postRoots, header + 4 + 32 * roots, writes: roots + 1),
            move(.pick, header + 4, writes: 1),
            move(.stepProof, header + 4 + proof, writes: 1, extra: verify),
            move(.outputOpening, header + 4 + OutputOpening.size, writes: 1,
                 extra: gas.keccak(byteCount: OutputOpening.size) + gas.stepVerifyPerProofByte * UInt64(OutputOpening.size)),
        ]
    }
}
