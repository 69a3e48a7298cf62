import Foundation
import Game

extension ScenarioReport {
    /// The report as one self-contained HTML page (inline CSS and SVG; no scripts, no
    /// network): a header with the verdict and key figures, three plots — the timeline of
    /// moves (one lane per party), the disputed interval per round of each dispute, gas
    /// per move — and tables of disputes, gas, balances, the parties' metrics and the
    /// expectations. All text is escaped: names come from users' files.
    public func html() -> String {
        let ctx = ReportHTMLContext(report: self)
        var h = ""
        h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>tbsim · \(esc(scenario.name))</title>\n<style>\n\(ReportHTMLContext.css)</style>\n</head>\n<body>\n"
        h += header(ctx)
        h += ctx.legend()
        h += section("timeline", "Timeline of moves",
                     "x = block (moves within one block in ledger order), one lane per party; hover a marker for details. "
                     + "A dashed line runs from a move to the deadline it set (the last block in which the next move is in time; "
                     + "› when it lies past the plot); a red line marks each timeout. " + clockSentence,
                     timelineSVG(ctx) + ReportHTMLContext.shapeLegend)
        h += section("intervals", "Disputed interval per round",
                     "Each bar is the interval [lo, hi] still disputed after that pick round (its size in steps above it); it shrinks to the divergence step.",
                     intervalFigures(ctx))
        h += section("gas-per-move", "Gas per move",
                     "Every charged transaction in ledger order, coloured by the party that paid.", gasSVG(ctx))
        h += section("tables", "Details", "", tables(ctx))
        h += "<footer>tbsim scenario report · arity \(arity) · final block \(ReportFormat.grouped(finalBlock))"
        h += " · gas price \(esc(num(gas.gasPriceGwei))) gwei · ETH \(esc(ReportFormat.usd(gas.ethPriceUsd)))</footer>\n"
        h += "</body>\n</html>\n"
        return h
    }

    private func section(_ id: String, _ title: String, _ note: String, _ body: String) -> String {
        var s = "<section id=\"\(id)\">\n<h2>\(esc(title))</h2>\n"
        if !note.isEmpty { s += "<p class=\"note\">\(esc(note))</p>\n" }
        return s + body + "</section>\n"
    }

    // MARK: header

    private func header(_ ctx: ReportHTMLContext) -> String {
        var s = "<header>\n<div class=\"title\"><h1>\(esc(scenario.name))</h1>"
        s += "<span class=\"badge \(outcome.accepted ? "accepted" : "rejected")\">"
        s += outcome.accepted ? "ACCEPTED" : "REJECTED"
        s += "</span><span class=\"badge \(passed ? "pass" : "fail")\">\(passed ? "PASS" : "FAIL")</span></div>\n"
        s += "<p class=\"verdict\">Winner: <b>\(esc(outcome.winner ?? "none"))</b> — \(esc(outcome.reason))</p>\n"
        s += "<p class=\"note\">\(esc(scenario.file)) · seed \(scenario.seed) · task \(esc(task.program))</p>\n"
        let figures: [(String, String)] = [
            ("steps claimed", ReportFormat.opt(task.steps)),
            ("disputes", "\(disputes.count)"),
            ("total gas", ReportFormat.grouped(gas.total)),
            ("ETH", ReportFormat.eth(gas.totalEth)),
            ("USD", ReportFormat.usd(gas.totalUsd)),
            ("messages", ReportFormat.grouped(messages)),
            ("bytes", ReportFormat.bytes(bytes)),
            ("rejected frames", "\(rejectedFrames)"),
            ("wall time", ReportFormat.seconds(wallSeconds)),
        ]
        s += "<dl class=\"figures\">"
        for (k, v) in figures { s += "<div><dt>\(esc(k))</dt><dd>\(esc(v))</dd></div>" }
        s += "</dl>\n"
        if let r = task.finalRoot { s += "<p class=\"hash\">final root <code>\(esc(r))</code></p>\n" }
        if let o = task.outputHash { s += "<p class=\"hash\">output hash <code>\(esc(o))</code></p>\n" }
        return s + "</header>\n"
    }

