import Game

// `expect:`: what the run must show. Party names are checked against the scenario's
// parties here, so a typo is a load error, not an expectation that can never hold.

extension ScenarioLoader {
    /// The keys `expect:` may have, in the order docs/SCENARIOS.md lists them.
    static let expectationKeys = ["accepted", "winner", "rounds", "divergence_step", "disputes", "dispute_results", "gas",
                                  "balances", "settlement_block", "challenge_order"]

    static func parseExpectations(_ v: YAMLValue, solver: String, verifiers: [String]) throws -> Expectations {
        let parties = [solver] + verifiers
        let m = try v.mapping(allowed: expectationKeys)
        var e = Expectations()
        if let s = m.optional("accepted") { e.accepted = try s.bool() }
        if let s = m.optional("winner") {
            let w = try s.string()
            guard w == "none" || parties.contains(w) else {
                throw s.error("`\(w)` is not a party of this scenario; expected one of \(parties.map { "`\($0)`" }.joined(separator: ", ")) or `none`")
            }
            e.winner = w
        }
        if let s = m.optional("rounds") {
            if case .mapping = s.node {
                let r = try s.mapping(allowed: ["min", "max"], what: "an integer or a mapping with keys min, max")
                e.minRounds = try r.optional("min")?.integer(0...Int.max)
                e.maxRounds = try r.optional("max")?.integer(0...Int.max)
                if let lo = e.minRounds, let hi = e.maxRounds, lo > hi {
                    throw s.error("`min` (\(lo)) is greater than `max` (\(hi))")
                }
            } else {
                let n = try s.integer(0...Int.max)
                e.minRounds = n; e.maxRounds = n
            }
        }
        if let s = m.optional("divergence_step") { e.divergenceStep = try s.integer(UInt64.min...UInt64.max) }
        if let s = m.optional("disputes") { e.disputes = try s.integer(0...Int.max) }
        if let s = m.optional("dispute_results") {
            var seen: [String: YAMLValue] = [:]
            e.disputeResults = try s.sequence(of: "dispute expectations (each a mapping with `challenger` and what its dispute must show)").map { item in
                let (d, at) = try parseDisputeExpectation(item, solver: solver, verifiers: verifiers)
                if let earlier = seen[d.challenger] {
                    let line = earlier.node.mark.map { " (first at line \($0.line))" } ?? ""
                    throw at.error("`\(d.challenger)` has two entries\(line); a verifier challenges at most once, so give one entry per challenger")
                }
                seen[d.challenger] = at
                return d
            }
        }
        if let s = m.optional("gas") {
            let g = try s.mapping(allowed: ["total", "by_party"])
            if let t = g.optional("total") { e.totalGas = try parseBounds(t, UInt64.min...UInt64.max) }
            if let b = g.optional("by_party") {
                e.partyGas = try parseNamedBounds(b, parties: parties, UInt64.min...UInt64.max)
            }
        }
        if let s = m.optional("balances") {
            e.balanceChanges = try parseNamedBounds(s, parties: parties, Int64.min...Int64.max)
        }
        if let s = m.optional("settlement_block") { e.settlementBlock = try parseBounds(s, UInt64.min...UInt64.max) }
        if let s = m.optional("challenge_order") {
            var seen: Set<String> = []
            e.challengeOrder = try s.sequence(of: "verifier names, in the order their challenges reach the chain").map { item in
                let name = try item.string()
                guard verifiers.contains(name) else {
                    throw item.error("`\(name)` is not a verifier of this scenario; verifiers: \(verifiers.joined(separator: ", "))")
                }
                guard seen.insert(name).inserted else { throw item.error("`\(name)` is listed twice; a verifier challenges at most once") }
                return name
            }
        }
        return e
    }

    static let disputeExpectationKeys = ["challenger", "kind", "winner", "rounds", "divergence_step", "ended_by"]

    /// One item of `dispute_results`, and the node naming its challenger.
    static func parseDisputeExpectation(_ v: YAMLValue, solver: String, verifiers: [String])
        throws -> (DisputeExpectation, YAMLValue) {
        let m = try v.mapping(allowed: disputeExpectationKeys)
        let c = try m.required("challenger")
        let challenger = try c.string()
        guard verifiers.contains(challenger) else {
            let list = verifiers.isEmpty ? "this scenario has no verifiers" : "expected one of " + verifiers.map { "`\($0)`" }.joined(separator: ", ")
            throw c.error("`\(challenger)` is not a verifier of this scenario (only verifiers challenge); \(list)")
        }
        var d = DisputeExpectation(challenger: challenger)
        if let s = m.optional("kind") {
            let text = try s.string()
            guard let k = DisputeKind(rawValue: text) else {
                throw s.error("expected one of \(DisputeKind.allCases.map(\.rawValue).joined(separator: ", ")), got \(quoted(text))")
            }
            d.kind = k
        }
        if let s = m.optional("winner") {
            let w = try s.string()
            guard w == solver || w == challenger || w == "none" else {
                throw s.error("`\(w)` cannot win this dispute; expected the solver `\(solver)`, the challenger `\(challenger)` or `none` (never played)")
            }
            d.winner = w
        }
        if let s = m.optional("rounds") { d.rounds = try parseBounds(s, 0...Int.max) }
        if let s = m.optional("divergence_step") { d.divergenceStep = try s.integer(UInt64.min...UInt64.max) }
        if let s = m.optional("ended_by") {
            let text = try s.string()
            guard let how = DisputeEnding(rawValue: text) else {
                throw s.error("expected one of \(DisputeEnding.allCases.map(\.rawValue).joined(separator: ", ")), got \(quoted(text))")
            }
            d.endedBy = how
        }
        return (d, c)
    }

    /// `n` (exactly n) or `{min: a, max: b}` with at least one bound, min ≤ max.
    static func parseBounds<T: FixedWidthInteger & Codable & Sendable>(_ s: YAMLValue, _ range: ClosedRange<T>) throws -> Bounds<T> {
        guard case .mapping = s.node else { return .exactly(try s.integer(range)) }
        let r = try s.mapping(allowed: ["min", "max"], what: "an integer or a mapping with keys min, max")
        let b = Bounds(min: try r.optional("min")?.integer(range), max: try r.optional("max")?.integer(range))
        if b.min == nil && b.max == nil { throw s.error("give `min`, `max` or both") }
        if let lo = b.min, let hi = b.max, lo > hi { throw s.error("`min` (\(lo)) is greater than `max` (\(hi))") }
        return b
    }

    /// A mapping of party names to bounds, in the file's order.
    static func parseNamedBounds<T: FixedWidthInteger & Codable & Sendable>(_ s: YAMLValue, parties: [String],
                                                                          _ range: ClosedRange<T>) throws -> [NamedBounds<T>] {
        let m = try s.mapping(allowed: parties, what: "a mapping of party names (\(parties.joined(separator: ", "))) to an integer or {min, max}")
        return try m.entries.map { NamedBounds(party: $0.name, bounds: try parseBounds($0.value, range)) }
    }
}
