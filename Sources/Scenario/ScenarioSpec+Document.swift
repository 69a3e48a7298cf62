import Game
import Yams

/// A value of a scenario document: what YAML and JSON both hold. Mappings keep their
/// key order.
public indirect enum DocumentValue: Equatable, Sendable, Codable {
    /// Text.
    case string(String)
    /// A whole number ≥ 0.
    case integer(UInt64)
    /// A whole number below zero (a balance change).
    case negative(Int64)
    /// A real number.
    case number(Double)
    /// true or false.
    case bool(Bool)
    /// A list.
    case list([DocumentValue])
    /// Keys and values, in order.
    case map([(String, DocumentValue)])

    public static func == (a: DocumentValue, b: DocumentValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        // JSON writes 20.0 as 20: a whole number and the same integer are one value.
        case let (.integer(n), .number(x)), let (.number(x), .integer(n)): return Double(n) == x
        case let (.negative(x), .negative(y)): return x == y
        case let (.negative(n), .number(x)), let (.number(x), .negative(n)): return Double(n) == x
        case let (.bool(x), .bool(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.map(x), .map(y)):
            // Key order is presentation only (JSON objects have none).
            let ys = Dictionary(y, uniquingKeysWith: { a, _ in a })
            return x.count == y.count && x.allSatisfy { ys[$0.0] == $0.1 }
        default: return false
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes any JSON value (object keys in the decoder's order).
    public init(from decoder: Decoder) throws {
        if let c = try? decoder.container(keyedBy: Key.self) {
            self = .map(try c.allKeys.sorted { $0.stringValue < $1.stringValue }.map { ($0.stringValue, try c.decode(DocumentValue.self, forKey: $0)) })
        } else if var c = try? decoder.unkeyedContainer() {
            var items: [DocumentValue] = []
            while !c.isAtEnd { items.append(try c.decode(DocumentValue.self)) }
            self = .list(items)
        } else {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let n = try? c.decode(UInt64.self) { self = .integer(n) }
            else if let n = try? c.decode(Int64.self) { self = .negative(n) }
            else if let x = try? c.decode(Double.self) { self = .number(x) }
            else { self = .string(try c.decode(String.self)) }
        }
    }

    /// Encodes as the JSON value of the same shape.
    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .string(s): var c = encoder.singleValueContainer(); try c.encode(s)
        case let .integer(n): var c = encoder.singleValueContainer(); try c.encode(n)
        case let .negative(n): var c = encoder.singleValueContainer(); try c.encode(n)
        case let .number(x): var c = encoder.singleValueContainer(); try c.encode(x)
        case let .bool(b): var c = encoder.singleValueContainer(); try c.encode(b)
        case let .list(items): var c = encoder.unkeyedContainer(); for i in items { try c.encode(i) }
        case let .map(pairs):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in pairs { try c.encode(v, forKey: Key(k)) }
        }
    }

    /// The same value as a YAML node (block style, keys in order).
    public var node: Node {
        switch self {
        case let .string(s): return Node(s, Tag(.str), .doubleQuoted)
        case let .integer(n): return Node(String(n))
        case let .negative(n): return Node(String(n))
        case let .number(x): return Node(String(x))
        case let .bool(b): return Node(b ? "true" : "false")
        case let .list(items): return .sequence(Node.Sequence(items.map(\.node)))
        case let .map(pairs): return .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1.node) }))
        }
    }
}

