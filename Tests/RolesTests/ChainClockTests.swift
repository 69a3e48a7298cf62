import Foundation
import Game
import Ledger
import Report
import Scenario
import Testing
import TestSupport
@testable import Roles

/// The chain's clock advanced by rule (docs/GAME.md, "Clock"): a move is mined no earlier
/// than the block after the one whose state it answers, so blocks follow the game, not
/// how fast a process answered. In one process every block is the rule's; over processes
/// a fast run gives the same blocks, and the report marks any block real time set.
struct ChainClockTests {
    func spec(_ file: String = "faulty-solver.yaml") throws -> ScenarioSpec {
        try ScenarioLoader.load(path: packageRoot + "/scenarios/" + file)
    }

    /// The blocks the rule gives a dispute played at once by parties faster than a block:
    /// the task in block 0, then every transaction one block after the one it answers, and
    /// the chain's own entries in the block of the move that caused them.
    static func predictedBlocks(_ timeline: [TimelineEntry]) -> [UInt64] {
        var block: UInt64 = 0
        return timeline.map { e in
            if LedgerEntryKind.transactionKinds.contains(e.kind) { block += 1 }
            return block
        }
    }

    @Test func inProcessBlocksFollowTheRuleAndStrictlyIncreaseAlongTheDispute() throws {
        let s = try spec()
        let g = try InMemoryRun.play(s).game
        let blocks = g.timeline.map(\.block)
        #expect(blocks == Self.predictedBlocks(g.timeline), "\(g.timeline.map { "\($0.kind.rawValue)@\($0.block)" })")
        // faulty-solver: commit 1, challenge 2, ten rounds of post_roots + pick in blocks
        // 3…22, the step proof in 23, where the dispute and the game end.
        #expect(g.timeline.first { $0.kind == .commit }?.block == 1)
        #expect(g.timeline.first { $0.kind == .challenge }?.block == 2)
        #expect(g.timeline.first { $0.kind == .stepProof }?.block == 23 && g.finalBlock == 23)
        let moves = g.timeline.filter { $0.dispute == 1 && LedgerEntryKind.transactionKinds.contains($0.kind) }
        #expect(moves.count == 22)
        for (a, b) in zip(moves, moves.dropFirst()) { #expect(b.block > a.block, "\(a.kind) then \(b.kind)") }
        #expect(g.disputes[0].startBlock == 2 && g.disputes[0].endBlock == 23)
        // Each entry carries the deadline it set: the commit the challenge window, every
        // dispute move the other side's move timeout counted from its own block.
        let config = s.game
        for e in g.timeline {
            switch e.kind {
            case .taskPosted: #expect(e.deadline == config.commitTimeoutBlocks)
            case .commit: #expect(e.deadline == e.block + config.challengeWindowBlocks)
            case .challenge, .postRoots, .pick: #expect(e.deadline == e.block + config.moveTimeoutBlocks, "\(e.kind)")
            default: #expect(e.deadline == nil, "\(e.kind)")
            }
        }
        let report = ScenarioReport(spec: s, file: "f", game: g, parties: [], wallSeconds: 0)
        #expect(report.clock.mode == .virtual && report.clock.reproducible && report.clock.arrivalBlocks.isEmpty)
        #expect(report.timeline.map(\.deadline) == g.timeline.map(\.deadline))
    }

    @Test func twoInProcessRunsGiveTheSameBlocksAndDeadlines() throws {
        let s = try spec()
        let a = try InMemoryRun.play(s).game.timeline, b = try InMemoryRun.play(s).game.timeline
        #expect(a.map(\.block) == b.map(\.block) && a.map(\.deadline) == b.map(\.deadline) && a.map(\.timeMs) == b.map(\.timeMs))
        #expect(Set(a.map(\.block)).count > 20, "every move in its own block")
    }

    /// Network latency is modelled on the virtual clock too: a reply that takes longer than
    /// a block is mined in its arrival block, later than the rule's, and the report says so.
    @Test func latencyLongerThanABlockShiftsBlocksAndIsMarked() throws {
        var s = try spec()
        s.network.latencyMs = 150                                    // 100 ms blocks: a reply takes 3 blocks
        let g = try InMemoryRun.play(s).game
        let commit = try #require(g.timeline.firstIndex { $0.kind == .commit })
        #expect(g.timeline[commit].block == 3, "the task reached the solver at 151 ms, its commit the chain at 302 ms")
        let report = ScenarioReport(spec: s, file: "f", game: g, parties: [], wallSeconds: 0, clock: .realTime)
        #expect(report.clock.arrivalBlocks.contains(commit) && !report.clock.reproducible)
        #expect(report.clock.notes.first?.contains("#\(commit + 1) commit in block 3") == true, "\(report.clock.notes)")
        let same = ScenarioReport(spec: s, file: "f", game: g, parties: [], wallSeconds: 0)
        #expect(same.clock.reproducible && same.clock.notes.isEmpty, "on the virtual clock latency is reproducible")
        #expect(same.terminalMoves().contains("3*"))
    }

    /// The representative real-process run: every block before the first one real time
    /// set is the in-process block; a run with none is marked reproducible and has exactly
    /// the in-process blocks; a run with some names them (a debug build's parties can be
    /// slower than a 100 ms block when they compute roots).
    @Test func overProcessesTheBlocksAreTheInProcessOnesOrMarked() throws {
        let dir = try makeTemporaryDirectory("clock")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = dir + "/report.json", local = dir + "/in-process.json"
        let r = try runTBSim(["scenario", "scenarios/faulty-solver.yaml", "--json", json, "--moves", "--work-dir", dir + "/work"])
        #expect(r.status == 0, "exit \(r.status)\n\(r.stderr)")
        let q = try runTBSim(["scenario", "scenarios/faulty-solver.yaml", "--in-process", "--quiet", "--json", local])
        #expect(q.status == 0, "exit \(q.status)\n\(q.stderr)")
        let over = try ScenarioReport.decode(json: Data(contentsOf: URL(fileURLWithPath: json)))
        let inProcess = try ScenarioReport.decode(json: Data(contentsOf: URL(fileURLWithPath: local)))
        #expect(over.clock.mode == .realTime && inProcess.clock.mode == .virtual && inProcess.clock.reproducible)
        #expect(over.timeline.map(\.kind) == inProcess.timeline.map(\.kind))
        let firstArrival = over.clock.arrivalBlocks.first ?? over.timeline.count
        #expect(Array(over.timeline.prefix(firstArrival).map(\.block)) == Array(inProcess.timeline.prefix(firstArrival).map(\.block)))
        if over.clock.arrivalBlocks.isEmpty {
            #expect(over.clock.reproducible && over.timeline.map(\.block) == inProcess.timeline.map(\.block))
        } else {
            #expect(!over.clock.reproducible && over.clock.notes.first?.contains("real time set their blocks") == true)
            #expect(r.stdout.contains("blocks can vary") && r.stdout.contains("*"), "\(r.stdout)")
        }
        // Every mark is a block later than the rule's: the first one lies past the in-process block.
        if let i = over.clock.arrivalBlocks.first { #expect(over.timeline[i].block > inProcess.timeline[i].block) }
    }
}
