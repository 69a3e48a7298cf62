import Foundation
import Game
import RISCV
import Yams

/// Reads scenario files (YAML) into `ScenarioSpec`, and gas schedules into `GasSchedule`.
/// Strict by design: unknown keys, wrong types and out-of-range values are errors that
/// name the file, key, line and column. The schema is documented in docs/SCENARIOS.md.
public enum ScenarioLoader {
    /// Loads the scenario at `path`. Relative paths inside it (program, gas schedule, …)
    /// are relative to the current directory, not to the scenario file: scenarios are
    /// written with repository-root-relative paths and tbsim runs from the repository root.
    public static func load(path: String) throws -> ScenarioSpec {
        try parse(yaml: readText(path, file: path, from: nil), file: path, baseDirectory: "")
    }

    /// Parses scenario text. `file` names the source in errors and gives the default
    /// scenario name; relative paths are joined to `baseDirectory` ("" or "." leaves them
    /// as given, i.e. relative to the current directory).
    public static func parse(yaml: String, file: String, baseDirectory: String) throws -> ScenarioSpec {
        let document = YAMLDocument(file: file, baseDirectory: baseDirectory)
        let root = try document.compose(yaml, what: "a scenario mapping with at least a `task:` key")
        guard case .mapping = root.node else {
            throw root.error("the top level of a scenario must be a mapping of keys (name, task, game, …), got \(root.described)")
        }
        let top = try root.mapping(allowed: ["name", "description", "seed", "task", "game", "network",
                                             "solver", "verifiers", "expect", "accounts", "starting_balances", "population"])
        if let v = top.present("population") {
            throw v.error("this is a network scenario (`population:`), not one game; load it with `ScenarioLoader.loadFile` (what `tbsim scenario` does)")
        }
        let defaultName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var spec = ScenarioSpec(name: defaultName.isEmpty ? "scenario" : defaultName,
                                task: try parseTask(top.required("task")))
        if let v = top.optional("name") { spec.name = try v.nonEmptyString() }
        if let v = top.optional("description") { spec.description = try v.string() }
        if let v = top.optional("seed") { spec.seed = try v.integer(UInt64.min...UInt64.max) }
        if let v = top.optional("game") { (spec.game, spec.gas) = try parseGame(v, maxSteps: spec.task.maxSteps) }
        if let v = top.optional("network") { spec.network = try parseNetwork(v) }
        var names: [String: YAMLValue] = [:]
        if let v = top.optional("solver") {
            spec.solver = try parseParty(v, role: .solver, defaultName: "solver", ramMiB: spec.task.ramMiB, names: &names)
        } else {
            names["solver"] = root
        }
        if let v = top.optional("verifiers") {
            spec.verifiers = try v.sequence(of: "verifiers (each a mapping with `name`, `faults` and `count`)").enumerated().flatMap { i, item in
                try parseParties(item, defaultName: "verifier-\(i + 1)", ramMiB: spec.task.ramMiB, window: spec.game.challengeWindowBlocks,
                                 names: &names)
            }
        } else if let taken = names["verifier-1"] {
            throw taken.error("the party name `verifier-1` is taken by the default verifier; name the solver differently or list `verifiers:`")
        }
        try checkSettlementFits(spec.game, spec.gas, challengers: spec.verifiers.count, at: top.optional("verifiers") ?? root)
        if let v = top.optional("starting_balances") {
            let m = try v.mapping(allowed: [spec.solver.name] + spec.verifiers.map(\.name),
                                  what: "a mapping from party names to starting balances (deposit currency)")
            var balances: [String: UInt64] = [:]
            for e in m.entries { balances[e.name] = try e.value.integer(UInt64.min...UInt64.max) }
            spec.startingBalances = balances
        }
        // Balances, escrow and burned funds sum to the parties' starting balances all game
        // long; refuse the few scenarios where that sum itself cannot be represented.
        if !spec.totalMoneyFits {
            let at = top.optional("starting_balances") ?? top.optional("verifiers") ?? top.optional("game") ?? root
            throw at.error("\(1 + spec.verifiers.count) parties' starting balances (unless `starting_balances` names a party: 10 × the larger deposit, \(spec.initialBalance)) exceed 2^64 in total; use smaller balances or deposits, or fewer verifiers")
        }
        if spec.worstCaseGas == nil {
            let at = top.optional("game") ?? root
            throw at.error("the gas a game can charge (\(1 + spec.verifiers.count) parties, every transaction a full `max_frame_bytes` frame at these gas prices) exceeds 2^63; lower `max_frame_bytes` or the per-byte gas")
        }
        if let v = top.optional("expect") {
            spec.expect = try parseExpectations(v, solver: spec.solver.name, verifiers: spec.verifiers.map(\.name))
        }
        if let v = top.optional("accounts") {
            spec.accounts = try parseAccounts(v, names: [spec.solver.name] + spec.verifiers.map(\.name))
        }
        return spec
    }

