import Commitment
import Foundation
import Game
import Ledger
import Roles
import Scenario
import Testing
import TestSupport
import Transport

/// Identity over real processes: role processes started by hand (`tbsim node`), and a
/// hostile ZeroMQ client that connects first under the parties' names and says hello and
/// moves with forged signatures. The honest side must win, the squatter's frames must be
/// refused with reasons, and every process must exit.
@Suite(.serialized)
struct ImpersonationTests {
    /// Starts `tbsim node` with `arguments`, stderr to `log`.
    func node(_ arguments: [String], log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(tbsimBinary()))
        p.arguments = ["node"] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        FileManager.default.createFile(atPath: log, contents: nil)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try p.run()
        return p
    }

    /// Waits for every process, at most `seconds` in all; kills what is left.
    func wait(_ ps: [Process], seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while ps.contains(where: \.isRunning), Date() < deadline { usleep(50_000) }
        let done = !ps.contains(where: \.isRunning)
        for p in ps where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        return done
    }

    @Test func aSquatterUnderThePartiesNamesChangesNothing() throws {
        let dir = try makeTemporaryDirectory("impersonation")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "scenarios/faulty-solver.yaml"
        // Load as the nodes do (paths relative to the repository root), so the chain id
        // (the scenario digest) is theirs.
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let spec = try ScenarioLoader.load(path: file)
        let setup = GameSetup(spec: spec)
        let judge = try node(["--role", "judge", file, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", dir + "/endpoint",
                              "--result", dir + "/result.json", "--session", dir, "--ledger", dir + "/chain.sqlite"],
                             log: dir + "/judge.log")
        var waited = 0
        while !FileManager.default.fileExists(atPath: dir + "/endpoint"), waited < 400 { usleep(25_000); waited += 1 }
        let endpoint = try String(contentsOfFile: dir + "/endpoint", encoding: .utf8)

        // The squatters connect before the real parties, under their names.
        let context = try ZMQContext()
        let mallory = SigningKey.derived(scenarioSeed: 12345, name: "mallory")
        var squatters: [ZMQClient] = []
        for entry in setup.roster.parties {
            let c = try ZMQClient(name: entry.name, context: context)
            try c.connect(endpoint: endpoint)
            squatters.append(c)
            func forged(_ payload: [UInt8], _ domain: SignedEnvelope.Domain, nonce: UInt64) -> [UInt8] {
                SignedEnvelope(signing: payload, domain: domain, chainID: setup.digest, party: entry.id, nonce: nonce, key: mallory).encode()
            }
            let hello = HelloPayload(name: entry.name, scenario: setup.digest).encode()
            try c.send(to: "judge", WireFrame.control(.hello(envelope: forged(hello, .hello, nonce: 1))).encode())
            try c.send(to: "judge", WireFrame.control(.hello(envelope: hello)).encode())
            // A challenge of the faulty claim's opposite: a correct-looking move, forged.
            let claim = Claim(root: Digest(w0: 1, w1: 1, w2: 1, w3: 1), steps: 1, outputHash: .zero)
            try c.send(to: "judge", WireFrame.game(forged(GameMessage.challenge(taskID: 1, kind: .trace, claim: claim).encode(),
                                                          .transaction, nonce: 1)).encode())
        }
        usleep(200_000)
        let parties = try setup.roster.parties.map { entry in
            try node(["--role", entry.role.rawValue, file, "--name", entry.name, "--connect", endpoint, "--session", dir],
                     log: dir + "/\(entry.name).log")
        }
        // Once the game runs, the squatters keep sending forged moves.
        for (i, c) in squatters.enumerated() {
            let entry = setup.roster.parties[i]
            let pick = GameMessage.pick(taskID: 1, dispute: 1, index: 0).encode()
            for n in 2...5 {
                try c.send(to: "judge", WireFrame.game(SignedEnvelope(signing: pick, domain: .transaction, chainID: setup.digest,
                                                                     party: entry.id, nonce: UInt64(n), key: mallory).encode()).encode())
            }
        }
        let finished = wait([judge] + parties, seconds: 120)
        for c in squatters { c.close() }
        let judgeLog = (try? String(contentsOfFile: dir + "/judge.log", encoding: .utf8)) ?? ""
        #expect(finished, "the roles did not finish:\n\(judgeLog)")
        #expect(judge.terminationStatus == 0 && parties.allSatisfy { $0.terminationStatus == 0 }, "\(judgeLog)")
        let result = try JSONDecoder().decode(RunResult.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json")))
        #expect(result.game.outcome.accepted == false)
        #expect(result.game.outcome.winner == setup.roster.entry(named: "verifier-1")?.id)
        #expect(result.game.disputes.count == 1 && result.game.disputes.first?.divergenceStep == 300_000)
        #expect(judgeLog.contains("hello refused: bad_signature") && judgeLog.contains("signature does not verify"), "\(judgeLog)")
        #expect(result.parties.count == setup.roster.parties.count)
        #expect(processes(mentioning: dir).isEmpty, "role processes left behind")
    }
}

