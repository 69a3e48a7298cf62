import Commitment
import Foundation
import Game
import Ledger
import Roles
import Scenario
import Transport

/// The network's chain as one process (`tbsim node --role judge NETWORK.yaml`): it binds
/// one endpoint, waits for every party of the population to join, then plays the network
/// (`NetworkRun.play`: the incentive layer, its draws and its money) and hosts every
/// task's game itself, each on its own channel of the one socket (`ChannelMux`), each
/// with its own ledger in `workDirectory/task-N/`. The parties are long-lived processes
/// (`NetworkPartyNode`), each acting for every task it is drawn for. The report is written
/// as JSON to `resultFile`.
public enum NetworkChain {
    /// How the chain waits for its parties.
    public struct Timing: Sendable {
        /// Longest wait for every party of the population to join the network.
        public var joinTimeoutMs: UInt64 = 600_000
        /// A party not heard from for this long (no join, no `alive`) is presumed gone: a
        /// task's game then begins without it and its timeouts decide.
        public var livenessMs: UInt64 = 15_000
        /// The defaults.
        public init() {}
    }

    /// Runs the chain; see the type. `expectedDigest` is the network's digest as the
    /// launcher read it (nil: not checked).
    /// `key` is the chain's key file (needed when the network lists the judge's account).
    public static func run(scenario: NetworkScenario, file: String, expectedDigest: Digest?, bind: String,
                           endpointFile: String?, resultFile: String, workDirectory: String, key: SigningKey? = nil,
                           timing: Timing = Timing(), tbsimVersion: String, log: @escaping (String) -> Void) throws {
        let accounts = NetworkAccounts(scenario, ownKeys: key.map { [GameSetup.judgeName: $0] } ?? [:])
        try accounts.requireKey(for: GameSetup.judgeName)
        if let expectedDigest, expectedDigest != accounts.chainID {
            throw RoleError("network \(file) differs from the one the launcher read (digest \(accounts.chainID), expected \(expectedDigest)); was it edited during the run?")
        }
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let context = try ZMQContext()
        let hub = try ZMQHub(name: GameSetup.judgeName, context: context)
        defer { hub.close() }
        let endpoint = try hub.bind(endpoint: bind)
        log("chain listening on \(endpoint) for \(accounts.names.count) parties")
        if let endpointFile, !RoleProcess.writeWhole(Data(endpoint.utf8), to: endpointFile) {
            throw RoleError("cannot write \(endpointFile)")
        }
        let mux = ChannelMux(hub)
        let wall = Stopwatch()
        let lobby = NetworkLobby(endpoint: mux.open(ChannelMux.network), accounts: accounts,
                                 clock: { wall.milliseconds }, livenessMs: timing.livenessMs, log: log)
        let parent = getppid()
        while lobby.joinedCount < accounts.names.count {
            if getppid() != parent { throw RoleError("the launcher went away") }
            if wall.milliseconds > timing.joinTimeoutMs {
                throw RoleError("parties \(lobby.notJoined.joined(separator: ", ")) did not join the network within \(timing.joinTimeoutMs / 1000) s")
            }
            _ = lobby.pump(timeoutMilliseconds: 50)
        }
        log("every party joined")
        let table = HostedTable(accounts: accounts, mux: mux, lobby: lobby, workDirectory: workDirectory,
                                blockMs: scenario.game.blockIntervalMs, tbsimVersion: tbsimVersion, parent: parent, log: log)
        let report = try NetworkRun.play(scenario, file: file, generator: "tbsim \(tbsimVersion)", mode: .processes,
                                         table: table, progress: { log("progress: " + $0) })
        lobby.finish()
        // Let the last messages leave before the socket closes.
        usleep(300_000)
        guard RoleProcess.writeWhole(try report.jsonData(), to: resultFile) else {
            throw RoleError("cannot write result file \(resultFile)")
        }
    }
}

