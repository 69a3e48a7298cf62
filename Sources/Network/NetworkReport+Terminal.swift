import Report

extension NetworkReport {
    /// The summary `tbsim scenario` prints for a network: the network's figures, each
    /// party's P&L, the wrong results accepted and the expectations.
    public func terminalSummary() -> String {
        let n = network
        func g<T: BinaryInteger>(_ x: T) -> String { ReportFormat.grouped(x) }
        var lines = ["\(scenario): network of \(parties.filter { $0.role == "solver" }.count) solver(s), "
                     + "\(parties.filter { $0.role == "verifier" }.count) verifier(s), seed \(seed), "
                     + (mode == .processes ? "one chain process hosting every game, one process per party" : "every game in one process")]
        lines.append("  tasks \(n.tasks) (played \(n.tasksPlayed), completed \(n.tasksCompleted)), disputes \(n.disputes), messages \(g(n.messages)), "
                     + "verifier participation \(n.participationBps / 100).\(String(format: "%02d", n.participationBps % 100)) %")
        lines.append("  cheats \(n.cheats) (caught \(n.cheatsCaught)), forced errors \(n.forcedErrors) (caught \(n.forcedErrorsCaught)), "
                     + "wrong results accepted \(n.wrongResultsAccepted)")
        lines.append("  jackpot \(g(n.jackpotWei.first ?? 0)) → \(g(n.jackpotWei.last ?? 0)) wei; gas \(g(n.gas)) (\(g(n.gasWei)) wei), "
                     + "compute \(g(n.computeWei)) wei, burned \(g(n.burnedWei)) wei")
        lines.append("  cost per task \(g(n.costPerTaskWei)) wei vs running it once \(g(n.runOnceCostPerTaskWei)) wei")
        for w in n.wrongResults { lines.append("  wrong result accepted: task \(w.task) by \(w.solver): \(w.why)") }
        lines.append("  party                role        strategy                          tasks          net wei       income wei          gas wei      compute wei     lost wei")
        for p in parties {
            func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
            func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
            lines.append("  " + pad(p.name, 20) + " " + pad(p.role, 11) + " " + pad(p.strategy, 33) + " " + lpad(String(p.tasks), 5)
                         + " " + lpad(g(p.netWei), 16) + " " + lpad(g(p.incomeWei), 16) + " " + lpad(g(p.gasWei), 16)
                         + " " + lpad(g(p.computeWei), 16) + " " + lpad(g(p.depositsLostWei), 12)
                         + (p.insolvent ? "  INSOLVENT" : "") + (p.skipped.isEmpty ? "" : "  skipped \(p.skipped.count)"))
        }
        for e in processEvents {
            lines.append("  process \(e.process) \(e.how) at \(String(format: "%.1f", e.atSeconds)) s; the games it was drawn for afterwards went on without it")
        }
        lines.append("  money conserved to the wei after each of \(money.checks) tasks: \(money.conserved ? "yes" : "NO") (\(g(money.totalWei)) wei)")
        if expectations.failures.isEmpty {
            lines.append("  expectations passed")
        } else {
            lines.append("  expectations FAILED:")
            lines += expectations.failures.map { "    - \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
