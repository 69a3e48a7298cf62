import Commitment
import Foundation
import Game
import Scenario
import Transport

/// A role as an OS process over ZeroMQ (`tbsim node`): the same node loops as in
/// memory, driven by the host clock on a real socket.
public enum RoleProcess {
    /// How long a party waits in silence before it concludes the judge is gone: `first`
    /// until the judge first speaks (it waits for every party to join), `then` after
    /// each message (`GameSetup.lastPossibleDeadlineMs`).
    public struct SilenceLimit {
        public var first: UInt64
        public var then: UInt64
        /// Limits in ms.
        public init(first: UInt64, then: UInt64) { self.first = first; self.then = then }

        /// A party's limits in the game `setup`: the judge may first wait for every party
        /// to join (they compute their runs), then the game's last possible deadline.
        public init(party setup: GameSetup) {
            let bound = setup.lastPossibleDeadlineMs
            self.init(first: bound.saturatingAdd(JudgeLoop.Timing().joinTimeoutMs), then: bound)
        }
    }

    /// Runs `loop` until it is done, waiting on its socket at most until its next
    /// wake-up. Throws if the process that started this one goes away, or if nothing
    /// arrives for longer than `silence` allows. `each` runs once per turn of the loop.
    public static func drive(_ loop: any NodeLoop, clock: () -> UInt64, silence: SilenceLimit? = nil,
                             each: () -> Void = {}) throws {
        let parent = getppid()
        var lastHeard = clock()
        var heard = false
        while !loop.isDone {
            if getppid() != parent { throw RoleError("the launcher went away") }
            each()
            let now = clock()
            if let silence {
                let limit = heard ? silence.then : silence.first
                if now &- lastHeard > limit {
                    throw RoleError("lost the judge: nothing heard for \((now &- lastHeard) / 1000) s, past the game's last possible deadline; giving up")
                }
            }
            var wait: UInt64 = 50
            if let w = loop.nextWakeup { wait = min(wait, w > now ? w - now : 0) }
            if loop.pump(timeoutMilliseconds: Int(wait)) {
                lastHeard = clock()
                heard = true
            }
        }
    }

    /// Refuses to play with a key that is not the account the chain knows for `name`
    /// (a scenario listing the key under `accounts:` needs the key file).
    static func checkKey(_ setup: GameSetup, name: String, id: PartyID) throws {
        guard setup.accounts.keys[id] == setup.signingKey(for: name).account else {
            throw RoleError("the key of \(name) is not the account the scenario lists for it (\(setup.accounts.keys[id]?.hex ?? "none")); pass its key file with --key")
        }
    }

    /// Checks that the scenario this process loaded is the one the launcher resolved.
    static func check(_ setup: GameSetup, expected: Digest?, file: String) throws {
        if let expected, expected != setup.digest {
            throw RoleError("scenario \(file) differs from the one the launcher read (digest \(setup.digest), expected \(expected)); was it edited during the run?")
        }
    }

    /// How long a party waits in silence before it says hello again (a restarted judge
    /// learns its connection that way).
    public static let resyncMs: UInt64 = 1_000

