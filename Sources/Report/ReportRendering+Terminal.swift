import Foundation

extension ScenarioReport {
    /// A compact, readable block for the terminal: scenario, verdict, task, each dispute,
    /// gas per party and in total (gas/ETH/USD), traffic, wall time and the expectation
    /// results with an overall PASS/FAIL. ANSI colours only if `color`; control characters
    /// in user-supplied names are replaced so a name cannot drive the terminal.
    public func terminalSummary(color: Bool) -> String {
        let t = TerminalStyle(enabled: color)
        var lines: [String] = []
        func row(_ label: String, _ text: String) {
            lines.append(t.dim(label.padding(toLength: 14, withPad: " ", startingAt: 0)) + text)
        }
        let cont = String(repeating: " ", count: 14)

        row("scenario", t.bold(clean(scenario.name)) + "  (seed \(scenario.seed), \(clean(scenario.file)))")

        let verdict = outcome.accepted ? t.green(t.bold("ACCEPTED")) : t.yellow(t.bold("REJECTED"))
        row("verdict", verdict + "  winner: " + t.bold(clean(outcome.winner ?? "none")) + " — " + clean(outcome.reason))

        let steps = task.steps.map { ReportFormat.grouped($0) + " steps claimed" } ?? "no claim"
        row("task", clean(task.program) + " · " + steps + " · arity \(arity)" + (arityChoice.hasPrefix("set by") ? "" : " (auto)"))

        if disputes.isEmpty {
            row("disputes", "none")
        }
        for d in disputes {
            let who = "\(clean(d.challenger)) · \(d.kind.rawValue)"
            let gasText = ReportFormat.grouped(d.gas) + " gas"
            if d.winner == nil && d.startBlock == nil {
                row("dispute #\(d.id)", "\(who) · \(clean(d.reason)) · \(gasText)")
                continue
            }
            var parts = [who, "winner " + clean(d.winner ?? "none"),
                         "\(d.rounds) round\(d.rounds == 1 ? "" : "s") (\(d.picks) pick\(d.picks == 1 ? "" : "s"))"]
            parts.append(Self.howItEnded(d, claimedSteps: task.steps))
            row("dispute #\(d.id)", parts.joined(separator: " · "))
            lines.append(cont + "proof " + ReportFormat.grouped(d.proofBytes) + " B · " + gasText
                         + (d.winner == nil ? " · " + clean(d.reason) : ""))
        }

        let nameWidth = max(5, gas.byPartyDetail.map { clean($0.party).count }.max() ?? 0)
        let gasWidth = ReportFormat.grouped(gas.total).count
        let ethWidth = ([gas.totalEth] + gas.byPartyDetail.map(\.eth)).map { ReportFormat.eth($0).count }.max()!
        let usdWidth = ([gas.totalUsd] + gas.byPartyDetail.map(\.usd)).map { ReportFormat.usd($0).count }.max()!
        func right(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        func gasLine(_ name: String, _ g: UInt64, _ eth: Double, _ usd: Double, _ tail: String) -> String {
            name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + right(ReportFormat.grouped(g), gasWidth)
                + " gas  " + right(ReportFormat.eth(eth), ethWidth) + "  " + right(ReportFormat.usd(usd), usdWidth) + tail
        }
        var first = true
        for p in gas.byPartyDetail {
            let text = gasLine(clean(p.party), p.gas, p.eth, p.usd, "  (\(p.transactions) tx)")
            if first { row("gas", text); first = false } else { lines.append(cont + text) }
        }
        let total = t.bold(gasLine("total", gas.total, gas.totalEth, gas.totalUsd, ""))
        if first { row("gas", total) } else { lines.append(cont + total) }

        row("network", "\(ReportFormat.grouped(messages)) messages · \(ReportFormat.grouped(bytes)) bytes · "
            + "\(rejectedFrames) rejected frames")
        row("wall time", ReportFormat.seconds(wallSeconds))
        let blocks = "settled in block \(ReportFormat.grouped(finalBlock))"
        switch clock.mode {
        case .virtual: row("clock", blocks + " · virtual, blocks by rule (reproducible)")
        case .realTime where clock.reproducible: row("clock", blocks + " · real time, every block by rule (as in-process)")
        case .realTime:
            row("clock", t.yellow(blocks + " · real time, blocks can vary:"))
            for n in clock.notes { lines.append(cont + t.yellow(clean(n))) }
        }
        for (i, e) in (processEvents ?? []).enumerated() {
            let text = "\(clean(e.process)) \(clean(e.how)) at \(ReportFormat.seconds(e.atSeconds))"
            if i == 0 { row("processes", t.yellow(text)) } else { lines.append(cont + t.yellow(text)) }
        }

        if expectations.isEmpty {
            row("expectations", t.dim("none set"))
        }
        for (i, e) in expectations.enumerated() {
            let mark = e.passed ? t.green("✓") : t.red("✗")
            let text = "\(mark) \(e.key): expected \(clean(e.expected)), got \(clean(e.actual))"
            if i == 0 { row("expectations", text) } else { lines.append(cont + text) }
        }
        row("result", passed ? t.green(t.bold("PASS")) : t.red(t.bold("FAIL")))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The chain's ledger as a table for the terminal: block, party, move, dispute and
    /// interval after the move, gas, and the deadline the move set (the block by which the
    /// next move is due). A block marked `*` was set by when the move arrived, not by the
    /// chain's rule (`clock.arrivalBlocks`).
    public func terminalMoves() -> String {
        let g = { (n: UInt64) in ReportFormat.grouped(n) }
        let arrival = Set(clock.arrivalBlocks)
        let heads = ["#", "block", "party", "move", "dispute", "interval after", "gas", "deadline"]
        var rows = timeline.enumerated().map { i, e -> [String] in
            ["\(i + 1)", g(e.block) + (arrival.contains(i) ? "*" : ""), clean(e.party), e.kind.rawValue,
             e.dispute.map { "#\($0)" } ?? "–", e.lo.map { lo in "[\(g(lo)), \(e.hi.map(g) ?? "?")]" } ?? "–",
             e.gas > 0 ? g(e.gas) : "–", e.deadline.map(g) ?? "–"]
        }
        rows.insert(heads, at: 0)
        let widths = heads.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        let numeric: Set<Int> = [0, 1, 6, 7]
        var out = rows.map { row in
            row.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return numeric.contains(c) ? pad + text : text + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
        if !arrival.isEmpty { out += "* mined in the block it arrived in, later than the block after the state it answers\n" }
        return out
    }

    /// How a played dispute ended, in words: where the step proof showed the traces part
    /// (the divergence step), a proof of the identity step past the claimed halt, or a
    /// timeout with the interval still disputed.
    static func howItEnded(_ d: DisputeInfo, claimedSteps: UInt64?) -> String {
        let g = { (n: UInt64) in ReportFormat.grouped(n) }
        let interval = d.lo.flatMap { lo in d.hi.map { " in [\(g(lo)), \(g($0))]" } } ?? ""
        if let s = d.divergenceStep { return "divergence step " + g(s) }
        switch d.endedBy {
        case .stepProof?:
            let at = d.lo.map { " of step " + g($0) } ?? ""
            let halt = claimedSteps.map { " (past the claimed halt at " + g($0) + ")" } ?? ""
            return "step proof" + at + halt
        case .outputOpening?: return "output opening"
        case .timeout?: return "timeout" + interval
        case .zeroStepClaim?: return "zero-step claim"
        case .notPlayed?, nil: return "not played"
        }
    }

    /// Replaces control characters (ESC, newlines, …) so user text stays on its line and
    /// cannot emit terminal escape sequences.
    private func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
    }
}

/// ANSI styling that disappears when disabled.
private struct TerminalStyle {
    let enabled: Bool
    private func wrap(_ code: String, _ s: String) -> String { enabled ? "\u{1B}[\(code)m" + s + "\u{1B}[0m" : s }
    func bold(_ s: String) -> String { wrap("1", s) }
    func dim(_ s: String) -> String { wrap("2", s) }
    func green(_ s: String) -> String { wrap("32", s) }
    func red(_ s: String) -> String { wrap("31", s) }
    func yellow(_ s: String) -> String { wrap("33", s) }
}