/// Every task's game inside the chain process, all at once: each on its own channel of
/// the one socket, with its own judge loop, clock and ledger, its parties told by the
/// lobby. `run(through:)` drives every open game until none can still settle by the
/// network block asked for: a game whose own clock has passed that block (counted from
/// its posting) can only settle later.
final class HostedTable: GameTable {
    let accounts: NetworkAccounts
    let mux: ChannelMux
    let lobby: NetworkLobby
    let workDirectory: String
    let blockMs: UInt64
    let tbsimVersion: String
    let parent: pid_t
    let log: (String) -> Void

    /// A game being played.
    struct Hosted {
        let task: Int
        let arrival: UInt64
        let loop: JudgeLoop
        let ledger: ChainJournal
    }
    private var games: [Hosted] = []

    init(accounts: NetworkAccounts, mux: ChannelMux, lobby: NetworkLobby, workDirectory: String, blockMs: UInt64,
         tbsimVersion: String, parent: pid_t, log: @escaping (String) -> Void) {
        self.accounts = accounts; self.mux = mux; self.lobby = lobby; self.workDirectory = workDirectory
        self.blockMs = max(1, blockMs); self.tbsimVersion = tbsimVersion; self.parent = parent; self.log = log
    }

    func start(_ drawn: ScenarioSpec, task: Int, arrival: UInt64) throws {
        let game = accounts.posted(drawn)
        let dir = workDirectory + "/task-\(task)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/scenario.yaml"
        let yaml = game.yaml
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
        // Play what the parties will read.
        let spec = try ScenarioLoader.parse(yaml: yaml, file: file, baseDirectory: "")
        let setup = accounts.setup(spec)
        let initialRoot = try spec.task.initialRoot()
        let ledgerPath = dir + "/ledger.sqlite"
        ChainLedger.removeFiles(at: ledgerPath)
        let ledger = try setup.openLedger(path: ledgerPath, initialRoot: initialRoot, tbsimVersion: tbsimVersion)
        let clock = RunningClock()
        let log = self.log
        clock.onGap = { ms in log("task \(task): this process did not run for \(ms) ms (stopped or starved); the chain clock did not count it") }
        let loop = try setup.judgeLoop(endpoint: mux.open(UInt32(task)), initialRoot: initialRoot, clock: { clock.milliseconds },
                                       journal: ledger.journal, log: { log("task \(task): " + $0) })
        for p in setup.roster.parties { lobby.announce(task: UInt32(task), scenario: yaml, to: p.name) }
        games.append(Hosted(task: task, arrival: arrival, loop: loop, ledger: ledger.journal))
    }

    /// Whether `g` may still settle in a network block up to `block`.
    private func mayStillSettle(_ g: Hosted, by block: UInt64) -> Bool {
        if g.loop.isDone { return false }
        if let settled = g.loop.settledBlock {
            // Settled: wait for its metrics only if it counts by `block`.
            return g.arrival &+ settled <= block
        }
        guard block != .max else { return true }
        guard block >= g.arrival else { return false }
        // Not yet posted (its parties are computing their runs), or its clock has not yet
        // passed the block: it may.
        guard let t = g.loop.chainTimeMs else { return true }
        return t / blockMs <= block - g.arrival
    }

    func run(through block: UInt64) throws -> [Int: RunResult] {
        while games.contains(where: { mayStillSettle($0, by: block) }) {
            if getppid() != parent { throw RoleError("the launcher went away") }
            lobby.drain()
            var wait: UInt64 = 50
            for g in games where !g.loop.isDone {
                // A drawn party whose process is gone will never join: the game goes on
                // without it, as a real chain's would.
                if g.loop.isWaitingForParties, !g.loop.missing.isEmpty, g.loop.missing.allSatisfy(lobby.isGone) {
                    g.loop.beginWithoutMissing()
                }
                var handled = 0
                while handled < 1_000, g.loop.pump(timeoutMilliseconds: 0) { handled += 1 }
                if let failure = g.loop.failure { throw RoleError("task \(g.task): \(failure)") }
            }
            // Each loop's wake-ups are on its own clock, so none is converted: while any
            // loop has one coming, every loop is looked at again within 10 ms.
            for g in games where !g.loop.isDone {
                if g.loop.nextWakeup != nil { wait = min(wait, 10) }
            }
            _ = try mux.wait(timeoutMilliseconds: Int(wait))
        }
        var finished: [Int: RunResult] = [:]
        games.removeAll { g in
            guard g.loop.isDone else { return false }
            mux.close(UInt32(g.task))
            g.ledger.ledger.close()
            finished[g.task] = g.loop.result()
            return true
        }
        return finished
    }
}