    /// `accounts:`: party names (of `names`, or `judge`) → Ed25519 public keys in hex.
    static func parseAccounts(_ v: YAMLValue, names: [String]) throws -> [String: String] {
        let m = try v.mapping(allowed: ["judge"] + names, what: "a mapping from party names (or `judge`) to Ed25519 public keys in hex")
        var accounts: [String: String] = [:]
        for e in m.entries {
            let hex = try e.value.nonEmptyString("an Ed25519 public key (64 hex digits, from `tbsim keygen`)")
            guard AccountKey(hex: hex) != nil else {
                throw e.value.error("expected an Ed25519 public key (64 hex digits, from `tbsim keygen`), got \(hex.debugDescription)")
            }
            accounts[e.name] = hex
        }
        return accounts
    }

    /// Loads a gas schedule (e.g. configs/gas-default.yaml): a mapping of `GasSchedule`'s
    /// snake_case keys; keys left out keep their default values.
    public static func loadGasSchedule(path: String) throws -> GasSchedule {
        let document = YAMLDocument(file: path, baseDirectory: "")
        return try parseGasSchedule(document.compose(readText(path, file: path, from: nil), what: "a mapping of gas keys"))
    }

    // MARK: sections

    static func parseTask(_ v: YAMLValue) throws -> ScenarioTask {
        let m = try v.mapping(allowed: ["program", "linux", "stdin", "max_steps", "ram_mib"])
        let image: ScenarioTask.Image
        switch (m.optional("program"), m.present("linux")) {
        case let (program?, nil):
            image = .program(path: v.document.resolve(try program.nonEmptyString("a path")))
        case let (nil, linux?):
            image = try parseLinux(linux)
        case (_?, let linux?):
            throw linux.error("give either `program` or `linux`, not both")
        case (nil, nil):
            throw v.error("missing key `program` (a guest ELF) or `linux` (the Linux workload)")
        }
        var task = ScenarioTask(image: image)
        if let s = m.optional("stdin") { task.stdin = v.document.resolve(try s.nonEmptyString("a path")) }
        if let s = m.optional("max_steps") { task.maxSteps = try s.integer(1...UInt64.max) }
        if let s = m.optional("ram_mib") { task.ramMiB = try s.integer(1...16_384) }
        // A program whose stack lies beyond RAM would trap at its first push: refuse it here.
        if let needed = task.requiredRAMMiB(), needed > task.ramMiB {
            let at = m.optional("ram_mib") ?? v
            throw at.error("the program \(task.imageFile) needs ram_mib \(needed) or more (its stack top or highest segment); \(m.optional("ram_mib") == nil ? "the default is" : "got") \(task.ramMiB)")
        }
        return task
    }

    /// Defaults of the Linux workload, relative to the repository root.
    static let linuxDefaults = (firmware: "build/linux/fw_jump.bin", kernel: "build/linux/Image",
                                initrd: "build/linux/initramfs.cpio.gz",
                                bootargs: "console=ttyS0 earlycon=uart8250,mmio,0x10000000 initramfs_async=0")

