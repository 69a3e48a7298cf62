import Commitment
import Foundation
import Game
import RISCV
import Transport

/// How role processes frame what they send over the transport: one leading byte says
/// whether the rest is a game frame (the bytes the judge charges gas for) or a control
/// message of the simulation itself (hello, shutdown, metrics — never part of the game).
enum Wire {
    static let game: UInt8 = 1
    static let control: UInt8 = 2

    struct Control: Codable {
        var kind: String          // "hello" | "shutdown" | "metrics"
        var name: String?
        var metrics: PartyMetrics?
    }

    static func frame(_ m: GameMessage) -> [UInt8] { [game] + m.encode() }

    static func frame(_ c: Control) -> [UInt8] {
        [control] + [UInt8]((try? JSONEncoder().encode(c)) ?? Data())
    }

    static func control(_ payload: [UInt8]) -> Control? {
        guard payload.first == control else { return nil }
        return try? JSONDecoder().decode(Control.self, from: Data(payload.dropFirst()))
    }
}

/// The result a judge process leaves for the launcher.
public struct NodeResult: Codable {
    public var game: GameReport
    public var parties: [PartyMetrics]
    public var initialRoot: String
    public var log: [String]
}

/// Which party a name is, and its number in the game.
struct PartyRole {
    var spec: PartySpec
    var id: PartyID
    var isSolver: Bool

    static func all(in spec: ScenarioSpec) -> [PartyRole] {
        [PartyRole(spec: spec.solver, id: PartyID(1), isSolver: true)]
            + spec.verifiers.enumerated().map { PartyRole(spec: $0.element, id: PartyID(UInt32(2 + $0.offset)), isSolver: false) }
    }
}

/// Boots the task of a scenario (the same image every party and the task giver use).
public func bootTask(_ task: TaskSpecification) throws -> Machine {
    var input = try task.stdin.map { try readTaskFile($0, what: "task stdin") } ?? []
    let image: BootImage
    switch task.image {
    case .program(let path):
        image = BootImage(program: try readTaskFile(path, what: "task program"), ramSize: task.ramMiB << 20)
    case .linux(let firmware, let kernel, let initrd, let bootargs):
        guard task.ramMiB >= TaskSpecification.linuxMinimumRAMMiB else {
            throw NodeError("the Linux task needs ram_mib \(TaskSpecification.linuxMinimumRAMMiB) or more (OpenSBI's fw_jump.bin moves the device tree to 0x82200000)")
        }
        input = TaskSpecification.linuxConsoleInput(input)
        image = BootImage(program: try readTaskFile(firmware, what: "firmware"), programIsRaw: true,
                          kernel: try readTaskFile(kernel, what: "kernel"), initrd: try readTaskFile(initrd, what: "initrd"),
                          bootargs: bootargs, ramSize: task.ramMiB << 20,
                          inputMarker: Array(TaskSpecification.linuxReadyMarker.utf8))
    }
    return try Machine(image, input: input)
}

/// An error of the simulation (not of the game), one line for the user.
public struct NodeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

func readTaskFile(_ path: String, what: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw NodeError("\(what) \(path) cannot be read" + (FileManager.default.fileExists(atPath: path) ? "" : " (no such file; `make guests` builds the guest programs)"))
    }
    return [UInt8](data)
}

/// The corruption a party's faults ask for, if any.
func corruption(of party: PartySpec) -> MachineOracle.Corruption? {
    for f in party.faults {
        if case let .corrupt(step, target, bit) = f { return MachineOracle.Corruption(step: step, target: target, bit: bit) }
    }
    return nil
}

/// Network faults of a party as transport rules on its outgoing messages.
func linkFaults(of party: PartySpec) -> LinkFaults {
    var faults = LinkFaults.none
    for f in party.faults {
        switch f {
        case .delayMessages(let ms): faults = faults.delaying(from: party.name, by: Int(ms))
        case .dropMessages(let p, let after):
            // `after: n` drops every message from the n-th on; otherwise each message is
            // dropped with probability p (seeded).
            if let after {
                faults = faults.droppingAfter(from: party.name, messages: after)
            } else if p > 0 {
                faults = faults.dropping(from: party.name, probability: p)
            }
        default: break
        }
    }
    return faults
}

/// Milliseconds since `origin` on the host's monotonic clock (wall-clock only: chain
/// time of the simulated judge; never machine state).
struct Stopwatch {
    let origin = hostTime()
    var ms: UInt64 { UInt64(max(0, (hostTime() - origin) * 1000)) }
    var seconds: Double { hostTime() - origin }
}