    // MARK: (1) timeline

    private func timelineSVG(_ ctx: ReportHTMLContext) -> String {
        guard !timeline.isEmpty else { return "<p class=\"empty\">No moves.</p>\n" }
        let lanes = ctx.parties
        let laneH = 40.0, left = 130.0, right = 20.0, top = 24.0, bottom = 36.0, width = 1100.0
        let plotW = width - left - right
        let height = top + laneH * Double(lanes.count) + bottom
        let b0 = timeline.map(\.block).min()!, b1 = timeline.map(\.block).max()! + 1
        let span = Double(b1 - b0)
        func x(_ blockPos: Double) -> Double { left + (blockPos - Double(b0)) / span * plotW }
        // Position within a block: the k-th of n entries sits at block + (k + 0.5) / n.
        var perBlock: [UInt64: Int] = [:]
        for e in timeline { perBlock[e.block, default: 0] += 1 }
        var seen: [UInt64: Int] = [:]

        var s = svgOpen(width: width, height: height, label: "Timeline of moves")
        // Lanes.
        for (i, p) in lanes.enumerated() {
            let y = top + laneH * Double(i)
            s += "<rect x=\"\(f(left))\" y=\"\(f(y))\" width=\"\(f(plotW))\" height=\"\(f(laneH))\" class=\"lane\(i % 2)\"/>"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + laneH / 2 + 4))\" text-anchor=\"end\" class=\"lanelabel\" "
            s += "fill=\"\(ctx.color(p))\">\(esc(ctx.short(p, 18)))<title>\(esc(p))</title></text>\n"
        }
        let plotBottom = top + laneH * Double(lanes.count)
        // Dispute spans.
        for d in disputes {
            guard let sb = d.startBlock else { continue }
            let eb = d.endBlock ?? (b1 - 1)
            let x0 = x(Double(max(sb, b0))), x1 = x(Double(min(eb, b1 - 1)) + 1)
            s += "<g class=\"span\"><rect x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(max(1, x1 - x0)))\" "
            s += "height=\"\(f(plotBottom - top))\"/>"
            s += "<text x=\"\(f(x0 + 3))\" y=\"\(f(top - 6))\">dispute #\(d.id)</text>"
            s += "<title>dispute #\(d.id): \(esc(d.challenger)) (\(d.kind.rawValue)), blocks \(sb)–\(eb)</title></g>\n"
        }
        // Axis.
        s += "<line x1=\"\(f(left))\" y1=\"\(f(plotBottom))\" x2=\"\(f(left + plotW))\" y2=\"\(f(plotBottom))\" class=\"axis\"/>"
        for tick in ReportFormat.ticks(lo: Double(b0), hi: Double(b1), count: 10) where tick == tick.rounded() {
            let tx = x(tick)
            s += "<line x1=\"\(f(tx))\" y1=\"\(f(plotBottom))\" x2=\"\(f(tx))\" y2=\"\(f(plotBottom + 4))\" class=\"axis\"/>"
            s += "<text x=\"\(f(tx))\" y=\"\(f(plotBottom + 16))\" text-anchor=\"middle\">\(ReportFormat.grouped(Int64(tick)))</text>"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 4))\" text-anchor=\"middle\" class=\"axistitle\">block</text>\n"
        // Timeouts: a red line across every lane at the block the deadline passed.
        for e in timeline where e.kind == .timeout {
            let tx = x(Double(e.block))
            s += "<g class=\"timeout\"><line x1=\"\(f(tx))\" y1=\"\(f(top))\" x2=\"\(f(tx))\" y2=\"\(f(plotBottom))\"/>"
            s += "<title>timeout in block \(e.block)\(e.dispute.map { ", dispute #\($0)" } ?? "")</title></g>\n"
        }
        // Markers, each with a dashed line to the deadline it set.
        for e in timeline {
            let k = seen[e.block, default: 0]
            seen[e.block] = k + 1
            let n = perBlock[e.block]!
            let cx = x(Double(e.block) + (Double(k) + 0.5) / Double(n))
            let lane = lanes.firstIndex(of: e.party) ?? 0
            let cy = top + laneH * Double(lane) + laneH / 2
            if let d = e.deadline {
                // The deadline block is in time to its end.
                let clipped = d + 1 > b1
                let dx = x(Double(min(d + 1, b1)))
                s += "<g class=\"deadline\"><line x1=\"\(f(cx))\" y1=\"\(f(cy + 9))\" x2=\"\(f(dx))\" y2=\"\(f(cy + 9))\"/>"
                s += clipped ? "<text x=\"\(f(dx - 2))\" y=\"\(f(cy + 13))\" text-anchor=\"end\">›</text>"
                    : "<line x1=\"\(f(dx))\" y1=\"\(f(cy + 5))\" x2=\"\(f(dx))\" y2=\"\(f(cy + 13))\"/>"
                s += "<title>\(esc(e.kind.rawValue)) by \(esc(e.party)) in block \(e.block): next move due by block \(d)</title></g>\n"
            }
            var tip = "\(e.kind.rawValue) by \(e.party)\nblock \(e.block), t = \(ReportFormat.grouped(e.timeMs)) ms"
            if let d = e.deadline { tip += "\nnext move due by block \(d)" }
            if e.gas > 0 { tip += "\ngas \(ReportFormat.grouped(e.gas))" }
            if e.bytes > 0 { tip += ", \(ReportFormat.grouped(e.bytes)) bytes" }
            if let d = e.dispute { tip += "\ndispute #\(d)" }
            if let lo = e.lo, let hi = e.hi { tip += ", interval [\(ReportFormat.grouped(lo)), \(ReportFormat.grouped(hi))]" }
            s += "<g class=\"mark\">" + ReportHTMLContext.marker(kind: e.kind, x: cx, y: cy, color: ctx.color(e.party))
            s += "<title>\(esc(tip))</title></g>\n"
        }
        return s + "</svg>\n"
    }

    // MARK: (2) disputed interval per round

    private func intervalFigures(_ ctx: ReportHTMLContext) -> String {
        guard !disputes.isEmpty else { return "<p class=\"empty\">No disputes.</p>\n" }
        var s = "<div class=\"figs\">\n"
        for d in disputes {
            s += "<figure>"
            s += "<figcaption>dispute #\(d.id) · <span style=\"color:\(ctx.color(d.challenger))\">\(esc(d.challenger))</span>"
            s += " · \(d.kind.rawValue) · winner \(esc(d.winner ?? "none"))</figcaption>\n"
            s += intervalSVG(d, ctx)
            s += "</figure>\n"
        }
        return s + "</div>\n"
    }

    /// The intervals of one dispute: round 0 is the whole claimed trace (or the first
    /// interval split), round r the interval the challenger chose in pick r.
    private func intervalSVG(_ d: DisputeInfo, _ ctx: ReportHTMLContext) -> String {
        guard d.kind == .trace else {
            return "<p class=\"empty\">Output dispute: settled by an output opening (\(ReportFormat.grouped(d.proofBytes)) bytes), no bisection.</p>"
        }
        let entries = timeline.filter { $0.dispute == d.id }
        if d.startBlock == nil && !entries.contains(where: { $0.kind == .postRoots || $0.kind == .pick }) {
            return "<p class=\"empty\">\(esc(d.reason.isEmpty ? "not played" : d.reason)).</p>"
        }
        var bars: [(lo: UInt64, hi: UInt64)] = []
        if let first = entries.first(where: { $0.kind == .postRoots }), let lo = first.lo, let hi = first.hi {
            bars.append((lo, hi))
        } else if let steps = task.steps {
            bars.append((0, steps))
        }
        for e in entries where e.kind == .pick {
            if let lo = e.lo, let hi = e.hi { bars.append((lo, hi)) }
        }
        guard !bars.isEmpty else { return "<p class=\"empty\">\(esc(d.reason)): no interval to show.</p>" }
        let width = 540.0, height = 280.0, left = 64.0, right = 92.0, top = 24.0, bottom = 38.0
        let plotW = width - left - right, plotH = height - top - bottom
        // Each pick divides the interval by up to k, so its size is drawn on a log scale:
        // a linear axis would flatten every bar after the second round.
        let decades = max(1, log10(Double(max(1, bars.map { $0.hi - $0.lo }.max()!))).rounded(.up))
        func y(_ v: Double) -> Double { top + plotH - log10(max(1, v)) / decades * plotH }
        let slot = plotW / Double(bars.count)
        let barW = min(28, max(3, slot * 0.6))
        var s = svgOpen(width: width, height: height, label: "Disputed interval per round (log scale), dispute \(d.id)")
        for e in 0...Int(decades) {
            let tick = pow(10, Double(e)), ty = y(tick)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(ty))\" x2=\"\(f(left + plotW))\" y2=\"\(f(ty))\" class=\"grid\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(ty + 4))\" text-anchor=\"end\">\(ReportFormat.compact(tick))</text>"
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>"
        s += "<text x=\"\(f(14))\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" class=\"axistitle\" "
        s += "transform=\"rotate(-90 14 \(f(top + plotH / 2)))\">steps in the interval (log)</text>"
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 4))\" text-anchor=\"middle\" class=\"axistitle\">pick round</text>\n"
        if let dv = d.divergenceStep {
            let lx = f(left + plotW + 6)
            s += "<text x=\"\(lx)\" y=\"\(f(top + plotH - 22))\" class=\"divlabel\">divergence</text>"
            s += "<text x=\"\(lx)\" y=\"\(f(top + plotH - 9))\" class=\"divlabel\">step</text>"
            s += "<text x=\"\(lx)\" y=\"\(f(top + plotH + 4))\" class=\"divlabel\">\(ReportFormat.grouped(dv))</text>\n"
        }
        // Round numbers below, interval sizes above the bars, thinned out so they do not collide.
        let roundEvery = max(1, Int((Double(bars.count) / (plotW / 22)).rounded(.up)))
        let sizeEvery = max(1, Int((Double(bars.count) / (plotW / 58)).rounded(.up)))
        let color = ctx.color(d.challenger)
        for (r, b) in bars.enumerated() {
            let cx = left + slot * (Double(r) + 0.5)
            let y0 = y(Double(b.hi - b.lo)), y1 = top + plotH
            let h = max(2, y1 - y0)
            let barTop = min(y0, y1 - 2)
            s += "<g class=\"mark\"><rect x=\"\(f(cx - barW / 2))\" y=\"\(f(barTop))\" width=\"\(f(barW))\" "
            s += "height=\"\(f(h))\" fill=\"\(color)\" fill-opacity=\"0.75\" stroke=\"\(color)\"/>"
            let size = b.hi - b.lo
            s += "<title>\(r == 0 ? "start" : "after pick \(r)"): [\(ReportFormat.grouped(b.lo)), "
            s += "\(ReportFormat.grouped(b.hi))], \(ReportFormat.grouped(size)) step\(size == 1 ? "" : "s")</title></g>"
            let last = r == bars.count - 1
            if r % roundEvery == 0 || last {
                s += "<text x=\"\(f(cx))\" y=\"\(f(top + plotH + 14))\" text-anchor=\"middle\">\(r)</text>"
            }
            if r % sizeEvery == 0 || last {
                s += "<text x=\"\(f(cx))\" y=\"\(f(barTop - 4))\" text-anchor=\"middle\" class=\"small\">"
                s += "\(ReportFormat.grouped(size))</text>"
            }
            s += "\n"
        }
        return s + "</svg>\n"
    }

    // MARK: (3) gas per move

    private func gasSVG(_ ctx: ReportHTMLContext) -> String {
        let moves = timeline.filter { $0.gas > 0 }
        guard !moves.isEmpty else { return "<p class=\"empty\">No gas was charged.</p>\n" }
        let width = 1100.0, height = 300.0, left = 90.0, right = 20.0, top = 16.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let gMax = Double(moves.map(\.gas).max()!)
        let ticks = ReportFormat.ticks(lo: 0, hi: gMax, count: 5)
        let yMax = max(gMax, ticks.last ?? gMax)
        func y(_ v: Double) -> Double { top + plotH - v / yMax * plotH }
        let slot = plotW / Double(moves.count)
        let barW = max(1, min(40, slot * 0.75))
        var s = svgOpen(width: width, height: height, label: "Gas per move")
        for tick in ticks {
            let ty = y(tick)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(ty))\" x2=\"\(f(left + plotW))\" y2=\"\(f(ty))\" class=\"grid\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(ty + 4))\" text-anchor=\"end\">\(ReportFormat.grouped(Int64(tick)))</text>"
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>\n"
        s += "<text x=\"\(f(16))\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" class=\"axistitle\" "
        s += "transform=\"rotate(-90 16 \(f(top + plotH / 2)))\">gas</text>\n"
        let labelKinds = slot >= 14
        for (i, e) in moves.enumerated() {
            let cx = left + slot * (Double(i) + 0.5)
            let ty = y(Double(e.gas))
            s += "<g class=\"mark\"><rect x=\"\(f(cx - barW / 2))\" y=\"\(f(ty))\" width=\"\(f(barW))\" "
            s += "height=\"\(f(top + plotH - ty))\" fill=\"\(ctx.color(e.party))\"/>"
            var tip = "#\(i + 1) \(e.kind.rawValue) by \(e.party): \(ReportFormat.grouped(e.gas)) gas"
            tip += " (\(ReportFormat.eth(Double(e.gas) * gas.gasPriceGwei * 1e-9)))\nblock \(e.block)"
            if let d = e.dispute { tip += ", dispute #\(d)" }
            s += "<title>\(esc(tip))</title></g>"
            if labelKinds {
                let ly = top + plotH + 8
                s += "<text x=\"\(f(cx))\" y=\"\(f(ly))\" text-anchor=\"end\" class=\"small\" "
                s += "transform=\"rotate(-45 \(f(cx)) \(f(ly)))\">\(e.kind.rawValue)</text>"
            }
            s += "\n"
        }
        if !labelKinds {
            s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" class=\"axistitle\">"
            s += "move (ledger order)</text>\n"
        }
        return s + "</svg>\n"
    }

    // MARK: tables

    private func tables(_ ctx: ReportHTMLContext) -> String {
        var s = ""
        func table(_ title: String, _ heads: [String], _ numeric: Set<Int>, _ rows: [[String]], rowClass: [String]? = nil) {
            s += "<h3>\(esc(title))</h3>\n"
            if rows.isEmpty { s += "<p class=\"empty\">None.</p>\n"; return }
            s += "<table><thead><tr>"
            for (i, h) in heads.enumerated() { s += "<th\(numeric.contains(i) ? " class=\"num\"" : "")>\(esc(h))</th>" }
            s += "</tr></thead><tbody>\n"
            for (r, row) in rows.enumerated() {
                let cls = rowClass?[r] ?? ""
                s += cls.isEmpty ? "<tr>" : "<tr class=\"\(cls)\">"
                for (i, c) in row.enumerated() { s += "<td\(numeric.contains(i) ? " class=\"num\"" : "")>\(c)</td>" }
                s += "</tr>\n"
            }
            s += "</tbody></table>\n"
        }
        func who(_ name: String?) -> String {
            guard let n = name else { return "–" }
            return "<span class=\"dot\" style=\"background:\(ctx.color(n))\"></span>\(esc(n))"
        }
        func g<T: BinaryInteger>(_ n: T) -> String { ReportFormat.grouped(n) }
        table("Expectations", ["", "key", "expected", "actual"], [],
              expectations.map { [($0.passed ? "✓" : "✗"), esc($0.key), esc($0.expected), esc($0.actual)] },
              rowClass: expectations.map { $0.passed ? "ok" : "bad" })
        table("Disputes", ["#", "challenger", "kind", "rounds", "picks", "divergence step", "ended by", "winner", "proof bytes",
                           "gas", "blocks", "reason"], [0, 3, 4, 5, 8, 9],
              disputes.map { d in
                  let blocks = d.startBlock.map { "\($0)–" + (d.endBlock.map(String.init) ?? "") } ?? "–"
                  return ["\(d.id)", who(d.challenger), d.kind.rawValue, "\(d.rounds)", "\(d.picks)", ReportFormat.opt(d.divergenceStep),
                          esc(Self.howItEnded(d, claimedSteps: task.steps)), who(d.winner), g(d.proofBytes), g(d.gas), blocks,
                          esc(d.reason)]
              })
        let arrival = Set(clock.arrivalBlocks)
        table("Moves (the chain's ledger, in order)", ["#", "block", "time", "party", "move", "dispute", "interval after",
                                                      "gas", "bytes", "deadline"], [0, 1, 2, 5, 7, 8, 9],
              timeline.enumerated().map { i, e in
                  let interval = e.lo.map { lo in "[\(g(lo)), \(e.hi.map { g($0) } ?? "?")]" } ?? "–"
                  return ["\(i + 1)", g(e.block) + (arrival.contains(i) ? " *" : ""), ReportFormat.seconds(Double(e.timeMs) / 1000),
                          who(e.party), esc(e.kind.rawValue),
                          e.dispute.map { "\($0)" } ?? "–", interval, e.gas > 0 ? g(e.gas) : "–", e.bytes > 0 ? g(e.bytes) : "–",
                          e.deadline.map { g($0) } ?? "–"]
              })
        if !arrival.isEmpty {
            s += "<p class=\"note\">* mined in the block the move arrived in, later than the block after the state it answers"
            s += " (docs/GAME.md, \"Clock\").</p>\n"
        }
        let total = max(1, gas.total)
        var partyRows = gas.byPartyDetail.map { p in
            [who(p.party), "\(p.transactions)", g(p.gas), esc(ReportFormat.eth(p.eth)), esc(ReportFormat.usd(p.usd)),
             ReportFormat.fixed(Double(p.gas) / Double(total) * 100, 1) + " %"]
        }
        partyRows.append(["<b>total</b>", "\(gas.byPartyDetail.reduce(0) { $0 + $1.transactions })", "<b>\(g(gas.total))</b>",
                          esc(ReportFormat.eth(gas.totalEth)), esc(ReportFormat.usd(gas.totalUsd)), "100 %"])
        table("Gas by party", ["party", "transactions", "gas", "ETH", "USD", "share"], [1, 2, 3, 4, 5], partyRows)
        table("Gas by move kind", ["kind", "count", "gas", "gas per move", "ETH", "USD"], [1, 2, 3, 4, 5],
              gas.byMove.map { m in
                  [m.kind.rawValue, "\(m.count)", g(m.gas), g(m.count > 0 ? m.gas / UInt64(m.count) : 0),
                   esc(ReportFormat.eth(m.eth)), esc(ReportFormat.usd(m.usd))]
              })
        table("Balances (deposit currency)", ["party", "start", "end", "change"], [1, 2, 3],
              balances.map { b in
                  let delta = b.end == b.start ? "0" : b.end > b.start ? "+" + g(b.end - b.start) : "−" + g(b.start - b.end)
                  return [who(b.party), g(b.start), g(b.end), delta]
              } + [["burned", "", g(burned), ""]])
        table("Parties (measured by the role processes)",
              ["name", "role", "steps executed", "roots", "proofs", "compute", "wall", "messages", "bytes sent",
               "peak checkpoints"], [2, 3, 4, 5, 6, 7, 8, 9],
              parties.map { p in
                  [who(p.name), p.role.rawValue, g(p.stepsExecuted), g(p.rootsComputed), g(p.proofsBuilt),
                   ReportFormat.seconds(p.computeSeconds), ReportFormat.seconds(p.wallSeconds), g(p.messagesSent),
                   g(p.bytesSent), g(p.peakCheckpoints)]
              })
        return s
    }

    // MARK: helpers

    private func svgOpen(width: Double, height: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" "
            + "height=\"\(f(height))\" role=\"img\" aria-label=\"\(esc(label))\">\n"
    }

    private func num(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

/// Escapes text for HTML element content and attribute values.
func esc(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters other than tab and newline are not allowed in HTML text.
            if ch.value < 0x20 && ch != "\n" && ch != "\t" || ch.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
        }
    }
    return out
}