    static func parseLinux(_ v: YAMLValue) throws -> ScenarioTask.Image {
        let d = v.document
        var (firmware, kernel, initrd, bootargs) = linuxDefaults
        if case .scalar = v.node, !v.isNull {
            guard try v.bool() else {
                throw v.error("`linux: false` does not choose a task; give `program:` instead, or `linux: true`")
            }
        } else if !v.isNull {
            let m = try v.mapping(allowed: ["firmware", "kernel", "initrd", "bootargs"],
                                  what: "true or a mapping with keys firmware, kernel, initrd, bootargs")
            if let s = m.optional("firmware") { firmware = try s.nonEmptyString("a path") }
            if let s = m.optional("kernel") { kernel = try s.nonEmptyString("a path") }
            if let s = m.optional("initrd") { initrd = try s.nonEmptyString("a path") }
            if let s = m.present("bootargs") { bootargs = s.isNull ? "" : try s.string() }
            if bootargs.unicodeScalars.contains("\0") { throw m.present("bootargs")!.error("bootargs must not contain NUL") }
        }
        return .linux(firmware: d.resolve(firmware), kernel: d.resolve(kernel), initrd: d.resolve(initrd), bootargs: bootargs)
    }

    /// Game keys in the order documented, with their ranges (the same bounds
    /// `GameConfig.problems()` enforces; a test keeps the two in step).
    static let gameKeys: [(key: GameConfig.Key, range: ClosedRange<UInt64>)] = [
        (.k, 2...65_536), (.blockIntervalMs, 1...(1 << 32)), (.commitTimeoutBlocks, 1...(1 << 32)),
        (.challengeWindowBlocks, 1...(1 << 32)), (.moveTimeoutBlocks, 1...(1 << 32)),
        (.solverDeposit, 0...(1 << 56)), (.challengerDeposit, 0...(1 << 56)), (.winnerShareBps, 0...10_000),
        (.maxFrameBytes, 256...UInt64(Int.max)), (.clockBlocks, 1...(1 << 32)), (.gasPriceWei, 0...GameConfig.maxGasPriceWei),
    ]