/// The judge's role process: the simulated chain. It binds, waits for every party to say
/// hello, plays the game, collects the parties' metrics and writes a `NodeResult`.
public enum JudgeNode {
    public static func run(spec: ScenarioSpec, bind: String, endpointFile: String?, resultFile: String,
                           initialRoot givenRoot: Digest?, joinTimeoutSeconds: Double = 3600,
                           log: @escaping (String) -> Void) throws {
        let context = try ZMQContext()
        let hub = try ZMQHub(name: "judge", context: context)
        defer { hub.close() }
        let endpoint = try hub.bind(endpoint: bind)
        log("judge listening on \(endpoint)")
        if let endpointFile {
            let tmp = endpointFile + ".tmp"
            try endpoint.write(toFile: tmp, atomically: false, encoding: .utf8)
            guard rename(tmp, endpointFile) == 0 else { throw NodeError("cannot write \(endpointFile)") }
        }
        // The task giver's part: the initial state root everyone agrees on by construction.
        let initialRoot: Digest
        if let givenRoot {
            initialRoot = givenRoot
        } else {
            initialRoot = StateTree(try bootTask(spec.task).storage).root()
        }
        let roles = PartyRole.all(in: spec)
        var byName: [String: PartyRole] = [:]
        for r in roles { byName[r.spec.name] = r }
        var nameOf: [PartyID: String] = [:]
        for r in roles { nameOf[r.id] = r.spec.name }
        var journal: [String] = []
        func note(_ s: String) { journal.append(s); log(s) }

        // Join: every party says hello once its own run is ready.
        let parent = getppid()
        let joinClock = Stopwatch()
        var joined: Set<String> = []
        while joined.count < roles.count {
            if joinClock.seconds > joinTimeoutSeconds {
                throw NodeError("parties \(Set(byName.keys).subtracting(joined).sorted()) did not join within \(Int(joinTimeoutSeconds)) s")
            }
            if getppid() != parent { throw NodeError("launcher went away") }
            guard let env = try? hub.receive(timeoutMilliseconds: 200) else { continue }
            if let c = Wire.control(env.payload), c.kind == "hello", byName[env.from] != nil {
                joined.insert(env.from)
                note("\(env.from) joined")
            }
        }

        var balances: [PartyID: UInt64] = [:]
        let stake = 10 * max(spec.game.solverDeposit, spec.game.challengerDeposit, 1)
        for r in roles { balances[r.id] = stake }
        var judge = try JudgeStateMachine(task: TaskSpec(id: 1, initialRoot: initialRoot, stepLimit: spec.task.maxSteps),
                                          config: spec.game, gas: spec.gas, checker: CommitmentProofChecker(),
                                          solver: PartyID(1), verifiers: roles.dropFirst().map(\.id), balances: balances)
        let clock = Stopwatch()
        var messages = 0, bytes = 0
        var settledAt: Double?

        func send(_ m: GameMessage, to id: PartyID) {
            guard let name = nameOf[id] else { return }
            let f = Wire.frame(m)
            do {
                try hub.send(to: name, f)
                messages += 1
                bytes += f.count - 1
            } catch {
                note("send to \(name) failed: \(error)")
            }
        }
        func carry(_ actions: [GameAction]) {
            for a in actions {
                switch a {
                case let .send(to, m): send(m, to: to)
                case let .broadcast(m): for r in roles { send(m, to: r.id) }
                case let .log(line): note("[\(clock.ms) ms] \(line)")
                case let .rejected(from, reason): note("[\(clock.ms) ms] rejected a frame from \(nameOf[from] ?? "\(from)"): \(reason)")
                case let .settled(o):
                    note("[\(clock.ms) ms] settled: accepted=\(o.accepted) winner=\(o.winner.flatMap { nameOf[$0] } ?? "none") (\(o.reason))")
                    settledAt = clock.seconds
                }
            }
        }

        carry(judge.start(now: clock.ms))
        // Play until settled, then a short grace so late frames are seen (and rejected).
        while settledAt == nil || clock.seconds - settledAt! < 0.3 {
            if getppid() != parent { throw NodeError("launcher went away") }
            let now = clock.ms
            var wait = 100
            if let d = judge.nextDeadline() { wait = Int(min(100, d > now ? d - now : 0)) }
            if let env = try hub.receive(timeoutMilliseconds: wait) {
                guard let role = byName[env.from] else { note("frame from unknown peer \(env.from) ignored"); continue }
                if env.payload.first == Wire.game {
                    let frame = Array(env.payload.dropFirst())
                    messages += 1
                    bytes += frame.count
                    carry(judge.receive(frame, from: role.id, now: clock.ms))
                } else if Wire.control(env.payload) == nil {
                    // Not even a frame of ours: the judge hears garbage as garbage.
                    carry(judge.receive(env.payload, from: role.id, now: clock.ms))
                }
            }
            carry(judge.tick(now: clock.ms))
        }

        // Collect every party's metrics.
        for r in roles { try? hub.send(to: r.spec.name, Wire.frame(Wire.Control(kind: "shutdown"))) }
        var metrics: [String: PartyMetrics] = [:]
        let collect = Stopwatch()
        while metrics.count < roles.count && collect.seconds < 10 {
            guard let env = try? hub.receive(timeoutMilliseconds: 200) else { continue }
            if let c = Wire.control(env.payload), c.kind == "metrics", let m = c.metrics { metrics[env.from] = m }
        }
        let report = judge.report(messages: messages, bytes: bytes)
        let result = NodeResult(game: report, parties: roles.compactMap { metrics[$0.spec.name] },
                                initialRoot: initialRoot.hex, log: journal)
        let data = try JSONEncoder().encode(result)
        guard FileManager.default.createFile(atPath: resultFile, contents: data) else {
            throw NodeError("cannot write result file \(resultFile)")
        }
    }
}

