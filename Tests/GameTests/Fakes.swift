import Commitment
@testable import Game
import Report
import Roles
import Scenario
import TestSupport
import Transport

// A toy machine for testing the game without the real RISC-V machine or keccak tree.
//
// A state is (seed, branch, step, haltStep) and its "root" spells these out in the four
// lanes of a Digest: w0 = seed, w1 = branch, w2 = step, w3 = haltStep. Branch 0 is the
// true execution; branch b > 0 is an execution that went wrong at step b − 1 (the
// transition b − 1 → b was corrupted) and then ran correctly from the wrong state, halting
// at its own haltStep. A state halts when step == haltStep; stepping a halted state is the
// identity.
//
// Step proofs are 74 bytes (+ optional padding): "P", step (u64 BE), pre root, post root,
// halted flag. `FakeChecker` validates one statelessly: pre and post must be well-formed
// roots of the world's seed, pre.step must equal the proof's step, and post must be the
// successor of pre (same branch, step + 1, or pre itself when pre is halted), with the flag
// telling the truth. So a corrupted step (branch 0 → branch b) never verifies, while later
// steps of a wrong branch do — exactly like a real machine that computes correctly from a
// wrong state. Output openings are "O" + root; the output hash is a fixed function of
// the root (`FakeWorld.outputHash`).

struct FakeWorld {
    var seed: UInt64
    /// Halt step of the true execution.
    var haltStep: UInt64

    func root(branch: UInt64, step: UInt64, halt: UInt64) -> Digest {
        Digest(w0: seed, w1: branch, w2: min(step, halt), w3: halt)
    }

    static func outputHash(of root: Digest) -> Digest {
        Digest(w0: 0x7777_0000_7777_0000 ^ root.w3, w1: root.w2 &* 31, w2: root.w1 ^ 0x5555, w3: root.w0 &+ 7)
    }

    var initialRoot: Digest { root(branch: 0, step: 0, halt: haltStep) }

    var task: PostedTask { PostedTask(id: 7, initialRoot: initialRoot, stepLimit: 1 << 40) }

    var trueClaim: Claim {
        let r = root(branch: 0, step: haltStep, halt: haltStep)
        return Claim(root: r, steps: haltStep, outputHash: FakeWorld.outputHash(of: r))
    }
}

/// One party's execution in the toy world: the true one, or one corrupted at step
/// `corruptAt` (the transition corruptAt → corruptAt + 1 goes wrong) that then halts at
/// `faultyHalt`.
final class FakeOracle: TraceOracle {
    let world: FakeWorld
    let corruptAt: UInt64?
    let faultyHalt: UInt64
    let proofPadding: Int

    init(world: FakeWorld, corruptAt: UInt64? = nil, faultyHalt: UInt64? = nil, proofPadding: Int = 0) {
        self.world = world; self.corruptAt = corruptAt
        self.faultyHalt = faultyHalt ?? world.haltStep
        self.proofPadding = proofPadding
        if let c = corruptAt { precondition(c < world.haltStep && c < self.faultyHalt) }
    }

    var haltStep: UInt64 { corruptAt == nil ? world.haltStep : faultyHalt }

    func rootAt(_ s: UInt64) -> Digest {
        if let c = corruptAt, s > c { return world.root(branch: c + 1, step: s, halt: faultyHalt) }
        return world.root(branch: 0, step: s, halt: world.haltStep)
    }

    func finalClaim() throws -> Claim {
        let r = rootAt(haltStep)
        return Claim(root: r, steps: haltStep, outputHash: FakeWorld.outputHash(of: r))
    }

    func root(atStep s: UInt64) throws -> Digest { rootAt(s) }

    func stepProof(atStep s: UInt64) throws -> [UInt8] {
        FakeProof.encode(step: s, pre: rootAt(s), post: rootAt(s + 1), halted: s >= haltStep, padding: proofPadding)
    }

    func outputOpening() throws -> [UInt8] { [0x4F] + rootAt(haltStep).bytes }
}

enum FakeProof {
    static func encode(step: UInt64, pre: Digest, post: Digest, halted: Bool, padding: Int = 0) -> [UInt8] {
        var out: [UInt8] = [0x50]
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: step >> UInt64(s))) }
        out += pre.bytes + post.bytes + [halted ? 1 : 0]
        out += [UInt8](repeating: 0xAA, count: padding)
        return out
    }
}

/// The judge's stateless checker for the toy world (see the comment at the top).
struct FakeChecker: ProofChecker {
    let seed: UInt64
    var workUnits = 10

