/// Prices of everything the simulated chain charges for, in gas, plus the conversion to
/// ETH and USD. The defaults are Ethereum's (post-London: EIP-2028 calldata, EIP-2929
/// access costs, EIP-2200 net storage metering, EIP-3529 refunds); the one-step
/// verifier's are a documented estimate. configs/gas-default.yaml has exactly these keys,
/// each with its source; docs/GAME.md ("Gas") says which slots each move touches.
public struct GasSchedule: Codable, Equatable, Sendable {
    /// Intrinsic cost of every transaction (Yellow Paper G_transaction).
    public var txBase: UInt64
    /// Calldata gas per zero byte (Yellow Paper G_txdatazero).
    public var calldataZeroByte: UInt64
    /// Calldata gas per non-zero byte (EIP-2028).
    public var calldataNonZeroByte: UInt64
    /// SLOAD of a slot not yet accessed in the transaction, and the surcharge of an SSTORE
    /// to such a slot (EIP-2929 COLD_SLOAD_COST).
    public var sloadCold: UInt64
    /// SLOAD of a slot already accessed in the transaction, and an SSTORE that changes
    /// nothing or rewrites a slot already written in it (EIP-2929 WARM_STORAGE_READ_COST).
    public var sloadWarm: UInt64
    /// SSTORE of a zero slot to non-zero, first write in the transaction (EIP-2200
    /// SSTORE_SET_GAS), plus `sloadCold` when the slot is cold.
    public var sstoreSet: UInt64
    /// SSTORE of a non-zero slot, first write in the transaction (EIP-2929: SSTORE_RESET_GAS
    /// 5000 − COLD_SLOAD_COST), plus `sloadCold` when the slot is cold.
    public var sstoreReset: UInt64
    /// Refund for clearing a non-zero slot (EIP-3529 SSTORE_CLEARS_SCHEDULE).
    public var sstoreClearRefund: UInt64
    /// Refunds are capped at gas used ÷ this (EIP-3529 MAX_REFUND_QUOTIENT).
    public var maxRefundQuotient: UInt64
    /// Fixed part of one keccak256 invocation (Yellow Paper G_keccak256).
    public var keccakBase: UInt64
    /// Per 32-byte word hashed by keccak256 (Yellow Paper G_keccak256word).
    public var keccakPerWord: UInt64
    /// Fixed cost of running the one-step verifier once: the replay of one instruction,
    /// dispatch and decoding (an estimate: docs/GAME.md, "The one-step verifier's gas").
    public var stepVerifyBase: UInt64
    /// Verifier cost per byte of proof: copying it to memory and decoding leaves and
    /// bitmap (an estimate, same section).
    public var stepVerifyPerProofByte: UInt64
    /// Verifier cost per work unit the checker reports: one node hash, keccak256 of two
    /// 32-byte children = keccak_base + 2 × keccak_per_word.
    public var stepVerifyPerWorkUnit: UInt64
    /// Most gas one block (and so one transaction) may use: a transaction over it can never
    /// be included. 30 000 000 is Ethereum mainnet's limit since the London fork's target
    /// doubling (EIP-1559 sets a 15 M target with a 2× elasticity).
    public var blockGasLimit: UInt64
    /// Gas price in gwei (1 gwei = 1e-9 ETH).
    public var gasPriceGwei: Double
    /// ETH price in US dollars.
    public var ethPriceUSD: Double

    /// Builds a schedule; every argument defaults to Ethereum's value.
    public init(txBase: UInt64 = 21_000, calldataZeroByte: UInt64 = 4, calldataNonZeroByte: UInt64 = 16,
                sloadCold: UInt64 = 2_100, sloadWarm: UInt64 = 100, sstoreSet: UInt64 = 20_000,
                sstoreReset: UInt64 = 2_900, sstoreClearRefund: UInt64 = 4_800, maxRefundQuotient: UInt64 = 5,
                keccakBase: UInt64 = 30, keccakPerWord: UInt64 = 6,
                stepVerifyBase: UInt64 = 20_000, stepVerifyPerProofByte: UInt64 = 1,
                stepVerifyPerWorkUnit: UInt64 = 42, blockGasLimit: UInt64 = 30_000_000,
                gasPriceGwei: Double = 20, ethPriceUSD: Double = 3_000) {
        self.txBase = txBase; self.calldataZeroByte = calldataZeroByte
        self.calldataNonZeroByte = calldataNonZeroByte
        self.sloadCold = sloadCold; self.sloadWarm = sloadWarm; self.sstoreSet = sstoreSet
        self.sstoreReset = sstoreReset; self.sstoreClearRefund = sstoreClearRefund
        self.maxRefundQuotient = maxRefundQuotient
        self.keccakBase = keccakBase; self.keccakPerWord = keccakPerWord
        self.stepVerifyBase = stepVerifyBase; self.stepVerifyPerProofByte = stepVerifyPerProofByte
        self.stepVerifyPerWorkUnit = stepVerifyPerWorkUnit; self.blockGasLimit = blockGasLimit
        self.gasPriceGwei = gasPriceGwei; self.ethPriceUSD = ethPriceUSD
    }