/// A solver's or verifier's role process: computes its own run first, then joins the
/// judge and plays its state machine until told to stop.
public enum PartyNode {
    public static func run(spec: ScenarioSpec, name: String, connect: String, seed: UInt64,
                           log: @escaping (String) -> Void) throws {
        guard let role = PartyRole.all(in: spec).first(where: { $0.spec.name == name }) else {
            throw NodeError("no party named \(name) in the scenario")
        }
        let watch = Stopwatch()
        let parent = getppid()
        let oracle = try MachineOracle(boot: { try bootTask(spec.task) }, maxSteps: spec.task.maxSteps,
                                       corruption: corruption(of: role.spec)) { steps in
            log("\(name): \(steps) steps")
            // A long run must not outlive the launcher.
            if getppid() != parent { log("\(name): launcher went away"); exit(1) }
        }
        let claim = try oracle.finalClaim()
        log("\(name): run ends after \(claim.steps) steps, root \(claim.root.hex)")

        let context = try ZMQContext()
        let client = try ZMQClient(name: name, hubName: "judge", context: context)
        try client.connect(endpoint: connect)
        let endpoint: any MessageEndpoint
        let faults = linkFaults(of: role.spec)
        if faults.rules.isEmpty {
            endpoint = client
        } else {
            endpoint = FaultyEndpoint(wrapping: client, faults: try FaultInjector(faults: faults, generator: SeededGenerator(seed: seed)))
        }
        defer { endpoint.close() }
        // Control messages bypass the party's network faults: they are not part of the game.
        try client.send(to: "judge", Wire.frame(Wire.Control(kind: "hello", name: name)))

        var solver: SolverStateMachine?
        var verifier: VerifierStateMachine?
        if role.isSolver {
            solver = SolverStateMachine(id: role.id, oracle: oracle, faults: role.spec.faults.compactMap {
                if case let .solver(f) = $0 { return f } else { return nil }
            })
        } else {
            verifier = VerifierStateMachine(id: role.id, oracle: oracle, faults: role.spec.faults.compactMap {
                if case let .verifier(f) = $0 { return f } else { return nil }
            })
        }
        var sent = 0, sentBytes = 0
        func carry(_ actions: [GameAction]) {
            for a in actions {
                switch a {
                case let .send(_, m), let .broadcast(m):
                    let f = Wire.frame(m)
                    do {
                        try endpoint.send(to: "judge", f)
                        sent += 1
                        sentBytes += f.count - 1
                    } catch {
                        log("\(name): send failed: \(error)")
                    }
                case let .log(line): log("\(name): \(line)")
                case .rejected, .settled: break
                }
            }
        }
        let clock = Stopwatch()
        while true {
            if getppid() != parent { throw NodeError("launcher went away") }
            guard let env = try endpoint.receive(timeoutMilliseconds: 50) else {
                if solver != nil { carry(solver!.tick(now: clock.ms)) } else { carry(verifier!.tick(now: clock.ms)) }
                continue
            }
            if env.payload.first == Wire.game {
                let frame = Array(env.payload.dropFirst())
                if solver != nil {
                    carry(solver!.receive(frame: frame, from: .judge, now: clock.ms))
                } else {
                    carry(verifier!.receive(frame: frame, from: .judge, now: clock.ms))
                }
            } else if let c = Wire.control(env.payload), c.kind == "shutdown" {
                let metrics = PartyMetrics(name: name, role: role.isSolver ? "solver" : "verifier",
                                           stepsExecuted: oracle.stepsExecuted, rootsComputed: oracle.rootsComputed,
                                           proofsBuilt: oracle.proofsBuilt, computeSeconds: oracle.computeSeconds,
                                           wallSeconds: watch.seconds, messagesSent: sent, bytesSent: sentBytes,
                                           peakCheckpoints: oracle.checkpointCount)
                // Metrics bypass the party's network faults: they are not part of the game.
                try client.send(to: "judge", Wire.frame(Wire.Control(kind: "metrics", name: name, metrics: metrics)))
                return
            }
        }
    }
}
