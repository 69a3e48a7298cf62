import Foundation
import Game
import Scenario

/// The report of one scenario run: the judge's `GameReport` with party numbers replaced
/// by the scenario's names, the parties' own metrics, and the scenario's expectations
/// checked. Its JSON (snake_case keys, every documented key always present, `null` where
/// there is no value) is what users' tools read; `terminalSummary` and `html` render it.
public struct ScenarioReport: Codable, Equatable, Sendable {
    /// The JSON layout's version (docs/REPORT.md); bumped when a key changes meaning or goes.
    public static let currentSchemaVersion = 4

    /// The layout this report follows.
    public var schemaVersion: Int
    /// What wrote it: `tbsim` and its version.
    public var generator: String
    /// Which scenario ran.
    public var scenario: ScenarioInfo
    /// Accepted or not, and who won (by name).
    public var outcome: OutcomeInfo
    /// The computation and the solver's claim about it.
    public var task: TaskInfo
    /// k of the bisection.
    public var arity: Int
    /// Where k came from: the scenario, or (`k: auto`) why the chain chose it.
    public var arityChoice: String
    /// One entry per accepted challenge, in challenge order.
    public var disputes: [DisputeInfo]
    /// Gas in total, per party and per move kind.
    public var gas: GasInfo
    /// Deposit-currency balances before and after, per party.
    public var balances: [BalanceInfo]
    /// Deposit value destroyed by slashing.
    public var burned: UInt64
    /// Frames delivered between judge and parties (both directions).
    public var messages: Int
    /// Bytes of those frames.
    public var bytes: Int
    /// Frames the judge refused.
    public var rejectedFrames: Int
    /// Block at which the game settled.
    public var finalBlock: UInt64
    /// Chain time (ms) at which the game settled; clock-derived in a multi-process run.
    public var finalTimeMs: UInt64
    /// Wall-clock seconds of the whole run (not deterministic).
    public var wallSeconds: Double
    /// What each role process measured.
    public var parties: [PartyMetrics]
    /// Every ledger entry, with names instead of party numbers.
    public var timeline: [TimelineInfo]
    /// Which clock the blocks came from, and which of them could differ on another run.
    public var clock: ClockInfo
    /// One entry per expectation the scenario set, in a fixed order.
    public var expectations: [ExpectationResult]
    /// True iff every expectation passed (true when there are none).
    public var passed: Bool
    /// Role processes that ended before the game did (a multi-process run only): events
    /// of the game, decided by its timeouts, not failures of the run. Always written (`[]`
    /// when none); optional only so reports written before the key existed still load.
    public var processEvents: [ProcessEvent]? = []

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", generator
        case scenario, outcome, task, arity, arityChoice = "arity_choice", disputes, gas, balances, burned, messages, bytes
        case rejectedFrames = "rejected_frames", finalBlock = "final_block", finalTimeMs = "final_time_ms"
        case wallSeconds = "wall_seconds", parties, timeline, clock, expectations, passed
        case processEvents = "process_events"
    }

    /// Builds the report of a finished run: names parties by `spec`'s roster, fills the
    /// task's roots from the game (the solver's claim if it stands, else the winning
    /// challenger's own run) and checks `spec.expect` against the game. `clock` says how
    /// the run was played (one process on a virtual clock, or role processes in real
    /// time) and `processEvents` which role processes ended before the game did.
    public init(spec: ScenarioSpec, file: String, game: GameReport, parties: [PartyMetrics], wallSeconds: Double,
                generator: String = "tbsim", clock mode: ClockInfo.Mode = .virtual, processEvents: [ProcessEvent] = []) {
        schemaVersion = Self.currentSchemaVersion
        self.generator = generator
        let roster = Roster(spec)
        let words = ReasonText(roster: roster)
        let names = roster
        scenario = ScenarioInfo(name: spec.name, file: file, seed: spec.seed, digest: spec.digest.hex, resolved: spec.document)
        outcome = OutcomeInfo(accepted: game.outcome.accepted, winner: game.outcome.winner.map(names.name(of:)),
                              reason: words.text(game.outcome.reason), reasonCode: game.outcome.reason.code)
        let program: String
        switch spec.task.image {
        case let .program(path): program = path
        case .linux: program = "linux"
        }
        var settled: Claim?
        if game.outcome.accepted {
            settled = game.claim
        } else if let w = game.outcome.winner, let name = roster.entry(for: w)?.name {
            settled = parties.first { $0.name == name }?.ownClaim
        }
        task = TaskInfo(program: program, steps: game.taskSteps, initialRoot: game.task.initialRoot.hex,
                        outputHash: settled?.outputHash.hex, finalRoot: settled?.root.hex)
        arity = game.arity
        arityChoice = game.arityChoice.map { words.text(arityChoice: $0, steps: game.taskSteps ?? 0, next: nil) }
            ?? (spec.game.isAutoArity ? "k: auto, not chosen (no claim was committed)" : "set by the scenario (k: \(game.arity))")
        disputes = game.disputes.map { d in
            // The interval the dispute ended on, as the judge recorded it when resolving it.
            let end = d.kind == .trace ? game.timeline.last { $0.kind == .disputeResolved && $0.dispute == d.id } : nil
            return DisputeInfo(id: d.id, challenger: names.name(of: d.challenger), kind: d.kind, rounds: d.rounds,
                               picks: d.picks, endedBy: d.reason.disputeEnding,
                               divergenceStep: Self.divergenceStep(d, claimedSteps: game.taskSteps),
                               lo: end?.lo, hi: end?.hi, winner: d.winner.map(names.name(of:)),
                               proofBytes: d.proofBytes, gas: d.gas, startBlock: d.startBlock, endBlock: d.endBlock,
                               reason: words.text(d.reason), reasonCode: d.reason.code)
        }
        var byParty: [String: UInt64] = [:]
        for p in game.gas.byParty { byParty[names.name(of: p.party), default: 0] += p.gas }
        gas = GasInfo(
            total: game.gas.totalGas, totalEth: game.gas.totalEth, totalUsd: game.gas.totalUsd,
            gasPriceGwei: game.gas.gasPriceGwei, ethPriceUsd: game.gas.ethPriceUsd, byParty: byParty,
            byPartyDetail: game.gas.byParty.map {
                PartyGasInfo(party: names.name(of: $0.party), transactions: $0.transactions, gas: $0.gas, eth: $0.eth,
                             usd: $0.usd)
            },
            byMove: game.gas.byMove.map { MoveGasInfo(kind: $0.kind, count: $0.count, gas: $0.gas, eth: $0.eth, usd: $0.usd) })
        balances = game.balances.map { BalanceInfo(party: names.name(of: $0.party), start: $0.start, end: $0.end) }
        burned = game.burned
        messages = game.messages
        bytes = game.bytes
        rejectedFrames = game.rejectedFrames
        finalBlock = game.finalBlock
        finalTimeMs = game.finalTimeMs
        self.wallSeconds = wallSeconds
        self.parties = parties
        timeline = game.timeline.map {
            TimelineInfo(block: $0.block, timeMs: $0.timeMs, party: names.name(of: $0.party), kind: $0.kind, gas: $0.gas,
                         bytes: $0.bytes, dispute: $0.dispute, lo: $0.lo, hi: $0.hi, deadline: $0.deadline)
        }
        self.processEvents = processEvents
        clock = ClockInfo(mode: mode, timeline: game.timeline, processEvents: processEvents)
        expectations = ScenarioReport.evaluate(spec.expect, outcome: outcome, disputes: disputes)
            + ScenarioReport.evaluateMoney(spec.expect, gas: gas, balances: balances, finalBlock: finalBlock)
        passed = expectations.allSatisfy(\.passed)
    }

    /// The step at which a trace dispute showed the solver's and the challenger's traces
    /// to part: the step whose one-step proof the judge checked, when that step lies
    /// inside the solver's claimed run. Nil when no proof was checked (a timeout, an output
    /// dispute, an unplayed one: the interval it stood at is `lo`/`hi`) and when the proof
    /// was of a padded step at or past the claimed halt — the halted state's identity step,
    /// reached only when the challenger's picks agreed with every root the solver posted
    /// inside its run, so nothing diverged there. (Two runs that differ part before the
    /// earlier halt of the two: a state equal to a halted one is halted too.)
    static func divergenceStep(_ d: DisputeReport, claimedSteps: UInt64?) -> UInt64? {
        guard d.kind == .trace, let step = d.reason.provenStep, let n = claimedSteps, step < n else { return nil }
        return step
    }

    /// Checks each set expectation. Round bounds apply to every dispute that was played
    /// (a queued challenge refunded because the game ended first has no rounds to speak
    /// of) and fail when no dispute was played at all: a scenario that bounds rounds
    /// expects a dispute.
    static func evaluate(_ e: Expectations, outcome: OutcomeInfo, disputes: [DisputeInfo]) -> [ExpectationResult] {
        var out: [ExpectationResult] = []
        if let a = e.accepted {
            out.append(ExpectationResult(key: "accepted", expected: String(a), actual: String(outcome.accepted),
                                         passed: a == outcome.accepted))
        }
        if let w = e.winner {
            let actual = outcome.winner ?? "none"
            out.append(ExpectationResult(key: "winner", expected: w, actual: actual, passed: w == actual))
        }
        if let n = e.disputes {
            out.append(ExpectationResult(key: "disputes", expected: String(n), actual: String(disputes.count),
                                         passed: n == disputes.count))
        }
        let played = disputes.filter { $0.winner != nil }
        let roundsActual = played.isEmpty ? "no dispute played" : played.map { String($0.rounds) }.joined(separator: ", ")
        if let lo = e.minRounds {
            out.append(ExpectationResult(key: "min_rounds", expected: "≥ \(lo)", actual: roundsActual,
                                         passed: !played.isEmpty && played.allSatisfy { $0.rounds >= lo }))
        }
        if let hi = e.maxRounds {
            out.append(ExpectationResult(key: "max_rounds", expected: "≤ \(hi)", actual: roundsActual,
                                         passed: !played.isEmpty && played.allSatisfy { $0.rounds <= hi }))
        }
        if let s = e.divergenceStep {
            let steps = disputes.filter { $0.kind == .trace }.compactMap(\.divergenceStep)
            out.append(ExpectationResult(key: "divergence_step", expected: String(s),
                                         actual: steps.isEmpty ? "none" : steps.map(String.init).joined(separator: ", "),
                                         passed: steps.contains(s)))
        }
        for want in e.disputeResults ?? [] {
            out += evaluate(want, dispute: disputes.first { $0.challenger == want.challenger })
        }
        if let o = e.challengeOrder {
            // Disputes are numbered in the order their challenges were admitted.
            let actual = disputes.sorted { $0.id < $1.id }.map(\.challenger)
            out.append(ExpectationResult(key: "challenge_order", expected: o.joined(separator: ", "),
                                         actual: actual.isEmpty ? "none" : actual.joined(separator: ", "), passed: actual == o))
        }
        return out
    }

    /// Checks one `dispute_results` entry against the dispute its challenger opened (nil:
    /// it opened none, and every field fails).
    static func evaluate(_ want: DisputeExpectation, dispute d: DisputeInfo?) -> [ExpectationResult] {
        var out: [ExpectationResult] = []
        func check(_ field: String, _ expected: String, _ actual: (DisputeInfo) -> String, _ passed: (DisputeInfo) -> Bool) {
            out.append(ExpectationResult(key: "dispute_results[\(want.challenger)].\(field)", expected: expected,
                                         actual: d.map(actual) ?? "no dispute", passed: d.map(passed) ?? false))
        }
        if let k = want.kind { check("kind", k.rawValue, { $0.kind.rawValue }, { $0.kind == k }) }
        if let w = want.winner { check("winner", w, { $0.winner ?? "none" }, { ($0.winner ?? "none") == w }) }
        if let r = want.rounds {
            // An unplayed dispute has no rounds to speak of, as for `rounds`.
            check("rounds", describe(r), { $0.winner == nil ? "not played" : String($0.rounds) },
                  { $0.winner != nil && r.contains($0.rounds) })
        }
        if let s = want.divergenceStep {
            check("divergence_step", String(s), { $0.divergenceStep.map(String.init) ?? "none" }, { $0.divergenceStep == s })
        }
        if let how = want.endedBy {
            check("ended_by", how.rawValue, { $0.endedBy?.rawValue ?? "none" }, { $0.endedBy == how })
        }
        return out
    }

    /// Checks the expectations on gas, balances and the settlement block.
    static func evaluateMoney(_ e: Expectations, gas: GasInfo, balances: [BalanceInfo], finalBlock: UInt64) -> [ExpectationResult] {
        var out: [ExpectationResult] = []
        if let b = e.totalGas {
            out.append(ExpectationResult(key: "gas.total", expected: describe(b), actual: String(gas.total),
                                         passed: b.contains(gas.total)))
        }
        for p in e.partyGas ?? [] {
            let g = gas.byParty[p.party] ?? 0
            out.append(ExpectationResult(key: "gas.by_party.\(p.party)", expected: describe(p.bounds), actual: String(g),
                                         passed: p.bounds.contains(g)))
        }
        for p in e.balanceChanges ?? [] {
            let change = balances.first { $0.party == p.party }.map { Int64(bitPattern: $0.end &- $0.start) }
            out.append(ExpectationResult(key: "balances.\(p.party)", expected: describe(p.bounds, sign: true),
                                         actual: change.map(signed) ?? "no balance",
                                         passed: change.map(p.bounds.contains) ?? false))
        }
        if let b = e.settlementBlock {
            out.append(ExpectationResult(key: "settlement_block", expected: describe(b), actual: String(finalBlock),
                                         passed: b.contains(finalBlock)))
        }
        return out
    }

    /// Bounds in words: "n", "≥ a", "≤ b" or "a…b"; with `sign`, positive values as "+n".
    static func describe<T: BinaryInteger>(_ b: Bounds<T>, sign: Bool = false) -> String {
        let text = { (v: T) in sign && v > 0 ? "+" + String(v) : String(v) }
        switch (b.min, b.max) {
        case let (lo?, hi?): return lo == hi ? text(lo) : text(lo) + "…" + text(hi)
        case let (lo?, nil): return "≥ " + text(lo)
        case let (nil, hi?): return "≤ " + text(hi)
        case (nil, nil): return "any"
        }
    }

    /// A change with its sign: "+500", "-1000", "0".
    static func signed(_ n: Int64) -> String { n > 0 ? "+\(n)" : String(n) }

    /// The report as JSON: pretty-printed with sorted keys, so two equal reports give
    /// byte-identical files. Infinite or NaN figures are written as strings rather than
    /// failing the whole report.
    public func jsonData() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                  nan: "nan")
        return try enc.encode(self)
    }

    /// Reads a report written by `jsonData()`.
    public static func decode(json: Data) throws -> ScenarioReport {
        let dec = JSONDecoder()
        dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                    nan: "nan")
        return try dec.decode(ScenarioReport.self, from: json)
    }

    /// Same report with wall-clock fields zeroed (`wall_seconds`, the parties' compute and
    /// wall seconds, the timeline's `time_ms`, `final_time_ms`, `process_events[].at_seconds`): two runs of one
    /// scenario must produce equal `deterministicView()`s.
    public func deterministicView() -> ScenarioReport {
        var r = self
        r.wallSeconds = 0
        r.finalTimeMs = 0
        for i in r.parties.indices { r.parties[i].computeSeconds = 0; r.parties[i].wallSeconds = 0 }
        for i in r.timeline.indices { r.timeline[i].timeMs = 0 }
        r.processEvents = r.processEvents?.map { var e = $0; e.atSeconds = 0; return e }
        return r
    }
}

