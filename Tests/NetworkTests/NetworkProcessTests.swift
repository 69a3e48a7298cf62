import Foundation
import Testing
import TestSupport
import Transport

/// A network over real processes when a party process dies mid-network: the chain
/// notices it is gone (no `alive` for the liveness limit), begins each later game it is
/// drawn for without it, and those games' timeouts decide; the run still ends, with the
/// honest side winning, the money conserved and the death in the report.
@Suite(.serialized)
struct NetworkProcessTests {
    /// network-collusion cut to `tasks` tasks, without its expectations.
    func network(tasks: Int, in dir: String) throws -> String {
        var text = try String(contentsOfFile: packageRoot + "/scenarios/network-collusion.yaml", encoding: .utf8)
        text = String(text[..<text.range(of: "\nexpect:")!.lowerBound]).replacingOccurrences(of: "tasks: 12", with: "tasks: \(tasks)")
        let file = dir + "/network.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The colluding verifier is killed once the network has begun (task 1's game, which it
    /// is not drawn for, is under way); task 2, posted a second later, is the first the
    /// solver cheats in and its shill is drawn for. The game goes on without the shill,
    /// the honest verifier challenges alone and wins.
    @Test func aColluderKilledMidNetworkLeavesItsGamesToTheRules() throws {
        let dir = try makeTemporaryDirectory("network-kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try network(tasks: 3, in: dir)
        let work = dir + "/work", json = dir + "/report.json"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(tbsimBinary()))
        p.arguments = ["scenario", file, "--work-dir", work, "--json", json]
        p.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        FileManager.default.createFile(atPath: dir + "/stderr", contents: nil)
        p.standardError = FileHandle(forWritingAtPath: dir + "/stderr")
        try p.run()
        // Once task 1's game has begun, kill the shill.
        let w = Stopwatch()
        var killed = false
        while p.isRunning && w.seconds < 300 && !killed {
            let log = (try? String(contentsOfFile: work + "/chain.log", encoding: .utf8)) ?? ""
            if log.contains("task 1: ") {
                for pid in processes(mentioning: work) {
                    let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
                    if cmd.contains("--name\u{0}shill\u{0}") { kill(pid, SIGKILL); killed = true }
                }
            }
            usleep(20_000)
        }
        #expect(killed, "the shill's process was not found before task 2")
        p.waitUntilExit()
        let err = (try? String(contentsOfFile: dir + "/stderr", encoding: .utf8)) ?? ""
        #expect(p.terminationStatus == 0, "exit \(p.terminationStatus): \(err)")
        #expect(processes(mentioning: work).isEmpty, "processes left behind")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let events = try #require(report["process_events"] as? [[String: Any]])
        #expect(events.count == 1 && events.first?["process"] as? String == "shill" && events.first?["how"] as? String == "killed by signal 9",
                "\(events)")
        let money = try #require(report["money"] as? [String: Any])
        #expect(money["conserved"] as? Bool == true && money["checks"] as? Int == 3)
        let network = try #require(report["network"] as? [String: Any])
        #expect(network["tasks"] as? Int == 3 && network["wrong_results_accepted"] as? Int == 0)
        // Task 2: the shill was drawn but never joined; the honest verifier's dispute alone decided.
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        let two = tasks[1]
        #expect(two["cheated"] as? Bool == true && (two["verifiers"] as? [String])?.contains("shill") == true)
        #expect(two["accepted"] as? Bool == false && two["winner"] as? String == "honest" && two["disputes"] as? Int == 1, "\(two)")
        let chainLog = try String(contentsOfFile: work + "/chain.log", encoding: .utf8)
        #expect(chainLog.contains("task 2: shill did not join; the game goes on without them"), "\(chainLog.suffix(2000))")
    }

    /// Roles on other hosts, started by hand as docs/NETWORK.md says, with nothing but
    /// the network file, the chain's endpoint and (for a party the file lists under
    /// `accounts:`) a key file: the chain on one host, the solver and both verifiers on
    /// another, the honest verifier signing with its own key. The network plays as it
    /// does in one process, and a task's ledger replays.
    @Test(.enabled(if: namespaceProblem == nil, Comment(rawValue: namespaceProblem ?? "")))
    func aNetworkAcrossHostsStartedByHand() throws {
        let dir = try makeTemporaryDirectory("network-hosts")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = try network(tasks: 3, in: dir)
        let keygen = try runTBSim(["keygen", dir + "/honest.key"])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let account = keygen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let hosts = try TwoHosts(directory: dir)
        defer { hosts.close() }
        let endpoint = hosts.endpointOnFirst(port: 48_000 + Int(getpid() % 1_000))
        let file = dir + "/hosts.yaml"
        try (String(contentsOfFile: plain, encoding: .utf8) + "\nnetwork: {judge_bind: \"\(endpoint)\"}\naccounts: {honest: \"\(account)\"}\n")
            .write(toFile: file, atomically: true, encoding: .utf8)

        // tbsim cannot sign for a listed account, so it refuses to launch the network itself,
        // and the listed party will not start without its key.
        let refused = try runTBSim(["scenario", file, "--in-process"])
        #expect(refused.status == 2 && refused.stderr.contains("tbsim node --key"), "\(refused.stderr)")
        let keyless = try runTBSim(["node", "--role", "verifier", file, "--name", "honest", "--connect", endpoint])
        #expect(keyless.status == 1 && keyless.stderr.contains("pass its key file with --key"), "\(keyless.stderr)")

        let chain = try hosts.start(on: hosts.first, ["node", "--role", "judge", file, "--bind", endpoint, "--result", dir + "/result.json",
                                                      "--work-dir", dir + "/work"], log: "chain.log")
        let parties = try [("solver", "crooked", []), ("verifier", "shill", []), ("verifier", "honest", ["--key", dir + "/honest.key"])]
            .map { role, name, extra in
                try hosts.start(on: hosts.second, ["node", "--role", role, file, "--name", name, "--connect", endpoint] + extra, log: name + ".log")
            }
        defer { for p in parties + [chain] where p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        let w = Stopwatch()
        while chain.isRunning && w.seconds < 300 { usleep(50_000) }
        let chainLog = (try? String(contentsOfFile: dir + "/chain.log", encoding: .utf8)) ?? ""
        #expect(!chain.isRunning && chain.terminationStatus == 0, "chain: \(chainLog.suffix(3000))")
        // The parties leave once the chain says the network is over.
        while parties.contains(where: \.isRunning) && w.seconds < 310 { usleep(50_000) }
        for (p, name) in zip(parties, ["crooked", "shill", "honest"]) {
            #expect(!p.isRunning && p.terminationStatus == 0, "\(name): \((try? String(contentsOfFile: dir + "/\(name).log", encoding: .utf8)) ?? "")")
        }

        let local = dir + "/in-process.json"
        let q = try runTBSim(["scenario", plain, "--in-process", "--quiet", "--json", local])
        #expect(q.status == 0, "\(q.stderr)")
        func load(_ path: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }
        let across = try load(dir + "/result.json"), inProcess = try load(local)
        #expect(across["mode"] as? String == "processes")
        for key in ["network", "parties", "tasks", "money"] {
            #expect(NSDictionary(dictionary: ["v": across[key] as Any]).isEqual(to: ["v": inProcess[key] as Any]), "\(key) differs across hosts")
        }
        let replay = try runTBSim(["replay", dir + "/work/task-2/ledger.sqlite"])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(processes(mentioning: dir).isEmpty, "processes left behind")
    }
}
