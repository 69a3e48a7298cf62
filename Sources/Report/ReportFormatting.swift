import Foundation

/// Number formatting shared by the terminal and HTML renderings. Written by hand so the
/// output does not depend on the host's locale.
public enum ReportFormat {
    /// 1234567 → "1,234,567".
    public static func grouped<T: BinaryInteger>(_ n: T) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// A double with a fixed number of decimals, "-" for non-finite values.
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "–" }
        return String(format: "%.\(decimals)f", x)
    }

    /// ETH with enough decimals to show small amounts (6 significant digits below 1).
    static func eth(_ x: Double) -> String {
        guard x.isFinite else { return "– ETH" }
        if x == 0 { return "0 ETH" }
        if abs(x) >= 1 { return fixed(x, 4) + " ETH" }
        return String(format: "%.6g", x) + " ETH"
    }

    /// USD with cents, or more decimals below one cent.
    static func usd(_ x: Double) -> String {
        guard x.isFinite else { return "$–" }
        if x != 0 && abs(x) < 0.01 { return "$" + String(format: "%.2g", x) }
        return "$" + fixed(x, 2)
    }

    /// Seconds as "0.123 s" / "12.3 s" / "2 min 5.0 s".
    static func seconds(_ s: Double) -> String {
        guard s.isFinite else { return "–" }
        if s < 10 { return fixed(s, 3) + " s" }
        if s < 120 { return fixed(s, 1) + " s" }
        let m = Int(s / 60)
        return "\(m) min " + fixed(s - Double(m) * 60, 1) + " s"
    }

    /// Bytes as "999 B", "12.3 KiB", "4.5 MiB".
    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return fixed(Double(n) / 1024, 1) + " KiB" }
        return fixed(Double(n) / 1024 / 1024, 1) + " MiB"
    }

    /// A short axis label: 1,500 / 25k / 1.5M / 2G (round tick values stay exact).
    static func compact(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        func trim(_ x: Double) -> String {
            let s = fixed(x, 2)
            guard s.contains(".") else { return s }
            var t = Substring(s)
            while t.hasSuffix("0") { t = t.dropLast() }
            if t.hasSuffix(".") { t = t.dropLast() }
            return String(t)
        }
        let a = abs(v)
        if a >= 1e12 { return trim(v / 1e12) + "T" }
        if a >= 1e9 { return trim(v / 1e9) + "G" }
        if a >= 1e6 { return trim(v / 1e6) + "M" }
        if a >= 1e4 { return trim(v / 1e3) + "k" }
        return grouped(Int64(v.rounded()))
    }

    /// An optional number, or "–".
    static func opt<T: BinaryInteger>(_ n: T?) -> String { n.map { grouped($0) } ?? "–" }
}
