import Commitment
import Foundation
import Game
import RISCV
import Testing
import Transport
@testable import Scenario

/// The game's state machines carried over the in-memory transport with a virtual clock
/// and link faults, with real machines behind the parties: the same frames the ZeroMQ
/// processes exchange, deterministic and instant.
struct InMemoryTransportGameTests {
    static func helloMachine() throws -> Machine {
        let path = packageRoot + "/build/guests/hello.elf"
        let elf = try #require(FileManager.default.contents(atPath: path), "missing \(path): run `make guests`")
        return try Machine(BootImage(program: [UInt8](elf)))
    }

    /// Plays one game; `faults` act on the network. Returns the judge's report.
    static func play(faults: LinkFaults, corruptAt step: UInt64?, seed: UInt64 = 1) throws -> GameReport {
        let net = InMemoryNetwork(defaultLatencyMilliseconds: 40,
                                  faults: try FaultInjector(faults: faults, generator: SeededGenerator(seed: seed)))
        let names = ["judge", "solver", "verifier-1"]
        let endpoints = try names.map { try net.endpoint(named: $0) }
        let ids = [PartyID.judge, PartyID(1), PartyID(2)]
        let solverOracle = try MachineOracle(boot: helloMachine, maxSteps: 10_000,
                                             corruption: step.map { .init(step: $0, target: .register(5), bit: 1) })
        let verifierOracle = try MachineOracle(boot: helloMachine, maxSteps: 10_000)
        var judge = try JudgeStateMachine(
            task: TaskSpec(id: 1, initialRoot: StateTree(try helloMachine().storage).root(), stepLimit: 10_000),
            config: GameConfig(arity: 2, blockIntervalMs: 100, commitTimeoutBlocks: 50, challengeWindowBlocks: 5,
                               moveTimeoutBlocks: 10),
            checker: CommitmentProofChecker(), solver: ids[1], verifiers: [ids[2]],
            balances: [ids[1]: 10_000, ids[2]: 10_000])
        var solver = SolverStateMachine(id: ids[1], oracle: solverOracle)
        var verifier = VerifierStateMachine(id: ids[2], oracle: verifierOracle)

        func carry(_ actions: [GameAction], from index: Int) throws {
            for a in actions {
                switch a {
                case let .send(to, m):
                    try endpoints[index].send(to: names[ids.firstIndex(of: to)!], m.encode())
                case let .broadcast(m):
                    if index == 0 { for n in names.dropFirst() { try endpoints[0].send(to: n, m.encode()) } }
                    else { try endpoints[index].send(to: "judge", m.encode()) }
                default: break
                }
            }
        }
        try carry(judge.start(now: 0), from: 0)
        for _ in 0..<100_000 {
            let now = UInt64(net.now)
            while let e = try endpoints[0].receive(timeoutMilliseconds: 0) {
                try carry(judge.receive(e.payload, from: ids[names.firstIndex(of: e.from)!], now: now), from: 0)
            }
            while let e = try endpoints[1].receive(timeoutMilliseconds: 0) {
                try carry(solver.receive(frame: e.payload, from: .judge, now: now), from: 1)
            }
            while let e = try endpoints[2].receive(timeoutMilliseconds: 0) {
                try carry(verifier.receive(frame: e.payload, from: .judge, now: now), from: 2)
            }
            try carry(judge.tick(now: now), from: 0)
            if judge.isSettled && net.pendingCount == 0 { break }
            let next = [net.nextDeliveryTime, judge.nextDeadline().map { Int($0) }].compactMap { $0 }.min()
            guard let next else { break }
            net.advanceTime(to: max(next, net.now + 1))
        }
        #expect(judge.isSettled, "the game never settled")
        return judge.report(messages: net.statistics.sent, bytes: 0)
    }

    @Test func aCorruptedRunLosesOverTheInMemoryTransport() throws {
        let r = try Self.play(faults: .none, corruptAt: 100)
        #expect(!r.outcome.accepted && r.outcome.winner == PartyID(2))
        #expect(r.disputes.first?.divergenceStep == 100)
        #expect(r.disputes.first?.rounds == Bisection.ceilLog(r.taskSteps ?? 0, base: 2) + 2)
    }

    @Test func delayedMovesStillArriveInTime() throws {
        let faults = LinkFaults.none.delaying(from: "verifier-1", by: 300)
        let r = try Self.play(faults: faults, corruptAt: 100)
        #expect(!r.outcome.accepted && r.outcome.winner == PartyID(2))
        #expect(r.disputes.first?.divergenceStep == 100)
    }

    @Test func aSolverCutOffByTheNetworkLosesByTimeout() throws {
        // The commit gets through; every later solver message is dropped.
        let faults = LinkFaults.none.droppingAfter(from: "solver", messages: 1)
        let r = try Self.play(faults: faults, corruptAt: 100)
        #expect(!r.outcome.accepted && r.outcome.winner == PartyID(2))
        #expect(r.timeline.contains { $0.kind == "timeout" })
    }

    @Test func anHonestSolverSurvivesADelayedNetwork() throws {
        let faults = LinkFaults.none.delaying(from: "solver", by: 250).delaying(from: "judge", by: 100)
        let r = try Self.play(faults: faults, corruptAt: nil)
        #expect(r.outcome.accepted && r.outcome.winner == PartyID(1))
        #expect(r.disputes.isEmpty)
    }
}
