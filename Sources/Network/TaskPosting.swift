import Game
import Transport

/// The task giver's own transaction: posting a task to the chain. Its gas is counted as
/// the judge counts a move's (docs/GAME.md, "Gas"): the base fee, the posting's calldata
/// and the storage it writes.
public enum TaskPosting {
    /// What the posting carries: the task's initial state root (32 bytes: it commits to
    /// the program and its input), its step limit (8), the reward and the tax (32 each,
    /// as EVM words), every byte charged as non-zero.
    public static let calldataBytes: UInt64 = 32 + 8 + 32 + 32

    /// Fresh storage slots a posting fills: the task's initial root, its step limit, its
    /// escrow (reward + tax) and its task giver.
    public static let freshSlots: UInt64 = 4

    /// The posting's gas under `gas`: base + calldata + each fresh slot read cold and
    /// set + the task giver's balance read cold and reset (EIP-2929 / EIP-2200 prices, as
    /// the judge meters every move). Saturating: a schedule past UInt64 costs "everything".
    public static func gas(_ gas: GasSchedule) -> UInt64 {
        let slot = gas.sloadCold.saturatingAdd(gas.sstoreSet)
        return gas.txBase.saturatingAdd(calldataBytes.saturatingMultiply(gas.calldataNonZeroByte))
            .saturatingAdd(freshSlots.saturatingMultiply(slot)).saturatingAdd(gas.sloadCold.saturatingAdd(gas.sstoreReset))
    }

    /// The posting's fee in wei at `price` per gas (saturating).
    public static func fee(_ gas: GasSchedule, price: UInt64) -> UInt64 { Self.gas(gas).saturatingMultiply(price) }
}
