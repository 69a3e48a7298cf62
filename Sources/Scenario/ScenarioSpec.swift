import Game

/// One scenario: a task, the game's rules, the parties with their faults, the network,
/// a seed and the expectations that make the scenario a test. Loaded from YAML by
/// `ScenarioLoader`; paths inside are already resolved (absolute or relative to the
/// current directory) when loading succeeds.
public struct ScenarioSpec: Equatable, Sendable {
    /// Short name for reports (defaults to the file name without extension).
    public var name: String
    public var description: String
    /// Every random choice (message drops, …) derives from this.
    public var seed: UInt64
    public var task: TaskSpecification
    public var game: GameConfig
    public var gas: GasSchedule
    public var network: NetworkSpec
    public var solver: PartySpec
    public var verifiers: [PartySpec]
    public var expect: Expectations

    public init(name: String, description: String = "", seed: UInt64 = 1, task: TaskSpecification,
                game: GameConfig = ScenarioSpec.defaultGame, gas: GasSchedule = .default,
                network: NetworkSpec = NetworkSpec(), solver: PartySpec = PartySpec(name: "solver"),
                verifiers: [PartySpec] = [PartySpec(name: "verifier-1")], expect: Expectations = Expectations()) {
        self.name = name; self.description = description; self.seed = seed; self.task = task
        self.game = game; self.gas = gas; self.network = network; self.solver = solver
        self.verifiers = verifiers; self.expect = expect
    }

    /// Game settings suited to real processes: blocks every 100 ms, generous timeouts so
    /// a party busy computing is not mistaken for a silent one.
    public static let defaultGame = GameConfig(arity: 2, blockIntervalMs: 100, commitTimeoutBlocks: 600,
                                               challengeWindowBlocks: 20, moveTimeoutBlocks: 300)
}

/// The computation: a bare-metal ELF, or the Linux workload.
public struct TaskSpecification: Equatable, Sendable {
    public enum Image: Equatable, Sendable {
        case program(path: String)
        case linux(firmware: String, kernel: String, initrd: String, bootargs: String)
    }
    public var image: Image
    /// File fed to the UART input (nil = empty input).
    public var stdin: String?
    /// The task's step limit: a run that does not halt within it is a failed task.
    public var maxSteps: UInt64
    public var ramMiB: UInt64

    /// The Linux guest's /init prints this line once it reads its script from the
    /// console; the UART input is held until then (see `BootImage.inputMarker`).
    public static let linuxReadyMarker = "tbsim-guest: ready"

    /// Debian's OpenSBI fw_jump.bin moves the device tree to 0x82200000, so the Linux
    /// workload needs RAM past that.
    public static let linuxMinimumRAMMiB: UInt64 = 64

    /// The Linux guest's console input: the script, ending in a newline, then Ctrl-D
    /// (0x04) — end of input on a terminal, so a script that does not power off itself
    /// still ends (the guest's /init powers off when its input ends).
    public static func linuxConsoleInput(_ script: [UInt8]) -> [UInt8] {
        var input = script
        if let last = input.last, last != 0x0a { input.append(0x0a) }
        input.append(0x04)
        return input
    }

    public init(image: Image, stdin: String? = nil, maxSteps: UInt64 = 1_000_000_000, ramMiB: UInt64 = 128) {
        self.image = image; self.stdin = stdin; self.maxSteps = maxSteps; self.ramMiB = ramMiB
    }
}

/// How the role processes reach each other.
public struct NetworkSpec: Equatable, Sendable {
    /// Where the judge binds (port 0 = any free port), e.g. "tcp://127.0.0.1:0".
    public var judgeBind: String
    /// Extra one-way delay added to every message, in ms.
    public var latencyMs: UInt64

    public init(judgeBind: String = "tcp://127.0.0.1:0", latencyMs: UInt64 = 0) {
        self.judgeBind = judgeBind; self.latencyMs = latencyMs
    }
}

/// How a party deviates from the protocol or from honest execution.
public enum FaultSpec: Equatable, Sendable {
    /// Flip `bit` of a register (x`index`), the 64-bit RAM word at `address`, or pc, right
    /// after executing step `step`; the party then honestly believes its wrong trace.
    case corrupt(step: UInt64, target: CorruptionTarget, bit: Int)
    /// A protocol fault played by the party's state machine.
    case solver(SolverFault)
    case verifier(VerifierFault)
    /// Hold each outgoing message for `ms` before sending.
    case delayMessages(ms: UInt64)
    /// Drop outgoing messages with probability `probability` (seeded), or from the
    /// `after`-th message on.
    case dropMessages(probability: Double, after: Int?)
}

/// What a corruption fault flips.
public enum CorruptionTarget: Equatable, Sendable {
    case register(Int)
    case memory(address: UInt64)
    case pc
}

/// One party: a name (used as its network identity) and its faults.
public struct PartySpec: Equatable, Sendable {
    public var name: String
    public var faults: [FaultSpec]

    public init(name: String, faults: [FaultSpec] = []) {
        self.name = name; self.faults = faults
    }
}

/// What the scenario promises; checked after the run (all optional).
public struct Expectations: Equatable, Sendable {
    public var accepted: Bool?
    /// A party name ("solver", a verifier's name) or "none".
    public var winner: String?
    public var minRounds: Int?
    public var maxRounds: Int?
    public var divergenceStep: UInt64?
    public var disputes: Int?

    public init(accepted: Bool? = nil, winner: String? = nil, minRounds: Int? = nil, maxRounds: Int? = nil,
                divergenceStep: UInt64? = nil, disputes: Int? = nil) {
        self.accepted = accepted; self.winner = winner; self.minRounds = minRounds; self.maxRounds = maxRounds
        self.divergenceStep = divergenceStep; self.disputes = disputes
    }
}
