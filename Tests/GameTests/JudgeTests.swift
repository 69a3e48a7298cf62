import Commitment
import Testing
import TestSupport
@testable import Game

/// Drives a bare judge by hand (no driver): the toy world with 100 steps, k = 4,
/// 1 s blocks, solver 1, verifiers 2 and 3.
struct JudgeHarness {
    let world = FakeWorld(seed: 9, haltStep: 100)
    var judge: JudgeStateMachine
    let honest: FakeOracle
    var claim: Claim { world.trueClaim }

    init(config: GameConfig = GameConfig(arity: 4), verifier3Balance: UInt64 = 500) {
        honest = FakeOracle(world: world)
        judge = try! JudgeStateMachine(task: world.task, config: config, checker: FakeChecker(seed: 9),
                                  solver: PartyID(1), verifiers: [PartyID(2), PartyID(3)],
                                  balances: [PartyID(1): 5_000, PartyID(2): 5_000, PartyID(3): verifier3Balance])
        _ = judge.start(now: 0)
    }

    var haltProof: [UInt8] { try! honest.stepProof(atStep: 100) }

    @discardableResult
    mutating func send(_ m: GameMessage, from p: UInt32, at t: UInt64) -> [GameAction] {
        // A driver stamps a frame no earlier than the chain's clock, which jumps to the
        // block a move is mined in (docs/GAME.md, "Clock"): so do these hand-driven moves.
        judge.receive(m.encode(), from: PartyID(p), now: max(t, judge.now))
    }

    mutating func commit(at t: UInt64 = 500) {
        let a = send(.commit(taskID: 7, claim: claim, haltProof: haltProof), from: 1, at: t)
        precondition(!a.contains { if case .rejected = $0 { return true } else { return false } }, "\(a)")
    }

    mutating func challenge(_ kind: DisputeKind = .trace, from p: UInt32 = 2, at t: UInt64 = 1_000) {
        var mine = claim
        if kind == .trace { mine.root = corrupted(mine.root) } else { mine.outputHash = corrupted(mine.outputHash) }
        send(.challenge(taskID: 7, kind: kind, claim: mine), from: p, at: t)
    }

    var active: JudgeStateMachine.ActiveDispute? {
        if case let .verifying(v) = judge.state { return v.active }
        return nil
    }
}

func isRejection(_ a: [GameAction]) -> Bool {
    guard a.count == 1, case .rejected = a[0] else { return false }
    return true
}

/// Sends `frame` and checks it is refused with nothing changed but the rejection count
/// and, for a move a party of the open game sent, one `reverted` entry charging it.
func expectRejected(_ h: inout JudgeHarness, _ frame: [UInt8], from p: UInt32, at t: UInt64,
                    _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let before = h.judge.gameStateSnapshot
    let rejected = h.judge.rejectedFrames
    let a = h.judge.receive(frame, from: PartyID(p), now: max(t, h.judge.now))
    #expect(isRejection(a), "\(code): \(a)", sourceLocation: sourceLocation)
    if case let .rejected(_, reason)? = a.first {
        #expect(reason.code == code, "reason was: \(reason)", sourceLocation: sourceLocation)
    }
    expectOnlyReverted(h.judge, since: before, frame: frame, from: PartyID(p), sourceLocation: sourceLocation)
    #expect(h.judge.rejectedFrames == rejected + 1, sourceLocation: sourceLocation)
}

/// A refused frame changes no game state; if it was mined (a move from a party while the
/// game is open) the ledger gains exactly one `reverted` entry at the end, charging that
/// party at least the intrinsic gas of the frame (docs/GAME.md, "Reverted transactions").
func expectOnlyReverted(_ judge: JudgeStateMachine, since before: JudgeStateMachine.Snapshot, frame: [UInt8],
                        from p: PartyID, sourceLocation: SourceLocation = #_sourceLocation) {
    var after = judge.gameStateSnapshot
    if after.ledger.count == before.ledger.count + 1, let last = after.ledger.last, last.kind == .reverted {
        #expect(last.party == p && last.bytes == frame.count, sourceLocation: sourceLocation)
        #expect(last.gas >= judge.gas.txBase + judge.gas.calldata(frame), sourceLocation: sourceLocation)
        #expect(last.dispute == nil, sourceLocation: sourceLocation)
        after = JudgeStateMachine.Snapshot(state: after.state, now: after.now, balances: after.balances, escrow: after.escrow,
                                           burned: after.burned, ledger: Array(after.ledger.dropLast()),
                                           disputes: after.disputes, claim: after.claim)
    }
    #expect(after == before, sourceLocation: sourceLocation)
}