    func checkStep(_ proof: [UInt8]) -> StepCheck {
        guard proof.count >= 74, proof[0] == 0x50 else { return .invalid("not a fake step proof") }
        let step = proof[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let pre = Digest(bytes: proof[9..<41]), post = Digest(bytes: proof[41..<73])
        let flag = proof[73]
        guard flag <= 1 else { return .invalid("bad halted flag") }
        guard pre.w0 == seed, post.w0 == seed else { return .invalid("root from another world") }
        guard pre.w2 <= pre.w3, post.w2 <= post.w3 else { return .invalid("malformed root") }
        guard pre.w2 == min(step, pre.w3) else { return .invalid("pre-state is not at step \(step)") }
        let halted = pre.w2 == pre.w3
        guard (flag == 1) == halted else { return .invalid("halted flag lies") }
        let expected = halted ? pre : Digest(w0: pre.w0, w1: pre.w1, w2: pre.w2 + 1, w3: pre.w3)
        guard post == expected else { return .invalid("post-state is not the successor of pre") }
        // The toy state's step lane stops at the halt, like the machine's step counter.
        return .valid(pre: pre, post: post, preHalted: halted, stepCount: pre.w2, workUnits: workUnits)
    }

    func checkOutput(_ opening: [UInt8], root: Digest) -> Result<Digest, CheckError> {
        guard opening.count == 33, opening[0] == 0x4F else { return .failure(CheckError("not a fake output opening")) }
        let r = Digest(bytes: opening[1...])
        guard r == root else { return .failure(CheckError("opening is for another root")) }
        return .success(FakeWorld.outputHash(of: r))
    }
}

/// Party numbers of the toy games, from the one roster rule: solver 1, verifiers 2, 3, …
let toyRoster = Roster(solver: "solver", verifiers: (1...8).map { "verifier-\($0)" })
let solverID = toyRoster.solver.id
let v1 = PartyID(2), v2 = PartyID(3), v3 = PartyID(4)
func verifierID(_ i: Int) -> PartyID { PartyID(UInt32(2 + i)) }

/// A toy game played by the real node loops over the in-memory network: every frame
/// takes `latencyMs`, the chain clock is the network's virtual clock.
struct ToyGame {
    var world = FakeWorld(seed: 42, haltStep: 100)
    var config = GameConfig()
    var gas = GasSchedule.default
    var solverOracle: FakeOracle? = nil
    var solverFaults: [SolverFault] = []
    var verifiers: [(oracle: FakeOracle?, faults: [VerifierFault])] = []
    var latencyMs: UInt64 = 100
    /// Slower links to the judge: sender name → latency in ms (instead of `latencyMs`).
    var linkLatencyMs: [String: Int] = [:]
    var balance: UInt64 = 10_000
    /// Balances of particular parties by name (instead of `balance`).
    var partyBalance: [String: UInt64] = [:]
    /// Raw payloads sent to the judge at virtual times: (time ms, sender name, payload).
    var injections: [(time: UInt64, from: String, payload: [UInt8])] = []
    /// Verifiers that wait before challenging: index in `verifiers` → ms after seeing the commit.
    var challengeDelayMs: [Int: UInt64] = [:]

    /// What a played game leaves: the judge's machine, its report and every log line.
    struct Played {
        var judge: JudgeStateMachine
        var log: [String]
        var strayFrames: Int
        /// The world's clock when the game was posted and when the run ended (virtual ms).
        var worldStartMs: UInt64 = 0, worldEndMs: UInt64 = 0
    }

    /// The account key of `name` in toy games (derived from seed 0).
    static func key(_ name: String) -> SigningKey { SigningKey.derived(scenarioSeed: 0, name: name) }

    /// The toy chain's id.
    static let chainID = Digest.zero

    /// The accounts of `roster` and the judge.
    static func accounts(_ roster: Roster) -> AccountBook {
        var keys: [PartyID: AccountKey] = [.judge: key("judge").account]
        for p in roster.parties { keys[p.id] = key(p.name).account }
        return AccountBook(chainID: chainID, keys: keys)
    }

    /// A wire frame carrying `m` signed as `party` with `nonce` (by `key`, the party's own by default).
    static func signed(_ m: GameMessage, as party: PartyID, name: String, nonce: UInt64, key: SigningKey? = nil) -> [UInt8] {
        WireFrame.game(SignedEnvelope(signing: m.encode(), domain: .transaction, chainID: chainID, party: party, nonce: nonce,
                                      key: key ?? Self.key(name)).encode()).encode()
    }