extension ScenarioSpec {
    /// The scenario as resolved, in the scenario file's own keys (docs/SCENARIOS.md):
    /// every default filled in, paths as resolved. What a report records as the scenario
    /// it ran; `yaml` of it loads back to an equal scenario.
    public var document: DocumentValue {
        var top: [(String, DocumentValue)] = [("name", .string(name))]
        if !description.isEmpty { top.append(("description", .string(description))) }
        top.append(("seed", .integer(seed)))
        var task: [(String, DocumentValue)] = []
        switch self.task.image {
        case let .program(path): task.append(("program", .string(path)))
        case let .linux(firmware, kernel, initrd, bootargs):
            task.append(("linux", .map([("firmware", .string(firmware)), ("kernel", .string(kernel)),
                                        ("initrd", .string(initrd)), ("bootargs", .string(bootargs))])))
        }
        if let stdin = self.task.stdin { task.append(("stdin", .string(stdin))) }
        task += [("max_steps", .integer(self.task.maxSteps)), ("ram_mib", .integer(self.task.ramMiB))]
        top.append(("task", .map(task)))
        let g = game
        top.append(("game", .map([
            ("k", g.isAutoArity ? .string("auto") : .integer(UInt64(g.arity))), ("block_interval_ms", .integer(g.blockIntervalMs)),
            ("commit_timeout_blocks", .integer(g.commitTimeoutBlocks)),
            ("challenge_window_blocks", .integer(g.challengeWindowBlocks)),
            ("move_timeout_blocks", .integer(g.moveTimeoutBlocks)), ("solver_deposit", .integer(g.solverDeposit)),
            ("challenger_deposit", .integer(g.challengerDeposit)), ("winner_share_bps", .integer(g.winnerShareBps)),
            ("max_frame_bytes", .integer(UInt64(g.maxFrameBytes))), ("challenges", .string(g.challenges.rawValue)),
            ("clock_blocks", .integer(g.clockBlocks)), ("storage", .string(g.storage.rawValue)),
        ] + (g.gasPriceWei == 0 ? [] : [("gas_price_wei", .integer(g.gasPriceWei))]) + [
            ("gas", .map([
                ("tx_base", .integer(gas.txBase)), ("calldata_zero_byte", .integer(gas.calldataZeroByte)),
                ("calldata_nonzero_byte", .integer(gas.calldataNonZeroByte)),
                ("sload_cold", .integer(gas.sloadCold)), ("sload_warm", .integer(gas.sloadWarm)),
                ("sstore_set", .integer(gas.sstoreSet)), ("sstore_reset", .integer(gas.sstoreReset)),
                ("sstore_clear_refund", .integer(gas.sstoreClearRefund)), ("max_refund_quotient", .integer(gas.maxRefundQuotient)),
                ("keccak_base", .integer(gas.keccakBase)), ("keccak_per_word", .integer(gas.keccakPerWord)),
                ("step_verify_base", .integer(gas.stepVerifyBase)),
                ("step_verify_per_proof_byte", .integer(gas.stepVerifyPerProofByte)),
                ("step_verify_per_work_unit", .integer(gas.stepVerifyPerWorkUnit)),
                ("block_gas_limit", .integer(gas.blockGasLimit)),
                ("gas_price_gwei", .number(gas.gasPriceGwei)), ("eth_price_usd", .number(gas.ethPriceUSD)),
            ])),
        ])))
        top.append(("network", .map([("judge_bind", .string(network.judgeBind)), ("latency_ms", .integer(network.latencyMs))])))
        top.append(("solver", Self.document(of: solver, verifier: false)))
        top.append(("verifiers", .list(verifiers.map { Self.document(of: $0, verifier: true) })))
        if let b = startingBalances {
            // In roster order, so the document reads like the scenario.
            let names = ([solver.name] + verifiers.map(\.name)).filter { b[$0] != nil }
            top.append(("starting_balances", .map(names.map { ($0, .integer(b[$0]!)) })))
        }
        if !accounts.isEmpty {
            let names = (["judge", solver.name] + verifiers.map(\.name)).filter { accounts[$0] != nil }
            top.append(("accounts", .map(names.map { ($0, .string(accounts[$0]!)) })))
        }
        var e: [(String, DocumentValue)] = []
        if let a = expect.accepted { e.append(("accepted", .bool(a))) }
        if let w = expect.winner { e.append(("winner", .string(w))) }
        if expect.minRounds != nil || expect.maxRounds != nil {
            var r: [(String, DocumentValue)] = []
            if let lo = expect.minRounds { r.append(("min", .integer(UInt64(lo)))) }
            if let hi = expect.maxRounds { r.append(("max", .integer(UInt64(hi)))) }
            e.append(("rounds", .map(r)))
        }
        if let s = expect.divergenceStep { e.append(("divergence_step", .integer(s))) }
        if let d = expect.disputes { e.append(("disputes", .integer(UInt64(d)))) }
        if let results = expect.disputeResults {
            e.append(("dispute_results", .list(results.map { d in
                var item: [(String, DocumentValue)] = [("challenger", .string(d.challenger))]
                if let k = d.kind { item.append(("kind", .string(k.rawValue))) }
                if let w = d.winner { item.append(("winner", .string(w))) }
                if let r = d.rounds { item.append(("rounds", Self.document(of: r) { .integer(UInt64($0)) })) }
                if let s = d.divergenceStep { item.append(("divergence_step", .integer(s))) }
                if let how = d.endedBy { item.append(("ended_by", .string(how.rawValue))) }
                return .map(item)
            })))
        }
        if expect.totalGas != nil || expect.partyGas != nil {
            var g: [(String, DocumentValue)] = []
            if let t = expect.totalGas { g.append(("total", Self.document(of: t) { .integer($0) })) }
            if let p = expect.partyGas { g.append(("by_party", .map(p.map { ($0.party, Self.document(of: $0.bounds) { .integer($0) }) }))) }
            e.append(("gas", .map(g)))
        }
        if let b = expect.balanceChanges {
            e.append(("balances", .map(b.map { ($0.party, Self.document(of: $0.bounds) { $0 < 0 ? .negative($0) : .integer(UInt64($0)) }) })))
        }
        if let s = expect.settlementBlock { e.append(("settlement_block", Self.document(of: s) { .integer($0) })) }
        if let o = expect.challengeOrder { e.append(("challenge_order", .list(o.map { .string($0) }))) }
        top.append(("expect", .map(e)))
        return .map(top)
    }

