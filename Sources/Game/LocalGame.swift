/// Plays one whole game in-process: a judge, a solver and N verifiers, frames carried
/// as encoded bytes with a configurable latency, on a virtual clock that jumps to the
/// next delivery or deadline. Deterministic: no threads, no host clock, ties broken by
/// send order. The ZeroMQ runner drives the same state machines with the same frames.
public struct LocalGame {
    /// The judge (inspectable after `run`).
    public private(set) var judge: JudgeStateMachine
    /// The solver.
    public private(set) var solver: SolverStateMachine
    /// The verifiers, in party-number order.
    public private(set) var verifiers: [VerifierStateMachine]
    /// Every log line and rejection, prefixed with the virtual time.
    public private(set) var log: [String] = []
    /// Frames sent (to and from the judge).
    public private(set) var messages = 0
    /// Bytes of those frames.
    public private(set) var bytes = 0
    /// Current virtual time (ms).
    public private(set) var clock: UInt64 = 0

    private let latency: (PartyID, PartyID) -> UInt64
    private var queue: [Delivery] = []
    private var sequence = 0
    private var started = false

    private struct Delivery {
        var time: UInt64, seq: Int, from: PartyID, to: PartyID, frame: [UInt8]
    }

    /// Party numbers: the judge is 0, the solver 1, verifier i (0-based) is 2 + i.
    public static let solverID = PartyID(1)
    /// The party number of verifier `i` (0-based).
    public static func verifierID(_ i: Int) -> PartyID { PartyID(UInt32(2 + i)) }

    /// Sets up a game. Every party starts with `initialBalance`; `latencyMs(from, to)` is
    /// the one-way delay of each frame. Throws `GameConfigError` for an unusable config.
    public init(task: TaskSpec, config: GameConfig, gas: GasSchedule = .default, checker: any ProofChecker,
                solver: (oracle: any TraceOracle, faults: [SolverFault]),
                verifiers: [(oracle: any TraceOracle, faults: [VerifierFault])],
                initialBalance: UInt64 = 10_000,
                latencyMs: @escaping (PartyID, PartyID) -> UInt64 = { _, _ in 100 }) throws {
        let vids = verifiers.indices.map(LocalGame.verifierID)
        var balances: [PartyID: UInt64] = [LocalGame.solverID: initialBalance]
        for v in vids { balances[v] = initialBalance }
        judge = try JudgeStateMachine(task: task, config: config, gas: gas, checker: checker,
                                  solver: LocalGame.solverID, verifiers: vids, balances: balances)
        self.solver = SolverStateMachine(id: LocalGame.solverID, oracle: solver.oracle, faults: solver.faults)
        self.verifiers = verifiers.enumerated().map {
            VerifierStateMachine(id: LocalGame.verifierID($0.offset), oracle: $0.element.oracle, faults: $0.element.faults)
        }
        latency = latencyMs
    }

    /// Schedules a raw frame (possibly garbage) to reach the judge from `sender` at time `at`:
    /// for adversarial scenarios and tests of the judge's input checks.
    public mutating func inject(frame: [UInt8], from sender: PartyID, at time: UInt64) {
        enqueue(Delivery(time: time, seq: 0, from: sender, to: .judge, frame: frame))
    }

    /// Runs until the judge has settled and every frame in flight is delivered (or
    /// `maxEvents` events, a guard against bugs), and returns the judge's report.
    public mutating func run(maxEvents: Int = 1_000_000) -> GameReport {
        if !started {
            started = true
            carry(judge.start(now: clock), from: .judge)
        }
        var events = 0
        while events < maxEvents {
            events += 1
            let tickAt = judge.nextDeadline()
            if let d = queue.first, tickAt == nil || d.time <= tickAt! {
                queue.removeFirst()
                clock = max(clock, d.time)
                deliver(d)
            } else if let t = tickAt {
                clock = max(clock, t)
                carry(judge.tick(now: clock), from: .judge)
            } else {
                break
            }
        }
        if events >= maxEvents { log.append("\(clock) ms: stopped after \(maxEvents) events") }
        return judge.report(messages: messages, bytes: bytes)
    }

    private var parties: [PartyID] { [solver.id] + verifiers.map(\.id) }

    private mutating func deliver(_ d: Delivery) {
        if d.to == .judge {
            carry(judge.receive(d.frame, from: d.from, now: clock), from: .judge)
            return
        }
        if d.to == solver.id {
            carry(solver.receive(frame: d.frame, from: d.from, now: clock), from: d.to)
        } else if let i = verifiers.firstIndex(where: { $0.id == d.to }) {
            carry(verifiers[i].receive(frame: d.frame, from: d.from, now: clock), from: d.to)
        }
    }

    private mutating func carry(_ actions: [GameAction], from sender: PartyID) {
        for a in actions {
            switch a {
            case let .send(to, m): post(m, from: sender, to: to)
            case let .broadcast(m): for p in parties where p != sender { post(m, from: sender, to: p) }
            case let .log(line): log.append("\(clock) ms: \(line)")
            case let .rejected(from, reason): log.append("\(clock) ms: judge rejected a frame from \(from): \(reason)")
            case let .settled(o): log.append("\(clock) ms: \(sender) settled: accepted=\(o.accepted) winner=\(o.winner.map { "\($0)" } ?? "none")")
            }
        }
    }

    private mutating func post(_ m: GameMessage, from: PartyID, to: PartyID) {
        let frame = m.encode()
        messages += 1
        bytes += frame.count
        enqueue(Delivery(time: clock + latency(from, to), seq: 0, from: from, to: to, frame: frame))
    }

    private mutating func enqueue(_ d: Delivery) {
        var d = d
        sequence += 1
        d.seq = sequence
        let i = queue.firstIndex { ($0.time, $0.seq) > (d.time, d.seq) } ?? queue.count
        queue.insert(d, at: i)
    }
}