    func run() -> (Played, GameReport) {
        let roster = Roster(solver: "solver", verifiers: verifiers.indices.map { "verifier-\($0 + 1)" })
        let accounts = Self.accounts(roster)
        let network = InMemoryNetwork(defaultLatencyMilliseconds: Int(latencyMs))
        for (name, ms) in linkLatencyMs { network.setLatency(from: name, to: "judge", milliseconds: ms) }
        let clock = { UInt64(network.now) }
        var balances: [PartyID: UInt64] = [:]
        for p in roster.parties { balances[p.id] = partyBalance[p.name] ?? balance }
        let machine = try! JudgeStateMachine(task: world.task, config: config, gas: gas, checker: FakeChecker(seed: world.seed),
                                             solver: roster.solver.id, verifiers: roster.verifiers.map(\.id), balances: balances,
                                             accounts: accounts)
        let scenario = Digest.zero
        func faulty(_ e: InMemoryEndpoint) -> FaultyEndpoint<InMemoryEndpoint> {
            FaultyEndpoint(wrapping: e, faults: FaultInjector(), clock: { network.now })
        }
        var log: [String] = []
        let judgeEndpoint = try! network.endpoint(named: "judge")
        // Listen after settlement until every frame sent before it (or injected) is in.
        var timing = JudgeLoop.Timing()
        timing.graceMs = 300 + 2 * latencyMs + (injections.map(\.time).max() ?? 0)
        let judge = JudgeLoop(judge: machine, roster: roster, scenario: scenario, key: Self.key("judge"), accounts: accounts,
                              endpoint: faulty(judgeEndpoint),
                              control: judgeEndpoint, clock: clock, timing: timing, log: { log.append($0) })
        var loops: [any NodeLoop] = []
        var endpoints: [String: InMemoryEndpoint] = [:]
        for entry in roster.parties {
            let e = try! network.endpoint(named: entry.name)
            endpoints[entry.name] = e
            let m: any PartyStateMachine
            if entry.role == .solver {
                m = SolverStateMachine(id: entry.id, oracle: solverOracle ?? FakeOracle(world: world), faults: solverFaults)
            } else {
                let v = verifiers[Int(entry.id.rawValue) - 2]
                m = VerifierStateMachine(id: entry.id, oracle: v.oracle ?? FakeOracle(world: world), faults: v.faults,
                                         challengeDelay: challengeDelayMs[Int(entry.id.rawValue) - 2] ?? 0)
            }
            let loop = PartyLoop(entry: entry, machine: m, roster: roster, scenario: scenario, key: Self.key(entry.name),
                                 accounts: accounts, endpoint: faulty(e), control: e,
                                 clock: clock, metrics: { PartyMetrics(name: entry.name, role: entry.role) },
                                 log: { log.append($0) })
            try! loop.start()
            loops.append(loop)
        }
        if !injections.isEmpty {
            loops.append(Injector(network: network, endpoints: endpoints, schedule: injections, origin: latencyMs))
        }
        var started: UInt64?
        judge.onGameStart = { started = UInt64(network.now) }
        try! InMemoryRun.drive(judge: judge, others: loops, network: network)
        let result = judge.result()
        return (Played(judge: judge.machine, log: log, strayFrames: result.strayFrames, worldStartMs: started ?? 0,
                       worldEndMs: UInt64(network.now)), result.game)
    }
}

/// Sends scheduled payloads to the judge at chain times (the game starts once the hellos
/// arrived, `origin` ms after virtual time 0): as a party, through its endpoint, or as a
/// stranger through an endpoint of its own.
final class Injector: NodeLoop {
    let network: InMemoryNetwork
    var schedule: [(time: UInt64, from: String, payload: [UInt8])]
    var endpoints: [String: InMemoryEndpoint] = [:]

    init(network: InMemoryNetwork, endpoints: [String: InMemoryEndpoint],
         schedule: [(time: UInt64, from: String, payload: [UInt8])], origin: UInt64) {
        self.network = network
        self.endpoints = endpoints
        self.schedule = schedule.map { ($0.time + origin, $0.from, $0.payload) }.sorted { $0.0 < $1.0 }
    }

    func pump(timeoutMilliseconds: Int) -> Bool {
        while let first = schedule.first, first.time <= UInt64(network.now) {
            schedule.removeFirst()
            if endpoints[first.from] == nil { endpoints[first.from] = try! network.endpoint(named: first.from) }
            try! endpoints[first.from]!.send(to: "judge", first.payload)
        }
        return false
    }

    var nextWakeup: UInt64? { schedule.first?.time }
    var isDone: Bool { schedule.isEmpty }
}
