import Foundation
import Report

extension NetworkReport {
    /// A self-contained page: the figures, three plots (net P&L over tasks per party,
    /// verifier participation per task, the jackpot) and the party and task tables.
    public func html() -> String {
        let n = network
        func g<T: BinaryInteger>(_ x: T) -> String { ReportFormat.grouped(x) }
        var s = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(scenario)) — network report</title>\n"
        s += "<style>\(Self.css)</style></head><body>\n"
        s += "<header><h1>\(escape(scenario))</h1><p>network of \(parties.count - 1) parties, \(n.tasks) tasks, seed \(seed) · "
        s += "<span class=\"badge \(passed ? "pass" : "fail")\">expectations \(passed ? "passed" : "failed")</span></p>\n<dl class=\"figures\">"
        for (k, v) in [("tasks", g(n.tasks)), ("completed", g(n.tasksCompleted)), ("wrong accepted", g(n.wrongResultsAccepted)),
                       ("disputes", g(n.disputes)), ("forced errors caught", "\(n.forcedErrorsCaught)/\(n.forcedErrors)"),
                       ("participation", "\(n.participationBps / 100) %"), ("cost/task wei", g(n.costPerTaskWei)),
                       ("run once wei", g(n.runOnceCostPerTaskWei))] {
            s += "<div><dt>\(k)</dt><dd>\(v)</dd></div>"
        }
        s += "</dl>"
        for f in expectations.failures { s += "<p class=\"bad\">✗ \(escape(f))</p>" }
        s += "</header>\n<section><h2>Net P&amp;L over tasks</h2>"
        let series = parties.map { (name: "\($0.name) (\($0.strategy))", values: [0.0] + $0.netOverTime.map(Double.init)) }
        s += lineChart(series, yTitle: "net wei")
        s += "</section>\n<section><h2>Verifiers verifying each task</h2>"
        s += lineChart([(name: "verifiers", values: n.participation.map(Double.init))], yTitle: "verifiers", bars: true)
        s += "</section>\n<section><h2>Jackpot</h2>"
        s += lineChart([(name: "jackpot", values: n.jackpotWei.map(Double.init))], yTitle: "wei")
        s += "</section>\n<section><h2>Parties</h2><table><tr><th>party</th><th>role</th><th>strategy</th><th class=num>tasks</th>"
        s += "<th class=num>net wei</th><th class=num>income</th><th class=num>gas</th><th class=num>compute</th><th class=num>deposits lost</th><th>skipped</th></tr>"
        for p in parties {
            s += "<tr><td>\(escape(p.name))</td><td>\(p.role)</td><td>\(escape(p.strategy))</td><td class=num>\(p.tasks)</td>"
            s += "<td class=num>\(g(p.netWei))</td><td class=num>\(g(p.incomeWei))</td><td class=num>\(g(p.gasWei))</td>"
            s += "<td class=num>\(g(p.computeWei))</td><td class=num>\(g(p.depositsLostWei))</td>"
            s += "<td>\(p.insolvent ? "insolvent; " : "")\(p.skipped.count)</td></tr>"
        }
        s += "</table></section>\n<section><h2>Tasks</h2><table><tr><th>#</th><th>program</th><th>solver</th><th>posted</th><th>verifiers</th><th>outcome</th><th class=num>gas</th><th class=num>jackpot</th></tr>"
        for t in tasks {
            let posted = t.forcedError ? "forced error" : t.cheated ? "cheat" : "honest"
            let outcome = t.solver == nil ? "not played: \(t.notPlayed ?? "")"
                : t.accepted ? (t.wrongResult && !t.forcedError ? "WRONG result accepted" : "accepted") : "rejected (won by \(t.winner ?? "-"))"
            s += "<tr class=\"\(t.accepted && t.wrongResult && !t.forcedError ? "bad" : "")\"><td>\(t.task)</td><td>\(escape(t.program))</td>"
            s += "<td>\(escape(t.solver ?? "-"))</td><td>\(posted)</td><td>\(escape(t.verifiers.joined(separator: ", ")))</td>"
            s += "<td>\(escape(outcome))</td><td class=num>\(g(t.gas))</td><td class=num>\(g(t.jackpotWei))</td></tr>"
        }
        s += "</table></section>\n<footer>\(escape(generator)) · money conserved after every task: \(money.conserved ? "yes" : "NO")</footer></body></html>\n"
        return s
    }

    private static let palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d",
                                  "#9333ea", "#ea580c"]

    /// A line (or bar) chart of series over task numbers, in SVG.
    private func lineChart(_ series: [(name: String, values: [Double])], yTitle: String, bars: Bool = false) -> String {
        let w = 900.0, h = 260.0, left = 90.0, right = 16.0, top = 12.0, bottom = 30.0
        let count = max(2, series.map(\.values.count).max() ?? 2)
        let all = series.flatMap(\.values)
        let lo = min(0, all.min() ?? 0), hi = max(lo + 1, all.max() ?? 1)
        func x(_ i: Int) -> Double { left + Double(i) / Double(count - 1) * (w - left - right) }
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * (h - top - bottom) }
        func c(_ d: Double) -> String { String(format: "%.1f", d) }
        var s = "<svg viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(escape(yTitle))\">"
        s += "<line class=axis x1=\"\(c(left))\" y1=\"\(c(y(0)))\" x2=\"\(c(w - right))\" y2=\"\(c(y(0)))\"/>"
        s += "<line class=axis x1=\"\(c(left))\" y1=\"\(c(top))\" x2=\"\(c(left))\" y2=\"\(c(h - bottom))\"/>"
        // Exact below a million; wei amounts beyond that in three significant digits, so
        // the label fits the margin (money is below 2^63: clamp before converting).
        func label(_ v: Double) -> String {
            abs(v) < 1e6 ? ReportFormat.grouped(Int64(max(-9e18, min(9e18, v)))) : String(format: "%.3g", v)
        }
        s += "<text x=\"4\" y=\"\(c(y(hi) + 10))\">\(label(hi))</text>"
        s += "<text x=\"4\" y=\"\(c(y(lo)))\">\(label(lo))</text>"
        s += "<text x=\"\(c(w / 2))\" y=\"\(c(h - 6))\">task</text>"
        for (k, line) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            if bars {
                // One slot per task, inside the axes.
                let slot = (w - left - right) / Double(line.values.count), bw = max(1, slot - 2)
                for (i, v) in line.values.enumerated() {
                    s += "<rect x=\"\(c(left + Double(i) * slot + 1))\" y=\"\(c(y(v)))\" width=\"\(c(bw))\" height=\"\(c(y(0) - y(v)))\" fill=\"\(color)\"><title>task \(i + 1): \(Int(v))</title></rect>"
                }
            } else {
                let pts = line.values.enumerated().map { "\(c(x($0.offset))),\(c(y($0.element)))" }.joined(separator: " ")
                s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(pts)\"><title>\(escape(line.name))</title></polyline>"
            }
        }
        s += "</svg>"
        if series.count > 1 {
            s += "<p class=legend>" + series.enumerated().map { k, l in
                "<span><span class=dot style=\"background:\(Self.palette[k % Self.palette.count])\"></span>\(escape(l.name))</span>"
            }.joined(separator: " ") + "</p>"
        }
        return s
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static let css = """
    body { font: 14px/1.45 system-ui, sans-serif; color: #1f2937; max-width: 1160px; margin: 0 auto; padding: 24px; background: #fafafa; }
    header, section { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 16px 20px; margin-bottom: 18px; }
    h1 { font-size: 22px; margin: 0; } h2 { font-size: 17px; margin: 0 0 8px; }
    .badge { font-weight: 700; font-size: 13px; padding: 3px 10px; border-radius: 12px; }
    .pass { background: #16a34a; color: #fff; } .fail { background: #dc2626; color: #fff; } .bad { color: #dc2626; }
    .figures { display: flex; flex-wrap: wrap; gap: 8px; } .figures div { background: #f3f4f6; border-radius: 6px; padding: 6px 10px; }
    .figures dt { font-size: 11px; color: #6b7280; text-transform: uppercase; } .figures dd { margin: 0; font-size: 16px; font-weight: 600; }
    svg { max-width: 100%; height: auto; display: block; } svg text { font: 11px system-ui, sans-serif; fill: #374151; }
    .axis { stroke: #9ca3af; } .legend { display: flex; flex-wrap: wrap; gap: 14px; color: #6b7280; }
    .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; } .num { text-align: right; }
    tr.bad td { background: #fef2f2; } footer { font-size: 12px; color: #6b7280; text-align: center; }
    """
}
