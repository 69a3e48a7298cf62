/// Prices of everything the simulated chain charges for, in gas, plus the conversion to
/// ETH and USD. Defaults are roughly Ethereum's (see configs/gas-default.yaml, which has
/// exactly these keys).
public struct GasSchedule: Codable, Equatable, Sendable {
    /// Fixed cost of every transaction.
    public var txBase: UInt64
    /// Calldata gas per zero byte of the transaction's frame.
    public var calldataZeroByte: UInt64
    /// Calldata gas per non-zero byte of the transaction's frame.
    public var calldataNonZeroByte: UInt64
    /// Cost of one 32-byte storage write (a fresh SSTORE).
    public var storageWrite: UInt64
    /// Fixed part of one keccak256 invocation.
    public var keccakBase: UInt64
    /// Per 32-byte word hashed by keccak256.
    public var keccakPerWord: UInt64
    /// Fixed cost of running the one-step verifier once.
    public var stepVerifyBase: UInt64
    /// Verifier cost per byte of proof (copying and parsing).
    public var stepVerifyPerProofByte: UInt64
    /// Verifier cost per work unit the checker reports (one node hash / access).
    public var stepVerifyPerWorkUnit: UInt64
    /// Most gas one block (and so one transaction) may use: a transaction over it can never
    /// be included. 30 000 000 is Ethereum mainnet's limit since the London fork's target
    /// doubling (EIP-1559 sets a 15 M target with a 2× elasticity).
    public var blockGasLimit: UInt64
    /// Gas price in gwei (1 gwei = 1e-9 ETH).
    public var gasPriceGwei: Double
    /// ETH price in US dollars.
    public var ethPriceUSD: Double

    /// Builds a schedule; every argument defaults to the Ethereum-like value.
    public init(txBase: UInt64 = 21_000, calldataZeroByte: UInt64 = 4, calldataNonZeroByte: UInt64 = 16,
                storageWrite: UInt64 = 20_000, keccakBase: UInt64 = 30, keccakPerWord: UInt64 = 6,
                stepVerifyBase: UInt64 = 40_000, stepVerifyPerProofByte: UInt64 = 1,
                stepVerifyPerWorkUnit: UInt64 = 42, blockGasLimit: UInt64 = 30_000_000,
                gasPriceGwei: Double = 20, ethPriceUSD: Double = 3_000) {
        self.txBase = txBase; self.calldataZeroByte = calldataZeroByte
        self.calldataNonZeroByte = calldataNonZeroByte; self.storageWrite = storageWrite
        self.keccakBase = keccakBase; self.keccakPerWord = keccakPerWord
        self.stepVerifyBase = stepVerifyBase; self.stepVerifyPerProofByte = stepVerifyPerProofByte
        self.stepVerifyPerWorkUnit = stepVerifyPerWorkUnit; self.blockGasLimit = blockGasLimit
        self.gasPriceGwei = gasPriceGwei; self.ethPriceUSD = ethPriceUSD
    }

    /// The Ethereum-like defaults.
    public static let `default` = GasSchedule()

    enum CodingKeys: String, CodingKey {
        case txBase = "tx_base", calldataZeroByte = "calldata_zero_byte"
        case calldataNonZeroByte = "calldata_nonzero_byte", storageWrite = "storage_write"
        case keccakBase = "keccak_base", keccakPerWord = "keccak_per_word"
        case stepVerifyBase = "step_verify_base", stepVerifyPerProofByte = "step_verify_per_proof_byte"
        case stepVerifyPerWorkUnit = "step_verify_per_work_unit", blockGasLimit = "block_gas_limit"
        case gasPriceGwei = "gas_price_gwei", ethPriceUSD = "eth_price_usd"
    }

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

    /// ETH paid for `gas` at this schedule's price.
    /// (gwei total ÷ 10⁹, not × 10⁻⁹: with a whole-gwei price that is the decimal itself,
    /// so reports print 0.00164344, not 0.0016434400000000001.)
    public func eth(_ gas: UInt64) -> Double { Double(gas) * gasPriceGwei / 1e9 }

    /// US dollars paid for `gas`.
    /// (Rounded to a millionth of a dollar, so no float noise reaches a report.)
    public func usd(_ gas: UInt64) -> Double { (eth(gas) * ethPriceUSD * 1e6).rounded() / 1e6 }
}