    /// Bounds as the scenario file writes them: `{min, max}` with the ends that are set.
    static func document<T>(of b: Bounds<T>, _ value: (T) -> DocumentValue) -> DocumentValue {
        var r: [(String, DocumentValue)] = []
        if let lo = b.min { r.append(("min", value(lo))) }
        if let hi = b.max { r.append(("max", value(hi))) }
        return .map(r)
    }

    static func document(of party: PartySpec, verifier: Bool) -> DocumentValue {
        var m: [(String, DocumentValue)] = [("name", .string(party.name)), ("faults", .list(party.faults.map(document(of:))))]
        if verifier { m.append(("challenge_delay_blocks", .integer(party.challengeDelayBlocks))) }
        return .map(m)
    }

    static func document(of fault: FaultSpec) -> DocumentValue {
        func one(_ name: String, _ args: [(String, DocumentValue)]) -> DocumentValue { .map([(name, .map(args))]) }
        switch fault {
        case let .corrupt(step, target, bit):
            let t: (String, DocumentValue)
            switch target {
            case let .register(r): t = ("register", .integer(UInt64(r)))
            case let .memory(address): t = ("memory", .integer(address))
            case .pc: t = ("pc", .bool(true))
            }
            return one("corrupt", [("step", .integer(step)), t, ("bit", .integer(UInt64(bit)))])
        case .solver(.wrongOutput): return one("wrong_output", [])
        case .solver(.refuseFinalProof): return one("refuse_final_proof", [])
        case let .solver(.wrongStepCount(by)): return one("wrong_step_count", [("by", by < 0 ? .negative(by) : .integer(UInt64(by)))])
        case let .solver(.lieInBisection(r)), let .verifier(.lieInBisection(r)):
            return one("lie_in_bisection", [("from_round", .integer(UInt64(r)))])
        case let .solver(.silent(m)), let .verifier(.silent(m)): return one("silent", [("from_move", .integer(UInt64(m)))])
        case let .verifier(.challengeCorrectResult(kind)): return one("challenge_correct_result", [("kind", .string(kind.rawValue))])
        case let .delayMessages(ms): return one("delay_messages", [("ms", .integer(ms))])
        case let .dropMessages(p, after):
            var args: [(String, DocumentValue)] = [("probability", .number(p))]
            if let after { args.append(("after", .integer(UInt64(after)))) }
            return one("drop_messages", args)
        }
    }

    /// The resolved scenario as a scenario file.
    public var yaml: String { (try? Yams.serialize(node: document.node)) ?? "" }
}