/// A role process that ended on its own during a run (killed, crashed, gave up).
public struct ProcessEvent: Codable, Equatable, Sendable {
    /// The role's name (`judge`, `solver`, a verifier's name).
    public var process: String
    /// Seconds after the launch when the launcher saw it gone.
    public var atSeconds: Double
    /// How it ended, e.g. "killed by signal 9" or "exited with status 1".
    public var how: String
    enum CodingKeys: String, CodingKey { case process, atSeconds = "at_seconds", how }
    /// Builds an event.
    public init(process: String, atSeconds: Double, how: String) {
        self.process = process; self.atSeconds = atSeconds; self.how = how
    }
}

extension ScenarioReport {
    /// `scenario {name, file, seed}`.
    public struct ScenarioInfo: Codable, Equatable, Sendable {
        /// The scenario's name.
        public var name: String
        /// The scenario file as given.
        public var file: String
        /// The seed every random choice derived from.
        public var seed: UInt64
        /// keccak256 of the resolved scenario (what every node checked it plays).
        public var digest: String
        /// The scenario as resolved, in the scenario file's keys: every parameter, default
        /// and fault that was simulated (docs/SCENARIOS.md).
        public var resolved: DocumentValue
    }

    /// `outcome {accepted, winner, reason}`.
    public struct OutcomeInfo: Codable, Equatable, Sendable {
        /// True if the solver's claim stands.
        public var accepted: Bool
        /// The winner's name; nil (JSON null) if nobody committed.
        public var winner: String?
        /// Why, in words.
        public var reason: String
        /// Why, as a stable code for tools (`no_challenge`, `solver_lost_dispute`, …).
        public var reasonCode: String

