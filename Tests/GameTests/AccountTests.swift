import Commitment
import Report
import Roles
import Scenario
import Testing
import TestSupport
import Transport
@testable import Game

/// Keys, signed envelopes and the nonce rule, in process (no network).
struct AccountTests {
    let chain = Digest(w0: 1, w1: 2, w2: 3, w3: 4)
    let alice = SigningKey.derived(scenarioSeed: 7, name: "solver")
    let bob = SigningKey.derived(scenarioSeed: 7, name: "verifier-1")
    var book: AccountBook { AccountBook(chainID: chain, keys: [PartyID(1): alice.account, PartyID(2): bob.account]) }

    func tx(_ payload: [UInt8], party: UInt32 = 1, nonce: UInt64, key: SigningKey? = nil, chain c: Digest? = nil,
            domain: SignedEnvelope.Domain = .transaction) -> [UInt8] {
        SignedEnvelope(signing: payload, domain: domain, chainID: c ?? chain, party: PartyID(party), nonce: nonce,
                       key: key ?? alice).encode()
    }

    func rejection(_ r: Result<SignedInbox.Admitted, SignedInbox.Refusal>) -> Rejection? {
        if case let .failure(f) = r { return f.rejection } else { return nil }
    }

    @Test func derivedKeysAreReproducibleAndDistinct() {
        #expect(SigningKey.derived(scenarioSeed: 7, name: "solver").account == alice.account)
        #expect(SigningKey.derived(scenarioSeed: 8, name: "solver").account != alice.account)
        #expect(bob.account != alice.account)
        let file = alice.keyFileText
        #expect(SigningKey(keyFileText: "  " + file)?.account == alice.account)
        #expect(SigningKey(keyFileText: "xyz") == nil && SigningKey(keyFileText: "ab") == nil)
        #expect(AccountKey(hex: alice.account.hex) == alice.account && AccountKey(hex: "00") == nil)
    }

    @Test func envelopeRoundTripsAndDecodesStrictly() throws {
        let bytes = tx([1, 2, 3], nonce: 9)
        #expect(bytes.count == 3 + SignedEnvelope.overhead)
        let e = try SignedEnvelope.decode(bytes)
        #expect(e.encode() == bytes && e.nonce == 9 && e.party == PartyID(1) && e.payload == [1, 2, 3])
        #expect(e.isSigned(by: alice.account) && !e.isSigned(by: bob.account))
        #expect(throws: GameMessageError.self) { try SignedEnvelope.decode(bytes + [0]) }
        #expect(throws: GameMessageError.self) { try SignedEnvelope.decode(Array(bytes.dropLast())) }
        #expect(throws: GameMessageError.self) { try SignedEnvelope.decode([]) }
        #expect(throws: GameMessageError.self) { try SignedEnvelope.decode(bytes, maxPayloadBytes: 2) }
    }

    @Test func everySignedByteIsCovered() {
        let bytes = tx(Array(repeating: 0x5a, count: 20), nonce: 3)
        var inbox = SignedInbox(book: book, domain: .transaction)
        // Flip each bit of the envelope in turn: never admitted.
        for i in bytes.indices {
            for bit in 0..<8 {
                var b = bytes
                b[i] ^= UInt8(1 << bit)
                #expect(rejection(inbox.check(b)) != nil, "byte \(i) bit \(bit)")
            }
        }
        #expect(rejection(inbox.admit(bytes)) == nil)
    }

