import Commitment
import Foundation
import RISCV
import Transport

extension BenchCommand {
    /// What a checkpoint costs in host memory on a machine with large RAM: the resident
    /// bytes each delta checkpoint (`CheckpointChain`) added, against a full copy of the
    /// machine and its tree (what every checkpoint cost before), and the time to take and
    /// to restore one.
    func checkpointFigures() throws {
        let linux = FileManager.default.fileExists(atPath: "build/linux/Image")
        let ramMiB = checkpointRAMMiB
        let options = try GuestOptions.parse(linux
            ? ["--linux", "--stdin", "guests/linux/sample-stdin.txt", "--ram", "\(ramMiB)"]
            : ["\(guests)/bench_qsort.elf", "--ram", "\(ramMiB)"])
        let workload = linux ? "Linux boot -> shell -> sample script -> halt" : "bench_qsort (no build/linux)"
        let interval: UInt64 = 1 << 21
        print("== checkpoints: \(workload), \(ramMiB) MiB of guest RAM, one every \(interval) steps")
        guard residentBytes() != nil else {
            print("(no /proc/self/statm: resident bytes cannot be measured here)")
            return
        }
        let machine = try options.makeMachine()
        let tree = StateTree(machine.storage)
        let before = residentBytes()!
        let chain = try CheckpointChain(machine: machine, tree: tree)
        let baseResident = residentBytes()! - before
        var recordResident = 0, recordSeconds = 0.0
        var roots = [tree.root()]
        while !machine.halted && machine.steps < 4_000_000_000 {
            machine.run(steps: interval - machine.steps % interval)
            if machine.halted { break }
            let r = residentBytes()!
            let t = monotonicSeconds()
            try chain.record(tag: chain.count)
            recordSeconds += monotonicSeconds() - t
            recordResident += residentBytes()! - r
            roots.append(tree.root())
        }
        let n = chain.count - 1
        let pages = (0..<chain.count).dropFirst().map { chain.pageCount($0) }.reduce(0, +)
        print(pad("first checkpoint (the boot image's pages)", 46)
              + String(format: "%10.1f MiB resident  (%d pages)", mib(baseResident), chain.pageCount(0)))
        if n > 0 {
            print(pad("later checkpoints: \(n), per checkpoint", 46)
                  + String(format: "%10.2f MiB resident  (%.0f pages written since the previous one; %.1f ms to take)",
                           mib(recordResident / n), Double(pages) / Double(n), recordSeconds / Double(n) * 1e3))
        }
        print(pad("bytes the chain counts (the oracle's budget)", 46) + String(format: "%10.1f MiB for %d checkpoints", mib(chain.bytes), chain.count))
        // Restores in a scrambled order: time, and the root must be the one recorded.
        var restoreSeconds = 0.0, mismatches = 0
        let order = (0..<chain.count).map { ($0 * 7 + 3) % chain.count }
        for i in order {
            let t = monotonicSeconds()
            chain.restore(i)
            restoreSeconds += monotonicSeconds() - t
            if tree.root() != roots[chain.tag(i)] { mismatches += 1 }
        }
        print(pad("restore, mean over \(order.count)", 46) + String(format: "%10.2f ms%@", restoreSeconds / Double(order.count) * 1e3,
                                                                   mismatches == 0 ? "  (every root as recorded)" : "  (\(mismatches) ROOTS DIFFER)"))
        // The old way: a full copy of the machine and its tree per checkpoint.
        var copies: [(Machine, StateTree)] = []
        let r = residentBytes()!
        for _ in 0..<2 {
            let m = machine.copy()
            copies.append((m, tree.copy(boundTo: m.storage)))
            // The copy shares the tree's level arrays until the live tree next changes a
            // page root; then the live tree copies them (what the cursor did after every
            // checkpoint).
            machine.storage.markPageDirty(0)
            _ = tree.root()
        }
        let full = (residentBytes()! - r) / copies.count
        copies.removeAll()
        print(pad("full copy (machine + tree), per checkpoint", 46) + String(format: "%10.1f MiB resident  (each checkpoint before the delta chain)", mib(full)))
        if n > 0 { print(String(format: "delta / full copy: %.4f", Double(recordResident / n) / Double(max(full, 1)))) }
    }

    /// This process's resident set in bytes (Linux), or nil where /proc is missing.
    func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func mib(_ bytes: Int) -> Double { Double(bytes) / Double(1 << 20) }
}
