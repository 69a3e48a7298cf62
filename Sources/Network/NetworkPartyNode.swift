import Commitment
import Foundation
import Game
import Roles
import Scenario
import Transport

/// A solver or verifier of a network as one long-lived process (`tbsim node --role
/// solver|verifier NETWORK.yaml --name N --connect ENDPOINT`): it joins the network's
/// chain with a hello signed by its network key, then plays every task the chain draws
/// it for, one after another, each on its own channel of the one connection: it reads
/// the task's game from the announcement, computes its own run, and plays the game as a
/// single game's party does (`PartyLoop`). It says `alive` about once a second, even
/// while computing, and leaves when the chain says the network is over.
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
        while true {
            if getppid() != parent { throw RoleError("the launcher went away") }
            let now = clock.milliseconds
            if !joined, now &- lastHello >= RoleProcess.resyncMs { sayHello() }
            if now &- lastHeard > silenceLimitMs {
                throw RoleError("lost the chain: nothing heard for \((now &- lastHeard) / 1000) s; giving up")
            }
            heartbeat()
            guard let e = try lobby.receive(timeoutMilliseconds: 100) else { continue }
            guard e.from == GameSetup.judgeName else { continue }
            lastHeard = clock.milliseconds
            switch WireFrame.decode(e.payload) {
            case .control(.welcome)?:
                if !joined { log("\(name): joined the network") }
                joined = true
            case let .control(.task(number, yaml))?:
                do {
                    try play(task: number, yaml: yaml, name: name, accounts: accounts, mux: mux, parent: parent,
                             heartbeat: heartbeat, log: log)
                } catch let e as RoleError {
                    throw e
                } catch {
                    // The game goes on without this party; its timeouts decide.
                    log("\(name): task \(number) could not be played: \(error)")
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

    /// Plays task `task`'s game `yaml` on its channel until the chain sends this party home.
    static func play(task: UInt32, yaml: String, name: String, accounts: NetworkAccounts, mux: ChannelMux, parent: pid_t,
                     heartbeat: @escaping () -> Void, log: @escaping (String) -> Void) throws {
        let spec = try ScenarioLoader.parse(yaml: yaml, file: "task \(task)", baseDirectory: "")
        let setup = accounts.setup(spec)
        guard let entry = setup.roster.entry(named: name) else {
            return log("\(name): task \(task) does not name this party; ignored")
        }
        let channel = mux.open(task)
        defer { channel.close() }
        let wall = Stopwatch()
        let oracle = try setup.oracle(for: entry) { _ in
            heartbeat()
            // A long run must not outlive the launcher.
            if getppid() != parent { log("\(name): the launcher went away"); exit(1) }
        }
        let claim = try oracle.finalClaim()
        log("\(name): task \(task): run ends after \(claim.steps) steps, root \(claim.root.hex)")
        let clock = Stopwatch()
        let loop = try setup.partyLoop(entry, endpoint: channel, oracle: oracle, clock: { clock.milliseconds },
                                       wallClock: { wall.seconds }, resyncMs: RoleProcess.resyncMs,
                                       log: { log("task \(task): " + $0) })
        try loop.start()
        // As a single game's party: the judge may wait for the other parties' runs first.
        let bound = setup.lastPossibleDeadlineMs
        let join = JudgeLoop.Timing().joinTimeoutMs
        let silence = RoleProcess.SilenceLimit(first: bound > UInt64.max - join ? .max : join + bound, then: bound)
        try RoleProcess.drive(loop, clock: { clock.milliseconds }, silence: silence,
                              each: heartbeat)
    }
}
