import Commitment
import Testing
@testable import Game

// Payouts with deposits that differ between the solver and the challengers, so a slash,
// share, refund or lock computed from the wrong party's deposit — or paid to the wrong
// party — changes the numbers these tests pin. Every expected figure is written out by
// hand (with the arithmetic in a comment) rather than recomputed the way the judge does.
//
// Unless a test says otherwise: solver deposit 1 200, challenger deposit 700, the winner
// gets 25 % of the loser's deposit and 75 % burns, every party starts with 10 000. So a
// losing solver pays 1 200 (300 to the challenger, 900 burned) and a losing challenger
// pays 700 (175 to the solver, 525 burned).

private let asymmetric = GameConfig(solverDeposit: 1_200, challengerDeposit: 700, winnerShareBps: 2_500)

private func asymmetricSetup() -> ToyGame {
    var s = ToyGame()
    s.config = asymmetric
    return s
}

/// The game ended with exactly these balances (parties not listed kept their 10 000), this
/// much burned, no deposit left in escrow, and nothing created or destroyed.
private func expectPayout(_ g: ToyGame.Played, _ r: GameReport, _ expected: [PartyID: UInt64], burned: UInt64,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    for e in r.balances {
        #expect(e.start == 10_000, "\(e.party) start", sourceLocation: sourceLocation)
        #expect(e.end == expected[e.party] ?? 10_000, "\(e.party) end", sourceLocation: sourceLocation)
        #expect(g.judge.balances[e.party] == e.end, "\(e.party) report vs judge", sourceLocation: sourceLocation)
    }
    #expect(Set(expected.keys).isSubset(of: Set(r.balances.map(\.party))), sourceLocation: sourceLocation)
    #expect(r.burned == burned && g.judge.burned == burned, "burned \(r.burned)", sourceLocation: sourceLocation)
    #expect(g.judge.escrow.values.allSatisfy { $0 == 0 }, "escrow left: \(g.judge.escrow)", sourceLocation: sourceLocation)
    let end = r.balances.reduce(0) { $0 + $1.end }
    #expect(end + r.burned == 10_000 * UInt64(r.balances.count), "money not conserved", sourceLocation: sourceLocation)
}

@Suite struct PayoutTests {
    // MARK: one challenger, each way a dispute can end