@Suite struct JudgeTests {
    @Test func commitRules() {
        var h = JudgeHarness()
        let c = h.claim
        expectRejected(&h, [0xFF, 1, 2], from: 1, at: 100, "undecodable")
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: c, haltProof: h.haltProof).encode(), from: 9, at: 100, "unknown_sender")
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: c, haltProof: h.haltProof).encode(), from: 2, at: 100, "wrong_sender")
        expectRejected(&h, GameMessage.commit(taskID: 8, claim: c, haltProof: h.haltProof).encode(), from: 1, at: 100, "unknown_task")
        expectRejected(&h, GameMessage.taskPosted(h.world.task).encode(), from: 1, at: 100, "not_a_transaction")
        // A proof of a running step is not a halt proof; nor is a halt proof for another root.
        let running = try! h.honest.stepProof(atStep: 50)
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: c, haltProof: running).encode(), from: 1, at: 100, "halt_proof_mismatch")
        var other = c; other.root = h.world.root(branch: 5, step: 100, halt: 100)
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: other, haltProof: h.haltProof).encode(), from: 1, at: 100, "halt_proof_mismatch")
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: c, haltProof: [1, 2]).encode(), from: 1, at: 100, "halt_proof_invalid")
        // The right root and the honest halt proof of the step the claim names, but a step
        // count other than the one at which the run halted: the halted state records it.
        for wrongSteps: UInt64 in [101, 5_000] {
            var more = c; more.steps = wrongSteps
            let proof = try! h.honest.stepProof(atStep: wrongSteps)
            expectRejected(&h, GameMessage.commit(taskID: 7, claim: more, haltProof: proof).encode(), from: 1, at: 100, "step_count_mismatch")
        }
        var fewer = c; fewer.steps = 99
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: fewer, haltProof: try! h.honest.stepProof(atStep: 99)).encode(),
                       from: 1, at: 100, "halt_proof_mismatch")
        var long = c; long.steps = (1 << 40) + 1
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: long, haltProof: h.haltProof).encode(), from: 1, at: 100, "step_limit_exceeded")
        var zero = c; zero.steps = 0
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: zero, haltProof: h.haltProof).encode(), from: 1, at: 100, "zero_step_claim_not_initial")
        // Commit deadline is block 10: block 11 is late.
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: c, haltProof: h.haltProof).encode(), from: 1, at: 11_000, "late")
        h.commit(at: 10_999)
        expectRejected(&h, GameMessage.commit(taskID: 7, claim: c, haltProof: h.haltProof).encode(), from: 1, at: 11_000, "out_of_turn")
        #expect(h.judge.escrow[PartyID(1)] == 1_000 && h.judge.balances[PartyID(1)] == 4_000)
    }

    @Test func challengeRules() {
        var h = JudgeHarness()
        h.commit(at: 2_500)                                    // block 2: window open through block 12
        let c = h.claim
        expectRejected(&h, GameMessage.challenge(taskID: 7, kind: .trace, claim: c).encode(), from: 2, at: 3_000, "challenge_agrees_with_claim")
        expectRejected(&h, GameMessage.challenge(taskID: 7, kind: .output, claim: c).encode(), from: 2, at: 3_000, "challenge_agrees_with_claim")
        var wrong = c; wrong.root = corrupted(c.root)
        expectRejected(&h, GameMessage.challenge(taskID: 7, kind: .trace, claim: wrong).encode(), from: 1, at: 3_000, "wrong_sender")
        expectRejected(&h, GameMessage.challenge(taskID: 7, kind: .trace, claim: wrong).encode(), from: 3, at: 3_000, "insufficient_balance")
        expectRejected(&h, GameMessage.challenge(taskID: 7, kind: .trace, claim: wrong).encode(), from: 2, at: 13_000, "late")
        h.challenge(at: 12_999)
        #expect(h.active?.challenger == PartyID(2))
        expectRejected(&h, GameMessage.challenge(taskID: 7, kind: .trace, claim: wrong).encode(), from: 2, at: 12_999, "already_challenged")
    }

    @Test func bisectionRulesAndTheFinalStep() throws {
        var h = JudgeHarness()
        h.commit(); h.challenge()
        var a = try #require(h.active)
        guard case let .solver(points, deadline) = a.turn else { Issue.record("not the solver's turn"); return }
        // 100 steps padded to 4^4 = 256 (steps past the halt repeat the halted state). The
        // commit sent at 500 ms is mined in block 1, the challenge in block 2: the solver's
        // first move is due by block 2 + 5.
        #expect(points == [64, 128, 192] && deadline == 7)
        #expect(h.judge.ledger.map(\.block) == [0, 1, 2] && h.judge.ledger.map(\.deadline) == [10, 11, 7])
        expectRejected(&h, GameMessage.pick(taskID: 7, dispute: 1, index: 0).encode(), from: 2, at: 1_100, "out_of_turn")
        expectRejected(&h, GameMessage.postRoots(taskID: 7, dispute: 2, roots: []).encode(), from: 1, at: 1_100, "no_active_dispute")
        expectRejected(&h, GameMessage.postRoots(taskID: 7, dispute: 1, roots: [.zero]).encode(), from: 1, at: 1_100, "wrong_root_count")
        expectRejected(&h, GameMessage.postRoots(taskID: 7, dispute: 1, roots: []).encode(), from: 2, at: 1_100, "wrong_sender")
        expectRejected(&h, GameMessage.stepProof(taskID: 7, dispute: 1, proof: [1]).encode(), from: 1, at: 1_100, "out_of_turn")
        expectRejected(&h, GameMessage.outputOpening(taskID: 7, dispute: 1, opening: [1]).encode(), from: 1, at: 1_100, "out_of_turn")
        let roots = points.map { h.honest.rootAt($0) }
        expectRejected(&h, GameMessage.postRoots(taskID: 7, dispute: 1, roots: roots).encode(), from: 1, at: 8_000, "late")
        h.send(.postRoots(taskID: 7, dispute: 1, roots: roots), from: 1, at: 7_999)   // block 7 == deadline: in time
        expectRejected(&h, GameMessage.pick(taskID: 7, dispute: 1, index: 4).encode(), from: 2, at: 7_000, "pick_out_of_range")
        expectRejected(&h, GameMessage.pick(taskID: 7, dispute: 1, index: 0).encode(), from: 3, at: 7_000, "wrong_sender")
        expectRejected(&h, GameMessage.postRoots(taskID: 7, dispute: 1, roots: roots).encode(), from: 1, at: 7_000, "out_of_turn")
        // The challenger names the second part, [64, 128].
        h.send(.pick(taskID: 7, dispute: 1, index: 1), from: 2, at: 7_000)
        a = try #require(h.active)
        #expect(a.lo == 64 && a.hi == 128 && a.rootLo == h.honest.rootAt(64) && a.rootHi == h.honest.rootAt(128))
        // Keep picking the first part until one step is left: 64..80, 64..68, 64..65.
        var t: UInt64 = 7_000
        while true {
            a = try #require(h.active)
            guard case let .solver(pts, _) = a.turn, !pts.isEmpty else { break }
            t += 100
            h.send(.postRoots(taskID: 7, dispute: 1, roots: pts.map { h.honest.rootAt($0) }), from: 1, at: t)
            h.send(.pick(taskID: 7, dispute: 1, index: 0), from: 2, at: t)
        }
        #expect(a.lo == 64 && a.hi == 65)
        // The honest proof of step 64 settles it for the solver.
        let proof = try h.honest.stepProof(atStep: 64)
        let acts = h.send(.stepProof(taskID: 7, dispute: 1, proof: proof), from: 1, at: t + 100)
        #expect(acts.contains(.send(to: PartyID(2), .disputeResolved(taskID: 7, dispute: 1, challenger: PartyID(2),
                                                                      winner: PartyID(1), reason: .stepProofVerified(step: 64)))))
        #expect(h.judge.disputes[0].divergenceStep == 64 && h.judge.disputes[0].picks == 4)
    }

    @Test func aStepProofFromTheWrongPreStateLoses() throws {
        var h = JudgeHarness(config: GameConfig(arity: 2))
        h.commit(); h.challenge()
        var t: UInt64 = 1_000
        while case let .solver(pts, _)? = h.active?.turn, !pts.isEmpty {
            t += 10
            h.send(.postRoots(taskID: 7, dispute: 1, roots: pts.map { h.honest.rootAt($0) }), from: 1, at: t)
            h.send(.pick(taskID: 7, dispute: 1, index: 0), from: 2, at: t)
        }
        let a = try #require(h.active)
        #expect(a.lo == 0 && a.hi == 1)
        // Valid proof, but of step 1 → 2: pre is not the agreed root at 0.
        _ = h.send(.stepProof(taskID: 7, dispute: 1, proof: try h.honest.stepProof(atStep: 1)), from: 1, at: t + 10)
        #expect(h.judge.disputes[0].winner == PartyID(2))
        #expect({ if case .stepProofWrongStart(0, _, _) = h.judge.disputes[0].reason { true } else { false } }())
        #expect(h.judge.isSettled)
    }

    @Test func deadlinesFireExactlyOneBlockAfterTheDeadline() {
        var h = JudgeHarness()
        #expect(h.judge.nextDeadline() == 11_000)
        #expect(h.judge.tick(now: 10_999).isEmpty && !h.judge.isSettled)
        let a = h.judge.tick(now: 11_000)
        #expect(h.judge.isSettled && a.contains { if case .settled = $0 { return true } else { return false } })
        // Time never runs backwards: an earlier tick does nothing.
        #expect(h.judge.tick(now: 5).isEmpty)
    }

    @Test func queuedChallengerIsRefundedWhenTheSolverLosesFirst() {
        var h = JudgeHarness(verifier3Balance: 5_000)
        h.commit()
        h.challenge(.output, from: 2, at: 1_000)
        h.challenge(.trace, from: 3, at: 1_200)            // queued behind dispute 1
        #expect(h.judge.escrow[PartyID(3)] == 1_000 && h.active?.id == 1)
        // The solver never opens the output: at the deadline it loses dispute 1 and the game.
        _ = h.judge.tick(now: h.judge.nextDeadline()!)
        #expect(h.judge.isSettled && h.judge.disputes[0].winner == PartyID(2))
        #expect(h.judge.disputes[1].winner == nil && h.judge.disputes[1].startBlock == nil)
        #expect(h.judge.balances[PartyID(2)] == 5_500 && h.judge.balances[PartyID(1)] == 4_000)
        #expect(h.judge.balances[PartyID(3)] == 5_000 && h.judge.burned == 500)
        #expect(h.judge.totalValue == 15_000)
    }

    /// Garbage, truncated and mutated frames, at every stage of a game, never change the
    /// judge: either they fail to decode or they decode to a move the rules refuse — both
    /// rejected with nothing changed — or, rarely, a mutation yields a legal move of a
    /// known party, which the judge may take.
    @Test func fuzzedFramesNeverChangeTheJudge() throws {
        var stages: [JudgeHarness] = []
        var h = JudgeHarness()
        stages.append(h)
        h.commit(); stages.append(h)
        h.challenge(); stages.append(h)
        if case let .solver(pts, _)? = h.active?.turn {
            h.send(.postRoots(taskID: 7, dispute: 1, roots: pts.map { h.honest.rootAt($0) }), from: 1, at: 1_100)
        }
        stages.append(h)
        var legal = stages[1]; legal.challenge(.output); stages.append(legal)
        let templates = sampleMessages.map { $0.encode() } + [
            GameMessage.pick(taskID: 7, dispute: 1, index: 1).encode(),
            GameMessage.postRoots(taskID: 7, dispute: 1, roots: [.zero, .zero, .zero]).encode(),
            GameMessage.stepProof(taskID: 7, dispute: 1, proof: try h.honest.stepProof(atStep: 3)).encode(),
        ]
        var rng = SplitMix64(seed: 77)
        var accepted = 0
        for i in 0..<5_000 {
            var s = stages[i % stages.count]
            var f = templates[Int(rng.next() % UInt64(templates.count))]
            switch rng.next() % 3 {
            case 0: f = (0..<Int(rng.next() % 100)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1: f = Array(f.prefix(Int(rng.next() % UInt64(f.count))))
            default: for _ in 0..<(1 + rng.next() % 3) { f[Int(rng.next() % UInt64(f.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            let sender = PartyID(UInt32(rng.next() % 5))
            let before = s.judge.gameStateSnapshot
            let a = s.judge.receive(f, from: sender, now: max(1_200, s.judge.now))
            if isRejection(a) {
                expectOnlyReverted(s.judge, since: before, frame: f, from: sender)
                // Only a party's frame within the size limit is mined.
                if s.judge.ledger.count > before.ledger.count {
                    #expect((1...3).contains(sender.rawValue) && f.count <= s.judge.config.maxFrameBytes)
                }
            } else {
                // Only a well-formed transaction from a known party can have been taken.
                let m = try GameMessage.decode(f)
                #expect(m.isTransaction && (1...3).contains(sender.rawValue))
                accepted += 1
            }
        }
        #expect(accepted < 300)
    }

    @Test func configProblemsNameTheirKeys() throws {
        let bad = GameConfig(arity: 1, blockIntervalMs: 0, moveTimeoutBlocks: 0, winnerShareBps: 10_001, maxFrameBytes: 3)
        let keys = bad.problems().map(\.key)
        for key in [GameConfig.Key.k, .blockIntervalMs, .moveTimeoutBlocks, .winnerShareBps, .maxFrameBytes] {
            #expect(keys.contains(key))
        }
        #expect(GameConfig().problems().isEmpty)
        // k = 40 000 needs 1.28 MB root postings: over the 1 MiB default frame limit.
        #expect(GameConfig(arity: 40_000).problems().first?.message.contains("`max_frame_bytes`") == true)
        #expect(GameConfig(arity: 32_000).problems().isEmpty)
        let huge = GameConfig(moveTimeoutBlocks: .max, solverDeposit: .max)
        #expect(huge.problems().count == 2 && huge.problems()[0].key == .moveTimeoutBlocks)
        let w = FakeWorld(seed: 1, haltStep: 3)
        #expect(throws: GameConfigError.self) {
            _ = try JudgeStateMachine(task: w.task, config: bad, checker: FakeChecker(seed: 1),
                                      solver: PartyID(1), verifiers: [PartyID(2)], balances: [:])
        }
        do {
            _ = try JudgeStateMachine(task: w.task, config: GameConfig(), checker: FakeChecker(seed: 1),
                                      solver: PartyID(1), verifiers: [PartyID(1), PartyID(0)], balances: [:])
            Issue.record("accepted duplicate parties")
        } catch let e as GameConfigError {
            #expect(e.problems.isEmpty && e.badParties == [PartyID(1), PartyID(0)])
            #expect("\(e)".contains("distinct") && "\(e)".contains("judge"))
        }
    }

    @Test func oversizedFramesAreRejectedUnread() {
        var h = JudgeHarness(config: GameConfig(arity: 4, maxFrameBytes: 256))
        let big = GameMessage.commit(taskID: 7, claim: h.claim, haltProof: [UInt8](repeating: 1, count: 300)).encode()
        expectRejected(&h, big, from: 1, at: 10, "undecodable")
    }
}