extension ImpersonationTests {
    /// A holder of verifier-1's key (here derived from the scenario seed, as anyone with
    /// the file can) sends a properly signed move out of turn, then the very same bytes
    /// again and again: the first is refused by the rules (its nonce used up), every
    /// copy by its stale nonce, and the honest game is unchanged.
    @Test func outOfTurnAndReplayedTransactionsAreRefused() throws {
        let dir = try makeTemporaryDirectory("replay")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "scenarios/honest.yaml"
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let setup = GameSetup(spec: try ScenarioLoader.load(path: file))
        let judge = try node(["--role", "judge", file, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", dir + "/endpoint",
                              "--result", dir + "/result.json", "--session", dir, "--ledger", dir + "/chain.sqlite"],
                             log: dir + "/judge.log")
        var waited = 0
        while !FileManager.default.fileExists(atPath: dir + "/endpoint"), waited < 400 { usleep(25_000); waited += 1 }
        let endpoint = try String(contentsOfFile: dir + "/endpoint", encoding: .utf8)
        let parties = try setup.roster.parties.map { entry in
            try node(["--role", entry.role.rawValue, file, "--name", entry.name, "--connect", endpoint, "--session", dir],
                     log: dir + "/\(entry.name).log")
        }
        let context = try ZMQContext()
        let thief = try ZMQClient(name: ZMQClient.randomConnectionName(), context: context)
        try thief.connect(endpoint: endpoint)
        let v1 = try #require(setup.roster.entry(named: "verifier-1"))
        let pick = SignedEnvelope(signing: GameMessage.pick(taskID: 1, dispute: 1, index: 0).encode(), domain: .transaction,
                                  chainID: setup.digest, party: v1.id, nonce: 5, key: setup.signingKey(for: v1.name)).encode()
        // Before the game starts such frames are ignored; keep sending until it has ended.
        var sent = 0
        while judge.isRunning, sent < 60 {
            try thief.send(to: "judge", WireFrame.game(pick).encode())
            sent += 1
            usleep(100_000)
        }
        let finished = wait([judge] + parties, seconds: 120)
        thief.close()
        let log = (try? String(contentsOfFile: dir + "/judge.log", encoding: .utf8)) ?? ""
        #expect(finished && judge.terminationStatus == 0, "\(log)")
        let result = try JSONDecoder().decode(RunResult.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json")))
        #expect(result.game.outcome.accepted && result.game.outcome.winner == setup.roster.solver.id)
        #expect(result.game.rejectedFrames >= 2)
        #expect(log.contains("rejected a frame from verifier-1: no active dispute 1") || log.contains("rejected a frame from verifier-1: pick out of turn"),
                "\(log)")
        #expect(log.contains("nonce 5 not above the last admitted 5"), "\(log)")
        #expect(processes(mentioning: dir).isEmpty, "role processes left behind")
        // The first copy was mined if it reached the open game: verifier-1 pays tx + calldata
        // + the game word and the dispute slot read before the revert; the replays pay
        // nothing. The ledger replays to the same charges.
        let reverted = result.game.timeline.filter { $0.kind == .reverted }
        let g = setup.spec.gas
        #expect(reverted.count <= 1)
        for e in reverted {
            #expect(e.party == v1.id && e.gas == g.txBase + g.calldata(GameMessage.pick(taskID: 1, dispute: 1, index: 0).encode()) + 2 * g.sloadCold)
        }
        let replay = try ChainReplay.run(try ChainLedger.open(path: dir + "/chain.sqlite", readOnly: true))
        #expect(replay.judge.ledger == result.game.timeline)
    }
}

