import Foundation
import Network
import Scenario
import Transport

extension BenchCommand {
    /// The issue's scale figure: the 100 tasks × 10 verifiers × 3 solvers network of
    /// `networkConfig`, played in this process (`NetworkRun.play`, every task a real game
    /// on the real machine). Prints tasks/s, messages/s (every frame of every task's
    /// game), disputes and memory (the resident high-water mark over the run), with
    /// per-task means and maxima; one progress line per task on standard error.
    func networkFigures() throws {
        let scenario: NetworkScenario
        switch try ScenarioLoader.loadFile(path: networkConfig) {
        case .network(let n): scenario = n
        case .game: throw CLIError("\(networkConfig) is a single-game scenario; the network bench needs a `population:` file")
        }
        let pop = scenario.population
        print("== network: \(networkConfig) — \(pop.tasks) tasks × \(pop.verifiers.count) verifiers × \(pop.solvers.count) solvers, in one process")
        // The high-water mark is the process's; reset it so earlier sections do not count.
        let peakReset = ProcessMemory.resetPeak()
        let startResident = ProcessMemory.resident() ?? 0
        var taskSeconds: [Double] = [], taskResident: [Int] = []
        var last = monotonicSeconds()
        let start = last, startCPU = ProcessMemory.cpuSeconds()
        let report = try NetworkRun.play(scenario, file: networkConfig, generator: "tbsim bench") { line in
            let now = monotonicSeconds()
            taskSeconds.append(now - last)
            last = now
            let rss = ProcessMemory.resident() ?? 0
            taskResident.append(rss)
            printError(String(format: "progress: %.1f s, RSS %.0f MiB: ", now - start, mib(rss)) + line)
        }
        let wall = monotonicSeconds() - start, cpu = ProcessMemory.cpuSeconds() - startCPU
        let n = report.network
        let played = report.tasks.filter { $0.solver != nil }
        let messages = played.map(\.messages)
        print(String(format: "tasks: %d arrived, %d played, %d disputes (%d cheats, %d forced errors; %d wrong results accepted)",
                     n.tasks, n.tasksPlayed, n.disputes, n.cheats, n.forcedErrors, n.wrongResultsAccepted))
        print(String(format: "wall: %.1f s (CPU %.1f s, user + system; one thread)   tasks/s: %.2f (played)   messages: %d   messages/s: %.0f",
                     wall, cpu, Double(n.tasksPlayed) / wall, n.messages, Double(n.messages) / wall))
        if !taskSeconds.isEmpty {
            print(String(format: "per task: wall mean %.3f s, max %.3f s; messages mean %.1f, max %d",
                         taskSeconds.reduce(0, +) / Double(taskSeconds.count), taskSeconds.max()!,
                         Double(messages.reduce(0, +)) / Double(max(1, messages.count)), messages.max() ?? 0))
        }
        if let peak = ProcessMemory.peakResident() {
            print(String(format: "memory: peak RSS %.0f MiB%@; RSS %.0f MiB before the run, %.0f MiB after the first task, %.0f MiB at most after a task, %.0f MiB after the last",
                         mib(peak), peakReset ? "" : " (whole process: the high-water mark could not be reset)",
                         mib(startResident), mib(taskResident.first ?? 0), mib(taskResident.max() ?? 0), mib(taskResident.last ?? 0)))
        } else {
            print("memory: no /proc/self/status on this host")
        }
        print("money conserved to the wei after each of \(report.money.checks) tasks: \(report.money.conserved ? "yes" : "NO")")
    }
}

/// This process's memory as Linux reports it in /proc (nil elsewhere).
enum ProcessMemory {
    /// Resident set now, in bytes.
    static func resident() -> Int? { statusField("VmRSS:") }

    /// The resident set's high-water mark, in bytes.
    static func peakResident() -> Int? { statusField("VmHWM:") }

    /// Resets the high-water mark to the current resident set (`echo 5 > /proc/self/clear_refs`,
    /// Linux 4.0+); false when the kernel refused, and the peak is then the whole process's.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// User + system CPU seconds this process has used: on a shared machine, what the run
    /// cost, whatever else was running.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// A `kB` field of /proc/self/status, in bytes.
    static func statusField(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let kib = Int(line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") else { return nil }
        return kib * 1024
    }
}
