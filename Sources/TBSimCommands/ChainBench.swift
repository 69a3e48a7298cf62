import Commitment
import Foundation
import Game
import Ledger
import Roles
import Scenario
import Transport

extension BenchCommand {
    /// What the chain costs: committing a record to the ledger, and how many frames a
    /// judge takes per second when flooded over ZeroMQ while a game is under way.
    func chainFigures() throws {
        print("== chain: ledger and judge under a flood")
        try ledgerFigures()
        try floodFigures()
    }

    /// One record per post_roots transaction (a 3-root move, one timeline entry, two
    /// balances): the judge's hash and signature, then the SQLite commit.
    private func ledgerFigures() throws {
        let dir = NSTemporaryDirectory() + "tbsim-bench-ledger-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let key = SigningKey.derived(scenarioSeed: 1, name: "judge")
        let party = SigningKey.derived(scenarioSeed: 1, name: "solver")
        let chain = Digest(w0: 1, w1: 2, w2: 3, w3: 4)
        let genesis = ChainGenesis(chainID: chain, judgeAccount: key.account, initialRoot: chain, scenario: Array("{}".utf8),
                                   tbsimVersion: TBSimVersion.current)
        let ledger = try ChainLedger.create(path: dir + "/bench.sqlite", genesis: genesis)
        defer { ledger.close() }
        var signer = Signer(party: PartyID(1), key: party, domain: .transaction, chainID: chain)
        let move = GameMessage.postRoots(taskID: 1, dispute: 1, roots: [chain, chain, chain]).encode()
        let n = 2_000
        var previous = genesis.hash
        var signing = 0.0, committing = 0.0
        for i in 1...n {
            let envelope = signer.sign(move)
            let t0 = monotonicSeconds()
            let record = ChainRecord(seq: UInt64(i), timeMs: UInt64(i) * 100, block: UInt64(i) / 10,
                                     input: .transaction(envelope: envelope), outcome: "accepted",
                                     entries: [TimelineEntry(block: UInt64(i) / 10, timeMs: UInt64(i) * 100, party: PartyID(1),
                                                             kind: .postRoots, gas: 90_000, bytes: envelope.count, dispute: 1, lo: 0, hi: 100)],
                                     balances: [BalanceRow(party: PartyID(1), balance: 1_000, escrow: 10),
                                                BalanceRow(party: PartyID(2), balance: 1_000, escrow: 10)],
                                     burned: 0, previousHash: previous).signed(by: key, chainID: chain)
            let t1 = monotonicSeconds()
            try ledger.append(record)
            let t2 = monotonicSeconds()
            signing += t1 - t0; committing += t2 - t1
            previous = record.hash
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/bench.sqlite")[.size] as? Int) ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: dir + "/bench.sqlite-wal")[.size] as? Int) ?? 0
        print(pad("ledger: hash + judge signature", 46) + String(format: "%10.1f µs per record", signing / Double(n) * 1e6))
        print(pad("ledger: SQLite commit (WAL, synchronous=NORMAL)", 46) + String(format: "%10.1f µs per record", committing / Double(n) * 1e6))
        print(pad("ledger: on disk (file + WAL)", 46) + String(format: "%10.0f bytes per record", Double(size + wal) / Double(n)))
        let t0 = monotonicSeconds()
        let back = try ledger.records()
        let t1 = monotonicSeconds()
        print(pad("ledger: read back (resume, replay)", 46) + String(format: "%10.1f µs per record  (%d records)", (t1 - t0) / Double(n) * 1e6, back.count))
    }

    /// A real judge loop on a real socket, every party joined (the game is under way),
    /// flooded from another thread by frames of three kinds: junk, transactions with a
    /// forged signature, and replays of a genuine transaction. Frames per second handled.
    private func floodFigures() throws {
        let spec = try ScenarioLoader.parse(yaml: "task:\n  program: \(guests)/hello.elf\ngame: {commit_timeout_blocks: 100000}\n",
                                            file: "bench.yaml", baseDirectory: FileManager.default.currentDirectoryPath)
        let setup = GameSetup(spec: spec)
        let context = try ZMQContext()
        let hub = try ZMQHub(name: GameSetup.judgeName, context: context)
        defer { hub.close() }
        let endpoint = try hub.bind(endpoint: "tcp://127.0.0.1:*")
        let clock = Stopwatch()
        let loop = try setup.judgeLoop(endpoint: hub, initialRoot: Digest(w0: 0, w1: 0, w2: 0, w3: 0), clock: { clock.milliseconds })
        // Every party says hello, so the judge posts the task and plays.
        var clients: [ZMQClient] = []
        for entry in setup.roster.parties {
            let c = try ZMQClient(name: ZMQClient.randomConnectionName(), context: context)
            try c.connect(endpoint: endpoint)
            var hello = Signer(party: entry.id, key: setup.signingKey(for: entry.name), domain: .hello, chainID: setup.digest)
            try c.send(to: GameSetup.judgeName, WireFrame.control(.hello(envelope: hello.sign(HelloPayload(name: entry.name, scenario: setup.digest).encode()))).encode())
            clients.append(c)
        }
        let started = Stopwatch()
        while loop.machine.ledger.isEmpty && started.seconds < 10 { _ = loop.pump(timeoutMilliseconds: 10) }
        let solver = setup.roster.solver
        var real = Signer(party: solver.id, key: setup.signingKey(for: solver.name), domain: .transaction, chainID: setup.digest)
        let genuine = real.sign(GameMessage.pick(taskID: 1, dispute: 1, index: 0).encode())
        _ = loop.pump(timeoutMilliseconds: 0)
        var forged = genuine
        forged[forged.count - 1] ^= 1
        let kinds: [(String, [UInt8])] = [("junk", (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
                                          ("forged signature", forged), ("replayed transaction", genuine)]
        for (name, frame) in kinds {
            let n = 20_000
            let flooder = try ZMQClient(name: ZMQClient.randomConnectionName(), context: context)
            try flooder.connect(endpoint: endpoint)
            let wire = name == "junk" ? frame : WireFrame.game(frame).encode()
            let before = loop.machine.rejectedFrames + loop.strayFrames
            let t0 = monotonicSeconds()
            let sender = Thread { for _ in 0..<n { try? flooder.send(to: GameSetup.judgeName, wire) } }
            sender.start()
            let limit = Stopwatch()
            while loop.machine.rejectedFrames + loop.strayFrames - before < n && limit.seconds < 60 {
                _ = loop.pump(timeoutMilliseconds: 10)
            }
            let handled = loop.machine.rejectedFrames + loop.strayFrames - before
            let dt = monotonicSeconds() - t0
            print(pad("judge under a flood: \(name)", 46) + String(format: "%10.0f frames/s  (%d frames in %.2f s)", Double(handled) / dt, handled, dt))
            flooder.close()
        }
        for c in clients { c.close() }
    }
}
