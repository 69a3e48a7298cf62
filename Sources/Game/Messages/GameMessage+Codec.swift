import Commitment

/// Why a frame could not be decoded, with the byte offset where decoding stopped.
public struct GameMessageError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of decoding failure.
    public enum Kind: Equatable, Hashable, Sendable {
        /// The frame is longer than the allowed maximum.
        case oversized(size: Int, max: Int)
        /// A field needs `needed` bytes but only `available` remain.
        case truncated(field: String, needed: Int, available: Int)
        /// The version byte is not one this decoder knows.
        case unsupportedVersion(UInt8)
        /// The message tag is not one this decoder knows.
        case unknownTag(UInt8)
        /// A field holds a value outside its domain.
        case invalidValue(field: String, detail: String)
        /// Bytes are left over after a complete message.
        case trailingBytes(count: Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// Byte offset in the frame where the problem was found.
    public var offset: Int

    /// Builds an error.
    public init(_ kind: Kind, at offset: Int) { self.kind = kind; self.offset = offset }

    /// The cause and the byte offset, in words.
    public var description: String {
        switch kind {
        case let .oversized(size, max): return "frame of \(size) bytes exceeds the maximum of \(max) bytes"
        case let .truncated(field, needed, available):
            return "truncated frame at byte \(offset): `\(field)` needs \(needed) bytes, \(available) left"
        case let .unsupportedVersion(v): return "unsupported frame version \(v) at byte \(offset)"
        case let .unknownTag(t): return "unknown message tag 0x\(String(t, radix: 16)) at byte \(offset)"
        case let .invalidValue(field, detail): return "invalid `\(field)` at byte \(offset): \(detail)"
        case let .trailingBytes(count): return "\(count) trailing bytes after the message at byte \(offset)"
        }
    }
}

extension GameMessage {
    /// The frame format version written in byte 0.
    public static let version: UInt8 = 1
    /// Default upper bound on a frame's size (1 MiB): far above any proof, far below harm.
    public static let defaultMaxFrameBytes = 1 << 20

    enum Tag: UInt8 {
        case commit = 0x01, challenge = 0x02, postRoots = 0x03, pick = 0x04, stepProof = 0x05, outputOpening = 0x06
        case taskPosted = 0x81, committed = 0x82, solverTurn = 0x83, challengerTurn = 0x84
        case disputeResolved = 0x85, settled = 0x86
    }

    /// The frame: version byte, tag byte, then the fields big-endian (see docs/GAME.md).
    public func encode() -> [UInt8] {
        var w = FrameWriter()
        w.u8(GameMessage.version)
        switch self {
        case let .commit(task, claim, proof):
            w.u8(Tag.commit.rawValue); w.u64(task); w.claim(claim); w.bytes(proof)
        case let .challenge(task, kind, claim):
            w.u8(Tag.challenge.rawValue); w.u64(task); w.kind(kind); w.claim(claim)
        case let .postRoots(task, dispute, roots):
            w.u8(Tag.postRoots.rawValue); w.u64(task); w.u32(dispute)
            w.u32(UInt32(roots.count)); for r in roots { w.digest(r) }
        case let .pick(task, dispute, index):
            w.u8(Tag.pick.rawValue); w.u64(task); w.u32(dispute); w.u32(index)
        case let .stepProof(task, dispute, proof):
            w.u8(Tag.stepProof.rawValue); w.u64(task); w.u32(dispute); w.bytes(proof)
        case let .outputOpening(task, dispute, opening):
            w.u8(Tag.outputOpening.rawValue); w.u64(task); w.u32(dispute); w.bytes(opening)
        case let .taskPosted(spec):
            w.u8(Tag.taskPosted.rawValue); w.u64(spec.id); w.digest(spec.initialRoot); w.u64(spec.stepLimit)
        case let .committed(task, solver, claim, deadline):
            w.u8(Tag.committed.rawValue); w.u64(task); w.u32(solver.rawValue); w.claim(claim); w.u64(deadline)
        case let .solverTurn(task, dispute, challenger, kind, lo, hi, points, deadline):
            w.u8(Tag.solverTurn.rawValue); w.u64(task); w.u32(dispute); w.u32(challenger.rawValue)
            w.kind(kind); w.u64(lo); w.u64(hi); w.u64s(points); w.u64(deadline)
        case let .challengerTurn(task, dispute, lo, hi, points, roots, deadline):
            w.u8(Tag.challengerTurn.rawValue); w.u64(task); w.u32(dispute); w.u64(lo); w.u64(hi)
            w.u64s(points); w.u32(UInt32(roots.count)); for r in roots { w.digest(r) }; w.u64(deadline)
        case let .disputeResolved(task, dispute, challenger, winner, reason):
            w.u8(Tag.disputeResolved.rawValue); w.u64(task); w.u32(dispute)
            w.u32(challenger.rawValue); w.u32(winner.rawValue); w.resolution(reason)
        case let .settled(task, accepted, winner, reason):
            w.u8(Tag.settled.rawValue); w.u64(task); w.u8(accepted ? 1 : 0)
            w.u8(winner == nil ? 0 : 1); w.u32(winner?.rawValue ?? 0); w.resolution(reason)
        }
        return w.out
    }

    /// Parses one frame, returning the failure as a value: what the judge and the parties
    /// use, since for them a bad frame is an event, not an error.
    public static func decoded(_ frame: [UInt8], maxFrameBytes: Int = defaultMaxFrameBytes) -> Result<GameMessage, GameMessageError> {
        do {
            return .success(try decode(frame, maxFrameBytes: maxFrameBytes))
        } catch let e as GameMessageError {
            return .failure(e)
        } catch {
            return .failure(GameMessageError(.invalidValue(field: "frame", detail: "\(error)"), at: 0))
        }
    }

    /// Parses one frame; throws `GameMessageError` naming the byte offset of the problem.
    /// Never traps and never allocates more than the frame's own size.
    public static func decode(_ frame: [UInt8], maxFrameBytes: Int = defaultMaxFrameBytes) throws -> GameMessage {
        guard frame.count <= maxFrameBytes else {
            throw GameMessageError(.oversized(size: frame.count, max: maxFrameBytes), at: 0)
        }
        var r = FrameReader(frame)
        let version = try r.u8("version")
        guard version == GameMessage.version else { throw GameMessageError(.unsupportedVersion(version), at: 0) }
        let tagByte = try r.u8("tag")
        guard let tag = Tag(rawValue: tagByte) else { throw GameMessageError(.unknownTag(tagByte), at: 1) }
        let m: GameMessage
        switch tag {
        case .commit:
            m = .commit(taskID: try r.u64("task_id"), claim: try r.claim(), haltProof: try r.bytes("halt_proof"))
        case .challenge:
            m = .challenge(taskID: try r.u64("task_id"), kind: try r.kind(), claim: try r.claim())
        case .postRoots:
            m = .postRoots(taskID: try r.u64("task_id"), dispute: try r.u32("dispute"), roots: try r.digests("roots"))
        case .pick:
            m = .pick(taskID: try r.u64("task_id"), dispute: try r.u32("dispute"), index: try r.u32("index"))
        case .stepProof:
            m = .stepProof(taskID: try r.u64("task_id"), dispute: try r.u32("dispute"), proof: try r.bytes("proof"))
        case .outputOpening:
            m = .outputOpening(taskID: try r.u64("task_id"), dispute: try r.u32("dispute"), opening: try r.bytes("opening"))
        case .taskPosted:
            m = .taskPosted(PostedTask(id: try r.u64("task_id"), initialRoot: try r.digest("initial_root"),
                                     stepLimit: try r.u64("step_limit")))
        case .committed:
            m = .committed(taskID: try r.u64("task_id"), solver: PartyID(try r.u32("solver")),
                           claim: try r.claim(), challengeDeadline: try r.u64("challenge_deadline"))
        case .solverTurn:
            m = .solverTurn(taskID: try r.u64("task_id"), dispute: try r.u32("dispute"),
                            challenger: PartyID(try r.u32("challenger")), kind: try r.kind(),
                            lo: try r.u64("lo"), hi: try r.u64("hi"), points: try r.u64s("points"),
                            deadline: try r.u64("deadline"))
        case .challengerTurn:
            m = .challengerTurn(taskID: try r.u64("task_id"), dispute: try r.u32("dispute"),
                                lo: try r.u64("lo"), hi: try r.u64("hi"), points: try r.u64s("points"),
                                roots: try r.digests("roots"), deadline: try r.u64("deadline"))
        case .disputeResolved:
            m = .disputeResolved(taskID: try r.u64("task_id"), dispute: try r.u32("dispute"),
                                 challenger: PartyID(try r.u32("challenger")), winner: PartyID(try r.u32("winner")),
                                 reason: try r.resolution("reason"))
        case .settled:
            let task = try r.u64("task_id")
            let accepted = try r.bool("accepted")
            let hasWinner = try r.bool("has_winner")
            let at = r.offset
            let winner = try r.u32("winner")
            guard hasWinner || winner == 0 else {
                throw GameMessageError(.invalidValue(field: "winner", detail: "must be 0 when has_winner is 0"), at: at)
            }
            m = .settled(taskID: task, accepted: accepted, winner: hasWinner ? PartyID(winner) : nil,
                         reason: try r.resolution("reason"))
        }
        guard r.remaining == 0 else { throw GameMessageError(.trailingBytes(count: r.remaining), at: r.offset) }
        return m
    }
}