    /// The judge: binds, writes the bound endpoint to `endpointFile` (atomically), creates
    /// `startedFile` once every party has joined, plays the game and writes the
    /// `RunResult` as JSON to `resultFile`.
    /// `key` replaces the judge's seed-derived key (a key file). With `ledgerPath`, every
    /// change of the chain is committed there first; a ledger that already holds this
    /// chain is replayed and the game resumes from it.
    /// The chain runs on a `RunningClock`: time this process was stopped is not chain time.
    public static func judge(spec: ScenarioSpec, file: String, expectedDigest: Digest?, bind: String,
                             endpointFile: String?, resultFile: String, startedFile: String? = nil,
                             key: SigningKey? = nil, ledgerPath: String? = nil, tbsimVersion: String = "",
                             statusFile: String? = nil, log: @escaping (String) -> Void) throws {
        var setup = GameSetup(spec: spec)
        if let key { setup.keys[GameSetup.judgeName] = key }
        try checkKey(setup, name: GameSetup.judgeName, id: .judge)
        try check(setup, expected: expectedDigest, file: file)
        let context = try ZMQContext()
        let hub = try ZMQHub(name: GameSetup.judgeName, context: context)
        defer { hub.close() }
        let endpoint = try hub.bind(endpoint: bind)
        log("judge listening on \(endpoint)")
        if let endpointFile, !writeWhole(Data(endpoint.utf8), to: endpointFile) {
            throw RoleError("cannot write \(endpointFile)")
        }
        // The task giver's part: the initial state root everyone agrees on by construction.
        let initialRoot = try spec.task.initialRoot()
        let ledger = try ledgerPath.map { try setup.openLedger(path: $0, initialRoot: initialRoot, tbsimVersion: tbsimVersion) }
        defer { ledger?.journal.ledger.close() }
        let clock = RunningClock()
        clock.onGap = { ms in log("judge: this process did not run for \(ms) ms (stopped or starved); the chain clock did not count it") }
        let loop = try setup.judgeLoop(endpoint: hub, initialRoot: initialRoot, clock: { clock.milliseconds },
                                       journal: ledger?.journal, resumed: ledger?.resumed, helloNonces: ledger?.helloNonces ?? [:],
                                       log: log)
        if let startedFile {
            loop.onGameStart = { _ = FileManager.default.createFile(atPath: startedFile, contents: Data()) }
        }
        if let statusFile {
            // The latest progress line, replaced atomically when it changed, at most four
            // times a second.
            var written = -1.0, last = ""
            let wall = Stopwatch()
            loop.onStatus = { line in
                guard line != last, wall.seconds - written >= 0.25 else { return }
                written = wall.seconds
                last = line
                _ = writeWhole(Data(line.utf8), to: statusFile)
            }
        }
        try drive(loop, clock: { clock.milliseconds })
        if let failure = loop.failure { throw failure }
        let data = try JSONEncoder().encode(loop.result())
        // Whole or not at all: the launcher may find it after this process is killed.
        guard writeWhole(data, to: resultFile) else { throw RoleError("cannot write result file \(resultFile)") }
    }

    /// Writes `data` to `path` whole or not at all (a temporary file renamed into place), so
    /// the launcher, reading while this process runs or after it was killed, never sees part
    /// of it. Returns whether it worked.
    public static func writeWhole(_ data: Data, to path: String) -> Bool {
        let tmp = path + ".tmp"
        return FileManager.default.createFile(atPath: tmp, contents: data) && rename(tmp, path) == 0
    }

    /// A solver or verifier: computes its own run first, then connects to the judge at
    /// `connect` and plays until the judge sends it home.
    /// `key` replaces the party's seed-derived key (a key file).
    public static func party(spec: ScenarioSpec, file: String, expectedDigest: Digest?, name: String, connect: String,
                             key: SigningKey? = nil, log: @escaping (String) -> Void) throws {
        var setup = GameSetup(spec: spec)
        if let key { setup.keys[name] = key }
        try check(setup, expected: expectedDigest, file: file)
        guard let entry = setup.roster.entry(named: name) else {
            throw RoleError("no party named \(name) in the scenario (parties: \(setup.roster.parties.map(\.name).joined(separator: ", ")))")
        }
        try checkKey(setup, name: name, id: entry.id)
        let wall = Stopwatch()
        let parent = getppid()
        let oracle = try setup.oracle(for: entry) { steps in
            log("\(name): \(steps) steps")
            // A long run must not outlive the launcher.
            if getppid() != parent { log("\(name): the launcher went away"); exit(1) }
        }
        let claim = try oracle.finalClaim()
        log("\(name): run ends after \(claim.steps) steps, root \(claim.root.hex)")
        let context = try ZMQContext()
        // The routing id is a random connection name, not the party's: who the party is,
        // its signed hello proves.
        let client = try ZMQClient(name: ZMQClient.randomConnectionName(), hubName: GameSetup.judgeName, context: context)
        defer { client.close() }
        try client.connect(endpoint: connect)
        let clock = Stopwatch()
        let loop = try setup.partyLoop(entry, endpoint: client, oracle: oracle, clock: { clock.milliseconds },
                                       wallClock: { wall.seconds }, resyncMs: resyncMs, log: log)
        try loop.start()
        // A party that loses the judge (killed, cut off) gives up once the game could no
        // longer need it, instead of waiting forever.
        try drive(loop, clock: { clock.milliseconds }, silence: SilenceLimit(party: setup))
    }
}
