import Foundation
import Testing
import TestSupport
@testable import Game

/// Storage is metered slot by slot as Ethereum meters it (EIP-2929 cold/warm, EIP-2200
/// net metering, EIP-3529 refunds): the composite figures the EIPs publish come out.
@Suite struct StorageMeterTests {
    let g = GasSchedule.default

    @Test func slotsCostWhatTheEIPsSay() {
        var fresh = StorageMeter(gas: g)
        fresh.write(.claimRoot, from: false, to: true)
        #expect(fresh.used == g.sloadCold + g.sstoreSet && fresh.used == 22_100)      // EIP-2929: a fresh slot
        var update = StorageMeter(gas: g)
        update.write(.game, from: true, to: true)
        #expect(update.used == 5_000)                                                   // EIP-2929: SSTORE_RESET_GAS
        var readThenUpdate = StorageMeter(gas: g)
        readThenUpdate.read(.game)
        #expect(readThenUpdate.used == g.sloadCold)
        readThenUpdate.write(.game, from: true, to: true)
        #expect(readThenUpdate.used == 5_000)                                           // the read warmed the slot
        readThenUpdate.read(.game)
        readThenUpdate.write(.game, from: true, to: true)                               // a dirty slot: warm
        #expect(readThenUpdate.used == 5_000 + 2 * g.sloadWarm)
        var zero = StorageMeter(gas: g)
        zero.write(.balance(PartyID(1)), from: false, to: false)
        #expect(zero.used == g.sloadCold + g.sloadWarm)                                 // no change
    }

    @Test func clearingEarnsACappedRefund() {
        var m = StorageMeter(gas: g)
        m.write(.escrow(PartyID(1)), from: true, to: false)
        #expect(m.used == 5_000 && m.refund == 4_800)
        // Set again in the same transaction: the refund is taken back (EIP-2200).
        m.write(.escrow(PartyID(1)), from: false, to: true)
        #expect(m.used == 5_000 + g.sloadWarm && m.refund == 0)
        // EIP-3529: at most a fifth of the gas used.
        #expect(g.charged(used: 30_000, refund: 4_800) == 30_000 - 4_800)
        #expect(g.charged(used: 21_000, refund: 4_800) == 21_000 - 21_000 / 5)
    }
}

/// `game.storage`: one slot per posted root, or one hash of the round's roots with the
/// roots in calldata. The moves and the verdict are the same; the gas is not.
@Suite struct RootStorageTests {
    /// A faulty solver (wrong from step 37 of 100) against an honest verifier, k = 4:
    /// the bisection opens [0, 256] with points 64, 128, 192.
    func play(_ storage: RootStorage, k: Int = 4, steps: UInt64 = 100, corruptAt: UInt64 = 37) -> (ToyGame, GameReport) {
        var s = ToyGame()
        s.world = FakeWorld(seed: 42, haltStep: steps)
        s.config.arity = k
        s.config.storage = storage
        s.solverOracle = FakeOracle(world: s.world, corruptAt: corruptAt, faultyHalt: steps)
        s.verifiers = [(nil, [])]
        return (s, s.run().1)
    }

    @Test func theVerdictDoesNotDependOnTheStrategy() {
        let (_, a) = play(.perRoot), (_, b) = play(.rootsHash)
        #expect(a.outcome == b.outcome && !a.outcome.accepted)
        #expect(a.disputes.map(\.divergenceStep) == b.disputes.map(\.divergenceStep) && a.disputes[0].divergenceStep == 37)
        #expect(a.timeline.map(\.kind) == b.timeline.map(\.kind))
    }

    @Test func rootPostingsAndPicksAreMeteredPerStrategy() throws {
        let g = GasSchedule.default
        let read = g.sloadCold, fresh = g.sloadCold + g.sstoreSet, update = g.sloadCold + g.sstoreReset
        for storage in RootStorage.allCases {
            let (s, r) = play(storage)
            let oracle = try #require(s.solverOracle)
            let roots = try [64, 128, 192].map { try oracle.root(atStep: UInt64($0)) }
            let frame = GameMessage.postRoots(taskID: 7, dispute: 1, roots: roots).encode()
            let post = r.timeline.filter { $0.kind == .postRoots }
            let picks = r.timeline.filter { $0.kind == .pick }
            #expect(post.count == 4 && picks.count == 4)
            // Every move first reads the game word, the dispute's turn and its interval, and
            // updates the turn (warm).
            let common = g.txBase + g.calldata(frame) + 3 * read + g.sstoreReset
            switch storage {
            case .perRoot:
                // Three fresh root slots.
                #expect(post[0].gas == common + 3 * fresh)
            case .rootsHash:
                // Reads the task's and the claimed root (the ends), hashes the five roots,
                // sets the hash slot.
                #expect(post[0].gas == common + 2 * read + g.keccak(byteCount: 5 * 32) + fresh)
            }
            // The first pick: the step 37 lies in part 0 ([0, 64]), so only the right end moves.
            let pickFrame = GameMessage.pick(taskID: 7, dispute: 1, index: 0).encode()
            let pickCommon = g.txBase + g.calldata(pickFrame) + 3 * read + 2 * g.sstoreReset
            let ends = try [oracle.root(atStep: 0)] + roots + [oracle.root(atStep: 256)]
            switch storage {
            case .perRoot:
                // Reads the posted root at 64 and sets the right-end slot.
                #expect(picks[0].gas == pickCommon + read + fresh)
            case .rootsHash:
                // Resupplies the five roots, reads and checks the hash, stores the new one.
                #expect(picks[0].gas == pickCommon + g.calldata(ends.flatMap(\.bytes)) + read
                        + g.keccak(byteCount: 5 * 32) + g.keccak(byteCount: 64) + g.sstoreReset)
            }
            // Later rounds overwrite: per_root updates its three root slots.
            if storage == .perRoot {
                let second = try [16, 32, 48].map { try oracle.root(atStep: UInt64($0)) }
                let f2 = GameMessage.postRoots(taskID: 7, dispute: 1, roots: second).encode()
                #expect(post[1].gas == g.txBase + g.calldata(f2) + 3 * read + g.sstoreReset + 3 * update)
            }
            #expect(r.gas.totalGas == r.timeline.reduce(0) { $0 + $1.gas })
        }
    }

    @Test func autoKUsesTheStrategyAndTheStrategyMovesTheCheapestK() {
        for storage in RootStorage.allCases {
            var s = ToyGame()
            s.world = FakeWorld(seed: 8, haltStep: 3_000)
            s.config.arity = GameConfig.autoArity
            s.config.storage = storage
            s.solverOracle = FakeOracle(world: s.world, corruptAt: 1_234, faultyHalt: 3_000)
            s.verifiers = [(nil, [])]
            let (_, r) = s.run()
            #expect(r.arityChoice == ArityChoice.cheapest(steps: 3_000, gas: s.gas, storage: storage))
            #expect(r.disputes[0].divergenceStep == 1_234)
        }
        // Storing a hash instead of k − 1 slots makes wide rounds cheap: the sha256 task's
        // cheapest k grows.
        let perRoot = ArityChoice.cheapest(steps: 452_673, gas: .default, storage: .perRoot)
        let hashed = ArityChoice.cheapest(steps: 452_673, gas: .default, storage: .rootsHash)
        #expect(hashed.k > perRoot.k && hashed.gas < perRoot.gas)
    }
}
