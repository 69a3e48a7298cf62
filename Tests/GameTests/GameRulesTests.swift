import Foundation
import Commitment
import Roles
import Testing
import TestSupport
@testable import Game


func balance(_ r: GameReport, _ p: PartyID) -> BalanceEntry { r.balances.first { $0.party == p }! }

/// Deposits are only moved, paid or burned: nothing appears or disappears.
func expectConservation(_ g: ToyGame.Played, _ r: GameReport, sourceLocation: SourceLocation = #_sourceLocation) {
    let start = r.balances.reduce(0) { $0 + $1.start }
    let end = r.balances.reduce(0) { $0 + $1.end }
    let gasPaid = r.balances.reduce(0) { $0 + ($1.gasPaid ?? 0) }
    #expect(end + r.burned + gasPaid == start, sourceLocation: sourceLocation)
    #expect(g.judge.escrow.values.allSatisfy { $0 == 0 }, "escrow left after settlement", sourceLocation: sourceLocation)
    #expect(g.judge.totalValue == start, sourceLocation: sourceLocation)
}

@Suite struct GameRulesTests {
    @Test func unchallengedClaimIsAcceptedWhenTheWindowCloses() {
        var s = ToyGame()
        s.verifiers = [(nil, []), (nil, [])]              // both agree
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.outcome.winner == solverID)
        #expect(r.disputes.isEmpty)
        #expect(r.taskSteps == 100)
        // Commit mined in block 1, the block after the posted task (it arrived in block 0,
        // 200 ms after the task was posted); window 10 blocks: finalized when block 12 begins.
        #expect(r.timeline[1].block == 1 && r.timeline[1].timeMs == 1_000 && r.timeline[1].deadline == 11)
        #expect(r.finalBlock == 12 && r.finalTimeMs == 12_000)
        #expect(r.timeline.map(\.kind) == [.taskPosted, .commit, .finalize, .settled])
        #expect(balance(r, solverID).end == 10_000 && r.burned == 0)
        expectConservation(g, r)
    }

    @Test func wrongOutputLosesTheOutputDispute() {
        var s = ToyGame()
        s.solverFaults = [.wrongOutput]
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == v1)
        #expect(r.disputes.count == 1)
        let d = r.disputes[0]
        #expect(d.kind == .output && d.winner == v1 && d.picks == 0 && d.rounds == 2 && d.proofBytes == 33)
        #expect(d.divergenceStep == nil)
        // 50 % of the solver's 1000 goes to the challenger, 500 burn.
        #expect(balance(r, v1).end == 10_500 && balance(r, solverID).end == 9_000 && r.burned == 500)
        expectConservation(g, r)
    }

    @Test func falseOutputChallengeLoses() {
        var s = ToyGame()
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .output)])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.disputes[0].winner == solverID && r.disputes[0].rounds == 2)
        #expect(balance(r, solverID).end == 10_500 && balance(r, v1).end == 9_000)
        expectConservation(g, r)
    }

    @Test func falseTraceChallengeLosesTheBisection() {
        var s = ToyGame()
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.outcome.winner == solverID)
        let d = r.disputes[0]
        // The challenger agrees with every root, so it always names the last part: the
        // interval (100 steps padded to 128) closes on its last step, 127 → 128, past the
        // halt, where the solver proves the halted state's identity step.
        #expect(d.winner == solverID && d.divergenceStep == 127)
        #expect(d.picks == Bisection.ceilLog(100, base: 2) && d.rounds == d.picks + 2)
        expectConservation(g, r)
    }

    @Test func wrongTraceIsCaughtAtTheInjectedStep() {
        for d in [0, 1, 37, 98, 99] as [UInt64] {
            var s = ToyGame()
            s.solverOracle = FakeOracle(world: s.world, corruptAt: d)
            s.verifiers = [(nil, [])]
            let (g, r) = s.run()
            #expect(!r.outcome.accepted && r.outcome.winner == v1)
            #expect(r.disputes[0].divergenceStep == d)
            #expect({ if case .stepProofInvalid(d, "post-state is not the successor of pre") = r.disputes[0].reason { true } else { false } }())
            expectConservation(g, r)
        }
    }

    @Test func wrongStepCountWithWrongRootIsCaught() {
        // The corrupted run halts later (150 steps) than the true one (100).
        var s = ToyGame()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 60, faultyHalt: 150)
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        #expect(r.taskSteps == 150 && r.outcome.winner == v1 && r.disputes[0].divergenceStep == 60)
        // And earlier (80 steps).
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 60, faultyHalt: 80)
        let (_, r2) = s.run()
        #expect(r2.taskSteps == 80 && r2.outcome.winner == v1 && r2.disputes[0].divergenceStep == 60)
    }

    @Test func honestSolverLyingInBisectionLoses() {
        for round in 1...4 {
            var s = ToyGame()
            s.solverFaults = [.lieInBisection(fromRound: round)]
            s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)])]
            let (g, r) = s.run()
            #expect(!r.outcome.accepted && r.outcome.winner == v1, "lie from round \(round)")
            #expect((6...7).contains(r.disputes[0].picks))   // ⌊log2 100⌋ … ⌈log2 100⌉
            expectConservation(g, r)
        }
    }

    @Test func faultySolverLyingInBisectionStillLoses() {
        var s = ToyGame()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 30)
        s.solverFaults = [.lieInBisection(fromRound: 3)]
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        #expect(r.outcome.winner == v1)
    }

    @Test func refusingTheFinalProofTimesOut() {
        for kind in DisputeKind.allCases {
            var s = ToyGame()
            s.solverFaults = [.refuseFinalProof]
            s.verifiers = [(nil, [.challengeCorrectResult(kind: kind)])]
            let (g, r) = s.run()
            #expect(r.outcome.winner == v1 && r.disputes[0].winner == v1)
            #expect({ if case .missedDeadline(solverID, _) = r.disputes[0].reason { true } else { false } }())
            #expect(r.timeline.contains { $0.kind == .timeout && $0.party == v1 })
            #expect(r.disputes[0].rounds == r.disputes[0].picks + 1)   // no closing move
            expectConservation(g, r)
        }
    }

    @Test func silentSolverNeverCommits() {
        var s = ToyGame()
        s.solverFaults = [.silent(fromMove: 1)]
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == nil && r.taskSteps == nil)
        #expect(r.finalBlock == 11)                       // commit deadline block 10
        #expect(r.gas.totalGas == 0 && r.balances.allSatisfy { $0.start == $0.end })
        expectConservation(g, r)
    }

    @Test func solverSilentMidDisputeLoses() {
        var s = ToyGame()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 50)
        s.solverFaults = [.silent(fromMove: 3)]           // commit, one root posting, then nothing
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        #expect(r.outcome.winner == v1 && r.disputes[0].picks == 1)
    }

    @Test func silentChallengerLoses() {
        var s = ToyGame()
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace), .silent(fromMove: 2)])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.disputes[0].winner == solverID && r.disputes[0].picks == 0)
        #expect(r.timeline.contains { $0.kind == .timeout && $0.party == solverID })
        expectConservation(g, r)
    }

    @Test func silentVerifierNeverChallenges() {
        var s = ToyGame()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 50)
        s.verifiers = [(nil, [.silent(fromMove: 1)])]
        let (_, r) = s.run()
        #expect(r.outcome.accepted && r.disputes.isEmpty)  // nobody watching: the wrong claim stands
    }

    @Test func lyingVerifierLosesAndTheNextHonestOneWins() {
        var s = ToyGame()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 41)
        s.verifiers = [(nil, [.lieInBisection(fromRound: 1)]), (nil, []), (nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == v2)
        #expect(r.disputes.map(\.winner) == [solverID, v2, nil])
        #expect(r.disputes[1].divergenceStep == 41)
        #expect(r.disputes[2].startBlock == nil && r.disputes[2].reason == .settledFirst)
        // v1 lost its deposit (half to the solver), the solver then lost its own (half to v2).
        #expect(balance(r, v1).end == 9_000 && balance(r, v2).end == 10_500 && balance(r, v3).end == 10_000)
        #expect(balance(r, solverID).end == 10_000 - 1_000 + 500 && r.burned == 1_000)
        expectConservation(g, r)
    }

    @Test func severalFalseChallengersArePlayedInTurn() {
        var s = ToyGame()
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)]), (nil, [.challengeCorrectResult(kind: .output)]),
                       (nil, [.challengeCorrectResult(kind: .trace), .lieInBisection(fromRound: 2)])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.disputes.count == 3)
        #expect(r.disputes.allSatisfy { $0.winner == solverID })
        // Sequential: each dispute starts when the one before it ended.
        for (a, b) in zip(r.disputes, r.disputes.dropFirst()) { #expect(b.startBlock! >= a.endBlock!) }
        #expect(balance(r, solverID).end == 11_500 && r.burned == 1_500)
        expectConservation(g, r)
    }

    @Test(arguments: [0, 2_500, 10_000] as [UInt64])
    func winnerShareSplitsTheSlashedDeposit(bps: UInt64) {
        var s = ToyGame()
        s.config.winnerShareBps = bps
        s.solverFaults = [.wrongOutput]
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        #expect(balance(r, v1).end == 10_000 + 1_000 * bps / 10_000)
        #expect(r.burned == 1_000 - 1_000 * bps / 10_000)
        expectConservation(g, r)
    }

    @Test func latencyBeyondTheMoveTimeoutLosesTheGame() {
        // Every frame takes 7 s, a move may take 5 blocks of 1 s: the first party that has
        // to answer a turn (the solver, posting roots) cannot make it.
        var s = ToyGame()
        s.latencyMs = 7_000
        s.config.commitTimeoutBlocks = 20
        s.config.challengeWindowBlocks = 20
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)])]
        let (g, r) = s.run()
        #expect(r.disputes[0].winner == v1 && { if case .missedDeadline(solverID, _) = r.disputes[0].reason { true } else { false } }())
        #expect(r.rejectedFrames >= 1)                    // the late root posting
        #expect(g.log.contains { $0.contains("rejected a frame from solver: no active dispute 1") })
    }

    @Test func gasIsChargedPerTransactionAsDocumented() throws {
        var s = ToyGame()
        s.solverFaults = [.wrongOutput]
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        func calldata(_ f: [UInt8]) -> UInt64 { f.reduce(0) { $0 + ($1 == 0 ? 4 : 16) } }
        let g = s.gas
        // Slot prices (EIP-2929/2200): cold read, fresh slot, update, and both after a read.
        let read = g.sloadCold, fresh = g.sloadCold + g.sstoreSet, update = g.sloadCold + g.sstoreReset
        let claim = try FakeOracle(world: s.world).finalClaim()
        var bad = claim; bad.outputHash = corrupted(bad.outputHash)
        let haltProof = FakeProof.encode(step: 100, pre: claim.root, post: claim.root, halted: true)
        let commit = GameMessage.commit(taskID: 7, claim: bad, haltProof: haltProof).encode()
        // Reads the game word and the solver's balance; updates both; root, output hash and
        // escrow are fresh slots; the verifier: base + 1/byte + 42 per node hash (10).
        let commitGas = g.txBase + calldata(commit) + 2 * read + 2 * g.sstoreReset + 3 * fresh
            + g.stepVerifyBase + UInt64(haltProof.count) + 42 * 10
        let entry = try #require(r.timeline.first { $0.kind == .commit })
        #expect(entry.gas == commitGas && entry.party == solverID && entry.bytes == commit.count)
        // Reads game, escrow (has it challenged?), output hash, balance; updates balance and
        // game, sets the escrow; the dispute's two slots are fresh.
        let challenge = GameMessage.challenge(taskID: 7, kind: .output, claim: claim).encode()
        #expect(r.timeline.first { $0.kind == .challenge }?.gas
                == g.txBase + calldata(challenge) + 4 * read + 2 * g.sstoreReset + g.sstoreSet + 2 * fresh)
        // Reads game, dispute, root and output hash; hashes the opening; then the resolution
        // the solver loses: dispute updated, the solver's escrow cleared (refund), the
        // challenger's balance credited, its escrow emptied (flag kept), its balance
        // credited again (a dirty slot: warm), the game settled.
        let opening = try FakeOracle(world: s.world).outputOpening()
        let open = GameMessage.outputOpening(taskID: 7, dispute: 1, opening: opening).encode()
        // The check: 11 hashes of ≤ 64 bytes (7 up the core region, 3 to the state root,
        // the output hash) at 42 gas, and 1 gas per opening byte.
        let openUsed = g.txBase + calldata(open) + 4 * read + 11 * 42 + UInt64(opening.count)
            + g.sstoreReset + 3 * update + g.sloadWarm + g.sstoreReset
        #expect(r.timeline.first { $0.kind == .outputOpening }?.gas
                == openUsed - min(g.sstoreClearRefund, openUsed / g.maxRefundQuotient))
        // Totals add up, and convert at 20 gwei, 3000 USD/ETH.
        #expect(r.gas.totalGas == r.gas.byParty.reduce(0) { $0 + $1.gas })
        #expect(r.gas.totalGas == r.gas.byMove.reduce(0) { $0 + $1.gas })
        #expect(r.gas.byMove.map(\.kind) == [.commit, .challenge, .outputOpening])
        #expect(r.gas.byMove.allSatisfy { $0.count == 1 })
        #expect(r.gas.totalGas == r.timeline.reduce(0) { $0 + $1.gas })
        #expect(abs(r.gas.totalUsd - Double(r.gas.totalGas) * 20e-9 * 3_000) < 1e-6)
        #expect(r.disputes[0].gas == r.timeline.filter { $0.dispute == 1 }.reduce(0) { $0 + $1.gas })
    }

    @Test func reportEncodesWithSnakeCaseKeysAndRoundTrips() throws {
        var s = ToyGame()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 12)
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        let json = try JSONEncoder().encode(r)
        let text = String(decoding: json, as: UTF8.self)
        for key in ["\"divergence_step\"", "\"proof_bytes\"", "\"by_party\"", "\"time_ms\"", "\"rejected_frames\""] {
            #expect(text.contains(key))
        }
        #expect(try JSONDecoder().decode(GameReport.self, from: json) == r)
    }

    @Test func messagesAndBytesAreCounted() {
        var s = ToyGame()
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        // task_posted ×2, commit, committed ×2, settled ×2
        #expect(r.messages == 7)
        let claim = s.world.trueClaim
        let frames: [GameMessage] = [
            .taskPosted(s.world.task), .taskPosted(s.world.task),
            .commit(taskID: 7, claim: claim, haltProof: FakeProof.encode(step: 100, pre: claim.root, post: claim.root, halted: true)),
            .committed(taskID: 7, solver: solverID, claim: claim, challengeDeadline: 10),
            .committed(taskID: 7, solver: solverID, claim: claim, challengeDeadline: 10),
            .settled(taskID: 7, accepted: true, winner: solverID, reason: .noChallenge),
            .settled(taskID: 7, accepted: true, winner: solverID, reason: .noChallenge),
        ]
        // Each frame travels in a signed envelope.
        #expect(r.bytes == frames.reduce(0) { $0 + $1.encode().count + SignedEnvelope.overhead })
    }

    @Test func zeroStepTaskDisputeIsDecidedAtOnce() {
        // The program halts immediately: the claim is the initial root after 0 steps, and a
        // trace challenge has nothing to bisect — step 0 is agreed by construction.
        var s = ToyGame()
        s.world = FakeWorld(seed: 5, haltStep: 0)
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)])]
        let (g, r) = s.run()
        #expect(r.taskSteps == 0 && r.outcome.accepted)
        #expect(r.disputes[0].winner == solverID && r.disputes[0].picks == 0 && r.disputes[0].reason == .zeroStepClaim)
        expectConservation(g, r)
    }

    @Test func oneStepTaskGoesStraightToTheProof() {
        var s = ToyGame()
        s.world = FakeWorld(seed: 5, haltStep: 1)
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 0)
        s.verifiers = [(nil, [])]
        let (_, r) = s.run()
        #expect(r.outcome.winner == v1 && r.disputes[0].picks == 0 && r.disputes[0].rounds == 2)
        #expect(r.disputes[0].divergenceStep == 0 && r.disputes[0].proofBytes == 74)
    }

    @Test func injectedGarbageChangesNothing() {
        var s = ToyGame()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 33)
        s.verifiers = [(nil, []), (nil, [.challengeCorrectResult(kind: .output)])]
        let (_, clean) = s.run()
        var g = s
        var rng = SplitMix64(seed: 5)
        let names = ["solver", "verifier-1", "verifier-2"]
        for i in 0..<60 {
            let frame = (0..<Int(rng.next() % 90)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            g.injections.append((UInt64(i) * 97, names[Int(rng.next() % 3)], WireFrame.game(frame).encode()))
        }
        // Unsigned moves (even well-formed ones from the wrong parties or at the wrong time),
        // and bytes that are not even a wire frame: all reach the chain and are refused.
        let pick = WireFrame.game(GameMessage.pick(taskID: 7, dispute: 1, index: 0).encode()).encode()
        g.injections.append((1_000, "solver", pick))
        g.injections.append((900, "verifier-1", WireFrame.game(GameMessage.challenge(taskID: 7, kind: .trace,
                                                                                    claim: s.world.trueClaim).encode()).encode()))
        g.injections.append((950, "verifier-2", WireFrame.game(GameMessage.settled(taskID: 7, accepted: true, winner: solverID,
                                                                                   reason: .noChallenge).encode()).encode()))
        g.injections.append((1_050, "verifier-2", [0xde, 0xad, 0xbe, 0xef]))
        // A stranger's connection is no different: identity comes from signatures only, so
        // its frames reach the chain too and are refused.
        g.injections.append((1_000, "mallory", pick))
        g.injections.append((1_100, "mallory", [0xde, 0xad]))
        let (played, r) = g.run()
        #expect(r.rejectedFrames == clean.rejectedFrames + 66)
        #expect(played.strayFrames == 0)
        #expect(r.outcome == clean.outcome && r.disputes == clean.disputes && r.timeline == clean.timeline)
        #expect(r.balances == clean.balances && r.gas == clean.gas && r.burned == clean.burned)
    }

    @Test func theSameGameGivesTheSameReport() {
        var s = ToyGame()
        s.config.arity = 3
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 71, faultyHalt: 130)
        s.verifiers = [(nil, [.lieInBisection(fromRound: 2)]), (nil, [.silent(fromMove: 3)]), (nil, [])]
        let a = s.run().1, b = s.run().1
        #expect(a == b)
        #expect(a.disputes.count == 3 && a.outcome.winner == v3)
    }
}