/// The network's own channel on the chain's side: who joined (by a hello signed for the
/// network's chain id, binding the connection it came on), who is still alive, and the
/// messages that tell parties about tasks and the end.
final class NetworkLobby {
    private let endpoint: ChannelEndpoint
    private let accounts: NetworkAccounts
    private var hellos: SignedInbox
    private let clock: () -> UInt64
    private let livenessMs: UInt64
    private let log: (String) -> Void
    private var connection: [String: String] = [:]
    private var account: [String: String] = [:]
    private var lastHeard: [String: UInt64] = [:]
    /// Frames that were not the protocol's.
    private(set) var strayFrames = 0

    init(endpoint: ChannelEndpoint, accounts: NetworkAccounts, clock: @escaping () -> UInt64, livenessMs: UInt64,
         log: @escaping (String) -> Void) {
        self.endpoint = endpoint; self.accounts = accounts; self.clock = clock; self.livenessMs = livenessMs; self.log = log
        hellos = SignedInbox(book: AccountBook(chainID: accounts.chainID, keys: accounts.book.keys.filter { $0.key != .judge }),
                             domain: .hello)
    }

    var joinedCount: Int { connection.count }
    var notJoined: [String] { accounts.names.filter { connection[$0] == nil } }

    /// Whether `name` is presumed gone: never joined, or silent for longer than the liveness limit.
    func isGone(_ name: String) -> Bool {
        guard connection[name] != nil, let heard = lastHeard[name] else { return true }
        return clock() &- heard > livenessMs
    }

    /// Handles at most one frame, waiting up to `timeoutMilliseconds`.
    func pump(timeoutMilliseconds: Int) -> Bool {
        guard let e = try? endpoint.receive(timeoutMilliseconds: timeoutMilliseconds) else { return false }
        handle(e)
        return true
    }

    /// Handles every frame already there (a bounded number).
    func drain() {
        var n = 0
        while n < 1_000, pump(timeoutMilliseconds: 0) { n += 1 }
    }

    private func handle(_ e: Envelope) {
        switch WireFrame.decode(e.payload) {
        case let .control(.hello(envelope))?:
            guard case let .success(a) = hellos.admit(envelope), let h = HelloPayload.decode(a.payload),
                  accounts.id(of: h.name) == a.party, h.scenario == accounts.chainID else {
                strayFrames += 1
                return
            }
            if let previous = connection[h.name], previous != e.from { account[previous] = nil }
            if connection[h.name] == nil { log("\(h.name) joined the network") }
            connection[h.name] = e.from
            account[e.from] = h.name
            lastHeard[h.name] = clock()
            send(.welcome(incarnation: 1, lastTransactionNonce: 0), to: e.from)
        case .control(.alive)?:
            guard let name = account[e.from] else { strayFrames += 1; return }
            lastHeard[name] = clock()
        default:
            strayFrames += 1
        }
    }

    /// Tells `name` it plays task `task`, whose game is `scenario`.
    func announce(task: UInt32, scenario: String, to name: String) {
        guard let c = connection[name] else { return }
        send(.task(number: task, scenario: scenario), to: c)
    }

    /// Tells every party the network is over.
    func finish() {
        for c in connection.values.sorted() { send(.networkDone, to: c) }
    }

    private func send(_ m: ControlMessage, to conn: String) {
        do { try endpoint.send(to: conn, WireFrame.control(m).encode()) } catch {
            log("send to \(conn) failed: \(error)")
        }
    }
}
