import Commitment
import Foundation
import Game
import Roles
import Scenario
import Transport

/// A solver or verifier of a network as one long-lived process (`tbsim node --role
/// solver|verifier NETWORK.yaml --name N --connect ENDPOINT`): it joins the network's
/// chain with a hello signed by its network key, then plays every task the chain draws
/// it for — several at once when their games overlap — each on its own channel of the
/// one connection: it reads the task's game from the announcement, computes its own run
/// (its other games wait meanwhile), and plays the game as a single game's party does
/// (`PartyLoop`). It says `alive` about once a second, even while computing, and leaves
/// when the chain says the network is over.
///
/// Nothing in an announcement is trusted beyond what a single game's scenario file is:
/// the game is signed for by the chain's key in every notification, and a party that
/// the announced game does not name ignores it.
public enum NetworkPartyNode {
    /// Runs party `name`; see the type. `silenceLimitMs`: how long the chain may say
    /// nothing at all before the party concludes it is gone.
    /// `key` is the party's key file (needed when the network lists its account).
    public static func run(scenario: NetworkScenario, file: String, expectedDigest: Digest?, name: String, connect: String,
                           key: SigningKey? = nil, silenceLimitMs: UInt64 = 3_600_000, log: @escaping (String) -> Void) throws {
        let accounts = NetworkAccounts(scenario, ownKeys: key.map { [name: $0] } ?? [:])
        if let expectedDigest, expectedDigest != accounts.chainID {
            throw RoleError("network \(file) differs from the one the launcher read (digest \(accounts.chainID), expected \(expectedDigest)); was it edited during the run?")
        }
        guard let id = accounts.id(of: name) else {
            throw RoleError("no party named \(name) in the network (parties: \(accounts.names.joined(separator: ", ")))")
        }
        try accounts.requireKey(for: name)
        let context = try ZMQContext()
        // The routing id is a random connection name: who the party is, its signed hello proves.
        let client = try ZMQClient(name: ZMQClient.randomConnectionName(), hubName: GameSetup.judgeName, context: context)
        defer { client.close() }
        try client.connect(endpoint: connect)
        let mux = ChannelMux(client)
        let lobby = mux.open(ChannelMux.network)
        let clock = Stopwatch()
        var hello = Signer(party: id, key: accounts.key(for: name), domain: .hello, chainID: accounts.chainID)
        var joined = false
        var lastHello: UInt64 = 0, lastAlive: UInt64 = 0, lastHeard: UInt64 = 0
        let parent = getppid()
        func control(_ m: ControlMessage) {
            do { try lobby.send(to: GameSetup.judgeName, WireFrame.control(m).encode()) } catch {
                log("\(name): send failed: \(error)")
            }
        }
        func sayHello() {
            lastHello = clock.milliseconds
            control(.hello(envelope: hello.sign(HelloPayload(name: name, scenario: accounts.chainID).encode())))
        }
        // About once a second, whatever the party is doing.
        func heartbeat() {
            let now = clock.milliseconds
            guard joined, now &- lastAlive >= 1_000 else { return }
            lastAlive = now
            control(.alive)
        }
        sayHello()
        var games: [UInt32: Game] = [:]
        var computing: [UInt32: Run] = [:]
        while true {
            if getppid() != parent { throw RoleError("the launcher went away") }
            let now = clock.milliseconds
            if !joined, now &- lastHello >= RoleProcess.resyncMs { sayHello() }
            if games.isEmpty, computing.isEmpty, now &- lastHeard > silenceLimitMs {
                throw RoleError("lost the chain: nothing heard for \((now &- lastHeard) / 1000) s; giving up")
            }
            heartbeat()
            // Runs that are done: their games begin (the hello goes out).
            for (task, run) in computing {
                guard let outcome = run.outcome else { continue }
                computing[task] = nil
                do {
                    games[task] = try outcome.get().begin(name: name, log: log)
                    games[task]?.heard = clock.milliseconds
                } catch {
                    // The game goes on without this party; its timeouts decide.
                    log("\(name): task \(task) could not be played: \(error)")
                    mux.close(task)
                }
            }
            // Every game this party plays, as far as its frames and its clock go.
            for (task, g) in games {
                var handled = false
                while g.loop.pump(timeoutMilliseconds: 0) { handled = true }
                if handled { g.heard = clock.milliseconds; lastHeard = g.heard }
                let limit = g.everHeard ? g.silence.then : g.silence.first
                if g.loop.isDone || clock.milliseconds &- g.heard > limit {
                    if !g.loop.isDone { log("\(name): task \(task): lost the judge: nothing heard past the game's last possible deadline; leaving it") }
                    mux.close(task)
                    games[task] = nil
                } else if handled {
                    g.everHeard = true
                }
            }
            guard let e = try lobby.receive(timeoutMilliseconds: games.isEmpty && computing.isEmpty ? 100 : 5) else { continue }
            guard e.from == GameSetup.judgeName else { continue }
            lastHeard = clock.milliseconds
            switch WireFrame.decode(e.payload) {
            case .control(.welcome)?:
                if !joined { log("\(name): joined the network") }
                joined = true
            case let .control(.task(number, yaml))?:
                guard games[number] == nil, computing[number] == nil else { continue }
                do {
                    computing[number] = try Run(task: number, yaml: yaml, name: name, accounts: accounts, mux: mux, parent: parent)
                } catch {
                    // The game goes on without this party; its timeouts decide.
                    log("\(name): task \(number) could not be played: \(error)")
                    mux.close(number)
                }
                lastHeard = clock.milliseconds
            case .control(.networkDone)?:
                log("\(name): the network is over")
                return
            default:
                break
            }
        }
    }

