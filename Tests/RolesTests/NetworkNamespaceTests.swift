import Foundation
import Game
import Testing
import TestSupport
import Transport
@testable import Roles

/// Why network namespaces cannot be used here (nil: they can): the test needs root and
/// `ip` (iproute2) and a kernel that lets this process create namespaces.
let namespaceProblem: String? = {
    guard getuid() == 0 else { return "network namespaces need root (uid \(getuid()))" }
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip") else {
        return "no `ip` command: install iproute2 (make test-deps does)"
    }
    let name = "tbsim-probe-\(getpid())"
    guard let add = try? runProgram(ipCommand, ["netns", "add", name]), add.status == 0 else {
        return "`ip netns add` is not permitted here"
    }
    _ = try? runProgram(ipCommand, ["netns", "del", name])
    return nil
}()

let ipCommand = FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip"

/// Two hosts on one machine: the judge in one network namespace, the solver and the
/// verifier in another, joined by a veth pair. The game is played across the link, then
/// the link is cut mid-dispute: the chain's timeout rules decide, the ledger replays.
@Suite(.serialized)
struct NetworkNamespaceTests {
    func ip(_ args: [String]) throws {
        let r = try runProgram(ipCommand, args)
        guard r.status == 0 else { throw TestSupportError("ip \(args.joined(separator: " ")): \(r.stderr)") }
    }

    @Test(.enabled(if: namespaceProblem == nil, Comment(rawValue: namespaceProblem ?? "")))
    func aGameAcrossHostsSurvivesACutLinkByTheRules() throws {
        let bin = try #require(tbsimBinary())
        let dir = try makeTemporaryDirectory("netns")
        let tag = String(getpid() % 10_000)
        let judgeNS = "tbj\(tag)", partyNS = "tbp\(tag)", judgeIf = "vj\(tag)", partyIf = "vp\(tag)"
        let subnet = "10.77.\(getpid() % 250 + 1)"
        defer {
            _ = try? runProgram(ipCommand, ["netns", "del", judgeNS])
            _ = try? runProgram(ipCommand, ["netns", "del", partyNS])
            try? FileManager.default.removeItem(atPath: dir)
        }
        try ip(["netns", "add", judgeNS])
        try ip(["netns", "add", partyNS])
        try ip(["link", "add", judgeIf, "type", "veth", "peer", "name", partyIf])
        try ip(["link", "set", judgeIf, "netns", judgeNS])
        try ip(["link", "set", partyIf, "netns", partyNS])
        for (ns, ifname, address) in [(judgeNS, judgeIf, "\(subnet).1/24"), (partyNS, partyIf, "\(subnet).2/24")] {
            try ip(["-n", ns, "addr", "add", address, "dev", ifname])
            try ip(["-n", ns, "link", "set", ifname, "up"])
            try ip(["-n", ns, "link", "set", "lo", "up"])
        }

        let file = dir + "/cut.yaml"
        try faultySolverScenario(name: "cut-link",
                                 game: "{k: 4, block_interval_ms: 100, move_timeout_blocks: 10, commit_timeout_blocks: 100, challenge_window_blocks: 20}",
                                 delayMs: 150)
            .write(toFile: file, atomically: true, encoding: .utf8)

        func start(_ ns: String, _ args: [String], log: String) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: ipCommand)
            p.arguments = ["netns", "exec", ns, bin] + args + ["--session", dir]
            p.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
            FileManager.default.createFile(atPath: dir + "/" + log, contents: nil)
            p.standardOutput = FileHandle(forWritingAtPath: dir + "/" + log)
            p.standardError = FileHandle(forWritingAtPath: dir + "/" + log)
            try p.run()
            return p
        }
        let endpoint = "tcp://\(subnet).1:47\(tag.suffix(3))"
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
        try ip(["-n", judgeNS, "link", "set", judgeIf, "down"])
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