        enum CodingKeys: String, CodingKey { case accepted, winner, reason, reasonCode = "reason_code" }

        /// Writes `winner` as null when absent (the key is always present).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(accepted, forKey: .accepted)
            try c.encode(winner, forKey: .winner)
            try c.encode(reason, forKey: .reason)
            try c.encode(reasonCode, forKey: .reasonCode)
        }
    }

    /// `task {program, steps, initial_root, output_hash, final_root}`.
    public struct TaskInfo: Codable, Equatable, Sendable {
        /// The program's path, or "linux" for the Linux workload.
        public var program: String
        /// Steps the solver claimed (null if it never committed).
        public var steps: UInt64?
        /// Root of the task's initial state (`0x…`), agreed by construction.
        public var initialRoot: String
        /// Output hash of the result the game settled on (`0x…`): the solver's claim if it
        /// stands, else the winning challenger's own run; null when nobody committed.
        public var outputHash: String?
        /// Final state root of the result the game settled on (`0x…`), as `output_hash`.
        public var finalRoot: String?

        enum CodingKeys: String, CodingKey {
            case program, steps, initialRoot = "initial_root", outputHash = "output_hash", finalRoot = "final_root"
        }

        /// Writes absent values as null (every key is always present).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(program, forKey: .program)
            try c.encode(steps, forKey: .steps)
            try c.encode(initialRoot, forKey: .initialRoot)
            try c.encode(outputHash, forKey: .outputHash)
            try c.encode(finalRoot, forKey: .finalRoot)
        }
    }

    /// One dispute, parties by name.
    public struct DisputeInfo: Codable, Equatable, Sendable {
        /// Dispute number (1-based, challenge order).
        public var id: UInt32
        /// The challenger's name.
        public var challenger: String
        /// Trace or output.
        public var kind: DisputeKind
        /// 1 (challenge) + picks + 1 if the closing move was made.
        public var rounds: Int
        /// Pick rounds played.
        public var picks: Int
        /// How it ended: a step proof or output opening checked, a timeout, … . Always
        /// written; optional only so reports written before the key existed still load.
        public var endedBy: DisputeEnding?
        /// The step whose one-step proof showed where the two traces part (see
        /// `ScenarioReport.divergenceStep(_:claimedSteps:)`); null when no proof was
        /// checked inside the claimed run.
        public var divergenceStep: UInt64?
        /// The disputed interval [lo, hi] when the dispute ended (trace disputes that were
        /// played; null otherwise): one step when a step proof decided, wider when a
        /// timeout did.
        public var lo: UInt64?
        /// See `lo`.
        public var hi: UInt64?
        /// The winner's name (null if the dispute was never played).
        public var winner: String?
        /// Size of the closing proof or opening.
        public var proofBytes: Int
        /// Gas of all the dispute's transactions.
        public var gas: UInt64
        /// Block at which it started being played.
        public var startBlock: UInt64?
        /// Block at which it was resolved.
        public var endBlock: UInt64?
        /// Why it ended, in words.
        public var reason: String
        /// Why it ended, as a stable code for tools.
        public var reasonCode: String

        enum CodingKeys: String, CodingKey {
            case id, challenger, kind, rounds, picks, endedBy = "ended_by", divergenceStep = "divergence_step", lo, hi
            case winner, proofBytes = "proof_bytes", gas, startBlock = "start_block", endBlock = "end_block", reason
            case reasonCode = "reason_code"
        }

        /// Writes absent values as null (every key is always present).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(challenger, forKey: .challenger)
            try c.encode(kind, forKey: .kind)
            try c.encode(rounds, forKey: .rounds)
            try c.encode(picks, forKey: .picks)
            try c.encode(endedBy, forKey: .endedBy)
            try c.encode(divergenceStep, forKey: .divergenceStep)
            try c.encode(lo, forKey: .lo)
            try c.encode(hi, forKey: .hi)
            try c.encode(winner, forKey: .winner)
            try c.encode(proofBytes, forKey: .proofBytes)
            try c.encode(gas, forKey: .gas)
            try c.encode(startBlock, forKey: .startBlock)
            try c.encode(endBlock, forKey: .endBlock)
            try c.encode(reason, forKey: .reason)
            try c.encode(reasonCode, forKey: .reasonCode)
        }
    }

    /// `gas {total, total_eth, total_usd, by_party, by_party_detail, by_move, …}`.
    public struct GasInfo: Codable, Equatable, Sendable {
        /// Gas over all parties.
        public var total: UInt64
        /// `total` in ETH.
        public var totalEth: Double
        /// `total` in USD.
        public var totalUsd: Double
        /// Gas price used for the conversions (gwei per gas).
        public var gasPriceGwei: Double
        /// ETH price used for the conversions (USD).
        public var ethPriceUsd: Double
        /// Party name → gas, for tools that want a lookup.
        public var byParty: [String: UInt64]
        /// Per party: transactions, gas, ETH, USD (by party number).
        public var byPartyDetail: [PartyGasInfo]
        /// Per move kind, in order of first appearance.
        public var byMove: [MoveGasInfo]

        enum CodingKeys: String, CodingKey {
            case total, totalEth = "total_eth", totalUsd = "total_usd", gasPriceGwei = "gas_price_gwei"
            case ethPriceUsd = "eth_price_usd", byParty = "by_party", byPartyDetail = "by_party_detail", byMove = "by_move"
        }
    }

    /// Gas one party paid.
    public struct PartyGasInfo: Codable, Equatable, Sendable {
        /// The party's name.
        public var party: String
        /// Transactions charged to it.
        public var transactions: Int
        /// Gas.
        public var gas: UInt64
        /// In ETH.
        public var eth: Double
        /// In USD.
        public var usd: Double
    }

    /// Gas of one move kind over all parties.
    public struct MoveGasInfo: Codable, Equatable, Sendable {
        /// Move kind (commit, challenge, post_roots, …).
        public var kind: LedgerEntryKind
        /// How many were charged.
        public var count: Int
        /// Gas.
        public var gas: UInt64
        /// In ETH.
        public var eth: Double
        /// In USD.
        public var usd: Double
    }

    /// One party's balance before and after.
    public struct BalanceInfo: Codable, Equatable, Sendable {
        /// The party's name.
        public var party: String
        /// Before the game.
        public var start: UInt64
        /// After settlement.
        public var end: UInt64
    }

    /// One ledger entry, party by name.
    public struct TimelineInfo: Codable, Equatable, Sendable {
        /// Block it was included in.
        public var block: UInt64
        /// Chain time in ms (clock-derived in a multi-process run; zeroed by `deterministicView`).
        public var timeMs: UInt64
        /// Who sent it (or "judge" for chain-side events).
        public var party: String
        /// What the entry records.
        public var kind: LedgerEntryKind
        /// Gas charged.
        public var gas: UInt64
        /// Frame size (0 for chain-side events).
        public var bytes: Int
        /// Dispute it belongs to (null if none).
        public var dispute: UInt32?
        /// Disputed interval's low end after the move (null outside trace disputes).
        public var lo: UInt64?
        /// Disputed interval's high end after the move (null outside trace disputes).
        public var hi: UInt64?
        /// The block by which the next move of its phase or dispute is due, set by this
        /// entry (null when it set none). Optional only so that reports written before the
        /// key existed still load.
        public var deadline: UInt64?

        enum CodingKeys: String, CodingKey { case block, timeMs = "time_ms", party, kind, gas, bytes, dispute, lo, hi, deadline }

        /// Writes absent values as null (every key is always present).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(block, forKey: .block)
            try c.encode(timeMs, forKey: .timeMs)
            try c.encode(party, forKey: .party)
            try c.encode(kind, forKey: .kind)
            try c.encode(gas, forKey: .gas)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(dispute, forKey: .dispute)
            try c.encode(lo, forKey: .lo)
            try c.encode(hi, forKey: .hi)
            try c.encode(deadline, forKey: .deadline)
        }
    }

    /// One checked expectation. `expected` and `actual` are text so every kind fits one
    /// shape (e.g. "≥ 3" against "4, 5").
    public struct ExpectationResult: Codable, Equatable, Sendable {
        /// accepted | winner | disputes | min_rounds | max_rounds | divergence_step |
        /// dispute_results[CHALLENGER].FIELD | gas.total | gas.by_party.NAME | balances.NAME |
        /// settlement_block.
        public var key: String
        /// What the scenario asked for.
        public var expected: String
        /// What happened.
        public var actual: String
        /// Whether it matched.
        public var passed: Bool
    }
}
