import Foundation

extension SweepTable {
    /// A self-contained HTML page: for every varied key whose values are numbers, plots of
    /// rounds, gas (in all, the solver's, the verifiers') and settlement block against it (one line per combination of the other
    /// keys, averaged over seeds), then the whole table.
    public func html(title: String) -> String {
        var s = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        s += "<title>\(esc(title))</title>\n<style>\(ReportHTMLContext.css)\ntable { border-collapse: collapse; font-variant-numeric: tabular-nums; }\n"
        s += "td, th { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: right; }\n</style></head><body>\n"
        s += "<header><h1>\(esc(title))</h1><p class=\"note\">\(rows.count) runs · varied: "
        s += keys.map { "<code>\(esc($0))</code>" }.joined(separator: ", ") + "</p></header>\n"
        let metrics: [(String, (SweepRow) -> Double?)] = [
            ("rounds", { $0.rounds.map(Double.init) }), ("gas_total", { $0.gasTotal.map(Double.init) }),
            ("solver_gas", { $0.solverGas.map(Double.init) }), ("verifier_gas", { $0.verifierGas.map(Double.init) }),
            ("settlement_block", { $0.settlementBlock.map(Double.init) }),
        ]
        for (k, key) in keys.enumerated() where rows.allSatisfy({ Double($0.parameters[key] ?? "") != nil }) {
            s += "<section><h2>against <code>\(esc(key))</code></h2>\n"
            for (name, value) in metrics { s += plot(x: key, column: columnNames[k], metric: name, value: value) }
            s += "</section>\n"
        }
        s += "<section><h2>runs</h2><table><tr>"
        s += header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
        for r in rows { s += "<tr>" + cells(r).map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }
        s += "</table></section>\n</body></html>\n"
        return s
    }

    /// One line chart of `metric` against the numeric key `x`: a series per combination of
    /// the other keys, each point the mean over the runs that share it. A log scale on x
    /// when its values are positive and span a factor of 8 or more.
    func plot(x key: String, column: String, metric: String, value: (SweepRow) -> Double?) -> String {
        let others = keys.filter { $0 != key }
        var series: [String: [Double: [Double]]] = [:]
        var order: [String] = []
        for r in rows {
            guard let xv = Double(r.parameters[key] ?? ""), let yv = value(r) else { continue }
            let label = others.map { "\($0)=\(r.parameters[$0] ?? "")" }.joined(separator: " ")
            if series[label] == nil { order.append(label) }
            series[label, default: [:]][xv, default: []].append(yv)
        }
        let xs = series.values.flatMap(\.keys), ys = series.values.flatMap { $0.values.map { $0.reduce(0, +) / Double($0.count) } }
        guard let x0 = xs.min(), let x1 = xs.max(), let y1 = ys.max() else {
            return "<p class=\"empty\">no \(esc(metric)) to plot</p>\n"
        }
        let logX = x0 > 0 && x1 / x0 >= 8
        func sx(_ v: Double) -> Double {
            let (a, b, t) = logX ? (log2(x0), log2(x1), log2(v)) : (x0, x1, v)
            return 60 + (b > a ? (t - a) / (b - a) : 0.5) * 460
        }
        func sy(_ v: Double) -> Double { 190 - (y1 > 0 ? v / y1 : 0) * 160 }
        let colors = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04"]
        var s = "<figure><svg viewBox=\"0 0 560 230\" role=\"img\"><title>\(esc(metric)) against \(esc(key))</title>\n"
        s += "<line x1=\"60\" y1=\"190\" x2=\"520\" y2=\"190\" stroke=\"#9ca3af\"/><line x1=\"60\" y1=\"30\" x2=\"60\" y2=\"190\" stroke=\"#9ca3af\"/>\n"
        s += "<text x=\"56\" y=\"34\" text-anchor=\"end\">\(ReportFormat.grouped(UInt64(max(0, y1.rounded()))))</text>"
        s += "<text x=\"56\" y=\"190\" text-anchor=\"end\">0</text>\n"
        for v in Set(xs).sorted() {
            s += "<text x=\"\(f(sx(v)))\" y=\"206\" text-anchor=\"middle\">\(esc(Self.number(v)))</text>\n"
        }
        s += "<text x=\"290\" y=\"224\" text-anchor=\"middle\">\(esc(column))\(logX ? " (log scale)" : "")</text>"
        s += "<text x=\"14\" y=\"110\" transform=\"rotate(-90 14 110)\" text-anchor=\"middle\">\(esc(metric))</text>\n"
        for (i, label) in order.prefix(colors.count).enumerated() {
            let pts = series[label]!.map { ($0.key, $0.value.reduce(0, +) / Double($0.value.count)) }.sorted { $0.0 < $1.0 }
            let c = colors[i]
            s += "<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\" points=\""
            s += pts.map { "\(f(sx($0.0))),\(f(sy($0.1)))" }.joined(separator: " ") + "\"><title>\(esc(label))</title></polyline>\n"
            for (xv, yv) in pts {
                s += "<circle cx=\"\(f(sx(xv)))\" cy=\"\(f(sy(yv)))\" r=\"3\" fill=\"\(c)\"><title>\(esc(column)) \(esc(Self.number(xv))): \(esc(metric)) \(esc(Self.number(yv)))</title></circle>\n"
            }
        }
        s += "</svg>"
        if order.count > 1 {
            s += "<figcaption>" + order.prefix(colors.count).enumerated().map {
                "<span><span class=\"dot\" style=\"background:\(colors[$0.offset])\"></span>\(esc($0.element))</span>"
            }.joined(separator: " ") + "</figcaption>"
        }
        return s + "</figure>\n"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3g", v)
    }
}
