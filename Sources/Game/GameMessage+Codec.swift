import Commitment

/// Why a frame could not be decoded, with the byte offset where decoding stopped.
public struct GameMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of decoding failure.
    public enum Kind: Equatable, Sendable {
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
            w.u32(challenger.rawValue); w.u32(winner.rawValue); w.string(reason)
        case let .settled(task, accepted, winner, reason):
            w.u8(Tag.settled.rawValue); w.u64(task); w.u8(accepted ? 1 : 0)
            w.u8(winner == nil ? 0 : 1); w.u32(winner?.rawValue ?? 0); w.string(reason)
        }
        return w.out
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
            m = .taskPosted(TaskSpec(id: try r.u64("task_id"), initialRoot: try r.digest("initial_root"),
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
                                 reason: try r.string("reason"))
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
                         reason: try r.string("reason"))
        }
        guard r.remaining == 0 else { throw GameMessageError(.trailingBytes(count: r.remaining), at: r.offset) }
        return m
    }
}

struct FrameWriter {
    var out: [UInt8] = []
    mutating func u8(_ v: UInt8) { out.append(v) }
    mutating func u16(_ v: UInt16) { out.append(UInt8(v >> 8)); out.append(UInt8(v & 0xff)) }
    mutating func u32(_ v: UInt32) {
        out.append(UInt8(truncatingIfNeeded: v >> 24)); out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 8)); out.append(UInt8(truncatingIfNeeded: v))
    }
    mutating func u64(_ v: UInt64) { u32(UInt32(truncatingIfNeeded: v >> 32)); u32(UInt32(truncatingIfNeeded: v)) }
    /// A digest is its four lanes, big-endian: the same 32 bytes as `Digest.bytes`.
    mutating func digest(_ d: Digest) { u64(d.w0); u64(d.w1); u64(d.w2); u64(d.w3) }
    mutating func bytes(_ b: [UInt8]) { u32(UInt32(b.count)); out.append(contentsOf: b) }
    mutating func u64s(_ v: [UInt64]) { u32(UInt32(v.count)); for x in v { u64(x) } }
    mutating func kind(_ k: DisputeKind) { u8(k == .trace ? 0 : 1) }
    mutating func claim(_ c: Claim) { digest(c.root); u64(c.steps); digest(c.outputHash) }
    mutating func string(_ s: String) {
        var utf8 = Array(s.utf8)
        if utf8.count > Int(UInt16.max) {
            // Cut at a character boundary so the result stays valid UTF-8.
            var cut = Int(UInt16.max)
            while cut > 0 && utf8[cut] & 0xC0 == 0x80 { cut -= 1 }
            utf8 = Array(utf8.prefix(cut))
        }
        u16(UInt16(utf8.count)); out.append(contentsOf: utf8)
    }
}

struct FrameReader {
    let frame: [UInt8]
    var offset = 0
    init(_ frame: [UInt8]) { self.frame = frame }
    var remaining: Int { frame.count - offset }

    mutating func take(_ n: Int, _ field: String) throws -> ArraySlice<UInt8> {
        guard n <= remaining else {
            throw GameMessageError(.truncated(field: field, needed: n, available: remaining), at: offset)
        }
        defer { offset += n }
        return frame[offset..<offset + n]
    }
    /// Checks that `n` bytes remain for `field`, then returns the offset they start at.
    mutating func claim(_ n: Int, _ field: String) throws -> Int {
        guard n <= remaining else {
            throw GameMessageError(.truncated(field: field, needed: n, available: remaining), at: offset)
        }
        defer { offset += n }
        return offset
    }
    /// Big-endian value of `n` ≤ 8 bytes, read by index (no slices: this is the hot path).
    mutating func uint(_ n: Int, _ f: String) throws -> UInt64 {
        let at = try claim(n, f)
        var v: UInt64 = 0
        var i = at
        while i < at + n { v = v << 8 | UInt64(frame[i]); i += 1 }
        return v
    }
    mutating func u8(_ f: String) throws -> UInt8 { UInt8(try uint(1, f)) }
    mutating func u16(_ f: String) throws -> UInt16 { UInt16(try uint(2, f)) }
    mutating func u32(_ f: String) throws -> UInt32 { UInt32(try uint(4, f)) }
    mutating func u64(_ f: String) throws -> UInt64 { try uint(8, f) }
    mutating func digest(_ f: String) throws -> Digest {
        guard remaining >= 32 else {
            throw GameMessageError(.truncated(field: f, needed: 32, available: remaining), at: offset)
        }
        return Digest(w0: try u64(f), w1: try u64(f), w2: try u64(f), w3: try u64(f))
    }
    mutating func bool(_ f: String) throws -> Bool {
        let at = offset
        switch try u8(f) {
        case 0: return false
        case 1: return true
        case let v: throw GameMessageError(.invalidValue(field: f, detail: "expected 0 or 1, got \(v)"), at: at)
        }
    }
    mutating func kind() throws -> DisputeKind {
        let at = offset
        switch try u8("kind") {
        case 0: return .trace
        case 1: return .output
        case let v: throw GameMessageError(.invalidValue(field: "kind", detail: "expected 0 (trace) or 1 (output), got \(v)"), at: at)
        }
    }
    /// A u32 element count, checked against the bytes left so a bogus count cannot allocate.
    mutating func count(_ f: String, elementSize: Int) throws -> Int {
        let at = offset
        let n = Int(try u32(f + ".count"))
        guard n <= remaining / elementSize else {
            throw GameMessageError(.truncated(field: f, needed: n * elementSize, available: remaining), at: at)
        }
        return n
    }
    mutating func bytes(_ f: String) throws -> [UInt8] { Array(try take(try count(f, elementSize: 1), f)) }
    mutating func digests(_ f: String) throws -> [Digest] {
        let n = try count(f, elementSize: 32)
        var out: [Digest] = []; out.reserveCapacity(n)
        for _ in 0..<n { out.append(try digest(f)) }
        return out
    }
    mutating func u64s(_ f: String) throws -> [UInt64] {
        let n = try count(f, elementSize: 8)
        var out: [UInt64] = []; out.reserveCapacity(n)
        for _ in 0..<n { out.append(try u64(f)) }
        return out
    }
    mutating func claim() throws -> Claim {
        Claim(root: try digest("claim.root"), steps: try u64("claim.steps"), outputHash: try digest("claim.output_hash"))
    }
    mutating func string(_ f: String) throws -> String {
        let n = Int(try u16(f + ".length"))
        let at = offset
        let raw = try take(n, f)
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw GameMessageError(.invalidValue(field: f, detail: "not valid UTF-8"), at: at)
        }
        return s
    }
}
