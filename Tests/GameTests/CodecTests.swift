import Commitment
import Testing
import TestSupport
@testable import Game

/// One frame of every kind, with field values that exercise every width.
let sampleMessages: [GameMessage] = {
    let d1 = Digest(w0: 1, w1: 2, w2: 3, w3: 0xFFFF_FFFF_FFFF_FFFF)
    let d2 = Digest(w0: 0xAB, w1: 0, w2: 0, w3: 9)
    let claim = Claim(root: d1, steps: 123_456_789_012, outputHash: d2)
    return [
        .commit(taskID: 7, claim: claim, haltProof: [1, 2, 3, 0, 255]),
        .challenge(taskID: 7, kind: .trace, claim: claim),
        .challenge(taskID: 7, kind: .output, claim: claim),
        .postRoots(taskID: 7, dispute: 3, roots: [d1, d2, d1]),
        .postRoots(taskID: 7, dispute: 3, roots: []),
        .pick(taskID: 7, dispute: 3, index: 0xDEAD_BEEF),
        .stepProof(taskID: 7, dispute: 1, proof: Array(0..<200).map { UInt8($0) }),
        .outputOpening(taskID: 7, dispute: 2, opening: []),
        .taskPosted(PostedTask(id: 99, initialRoot: d2, stepLimit: 1 << 50)),
        .committed(taskID: 7, solver: PartyID(1), claim: claim, challengeDeadline: 44),
        .solverTurn(taskID: 7, dispute: 1, challenger: PartyID(5), kind: .trace, lo: 10, hi: 20,
                    points: [12, 15, 17], deadline: 100),
        .challengerTurn(taskID: 7, dispute: 1, lo: 10, hi: 20, points: [12, 15], roots: [d1, d2], deadline: 101),
        .disputeResolved(taskID: 7, dispute: 1, challenger: PartyID(5), winner: PartyID(1),
                         reason: .stepProofInvalid(step: 9, detail: "step → ok ✓")),
        .disputeResolved(taskID: 7, dispute: 2, challenger: PartyID(5), winner: PartyID(5),
                         reason: .stepProofWrongEnd(step: 3, proven: d1, claimed: d2)),
        .settled(taskID: 7, accepted: true, winner: PartyID(1), reason: .solverWonEveryDispute),
        .settled(taskID: 7, accepted: false, winner: nil, reason: .solverDidNotCommit(deadline: 12)),
        .settled(taskID: 7, accepted: false, winner: PartyID(6),
                 reason: .solverLostDispute(dispute: 4, cause: .missedDeadline(party: PartyID(1), deadline: 99))),
        .settled(taskID: 7, accepted: false, winner: PartyID(6),
                 reason: .solverLostDispute(dispute: 4, cause: .outputMismatch(opened: d2, claimed: d1))),
    ]
}()

@Suite struct CodecTests {
    @Test(arguments: sampleMessages)
    func roundTrips(_ m: GameMessage) throws {
        let frame = m.encode()
        #expect(frame[0] == GameMessage.version)
        #expect(try GameMessage.decode(frame) == m)
    }

    @Test func pickLayoutIsAsDocumented() {
        // docs/GAME.md: version, tag 0x04, task_id u64 BE, dispute u32 BE, index u32 BE.
        let f = GameMessage.pick(taskID: 0x0102_0304_0506_0708, dispute: 0x0A0B_0C0D, index: 0x11).encode()
        #expect(f == [1, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 0x11])
    }