/// A coordinate with one decimal, so the page is byte-stable and small.
func f(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int64(r)) : String(format: "%.1f", r)
}

/// Party order and colours shared by every plot and table of one page.
struct ReportHTMLContext {
    /// Names in lane order: judge, then the parties as the balances list them (solver,
    /// then verifiers by number), then any other name met.
    let parties: [String]
    private let colors: [String: String]

    static let palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d",
                          "#9333ea", "#ea580c"]

    init(report r: ScenarioReport) {
        var names = ["judge"]
        func add(_ n: String) { if !names.contains(n) { names.append(n) } }
        r.balances.forEach { add($0.party) }
        r.gas.byPartyDetail.forEach { add($0.party) }
        r.disputes.forEach { add($0.challenger) }
        r.timeline.forEach { add($0.party) }
        r.parties.forEach { add($0.name) }
        // Judge's lane only if the judge appears somewhere.
        if !r.timeline.contains(where: { $0.party == "judge" }) { names.removeFirst() }
        parties = names
        var c: [String: String] = ["judge": "#6b7280"]
        var i = 0
        for n in names where n != "judge" { c[n] = ReportHTMLContext.palette[i % ReportHTMLContext.palette.count]; i += 1 }
        colors = c
    }

    func color(_ name: String) -> String { colors[name] ?? "#6b7280" }

    /// A name cut to `n` characters for a lane label (the full name is in the tooltip).
    func short(_ name: String, _ n: Int) -> String { name.count <= n ? name : String(name.prefix(n - 1)) + "…" }

    /// Colour key of the parties.
    func legend() -> String {
        var s = "<div class=\"legend\">"
        for p in parties { s += "<span><span class=\"dot\" style=\"background:\(color(p))\"></span>\(esc(p))</span>" }
        return s + "</div>\n"
    }

    /// One marker per move kind: the shape says what was done, the colour who did it.
    static func marker(kind: LedgerEntryKind, x: Double, y: Double, color c: String) -> String {
        switch kind {
        case .commit:
            return "<rect x=\"\(f(x - 6))\" y=\"\(f(y - 6))\" width=\"12\" height=\"12\" fill=\"\(c)\"/>"
        case .challenge:
            return "<path d=\"M\(f(x)) \(f(y - 7))L\(f(x + 7)) \(f(y + 6))L\(f(x - 7)) \(f(y + 6))Z\" fill=\"\(c)\"/>"
        case .postRoots:
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"6\" fill=\"\(c)\"/>"
        case .pick:
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\" fill=\"#fff\" stroke=\"\(c)\" stroke-width=\"2.5\"/>"
        case .stepProof, .outputOpening:
            return "<path d=\"M\(f(x)) \(f(y - 8))L\(f(x + 8)) \(f(y))L\(f(x)) \(f(y + 8))L\(f(x - 8)) \(f(y))Z\" fill=\"\(c)\"/>"
        default:
            return "<path d=\"M\(f(x - 5)) \(f(y - 5))L\(f(x + 5)) \(f(y + 5))M\(f(x + 5)) \(f(y - 5))L\(f(x - 5)) \(f(y + 5))\" "
                + "stroke=\"\(c)\" stroke-width=\"2.5\"/>"
        }
    }

    /// Key of the marker shapes.
    static var shapeLegend: String {
        let items: [(LedgerEntryKind, String)] = [(.commit, "commit"), (.challenge, "challenge"), (.postRoots, "post roots"),
                                                  (.pick, "pick"), (.stepProof, "step proof / output opening"),
                                                  (.timeout, "chain event (task posted, timeout, finalize, resolved, settled)")]
        var s = "<div class=\"shapes\">"
        for (k, label) in items {
            s += "<span><svg width=\"18\" height=\"18\" viewBox=\"0 0 18 18\">\(marker(kind: k, x: 9, y: 9, color: "#374151"))</svg>"
            s += "\(esc(label))</span>"
        }
        return s + "</div>\n"
    }

    static let css = """
    :root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; }
    * { box-sizing: border-box; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
           max-width: 1160px; margin: 0 auto; padding: 24px; background: #fafafa; }
    header, section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px;
                      margin-bottom: 18px; }
    h1 { font-size: 22px; margin: 0; word-break: break-all; }
    h2 { font-size: 17px; margin: 0 0 4px; }
    h3 { font-size: 15px; margin: 18px 0 6px; }
    .title { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
    .badge { font-weight: 700; font-size: 13px; padding: 3px 10px; border-radius: 12px; letter-spacing: .04em; }
    .accepted { background: #dcfce7; color: #166534; }
    .rejected { background: #fef3c7; color: #92400e; }
    .pass { background: #16a34a; color: #fff; }
    .fail { background: #dc2626; color: #fff; }
    .verdict { margin: 8px 0 2px; font-size: 15px; overflow-wrap: anywhere; }
    .note, .hash, footer { color: var(--muted); margin: 2px 0 8px; }
    .hash code { font-size: 12px; }
    .figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 4px; }
    .figures div { flex: 1 1 auto; min-width: 96px; background: #f3f4f6; border-radius: 6px; padding: 6px 10px; }
    .figures dt { white-space: nowrap; }
    .figures dt { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
    .figures dd { margin: 0; font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .legend, .shapes { display: flex; flex-wrap: wrap; gap: 14px; margin: 0 0 12px; color: var(--muted); }
    .shapes { margin: 6px 0 0; font-size: 12px; }
    .shapes span, .legend > span { display: inline-flex; align-items: center; gap: 4px; }
    .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; }
    svg { max-width: 100%; height: auto; display: block; }
    svg text { font: 11px system-ui, sans-serif; fill: #374151; }
    svg text.small { font-size: 10px; fill: var(--muted); }
    svg text.axistitle { font-size: 12px; fill: var(--muted); }
    svg text.lanelabel { font-size: 12px; font-weight: 600; }
    .lane0 { fill: #f9fafb; } .lane1 { fill: #f3f4f6; }
    .axis { stroke: #9ca3af; } .grid { stroke: #eef0f3; }
    .span rect { fill: #fde68a; fill-opacity: .28; stroke: #f59e0b; stroke-opacity: .5; stroke-dasharray: 3 3; }
    .span text { fill: #b45309; font-size: 11px; }
    .deadline line { stroke: #6b7280; stroke-width: 1; stroke-dasharray: 2 3; } .deadline text { fill: #6b7280; font-size: 12px; }
    .timeout line { stroke: #dc2626; stroke-width: 1.5; stroke-opacity: .7; }
    .divergence { stroke: #dc2626; stroke-dasharray: 5 4; stroke-width: 1.5; }
    svg text.divlabel { fill: #dc2626; font-weight: 600; }
    .mark:hover { opacity: .7; }
    .figs { display: flex; flex-wrap: wrap; gap: 18px; }
    figure { margin: 0; flex: 1 1 480px; max-width: 540px; }
    figcaption { font-weight: 600; margin-bottom: 4px; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
    td { overflow-wrap: anywhere; }
    th { font-size: 12px; color: var(--muted); font-weight: 600; }
    .num { text-align: right; white-space: nowrap; }
    tr.ok td:first-child { color: #16a34a; font-weight: 700; }
    tr.bad td { background: #fef2f2; } tr.bad td:first-child { color: #dc2626; font-weight: 700; }
    .empty { color: var(--muted); font-style: italic; }
    footer { font-size: 12px; text-align: center; }

    """
}

extension ReportFormat {
    /// About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k, at least 1).
    static func ticks(lo: Double, hi: Double, count: Int) -> [Double] {
        guard hi > lo, count > 0 else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let mag = pow(10, (log10(raw)).rounded(.down))
        let step = max(1, [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag)
        var ticks: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + step * 1e-9 && ticks.count < 1000 { ticks.append(t); t += step }
        return ticks
    }
}