    @Test func refusalsAreTyped() {
        var inbox = SignedInbox(book: book, domain: .transaction)
        #expect(rejection(inbox.check(tx([1], nonce: 1, chain: Digest.zero))) == .wrongChain)
        #expect(rejection(inbox.check(tx([1], nonce: 1, domain: .hello))) == .wrongDomain(3))
        #expect(rejection(inbox.check(tx([1], party: 9, nonce: 1))) == .unknownAccount(PartyID(9)))
        // Bob signing as Alice.
        #expect(rejection(inbox.check(tx([1], party: 1, nonce: 1, key: bob))) == .badSignature)
        #expect(rejection(inbox.check(tx([1], nonce: 0))) == .staleNonce(nonce: 0, last: 0))
        if case let .undecodable(e)? = rejection(inbox.check([1, 2, 3])) { #expect(e.offset >= 0) } else { Issue.record("not undecodable") }
        #expect(inbox.lastNonce.isEmpty)
        #expect(rejection(inbox.admit(tx([1], nonce: 1))) == nil)
    }

    @Test func noncesStrictlyIncreaseWithGapsAllowed() {
        var inbox = SignedInbox(book: book, domain: .transaction)
        #expect(rejection(inbox.admit(tx([1], nonce: 1))) == nil)
        #expect(rejection(inbox.admit(tx([1], nonce: 1))) == .staleNonce(nonce: 1, last: 1))   // replay
        #expect(rejection(inbox.admit(tx([2], nonce: 5))) == nil)                               // 2…4 were lost
        #expect(rejection(inbox.admit(tx([3], nonce: 4))) == .staleNonce(nonce: 4, last: 5))   // overtaken
        #expect(rejection(inbox.admit(tx([3], party: 2, nonce: 1, key: bob))) == nil)           // per account
        #expect(inbox.lastNonce == [PartyID(1): 5, PartyID(2): 1])
        var signer = Signer(party: PartyID(1), key: alice, domain: .transaction, chainID: chain)
        var fresh = SignedInbox(book: book, domain: .transaction)
        for _ in 0..<3 { #expect(rejection(fresh.admit(signer.sign([7]))) == nil) }
        #expect(signer.nonce == 3 && fresh.lastNonce[PartyID(1)] == 3)
    }

    /// The judge: authentication failures change nothing; an admitted transaction uses
    /// its nonce even when the rules refuse it.
    @Test func theJudgeChecksSignatureThenNonceThenTurn() {
        let world = FakeWorld(seed: 9, haltStep: 100)
        var judge = try! JudgeStateMachine(task: world.task, config: GameConfig(arity: 4), checker: FakeChecker(seed: 9),
                                           solver: PartyID(1), verifiers: [PartyID(2)],
                                           balances: [PartyID(1): 5_000, PartyID(2): 5_000], accounts: book)
        _ = judge.start(now: 0)
        let claim = world.trueClaim
        let commit = GameMessage.commit(taskID: 7, claim: claim,
                                        haltProof: try! FakeOracle(world: world).stepProof(atStep: 100)).encode()
        let before = judge.gameStateSnapshot
        func only(_ a: [GameAction]) -> Rejection? {
            guard a.count == 1, case let .rejected(_, r) = a[0] else { return nil }
            return r
        }
        // Bob signs a commit claiming to be the solver: refused, nothing changes.
        #expect(only(judge.receive(transaction: tx(commit, party: 1, nonce: 1, key: bob), now: 100)) == .badSignature)
        #expect(only(judge.receive(transaction: tx(commit, party: 3, nonce: 1), now: 100)) == .unknownAccount(PartyID(3)))
        #expect(judge.gameStateSnapshot == before && judge.transactions.lastNonce.isEmpty)   // nothing charged
        // Bob, properly signed but out of turn (a verifier cannot commit): the rules refuse
        // it, yet nonce 1 is used up, and the transaction was mined: it reverted after
        // reading the game's word (where the solver's address is), and Bob pays for that.
        #expect(only(judge.receive(transaction: tx(commit, party: 2, nonce: 1, key: bob), now: 100))
                == .wrongSender(.commit, allowed: PartyID(1)))
        expectOnlyReverted(judge, since: before, frame: commit, from: PartyID(2))
        let g = judge.gas
        #expect(judge.ledger.last?.kind == .reverted && judge.ledger.last?.timeMs == 100)
        #expect(judge.ledger.last?.gas == g.txBase + g.calldata(commit) + g.sloadCold)
        #expect(judge.transactions.lastNonce[PartyID(2)] == 1)
        // The solver's commit goes through; its replay is stale.
        let signed = tx(commit, nonce: 1)
        let accepted = judge.receive(transaction: signed, now: 200)
        #expect(accepted.contains { if case .broadcast(.committed) = $0 { return true } else { return false } })
        let after = judge.gameStateSnapshot
        // A replay fails authentication: never mined, nothing charged.
        #expect(only(judge.receive(transaction: signed, now: 300)) == .staleNonce(nonce: 1, last: 1))
        #expect(judge.gameStateSnapshot == after)
        // Gas is charged on the GameMessage frame, as before signatures: tx_base pays for them.
        var plain = try! JudgeStateMachine(task: world.task, config: GameConfig(arity: 4), checker: FakeChecker(seed: 9),
                                           solver: PartyID(1), verifiers: [PartyID(2)],
                                           balances: [PartyID(1): 5_000, PartyID(2): 5_000])
        _ = plain.start(now: 0)
        _ = plain.receive(commit, from: PartyID(1), now: 200)
        #expect(plain.ledger.last?.gas == judge.ledger.last?.gas && plain.ledger.last?.bytes == judge.ledger.last?.bytes)
    }

    /// A party's loop ignores notifications its judge did not sign: a fake judge (here an
    /// endpoint named "judge" that signs with the wrong key) cannot make it move.
    @Test func aPartyIgnoresAFakeJudge() throws {
        let roster = Roster(solver: "solver", verifiers: ["verifier-1"])
        let accounts = ToyGame.accounts(roster)
        let network = InMemoryNetwork(defaultLatencyMilliseconds: 10)
        let fake = try network.endpoint(named: "judge")
        let e = try network.endpoint(named: "solver")
        let world = FakeWorld(seed: 42, haltStep: 100)
        let loop = PartyLoop(entry: roster.solver, machine: SolverStateMachine(id: roster.solver.id, oracle: FakeOracle(world: world), faults: []),
                             roster: roster, scenario: .zero, key: ToyGame.key("solver"), accounts: accounts,
                             endpoint: FaultyEndpoint(wrapping: e, faults: FaultInjector(), clock: { network.now }), control: e,
                             clock: { UInt64(network.now) }, metrics: { PartyMetrics(name: "solver", role: .solver) })
        try loop.start()
        let forger = SigningKey.derived(scenarioSeed: 99, name: "judge")
        let posted = GameMessage.taskPosted(world.task).encode()
        for (key, nonce) in [(forger, UInt64(1)), (forger, 2)] {
            let n = SignedEnvelope(signing: posted, domain: .notification, chainID: ToyGame.chainID, party: .judge, nonce: nonce, key: key)
            try fake.send(to: "solver", WireFrame.game(n.encode()).encode())
        }
        try fake.send(to: "solver", WireFrame.game(posted).encode())     // unsigned
        for _ in 0..<20 { network.advanceTime(by: 10); _ = loop.pump(timeoutMilliseconds: 0) }
        #expect(loop.refusedNotifications == 3)
        // The fake judge heard the hello and nothing else: no commit.
        var heard: [Envelope] = []
        while let m = try fake.receive(timeoutMilliseconds: 0) { heard.append(m) }
        #expect(heard.count == 1)
        // The real judge's notification is taken (and answered with a signed commit).
        let real = SignedEnvelope(signing: posted, domain: .notification, chainID: ToyGame.chainID, party: .judge, nonce: 1,
                                  key: ToyGame.key("judge"))
        try fake.send(to: "solver", WireFrame.game(real.encode()).encode())
        for _ in 0..<20 { network.advanceTime(by: 10); _ = loop.pump(timeoutMilliseconds: 0) }
        while let m = try fake.receive(timeoutMilliseconds: 0) { heard.append(m) }
        #expect(heard.count == 2 && loop.refusedNotifications == 3)
    }

    /// Through the real node loops: a replayed transaction (the solver's own commit,
    /// byte for byte), a properly signed out-of-turn move, a forged signature and an
    /// unsigned move are refused with their reasons, and the game is the clean game.
    @Test func replayedForgedAndOutOfTurnMovesChangeNothing() {
        var s = ToyGame()
        s.verifiers = [(nil, [])]
        let (_, clean) = s.run()
        let claim = s.world.trueClaim
        let commit = GameMessage.commit(taskID: 7, claim: claim, haltProof: try! FakeOracle(world: s.world).stepProof(atStep: 100))
        var g = s
        g.injections = [
            (400, "solver", ToyGame.signed(commit, as: solverID, name: "solver", nonce: 1)),             // replay
            (410, "verifier-1", ToyGame.signed(.pick(taskID: 7, dispute: 1, index: 0), as: v1, name: "verifier-1", nonce: 7)),
            (420, "verifier-1", ToyGame.signed(.pick(taskID: 7, dispute: 1, index: 0), as: v1, name: "verifier-1", nonce: 7)),
            (430, "mallory", ToyGame.signed(commit, as: solverID, name: "solver", nonce: 2, key: ToyGame.key("mallory"))),
            (440, "mallory", WireFrame.game(commit.encode()).encode()),
        ]
        let (played, r) = g.run()
        // The one properly signed, fresh move (the out-of-turn pick) was mined and
        // reverted: its sender pays tx + calldata + the game word and the dispute slot it
        // read. The replays and forgeries cost nothing; the game is the clean game.
        let pick = GameMessage.pick(taskID: 7, dispute: 1, index: 0).encode()
        let reverted = r.timeline.filter { $0.kind == .reverted }
        #expect(reverted.count == 1 && reverted.first?.party == v1)
        #expect(reverted.first?.gas == s.gas.txBase + s.gas.calldata(pick) + 2 * s.gas.sloadCold)
        #expect(r.outcome == clean.outcome && r.timeline.filter { $0.kind != .reverted } == clean.timeline)
        #expect(r.gas.totalGas == clean.gas.totalGas + (reverted.first?.gas ?? 0))
        let revertedMoves = r.gas.byMove.filter { $0.kind == .reverted }
        #expect(revertedMoves.count == 1 && revertedMoves.first?.count == 1 && revertedMoves.first?.gas == reverted.first?.gas)
        #expect(r.gas.byParty.first { $0.party == v1 }?.gas == reverted.first?.gas)
        #expect(r.rejectedFrames == clean.rejectedFrames + 5)
        let reasons = played.log.filter { $0.contains("rejected a frame") }.joined(separator: "\n")
        #expect(reasons.contains("nonce 1 not above the last admitted 1"))
        #expect(reasons.contains("nonce 7 not above the last admitted 7"))
        #expect(reasons.contains("claiming to be from solver: signature does not verify"))
        #expect(reasons.contains("from an unidentified sender"))      // the unsigned frame
        #expect(played.judge.transactions.lastNonce[v1] == 7)
    }
}