    /// The `game:` mapping; with `maxSteps`, also checks a chess clock against it (a network
    /// scenario checks it once its programs are known).
    static func parseGame(_ v: YAMLValue, maxSteps: UInt64?) throws -> (GameConfig, GasSchedule) {
        let m = try v.mapping(allowed: gameKeys.map(\.key.rawValue)
                              + [GameConfig.Key.challenges.rawValue, GameConfig.Key.storage.rawValue, "gas"])
        var g = ScenarioSpec.defaultGame
        if let node = m.optional(GameConfig.Key.challenges.rawValue) {
            let text = try node.string("one of sequential, concurrent, chess-clock")
            guard let mode = ChallengeMode(rawValue: text) else {
                throw node.error("must be one of \(ChallengeMode.allCases.map(\.rawValue).joined(separator: ", ")), got \(text.debugDescription)"
                                 + (closest(to: text, in: ChallengeMode.allCases.map(\.rawValue)).map { " (did you mean \($0)?)" } ?? ""))
            }
            g.challenges = mode
        }
        if let node = m.optional(GameConfig.Key.storage.rawValue) {
            let names = RootStorage.allCases.map(\.rawValue)
            let text = try node.string("one of \(names.joined(separator: ", "))")
            guard let storage = RootStorage(rawValue: text) else {
                throw node.error("must be one of \(names.joined(separator: ", ")), got \(text.debugDescription)"
                                 + (closest(to: text, in: names).map { " (did you mean \($0)?)" } ?? ""))
            }
            g.storage = storage
        }
        for (key, range) in gameKeys {
            guard let node = m.optional(key.rawValue) else { continue }
            if key == .k, case .scalar = node.node, (try? node.string()) == "auto" {
                g.arity = GameConfig.autoArity
                continue
            }
            let x: UInt64
            do { x = try node.integer(range) } catch var e as ScenarioError where key == .k {
                e.message = e.message.replacingOccurrences(of: "2...65536,", with: "2...65536 or `auto`,")
                throw e
            }
            switch key {
            case .k: g.arity = Int(x)
            case .blockIntervalMs: g.blockIntervalMs = x
            case .commitTimeoutBlocks: g.commitTimeoutBlocks = x
            case .challengeWindowBlocks: g.challengeWindowBlocks = x
            case .moveTimeoutBlocks: g.moveTimeoutBlocks = x
            case .solverDeposit: g.solverDeposit = x
            case .challengerDeposit: g.challengerDeposit = x
            case .winnerShareBps: g.winnerShareBps = x
            case .maxFrameBytes: g.maxFrameBytes = Int(x)
            case .clockBlocks: g.clockBlocks = x
            case .gasPriceWei: g.gasPriceWei = x
            case .challenges, .storage: break
            }
        }
        // Whatever GameConfig still objects to (e.g. k too large for max_frame_bytes),
        // reported at the key it names, in this file's vocabulary (`k`, not `arity`).
        if let problem = g.problems().first {
            let name = problem.key.rawValue
            // A span problem names a timeout; if only block_interval_ms was given, point there.
            let node = m.optional(name) ?? m.optional(GameConfig.Key.blockIntervalMs.rawValue) ?? v
            throw ScenarioError(file: v.document.file, line: node.node.mark?.line, column: node.node.mark?.column,
                                key: v.childKey(name), message: problem.message)
        }
        var gas = GasSchedule.default
        if let s = m.optional("gas") {
            if case .mapping = s.node {
                gas = try parseGasSchedule(s)
            } else {
                let path = v.document.resolve(try s.nonEmptyString("a path to a gas schedule file"))
                let file = YAMLDocument(file: path, baseDirectory: "")
                gas = try parseGasSchedule(file.compose(readText(path, file: path, from: s), what: "a mapping of gas keys"))
            }
        }
        // Every move the protocol may require of an honest party must fit in a frame and
        // in a block, or the judge would refuse it and the liar win by timeout.
        for move in RequiredMove.all(config: g, gas: gas) {
            if move.frameBytes > g.maxFrameBytes {
                let node = m.optional(GameConfig.Key.maxFrameBytes.rawValue) ?? m.optional(GameConfig.Key.k.rawValue) ?? v
                throw ScenarioError(file: v.document.file, line: node.node.mark?.line, column: node.node.mark?.column,
                                    key: v.childKey(m.optional(GameConfig.Key.maxFrameBytes.rawValue) != nil ? "max_frame_bytes" : "k"),
                                    message: "a \(move.kind.rawValue) may need a frame of \(move.frameBytes) bytes (docs/GAME.md, \"Limits\"), more than `max_frame_bytes` \(g.maxFrameBytes): the judge would refuse an honest move; raise it to \(move.frameBytes) or more")
            }
            if move.gas > gas.blockGasLimit {
                let node = m.optional(GameConfig.Key.k.rawValue) ?? m.optional("gas") ?? v
                throw ScenarioError(file: v.document.file, line: node.node.mark?.line, column: node.node.mark?.column,
                                    key: v.childKey(m.optional(GameConfig.Key.k.rawValue) != nil ? "k" : "gas"),
                                    message: "a \(move.kind.rawValue) may cost \(move.gas) gas (docs/GAME.md, \"Limits\"), more than the block gas limit \(gas.blockGasLimit): it could never be included; lower `k` or raise `block_gas_limit`")
            }
        }
        if let maxSteps { try checkChessClock(g, maxSteps: maxSteps, game: v) }
        return (g, gas)
    }

