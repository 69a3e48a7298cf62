import Commitment

/// Why the judge refused a frame. A refused frame changes no game state; a move a party
/// sent while the game was open was still mined and is charged as a reverted transaction
/// (docs/GAME.md, "Reverted transactions"). The judge reports the refusal as data and
/// renderers put it into words.
public enum Rejection: Equatable, Hashable, Sendable {
    /// The bytes are not a frame of the protocol.
    case undecodable(GameMessageError)
    /// The frame is longer than the game's `max_frame_bytes`.
    case oversized(bytes: Int, max: Int)
    /// The sender is not a party of this game.
    case unknownSender
    /// A notification sent to the judge as if it were a transaction.
    case notATransaction(GameMessage.Kind)
    /// The frame's time lies before the chain's clock.
    case beforeChainClock(frameMs: UInt64, chainMs: UInt64)
    /// The frame names a task the judge does not hold.
    case unknownTask(UInt64)
    /// This kind of transaction may be sent only by `allowed` (the solver, the
    /// challenger of the active dispute) or, when nil, by a verifier.
    case wrongSender(GameMessage.Kind, allowed: PartyID?)
    /// Not this party's move now.
    case outOfTurn(GameMessage.Kind)
    /// Sent in block `block`, after its deadline `deadline`.
    case late(GameMessage.Kind, block: UInt64, deadline: UInt64)
    /// The claim has more steps than the task allows.
    case stepLimitExceeded(steps: UInt64, limit: UInt64)
    /// The transaction would cost more gas than a block may hold.
    case overBlockGasLimit(gas: UInt64, limit: UInt64)
    /// A zero-step claim whose root is not the initial root.
    case zeroStepClaimNotInitial
    /// The sender cannot lock the deposit the move needs.
    case insufficientBalance(needed: UInt64, balance: UInt64)
    /// With a gas price, the sender's balance (after what the move itself locks) cannot
    /// pay the move's gas: the transaction is not mined.
    case cannotPayGas(fee: UInt64, balance: UInt64)
    /// The commit's halt proof does not verify; `detail` is the verifier's diagnosis.
    case haltProofInvalid(detail: String)
    /// The halt proof verifies but does not show the claimed root halted.
    case haltProofMismatch(pre: Digest, post: Digest, halted: Bool)
    /// The halt proof shows the claimed root halted, but the state's step counter says it
    /// halted at step `halted` (nil: the proof does not open the counter), not `claimed`.
    case stepCountMismatch(claimed: UInt64, halted: UInt64?)
    /// The sender has challenged already.
    case alreadyChallenged
    /// A challenge whose own claim agrees with the solver's on what it disputes.
    case challengeAgreesWithClaim(DisputeKind)
    /// No dispute with this number is being played.
    case noActiveDispute(UInt32)
    /// A root posting with the wrong number of roots.
    case wrongRootCount(expected: Int, got: Int)
    /// A pick outside 0...max.
    case pickOutOfRange(index: Int, max: Int)
    /// A signed envelope of another domain (a hello or a notification sent as a move).
    case wrongDomain(UInt8)
    /// Signed for another chain (another scenario).
    case wrongChain
    /// The envelope names a signer the chain has no account for.
    case unknownAccount(PartyID)
    /// The signature is not the named account's over this envelope.
    case badSignature
    /// The nonce is not greater than the last one admitted from this account (a replay,
    /// or a message overtaken by a later one).
    case staleNonce(nonce: UInt64, last: UInt64)

    /// A short stable name for tools and aggregated logs (`late`, `out_of_turn`, …).
    /// True for a replayed nonce (the signature checked; the message is a repeat).
    public var isStaleNonce: Bool { if case .staleNonce = self { return true } else { return false } }

    public var code: String {
        switch self {
        case .undecodable: return "undecodable"
        case .oversized: return "oversized"
        case .unknownSender: return "unknown_sender"
        case .notATransaction: return "not_a_transaction"
        case .beforeChainClock: return "before_chain_clock"
        case .unknownTask: return "unknown_task"
        case .wrongSender: return "wrong_sender"
        case .outOfTurn: return "out_of_turn"
        case .late: return "late"
        case .stepLimitExceeded: return "step_limit_exceeded"
        case .overBlockGasLimit: return "over_block_gas_limit"
        case .zeroStepClaimNotInitial: return "zero_step_claim_not_initial"
        case .insufficientBalance: return "insufficient_balance"
        case .cannotPayGas: return "cannot_pay_gas"
        case .haltProofInvalid: return "halt_proof_invalid"
        case .haltProofMismatch: return "halt_proof_mismatch"
        case .stepCountMismatch: return "step_count_mismatch"
        case .alreadyChallenged: return "already_challenged"
        case .challengeAgreesWithClaim: return "challenge_agrees_with_claim"
        case .noActiveDispute: return "no_active_dispute"
        case .wrongRootCount: return "wrong_root_count"
        case .pickOutOfRange: return "pick_out_of_range"
        case .wrongDomain: return "wrong_domain"
        case .wrongChain: return "wrong_chain"
        case .unknownAccount: return "unknown_account"
        case .badSignature: return "bad_signature"
        case .staleNonce: return "stale_nonce"
        }
    }
}
