import Foundation
import Game
import Testing
import TestSupport
import Transport
@testable import Roles

/// Two hosts on one machine: the judge in one network namespace, the solver and the
/// verifier in another, joined by a veth pair. The game is played across the link, then
/// the link is cut mid-dispute: the chain's timeout rules decide, the ledger replays.
@Suite(.serialized)
struct NetworkNamespaceTests {
    @Test(.enabled(if: namespaceProblem == nil, Comment(rawValue: namespaceProblem ?? "")))
    func aGameAcrossHostsSurvivesACutLinkByTheRules() throws {
        let dir = try makeTemporaryDirectory("netns")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hosts = try TwoHosts(directory: dir)
        defer { hosts.close() }
        let judgeNS = hosts.first, partyNS = hosts.second

        let file = dir + "/cut.yaml"
        try faultySolverScenario(name: "cut-link",
                                 game: "{k: 4, block_interval_ms: 100, move_timeout_blocks: 10, commit_timeout_blocks: 100, challenge_window_blocks: 20}",
                                 delayMs: 150)
            .write(toFile: file, atomically: true, encoding: .utf8)

        func start(_ ns: String, _ args: [String], log: String) throws -> Process { try hosts.start(on: ns, args, log: log) }
        let endpoint = hosts.endpointOnFirst(port: 47_000 + Int(getpid() % 1_000))
        let judge = try start(judgeNS, ["node", "--role", "judge", file, "--bind", endpoint, "--result", dir + "/result.json",
                                        "--started-file", dir + "/started", "--ledger", dir + "/chain.sqlite"], log: "judge.log")
        let parties = try [("solver", "solver"), ("verifier", "verifier-1")].map { role, name in
            try start(partyNS, ["node", "--role", role, file, "--name", name, "--connect", endpoint], log: name + ".log")
        }
        defer { for p in parties + [judge] where p.isRunning { kill(p.processIdentifier, SIGKILL) } }

        // Let the dispute get going across the link, then cut it.
        let w = Stopwatch()
        while !FileManager.default.fileExists(atPath: dir + "/started") && w.seconds < 120 && judge.isRunning { usleep(20_000) }
        #expect(FileManager.default.fileExists(atPath: dir + "/started"), "the parties never joined across the link")
        usleep(600_000)
        try hosts.cut()
        judge.waitUntilExit()
        let judgeLog = (try? String(contentsOfFile: dir + "/judge.log", encoding: .utf8)) ?? ""
        #expect(judge.terminationStatus == 0, "judge: \(judgeLog)")
        for p in parties { p.terminate() }
        for p in parties { p.waitUntilExit() }

        let result = try JSONDecoder().decode(RunResult.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json")))
        let kinds = result.game.timeline.map(\.kind)
        #expect(kinds.contains(.commit) && kinds.contains(.challenge), "moves crossed the link before the cut: \(kinds)")
        // After the cut nobody can move: the party whose turn it was loses by timeout.
        #expect(kinds.contains(.timeout), "the cut was decided by a timeout: \(kinds)")
        if case let .missedDeadline(party, _)? = result.game.disputes.first?.reason {
            #expect(result.game.outcome.winner != party)
        } else {
            Issue.record("the dispute did not end by a missed deadline: \(String(describing: result.game.disputes.first?.reason))")
        }
        let replay = try runTBSim(["replay", dir + "/chain.sqlite"])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        usleep(200_000)
        #expect(processes(mentioning: dir).isEmpty, "processes left behind")
    }
}