    /// A move that ends a dispute may settle the game and return every other challenger's
    /// deposit in the same transaction: with `challengers` verifiers it must still fit in
    /// a block, or the judge would refuse the honest closing move and the liar win by
    /// timeout (docs/GAME.md, "Limits").
    static func checkSettlementFits(_ g: GameConfig, _ gas: GasSchedule, challengers: Int, at node: YAMLValue) throws {
        guard challengers > 1 else { return }
        for move in RequiredMove.all(config: g, gas: gas, challengers: challengers) where move.gas > gas.blockGasLimit {
            throw node.error("with \(challengers) verifiers, a \(move.kind.rawValue) that ends a dispute and settles the game also returns every other challenger's deposit: it may cost \(move.gas) gas (docs/GAME.md, \"Limits\"), more than the block gas limit \(gas.blockGasLimit); use fewer verifiers or raise `block_gas_limit`")
        }
    }

    /// Chess clocks: every move is mined at least a block after the state it answers, so a
    /// side spends at least one block of its clock per move; the solver may need P + 1
    /// moves in one dispute (P root postings over at most `maxSteps` steps, then the
    /// closing move). A smaller clock runs out for an honest side however fast it is.
    static func checkChessClock(_ g: GameConfig, maxSteps: UInt64, game v: YAMLValue) throws {
        guard g.challenges == .chessClock else { return }
        let m = try v.mapping(allowed: gameKeys.map(\.key.rawValue)
                              + [GameConfig.Key.challenges.rawValue, GameConfig.Key.storage.rawValue, "gas"])
        let need = UInt64(Bisection.ceilLog(maxSteps, base: g.smallestArity)) + 1
        if g.clockBlocks < need {
            let node = m.optional(GameConfig.Key.clockBlocks.rawValue) ?? m.optional("challenges") ?? v
            throw ScenarioError(file: v.document.file, line: node.node.mark?.line, column: node.node.mark?.column,
                                key: v.childKey(m.optional(GameConfig.Key.clockBlocks.rawValue) != nil ? "clock_blocks" : "challenges"),
                                message: "with chess-clock play each move takes at least one block of its side's clock, and the solver may need \(need) moves in one dispute (⌈log_\(g.smallestArity) max_steps⌉ = \(need - 1) root postings and the closing move; docs/GAME.md): `clock_blocks` \(g.clockBlocks) would run an honest side's clock out; use \(need) or more")
        }
    }

    /// Integer gas keys (bounded so sums of charges stay far from overflow) and the two prices.
    static let gasIntegerKeys = ["tx_base", "calldata_zero_byte", "calldata_nonzero_byte", "sload_cold", "sload_warm",
                                 "sstore_set", "sstore_reset", "sstore_clear_refund", "max_refund_quotient",
                                 "keccak_base", "keccak_per_word", "step_verify_base",
                                 "step_verify_per_proof_byte", "step_verify_per_work_unit", "block_gas_limit"]
    static let gasPriceKeys = ["gas_price_gwei", "eth_price_usd"]

    static func parseGasSchedule(_ v: YAMLValue) throws -> GasSchedule {
        let m = try v.mapping(allowed: gasIntegerKeys + gasPriceKeys, what: "a mapping of gas keys",
                              removed: GasSchedule.removedKeys)
        var g = GasSchedule.default
        for name in gasIntegerKeys {
            guard let node = m.optional(name) else { continue }
            // Prices stay ≤ 2^32 so sums of charges cannot overflow; the block gas limit is
            // only compared against, so it may be as large as 2^62.
            // EIP-3529's quotient divides the gas used, so it is at least 1.
            let x = try node.integer(UInt64(name == "max_refund_quotient" ? 1 : 0)...(name == "block_gas_limit" ? 1 << 62 : 1 << 32))
            switch name {
            case "tx_base": g.txBase = x
            case "calldata_zero_byte": g.calldataZeroByte = x
            case "calldata_nonzero_byte": g.calldataNonZeroByte = x
            case "sload_cold": g.sloadCold = x
            case "sload_warm": g.sloadWarm = x
            case "sstore_set": g.sstoreSet = x
            case "sstore_reset": g.sstoreReset = x
            case "sstore_clear_refund": g.sstoreClearRefund = x
            case "max_refund_quotient": g.maxRefundQuotient = x
            case "keccak_base": g.keccakBase = x
            case "keccak_per_word": g.keccakPerWord = x
            case "step_verify_base": g.stepVerifyBase = x
            case "step_verify_per_proof_byte": g.stepVerifyPerProofByte = x
            case "block_gas_limit": g.blockGasLimit = x
            default: g.stepVerifyPerWorkUnit = x
            }
        }
        if let node = m.optional("gas_price_gwei") { g.gasPriceGwei = try node.number(0...1e9) }
        if let node = m.optional("eth_price_usd") { g.ethPriceUSD = try node.number(0...1e9) }
        return g
    }