    /// Ethereum's schedule.
    public static let `default` = GasSchedule()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case txBase = "tx_base", calldataZeroByte = "calldata_zero_byte"
        case calldataNonZeroByte = "calldata_nonzero_byte"
        case sloadCold = "sload_cold", sloadWarm = "sload_warm", sstoreSet = "sstore_set"
        case sstoreReset = "sstore_reset", sstoreClearRefund = "sstore_clear_refund"
        case maxRefundQuotient = "max_refund_quotient"
        case keccakBase = "keccak_base", keccakPerWord = "keccak_per_word"
        case stepVerifyBase = "step_verify_base", stepVerifyPerProofByte = "step_verify_per_proof_byte"
        case stepVerifyPerWorkUnit = "step_verify_per_work_unit", blockGasLimit = "block_gas_limit"
        case gasPriceGwei = "gas_price_gwei", ethPriceUSD = "eth_price_usd"
    }

    /// Keys of earlier schedules that no longer exist, with what replaced them (the
    /// loader names them instead of calling them unknown).
    public static let removedKeys: [String: String] = [
        "storage_write": "storage is charged per slot as Ethereum does (EIP-2200, EIP-2929, EIP-3529): use sload_cold, sload_warm, sstore_set, sstore_reset, sstore_clear_refund and max_refund_quotient (configs/gas-default.yaml)",
    ]

    /// Gas for carrying `bytes` as calldata.
    public func calldata(_ bytes: [UInt8]) -> UInt64 {
        var g: UInt64 = 0
        for b in bytes { g += b == 0 ? calldataZeroByte : calldataNonZeroByte }
        return g
    }

    /// Gas for one keccak256 over `byteCount` bytes.
    public func keccak(byteCount: Int) -> UInt64 {
        keccakBase + keccakPerWord * UInt64((byteCount + 31) / 32)
    }

    /// Gas for one run of the one-step verifier.
    public func stepVerification(proofBytes: Int, workUnits: Int) -> UInt64 {
        stepVerifyBase + stepVerifyPerProofByte * UInt64(proofBytes) + stepVerifyPerWorkUnit * UInt64(max(0, workUnits))
    }

    /// Gas for checking an output opening of `bytes` bytes that computes `hashes` hashes
    /// of at most 64 bytes each (`OutputOpening.hashesChecked`): reading the opening, as
    /// the step verifier reads a proof, and each hash at a node hash's price. Nothing is
    /// replayed, so there is no `step_verify_base`.
    public func outputOpeningCheck(bytes: Int, hashes: Int) -> UInt64 {
        stepVerifyPerProofByte * UInt64(bytes) + stepVerifyPerWorkUnit * UInt64(max(0, hashes))
    }

    /// What a transaction that used `used` gas and earned `refund` pays: EIP-3529 caps the
    /// refund at used ÷ `max_refund_quotient`.
    public func charged(used: UInt64, refund: UInt64) -> UInt64 {
        used - min(refund, maxRefundQuotient == 0 ? 0 : used / maxRefundQuotient)
    }

    /// ETH paid for `gas` at this schedule's price.
    /// (gwei total ÷ 10⁹, not × 10⁻⁹: with a whole-gwei price that is the decimal itself,
    /// so reports print 0.00164344, not 0.0016434400000000001.)
    public func eth(_ gas: UInt64) -> Double { Double(gas) * gasPriceGwei / 1e9 }

    /// US dollars paid for `gas`.
    /// (Rounded to a millionth of a dollar, so no float noise reaches a report.)
    public func usd(_ gas: UInt64) -> Double { (eth(gas) * ethPriceUSD * 1e6).rounded() / 1e6 }
}