/// Key files: `tbsim keygen`, a scenario listing the account, nodes started with `--key`.
@Suite(.serialized)
struct KeyFileTests {
    @Test func aPartyWithAKeyFilePlaysAndOnlyWithIt() throws {
        let dir = try makeTemporaryDirectory("keys")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gen = try runTBSim(["keygen", dir + "/v1.key"])
        #expect(gen.status == 0, "\(gen.stderr)")
        let account = gen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(account.count == 64)
        #expect(try runTBSim(["keygen", dir + "/v1.key"]).status != 0, "keygen overwrote a key")
        let file = dir + "/keyed.yaml"
        try """
        name: keyed
        seed: 1
        task: {program: \(packageRoot)/build/guests/sha256.elf, stdin: \(packageRoot)/guests/expected/sha256.in, max_steps: 10000000}
        game: {k: 4}
        verifiers: [{name: verifier-1}]
        accounts: {verifier-1: \(account)}
        """.write(toFile: file, atomically: true, encoding: .utf8)

        // tbsim scenario cannot sign for a listed account: it refuses before any work.
        let refused = try runTBSim(["scenario", file, "--in-process", "--quiet"])
        #expect(refused.status == 2 && refused.stderr.contains("--key"), "\(refused.stderr)")

        let judge = ImpersonationTests()
        let j = try judge.node(["--role", "judge", file, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", dir + "/endpoint",
                                "--result", dir + "/result.json", "--session", dir], log: dir + "/judge.log")
        var waited = 0
        while !FileManager.default.fileExists(atPath: dir + "/endpoint"), waited < 400 { usleep(25_000); waited += 1 }
        let endpoint = try String(contentsOfFile: dir + "/endpoint", encoding: .utf8)
        // Without its key file the verifier refuses to play.
        let keyless = try judge.node(["--role", "verifier", file, "--name", "verifier-1", "--connect", endpoint, "--session", dir],
                                     log: dir + "/keyless.log")
        #expect(judge.wait([keyless], seconds: 30) && keyless.terminationStatus == 1)
        #expect(((try? String(contentsOfFile: dir + "/keyless.log", encoding: .utf8)) ?? "").contains("--key"))
        let solver = try judge.node(["--role", "solver", file, "--connect", endpoint, "--session", dir], log: dir + "/solver.log")
        let verifier = try judge.node(["--role", "verifier", file, "--name", "verifier-1", "--connect", endpoint,
                                       "--key", dir + "/v1.key", "--session", dir], log: dir + "/verifier.log")
        let finished = judge.wait([j, solver, verifier], seconds: 120)
        let log = (try? String(contentsOfFile: dir + "/judge.log", encoding: .utf8)) ?? ""
        #expect(finished && j.terminationStatus == 0, "\(log)")
        let result = try JSONDecoder().decode(RunResult.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json")))
        #expect(result.game.outcome.accepted && result.game.rejectedFrames == 0 && result.parties.count == 2)
        #expect(processes(mentioning: dir).isEmpty, "role processes left behind")
    }
}