    @Test func solverLosingATraceDisputePaysItsOwnDeposit() {
        var s = asymmetricSetup()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 37)
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == v1 && r.disputes.map(\.winner) == [v1])
        // solver −1 200; v1 +300 (25 % of 1 200); 900 burned.
        expectPayout(g, r, [solverID: 8_800, v1: 10_300], burned: 900)
    }

    @Test func solverLosingAnOutputDisputePaysItsOwnDeposit() {
        var s = asymmetricSetup()
        s.solverFaults = [.wrongOutput]
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == v1)
        #expect(r.disputes.count == 1 && r.disputes[0].kind == .output && r.disputes[0].winner == v1)
        expectPayout(g, r, [solverID: 8_800, v1: 10_300], burned: 900)
    }

    @Test(arguments: DisputeKind.allCases)
    func challengerLosingPaysItsOwnDeposit(kind: DisputeKind) {
        var s = asymmetricSetup()
        s.verifiers = [(nil, [.challengeCorrectResult(kind: kind)])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.outcome.winner == solverID)
        #expect(r.disputes.count == 1 && r.disputes[0].kind == kind && r.disputes[0].winner == solverID)
        // v1 −700; solver +175 (25 % of 700) and its own deposit back; 525 burned.
        expectPayout(g, r, [solverID: 10_175, v1: 9_300], burned: 525)
    }

    // MARK: timeouts on either side

    @Test(arguments: DisputeKind.allCases)
    func solverTimingOutPaysItsOwnDeposit(kind: DisputeKind) {
        // An honest solver that withholds its closing move loses by timeout all the same.
        var s = asymmetricSetup()
        s.solverFaults = [.refuseFinalProof]
        s.verifiers = [(nil, [.challengeCorrectResult(kind: kind)])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == v1 && r.disputes[0].winner == v1)
        #expect(r.timeline.contains { $0.kind == .timeout && $0.party == v1 })
        expectPayout(g, r, [solverID: 8_800, v1: 10_300], burned: 900)
    }

    @Test func solverFallingSilentMidDisputePaysItsOwnDeposit() {
        var s = asymmetricSetup()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 50)
        s.solverFaults = [.silent(fromMove: 3)]
        s.verifiers = [(nil, [])]
        let (g, r) = s.run()
        #expect(r.outcome.winner == v1 && r.disputes[0].picks == 1)
        expectPayout(g, r, [solverID: 8_800, v1: 10_300], burned: 900)
    }

    @Test func challengerTimingOutPaysItsOwnDeposit() {
        var s = asymmetricSetup()
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace), .silent(fromMove: 2)])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.outcome.winner == solverID && r.disputes[0].winner == solverID)
        #expect(r.timeline.contains { $0.kind == .timeout && $0.party == solverID })
        expectPayout(g, r, [solverID: 10_175, v1: 9_300], burned: 525)
    }

    @Test func lateSolverPaysItsOwnDepositEvenWhenRight() {
        // Every frame takes 7 s, a move may take 5 blocks of 1 s: the honest solver cannot
        // answer the false challenge in time.
        var s = asymmetricSetup()
        s.latencyMs = 7_000
        s.config.commitTimeoutBlocks = 20
        s.config.challengeWindowBlocks = 20
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.disputes[0].winner == v1)
        expectPayout(g, r, [solverID: 8_800, v1: 10_300], burned: 900)
    }

    @Test func nobodyPaysWhenTheSolverNeverCommits() {
        var s = asymmetricSetup()
        s.solverFaults = [.silent(fromMove: 1)]
        s.verifiers = [(nil, []), (nil, [.challengeCorrectResult(kind: .trace)])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == nil)
        expectPayout(g, r, [:], burned: 0)
    }

    @Test func nobodyPaysForAnUnchallengedClaim() {
        var s = asymmetricSetup()
        s.verifiers = [(nil, []), (nil, [])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.outcome.winner == solverID && r.disputes.isEmpty)
        expectPayout(g, r, [:], burned: 0)
    }

    // MARK: several challengers

    @Test func everyLosingChallengerPaysItsOwnDepositToTheSolver() {
        var s = asymmetricSetup()
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)]), (nil, [.challengeCorrectResult(kind: .output)]),
                       (nil, [.challengeCorrectResult(kind: .trace), .lieInBisection(fromRound: 2)])]
        let (g, r) = s.run()
        #expect(r.outcome.accepted && r.outcome.winner == solverID)
        #expect(r.disputes.map(\.winner) == [solverID, solverID, solverID])
        // Three slashes of 700: the solver gets 3 × 175, 3 × 525 burn.
        expectPayout(g, r, [solverID: 10_525, v1: 9_300, v2: 9_300, v3: 9_300], burned: 1_575)
    }

    @Test func solverWinsThenLosesAndTheQueuedChallengerIsRefunded() {
        var s = asymmetricSetup()
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 41)
        s.verifiers = [(nil, [.lieInBisection(fromRound: 1)]), (nil, []), (nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == v2)
        #expect(r.disputes.map(\.winner) == [solverID, v2, nil])
        // Dispute 1: v1 −700, solver +175, 525 burn. Dispute 2: solver −1 200, v2 +300,
        // 900 burn. v3 never played: its 700 comes back.
        expectPayout(g, r, [solverID: 10_000 + 175 - 1_200, v1: 9_300, v2: 10_300], burned: 525 + 900)
    }

    @Test func outputAndTraceChallengersAgainstAWrongOutput() {
        // The solver's trace is right but its output hash is wrong. v1's own run is wrong
        // (from step 20), so it disputes the trace and loses; v2 disputes the output and wins.
        var s = asymmetricSetup()
        s.solverFaults = [.wrongOutput]
        s.verifiers = [(FakeOracle(world: s.world, corruptAt: 20), []), (nil, [])]
        let (g, r) = s.run()
        #expect(!r.outcome.accepted && r.outcome.winner == v2)
        #expect(r.disputes.map(\.kind) == [.trace, .output] && r.disputes.map(\.winner) == [solverID, v2])
        expectPayout(g, r, [solverID: 10_000 + 175 - 1_200, v1: 9_300, v2: 10_300], burned: 525 + 900)
    }

    // MARK: both orders of the deposits

    /// A slash takes at most what the loser has in escrow, so with the solver's deposit the
    /// larger one, slashing a losing challenger by the solver's deposit would be capped to
    /// the right figure and go unseen; and the other way round. Every one-challenger ending
    /// is therefore played with each deposit the larger. (deposits; 25 % of each, written out)
    static let depositOrders: [(solver: UInt64, challenger: UInt64, ofSolver: UInt64, ofChallenger: UInt64)] = [
        (1_200, 700, 300, 175),
        (600, 1_500, 150, 375),
    ]

    @Test(arguments: depositOrders)
    func everyEndingWithEitherDepositTheLarger(d: (solver: UInt64, challenger: UInt64, ofSolver: UInt64, ofChallenger: UInt64)) {
        func setup() -> ToyGame {
            var s = ToyGame()
            s.config = GameConfig(solverDeposit: d.solver, challengerDeposit: d.challenger, winnerShareBps: 2_500)
            return s
        }
        let solverLoses: [PartyID: UInt64] = [solverID: 10_000 - d.solver, v1: 10_000 + d.ofSolver]
        let challengerLoses: [PartyID: UInt64] = [solverID: 10_000 + d.ofChallenger, v1: 10_000 - d.challenger]

        var s = setup()                                    // wrong trace
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 61)
        s.verifiers = [(nil, [])]
        var (g, r) = s.run()
        #expect(r.outcome.winner == v1)
        expectPayout(g, r, solverLoses, burned: d.solver - d.ofSolver)

        s = setup()                                        // wrong output
        s.solverFaults = [.wrongOutput]
        s.verifiers = [(nil, [])]
        (g, r) = s.run()
        #expect(r.outcome.winner == v1 && r.disputes.map(\.kind) == [.output])
        expectPayout(g, r, solverLoses, burned: d.solver - d.ofSolver)

        s = setup()                                        // the solver times out
        s.solverFaults = [.refuseFinalProof]
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace)])]
        (g, r) = s.run()
        #expect(r.outcome.winner == v1)
        expectPayout(g, r, solverLoses, burned: d.solver - d.ofSolver)

        for kind in DisputeKind.allCases {                 // false challenges
            s = setup()
            s.verifiers = [(nil, [.challengeCorrectResult(kind: kind)])]
            (g, r) = s.run()
            #expect(r.outcome.winner == solverID && r.disputes.map(\.winner) == [solverID])
            expectPayout(g, r, challengerLoses, burned: d.challenger - d.ofChallenger)
        }

        s = setup()                                        // the challenger times out
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .trace), .silent(fromMove: 2)])]
        (g, r) = s.run()
        #expect(r.outcome.winner == solverID)
        expectPayout(g, r, challengerLoses, burned: d.challenger - d.ofChallenger)
    }

    // MARK: the winner's share

    /// (bps, 1 301 · bps / 10 000 rounded down, 777 · bps / 10 000 rounded down)
    static let shares: [(bps: UInt64, ofSolver: UInt64, ofChallenger: UInt64)] = [
        (0, 0, 0), (1, 0, 0), (3_333, 433, 258), (5_000, 650, 388), (9_999, 1_300, 776), (10_000, 1_301, 777),
    ]

    @Test(arguments: shares)
    func theShareIsTakenFromTheLosersDeposit(share: (bps: UInt64, ofSolver: UInt64, ofChallenger: UInt64)) {
        var s = ToyGame()
        s.config = GameConfig(solverDeposit: 1_301, challengerDeposit: 777, winnerShareBps: share.bps)
        // The solver loses.
        s.solverOracle = FakeOracle(world: s.world, corruptAt: 9)
        s.verifiers = [(nil, [])]
        var (g, r) = s.run()
        #expect(r.outcome.winner == v1)
        expectPayout(g, r, [solverID: 10_000 - 1_301, v1: 10_000 + share.ofSolver], burned: 1_301 - share.ofSolver)
        // The challenger loses.
        s.solverOracle = nil
        s.verifiers = [(nil, [.challengeCorrectResult(kind: .output)])]
        (g, r) = s.run()
        #expect(r.outcome.winner == solverID)
        expectPayout(g, r, [solverID: 10_000 + share.ofChallenger, v1: 10_000 - 777], burned: 777 - share.ofChallenger)
    }

    // MARK: the judge by hand: locks, escrow and balances that differ per party

    /// Solver 1, verifiers 2, 3, 4 with balances that straddle the deposits; k = 4.
    struct Chain {
        let world = FakeWorld(seed: 9, haltStep: 100)
        var judge: JudgeStateMachine
        let start: [PartyID: UInt64]
        let total: UInt64

        init(balances: [UInt32: UInt64]) {
            var b: [PartyID: UInt64] = [:]
            for (p, v) in balances { b[PartyID(p)] = v }
            start = b
            total = balances.values.reduce(0, +)
            var config = asymmetric
            config.arity = 4
            judge = try! JudgeStateMachine(task: world.task, config: config, checker: FakeChecker(seed: 9),
                                           solver: PartyID(1), verifiers: [PartyID(2), PartyID(3), PartyID(4)], balances: b)
            _ = judge.start(now: 0)
        }

        /// Sends a move and checks the judge took it (or, with `taken: false`, refused it).
        mutating func send(_ m: GameMessage, from p: UInt32, at t: UInt64, taken: Bool = true,
                           sourceLocation: SourceLocation = #_sourceLocation) {
            // A driver stamps a frame no earlier than the chain's clock, which jumps to the
            // block a move is mined in (docs/GAME.md, "Clock"): so do these hand-driven moves.
            let a = judge.receive(m.encode(), from: PartyID(p), now: max(t, judge.now))
            let refused = a.contains { if case .rejected = $0 { return true } else { return false } }
            #expect(refused != taken, "\(m.kind.rawValue) from party \(p): \(a)", sourceLocation: sourceLocation)
        }

        mutating func commit(at t: UInt64, taken: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
            let proof = try! FakeOracle(world: world).stepProof(atStep: world.haltStep)
            send(.commit(taskID: world.task.id, claim: world.trueClaim, haltProof: proof), from: 1, at: t,
                 taken: taken, sourceLocation: sourceLocation)
        }

        mutating func challenge(_ kind: DisputeKind, from p: UInt32, at t: UInt64, taken: Bool = true,
                                sourceLocation: SourceLocation = #_sourceLocation) {
            var mine = world.trueClaim
            if kind == .trace { mine.root = corrupted(mine.root) } else { mine.outputHash = corrupted(mine.outputHash) }
            send(.challenge(taskID: world.task.id, kind: kind, claim: mine), from: p, at: t,
                 taken: taken, sourceLocation: sourceLocation)
        }

        func balance(_ p: UInt32) -> UInt64 { judge.balances[PartyID(p)] ?? 0 }
        func escrow(_ p: UInt32) -> UInt64 { judge.escrow[PartyID(p)] ?? 0 }

        /// Σ balances + Σ escrow + burned, summed here rather than trusted from the judge.
        func expectConserved(sourceLocation: SourceLocation = #_sourceLocation) {
            let sum = judge.balances.values.reduce(0, +) + judge.escrow.values.reduce(0, +) + judge.burned
            #expect(sum == total, "Σ balances + escrow + burned = \(sum), started with \(total)", sourceLocation: sourceLocation)
        }
    }

    @Test func depositsAreLockedPerRoleAndPaidOutInTurn() throws {
        // Verifier 3 can afford the challenger deposit (700) but not the solver's (1 200);
        // verifier 4 cannot afford either.
        var c = Chain(balances: [1: 2_000, 2: 5_000, 3: 1_000, 4: 600])
        c.commit(at: 500)
        #expect(c.balance(1) == 800 && c.escrow(1) == 1_200)
        c.expectConserved()
        c.challenge(.output, from: 4, at: 900, taken: false)
        #expect(c.balance(4) == 600 && c.escrow(4) == 0)
        c.challenge(.trace, from: 3, at: 1_000)
        #expect(c.balance(3) == 300 && c.escrow(3) == 700)
        c.challenge(.output, from: 2, at: 1_100)     // queued behind dispute 1
        #expect(c.balance(2) == 4_300 && c.escrow(2) == 700)
        #expect(c.escrow(1) == 1_200)
        c.expectConserved()

        // Dispute 1: the solver posts its roots, verifier 3 never picks and times out.
        guard case let .verifying(v) = c.judge.state, let a = v.active,
              case let .solver(points, _) = a.turn else { Issue.record("no solver turn: \(c.judge.state)"); return }
        #expect(a.challenger == PartyID(3))
        let honest = FakeOracle(world: c.world)
        c.send(.postRoots(taskID: 7, dispute: 1, roots: points.map { honest.rootAt($0) }), from: 1, at: 1_200)
        _ = c.judge.tick(now: try #require(c.judge.nextDeadline()))
        #expect(c.judge.disputes[0].winner == PartyID(1))
        // Verifier 3 lost its 700: 175 to the solver, 525 burned. The solver's deposit and
        // verifier 2's stay locked: dispute 2 is next.
        #expect(c.balance(3) == 300 && c.escrow(3) == 0)
        #expect(c.balance(1) == 975 && c.escrow(1) == 1_200)
        #expect(c.balance(2) == 4_300 && c.escrow(2) == 700)
        #expect(c.judge.burned == 525)
        c.expectConserved()

        // Dispute 2 (output): the solver opens the honest output and wins again.
        let t = c.judge.now + 100
        c.send(.outputOpening(taskID: 7, dispute: 2, opening: try honest.outputOpening()), from: 1, at: t)
        #expect(c.judge.disputes[1].winner == PartyID(1))
        #expect(c.balance(2) == 4_300 && c.escrow(2) == 0)
        #expect(c.balance(1) == 1_150 && c.escrow(1) == 1_200)
        #expect(c.judge.burned == 1_050)
        c.expectConserved()

        // The window closes: the solver's deposit comes back.
        _ = c.judge.tick(now: try #require(c.judge.nextDeadline()))
        #expect(c.judge.isSettled)
        #expect(c.balance(1) == 2_350 && c.escrow(1) == 0)
        #expect(c.balance(4) == 600)
        c.expectConserved()
        let r = c.judge.report(messages: 0, bytes: 0)
        #expect(r.outcome.accepted && r.outcome.winner == PartyID(1))
        #expect(r.balances.map(\.start) == [2_000, 5_000, 1_000, 600])
        #expect(r.balances.map(\.end) == [2_350, 4_300, 300, 600] && r.burned == 1_050)
    }

    @Test func aSolverThatCannotAffordItsDepositCannotCommit() {
        // 1 000 covers the challenger deposit (700) but not the solver's (1 200).
        var c = Chain(balances: [1: 1_000, 2: 5_000, 3: 5_000, 4: 5_000])
        c.commit(at: 500, taken: false)
        #expect(c.balance(1) == 1_000 && c.escrow(1) == 0 && c.judge.claim == nil)
        c.expectConserved()
    }

    @Test func solverTimeoutSlashesTheSolverAndRefundsTheQueue() throws {
        var c = Chain(balances: [1: 3_000, 2: 4_000, 3: 900, 4: 10])
        c.commit(at: 500)
        c.challenge(.output, from: 2, at: 1_000)
        c.challenge(.trace, from: 3, at: 1_200)      // queued
        #expect(c.escrow(1) == 1_200 && c.escrow(2) == 700 && c.escrow(3) == 700)
        c.expectConserved()
        // The solver never opens the output: it loses dispute 1 and the game.
        _ = c.judge.tick(now: try #require(c.judge.nextDeadline()))
        #expect(c.judge.isSettled && c.judge.disputes[0].winner == PartyID(2) && c.judge.disputes[1].winner == nil)
        // Solver −1 200; verifier 2 gets 300 and its 700 back; verifier 3 its 700 back.
        #expect(c.balance(1) == 1_800 && c.balance(2) == 4_300 && c.balance(3) == 900 && c.balance(4) == 10)
        #expect(c.judge.burned == 900)
        #expect(c.judge.escrow.values.allSatisfy { $0 == 0 })
        c.expectConserved()
        let r = c.judge.report(messages: 0, bytes: 0)
        #expect(!r.outcome.accepted && r.outcome.winner == PartyID(2))
    }
}