    @Test(arguments: sampleMessages)
    func everyTruncationThrowsNamingAnOffsetInside(_ m: GameMessage) {
        let frame = m.encode()
        for cut in 0..<frame.count {
            do {
                _ = try GameMessage.decode(Array(frame.prefix(cut)))
                Issue.record("prefix of \(cut) bytes of \(m.kind.rawValue) decoded")
            } catch let e as GameMessageError {
                #expect(e.offset <= cut)
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
    }

    @Test func errorsNameTheCauseAndOffset() throws {
        func err(_ f: [UInt8], max: Int = GameMessage.defaultMaxFrameBytes) -> GameMessageError? {
            do { _ = try GameMessage.decode(f, maxFrameBytes: max); return nil } catch { return error as? GameMessageError }
        }
        #expect(err([])?.kind == .truncated(field: "version", needed: 1, available: 0))
        #expect(err([2, 4])?.kind == .unsupportedVersion(2))
        #expect(err([1, 0x7F]) == GameMessageError(.unknownTag(0x7F), at: 1))
        let pick = GameMessage.pick(taskID: 1, dispute: 2, index: 3).encode()
        #expect(err(pick + [0]) == GameMessageError(.trailingBytes(count: 1), at: pick.count))
        #expect(err(pick, max: 10)?.kind == .oversized(size: pick.count, max: 10))
        var ch = GameMessage.challenge(taskID: 1, kind: .trace, claim: Claim(root: .zero, steps: 1, outputHash: .zero)).encode()
        ch[10] = 7                                   // kind byte follows version, tag, task id
        let e = try #require(err(ch))
        #expect(e.offset == 10)
        #expect("\(e)".contains("kind"))
        // A count claiming four billion roots must fail at once, without allocating.
        let bogus: [UInt8] = [1, 0x03] + [UInt8](repeating: 0, count: 12) + [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(err(bogus)?.offset == 14)
        // Strings must be UTF-8.
        var s = GameMessage.disputeResolved(taskID: 1, dispute: 1, challenger: PartyID(2), winner: PartyID(1),
                                            reason: .outputOpeningInvalid(detail: "ab")).encode()
        s[s.count - 1] = 0xFF
        #expect(err(s)?.kind == .invalidValue(field: "reason.detail", detail: "not valid UTF-8"))
        // Resolution tags outside the table, and causes nested past the bound, are refused.
        var t = GameMessage.settled(taskID: 1, accepted: true, winner: nil, reason: .noChallenge).encode()
        t[t.count - 1] = 0xEE
        #expect(err(t)?.kind == .invalidValue(field: "reason", detail: "unknown resolution tag 238"))
        var deep = Resolution.noChallenge
        for i in 0..<6 { deep = .solverLostDispute(dispute: UInt32(i), cause: deep) }
        #expect(err(GameMessage.settled(taskID: 1, accepted: false, winner: nil, reason: deep).encode())?.kind
                == .invalidValue(field: "reason.cause.cause.cause.cause", detail: "causes nested too deep"))
    }

    @Test func randomAndMutatedFramesNeverCrash() {
        var rng = SplitMix64(seed: 0xF00D)
        var decoded = 0
        for i in 0..<20_000 {
            var f: [UInt8]
            if i % 2 == 0 {
                f = (0..<Int(rng.next() % 120)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if f.count > 1, rng.next() % 2 == 0 { f[0] = 1 }   // reach past the version check
            } else {
                f = sampleMessages[Int(rng.next() % UInt64(sampleMessages.count))].encode()
                for _ in 0..<(1 + rng.next() % 4) where !f.isEmpty {
                    f[Int(rng.next() % UInt64(f.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.next() % 4 == 0 { f = Array(f.prefix(Int(rng.next() % UInt64(f.count + 1)))) }
            }
            if let m = try? GameMessage.decode(f) {
                decoded += 1
                #expect(m.encode() == f)            // anything accepted is canonical
            }
        }
        #expect(decoded > 0)
    }

    @Test func overlongReasonsAreCutAtACharacterBoundary() throws {
        let long = String(repeating: "é", count: 40_000)          // 80 000 bytes of 2-byte characters
        let f = GameMessage.settled(taskID: 1, accepted: true, winner: nil, reason: .outputOpeningInvalid(detail: long)).encode()
        guard case let .settled(_, _, _, .outputOpeningInvalid(detail))? = try? GameMessage.decode(f) else {
            Issue.record("wrong kind"); return
        }
        #expect(detail.utf8.count == 65_534 && detail.allSatisfy { $0 == "é" })
    }
}