@Suite struct PartyTests {
    @Test func partiesIgnoreGarbageAndStrangers() {
        let w = FakeWorld(seed: 2, haltStep: 10)
        var solver = SolverStateMachine(id: PartyID(1), oracle: FakeOracle(world: w))
        var verifier = VerifierStateMachine(id: PartyID(2), oracle: FakeOracle(world: w))
        #expect(solver.receive(frame: [9, 9, 9], from: .judge, now: 0).allSatisfy { if case .note = $0 { true } else { false } })
        #expect(verifier.receive(frame: [], from: .judge, now: 0).allSatisfy { if case .note = $0 { true } else { false } })
        // Only the judge is listened to.
        let posted = GameMessage.taskPosted(w.task).encode()
        #expect(solver.receive(frame: posted, from: PartyID(2), now: 0).allSatisfy { if case .note = $0 { true } else { false } })
        #expect(solver.state == .waitingForTask)
        let acts = solver.receive(frame: posted, from: .judge, now: 0)
        guard case let .send(to, .commit(task, claim, _))? = acts.first else { Issue.record("no commit: \(acts)"); return }
        #expect(to == .judge && task == 7 && claim == w.trueClaim)
    }

    @Test func aVerifierThatSeesTheCommitFirstStillChallenges() {
        let w = FakeWorld(seed: 2, haltStep: 10)
        var verifier = VerifierStateMachine(id: PartyID(2), oracle: FakeOracle(world: w))
        var wrong = w.trueClaim; wrong.root = corrupted(wrong.root)
        let acts = verifier.receive(.committed(taskID: 7, solver: PartyID(1), claim: wrong, challengeDeadline: 9), from: .judge, now: 0)
        guard case .send(_, .challenge(7, .trace, w.trueClaim))? = acts.first else { Issue.record("\(acts)"); return }
        #expect(verifier.state == .challenging(kind: .trace))
    }
}