    /// A game this party plays: its loop, and when it last heard from the judge (on the
    /// node's clock).
    final class Game {
        let loop: PartyLoop
        let silence: RoleProcess.SilenceLimit
        var heard: UInt64
        var everHeard = false
        init(loop: PartyLoop, silence: RoleProcess.SilenceLimit, heard: UInt64) {
            self.loop = loop; self.silence = silence; self.heard = heard
        }
    }

    /// A task this party was drawn for, its own run computed on a thread of its own; then
    /// its game begins.
    final class Run: @unchecked Sendable {
        let task: UInt32
        let setup: GameSetup
        let entry: Roster.Entry
        let channel: ChannelEndpoint
        let wall = Stopwatch()
        private let lock = NSLock()
        private var result: Result<Started, Error>?

        /// What the thread hands over: the run and the claim it ends in.
        struct Started {
            let run: Run
            let oracle: MachineOracle
            let claim: Claim

            /// The game's loop, its hello sent.
            func begin(name: String, log: @escaping (String) -> Void) throws -> Game {
                let r = run
                log("\(name): task \(r.task): run ends after \(claim.steps) steps, root \(claim.root.hex)")
                let clock = Stopwatch(), wall = r.wall, task = r.task
                let loop = try r.setup.partyLoop(r.entry, endpoint: r.channel, oracle: oracle, clock: { clock.milliseconds },
                                                 wallClock: { wall.seconds }, resyncMs: RoleProcess.resyncMs,
                                                 log: { log("task \(task): " + $0) })
                try loop.start()
                return Game(loop: loop, silence: RoleProcess.SilenceLimit(party: r.setup), heard: 0)
            }
        }

        /// Reads task `task`'s game `yaml`, opens its channel (its frames wait there) and
        /// starts this party's run. Throws when the game does not parse or does not name
        /// this party.
        init(task: UInt32, yaml: String, name: String, accounts: NetworkAccounts, mux: ChannelMux, parent: pid_t) throws {
            let spec = try ScenarioLoader.parse(yaml: yaml, file: "task \(task)", baseDirectory: "")
            setup = accounts.setup(spec)
            guard let entry = setup.roster.entry(named: name) else {
                throw RoleError("task \(task) does not name \(name)")
            }
            self.task = task
            self.entry = entry
            channel = mux.open(task)
            let thread = Thread { [self] in
                let r = Result { () throws -> Started in
                    // Nothing here touches the connection: only the main thread does.
                    let oracle = try self.setup.oracle(for: self.entry) { _ in
                        // A long run must not outlive the launcher.
                        if getppid() != parent { exit(1) }
                    }
                    return Started(run: self, oracle: oracle, claim: try oracle.finalClaim())
                }
                self.lock.lock(); self.result = r; self.lock.unlock()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }

        /// The run's outcome, once the thread is done.
        var outcome: Result<Started, Error>? { lock.lock(); defer { lock.unlock() }; return result }
    }
}