    static func parseNetwork(_ v: YAMLValue) throws -> NetworkSpec {
        let m = try v.mapping(allowed: ["judge_bind", "latency_ms", "endpoints"])
        var n = NetworkSpec()
        if let s = m.optional("endpoints") {
            let path = v.document.resolve(try s.nonEmptyString("a path to an endpoints file"))
            let file = YAMLDocument(file: path, baseDirectory: "")
            let root = try file.compose(readText(path, file: path, from: s), what: "a mapping with `judge_bind`")
            try applyNetworkKeys(root.mapping(allowed: ["judge_bind", "latency_ms"]), to: &n)
        }
        try applyNetworkKeys(m, to: &n)
        return n
    }

    static func applyNetworkKeys(_ m: YAMLMapping, to n: inout NetworkSpec) throws {
        if let s = m.optional("judge_bind") { n.judgeBind = try parseEndpoint(s) }
        if let s = m.optional("latency_ms") { n.latencyMs = try s.integer(0...60_000) }
    }

    /// A ZeroMQ endpoint the judge can bind: tcp://HOST:PORT (PORT 0…65535 or *),
    /// ipc://PATH or inproc://NAME.
    static func parseEndpoint(_ v: YAMLValue) throws -> String {
        let s = try v.string()
        if let problem = EndpointSyntax.problem(s, for: .bind) { throw v.error(problem) }
        return s
    }

    /// Most verifiers one `count:` may stand for.
    static let maxVerifierCount: UInt64 = 1_024

    /// A verifier entry: one party, or with `count: N` N alike parties named NAME-1 … NAME-N
    /// (so a sweep can vary how many liars there are with `--set verifiers[0].count=…`).
    static func parseParties(_ v: YAMLValue, defaultName: String, ramMiB: UInt64, window: UInt64,
                             names: inout [String: YAMLValue]) throws -> [PartySpec] {
        guard !v.isNull, case .mapping = v.node,
              let countNode = try v.mapping(allowed: verifierKeys + ["count"]).optional("count") else {
            return [try parseParty(v, role: .verifier, defaultName: defaultName, ramMiB: ramMiB, window: window, names: &names)]
        }
        let count = try countNode.integer(1...maxVerifierCount)
        let template = try parseParty(v, role: .verifier, defaultName: defaultName, ramMiB: ramMiB, window: window,
                                      names: &names, allowCount: true)
        names[template.name] = nil
        return try (1...count).map { i in
            var p = template
            p.name = "\(template.name)-\(i)"
            try checkPartyName(p.name, at: countNode)
            if let at = firstUse(of: p.name, in: names) {
                throw countNode.error("`count: \(count)` names a party `\(p.name)`, which is used already\(at); names must be unique")
            }
            names[p.name] = countNode
            return p
        }
    }

    /// If `name` is taken: where it was first used, as " (first used at line N)" (empty
    /// when the line is unknown); nil when it is free.
    static func firstUse(of name: String, in names: [String: YAMLValue]) -> String? {
        names[name].map { earlier in earlier.node.mark.map { " (first used at line \($0.line))" } ?? "" }
    }

    /// The keys of a verifier entry (without `count`); a solver has `name` and `faults`.
    static let verifierKeys = ["name", "faults", "challenge_delay_blocks"]

    static func parseParty(_ v: YAMLValue, role: Role, defaultName: String, ramMiB: UInt64, window: UInt64 = 0,
                           names: inout [String: YAMLValue], allowCount: Bool = false) throws -> PartySpec {
        var party = PartySpec(name: defaultName)
        var nameNode = v
        if !v.isNull {
            if role == .solver, case let .mapping(m) = v.node,
               let k = m.keys.first(where: { $0.string == "challenge_delay_blocks" }) {
                throw YAMLValue(node: k, key: v.childKey("challenge_delay_blocks"), document: v.document)
                    .error("`challenge_delay_blocks` is for verifiers: the solver does not challenge")
            }
            let m = try v.mapping(allowed: (role == .verifier ? verifierKeys : ["name", "faults"]) + (allowCount ? ["count"] : []))
            if let d = m.optional("challenge_delay_blocks") {
                party.challengeDelayBlocks = try d.integer(UInt64(0)...(1 << 32))
                // The wait starts when the verifier sees the commit, after the block the commit
                // was mined in, and the challenge is mined a block after it arrives: a wait of
                // the whole window would land after it.
                if party.challengeDelayBlocks >= window {
                    throw d.error("a challenge \(party.challengeDelayBlocks) blocks after the verifier sees the commit can miss the challenge window (`game.challenge_window_blocks` = \(window)); use 0…\(window - 1)")
                }
            }
            if let n = m.optional("name") {
                party.name = try n.string()
                nameNode = n
                try checkPartyName(party.name, at: n)
            }
            if let f = m.optional("faults") { party.faults = try parseFaults(f, role: role, ramMiB: ramMiB) }
        }
        if let at = firstUse(of: party.name, in: names) {
            throw nameNode.error("party name `\(party.name)` is used twice\(at); names must be unique")
        }
        names[party.name] = nameNode
        return party
    }

    /// Names identify parties on the network and in reports.
    static func checkPartyName(_ name: String, at v: YAMLValue) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars)
        guard !name.isEmpty, name.unicodeScalars.count <= 64, name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw v.error("a party name must be 1 to 64 characters of A-Z a-z 0-9 . _ -, got \(quoted(name))")
        }
        guard name.lowercased() != "judge", name.lowercased() != "none" else {
            throw v.error("`\(name)` is reserved (the judge / \"no winner\"); choose another party name")
        }
    }

    // MARK: files

    /// The UTF-8 text of `path`; a missing or unreadable file is an error at `from` (the
    /// key that named it) or, for a top-level file, about the file itself.
    static func readText(_ path: String, file: String, from: YAMLValue?) throws -> String {
        func fail(_ message: String) -> ScenarioError {
            if let from { return from.error("\(message): \(path)") }
            return ScenarioError(file: file, line: nil, column: nil, key: nil, message: message)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw fail("file not found") }
        guard !isDirectory.boolValue else { throw fail("is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the file") }
        let bytes = [UInt8](data)
        if let bad = firstInvalidUTF8(bytes) {
            // About the file itself (a referenced config file names itself, not the scenario).
            throw ScenarioError(file: file, line: nil, column: nil, key: nil,
                                message: "not UTF-8 text: invalid byte 0x\(String(bytes[bad], radix: 16)) at byte offset \(bad)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Offset of the first byte that breaks UTF-8, or nil when the whole text is valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let (length, minimum): (Int, UInt32)
            switch b {
            case 0x00...0x7f: i += 1; continue
            case 0xc2...0xdf: (length, minimum) = (2, 0x80)
            case 0xe0...0xef: (length, minimum) = (3, 0x800)
            case 0xf0...0xf4: (length, minimum) = (4, 0x10000)
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            var scalar = UInt32(b) & (0xff >> (length + 1))
            for j in 1..<length {
                let c = bytes[i + j]
                guard c & 0xc0 == 0x80 else { return i + j }
                scalar = scalar << 6 | UInt32(c & 0x3f)
            }
            guard scalar >= minimum, scalar <= 0x10ffff, !(0xd800...0xdfff).contains(scalar) else { return i }
            i += length
        }
        return nil
    }
}
