import ArgumentParser
import Commitment
import Foundation
import Game
import RISCV
import Transport

/// `tbsim bench`: prints performance figures (never pass/fail): machine MIPS on
/// CPU-bound guests and the wall-time ratio against QEMU, commitment costs, the
/// dispute overhead of the game, and the scale of a 100-task network.
public struct BenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print performance figures: machine MIPS (vs QEMU), commitment costs, dispute overhead, network scale.",
        discussion: "Build with `swift build -c release` (or use `make bench`): debug builds are ~50x slower. "
            + "`network` plays the 100 tasks × 10 verifiers × 3 solvers network of --network-config (`make bench-network` runs it alone).")

    /// Which figures to print (`--only`).
    public enum Section: String, ExpressibleByArgument, CaseIterable { case machine, commitment, checkpoints, game, signatures, chain, linux, network, all }

    @Option(help: "Which figures: machine (with the native build), commitment, checkpoints, game, signatures, chain, linux (needs `make guest-linux`), network or all.")
    public var only: Section = .all

    /// The network scenario `--only network` plays (a `population:` file).
    @Option(name: .customLong("network-config"), help: "The network scenario the network figures play.")
    public var networkConfig: String = "configs/network-bench.yaml"

    @Option(name: .customLong("checkpoint-ram"), help: "Guest RAM in MiB for the checkpoint figures.")
    public var checkpointRAMMiB: UInt64 = 2048

    @Option(help: "Directory holding the guest ELFs.")
    public var guests: String = "build/guests"

    @Option(help: "Repetitions per guest (the best run is reported).")
    public var repetitions: Int = 3

    @Flag(help: "Skip the QEMU comparison even when qemu-system-riscv64 is installed.")
    public var noQemu = false

    @Flag(help: "Skip the native build of the bench guests' C (host `cc -O2`).")
    public var noNative = false

    @Option(help: "Directory holding the guests' sources (programs/, runtime/, native/) for the native build.")
    public var guestSources: String = "guests"

    @Option(help: "Machine engines to measure, comma-separated: \(Engine.allCases.map(\.rawValue).joined(separator: ", ")).")
    public var engines: String = Engine.standard.rawValue

    public init() {}

    public func run() throws {
        #if DEBUG
        printError("tbsim bench: this is a debug build; figures are not meaningful (use `make bench`)")
        #endif
        if only == .machine || only == .all { try machineFigures() }
        if only == .commitment || only == .all { try commitmentFigures() }
        if only == .checkpoints || only == .all { try checkpointFigures() }
        if only == .game || only == .all { try gameFigures() }
        if only == .signatures || only == .all { signatureFigures() }
        if only == .chain || only == .all { try chainFigures() }
        let haveLinux = FileManager.default.fileExists(atPath: "build/linux/Image")
        if only == .linux || (only == .all && haveLinux) { try linuxFigures() }
        if only == .network || only == .all { try networkFigures() }
    }

    /// The seed workload: boot → shell → script → halt, against QEMU on the same images,
    /// and the dispute overhead on the Linux task.
    func linuxFigures() throws {
        print("== linux: boot -> shell -> guests/linux/sample-stdin.txt -> halt")
        let script = "guests/linux/sample-stdin.txt"
        var best = Double.infinity
        for engine in try selectedEngines() {
            var engineBest = Double.infinity
            var steps: UInt64 = 0
            for _ in 0..<max(1, repetitions) {
                let options = try GuestOptions.parse(["--linux", "--stdin", script])
                let machine = try options.makeMachine()
                machine.engine = engine
                let start = monotonicSeconds()
                machine.run(steps: 2_000_000_000)
                engineBest = min(engineBest, monotonicSeconds() - start)
                steps = machine.steps
                guard machine.halted else { throw CLIError("the Linux guest did not halt") }
            }
            best = engineBest
            print("tbsim (\(engine.rawValue)): " + String(format: "%d steps in %.3f s (%.1f MIPS)", steps, engineBest, Double(steps) / engineBest / 1e6))
        }
        if !noQemu, findExecutable("qemu-system-riscv64") != nil {
            var qemuBest = Double.infinity
            for _ in 0..<max(1, repetitions) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/bash")
                p.arguments = ["guests/linux/qemu-run.sh", "build/linux", script, NSTemporaryDirectory() + "tbsim-bench-qemu.txt", "120"]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                let start = monotonicSeconds()
                try p.run()
                p.waitUntilExit()
                if p.terminationStatus == 0 { qemuBest = min(qemuBest, monotonicSeconds() - start) }
            }
            if qemuBest.isFinite {
                print(String(format: "qemu:  %.3f s (guests/linux/qemu-run.sh, start to power-off)   tbsim/qemu %.2fx", qemuBest, best / qemuBest))
            }
        }
        let honest = try ScenarioBench.wallSeconds(scenario: "scenarios/linux-honest.yaml")
        let faulty = try ScenarioBench.wallSeconds(scenario: "scenarios/linux-faulty-solver.yaml")
        print(String(format: "linux-honest scenario wall:        %8.3f s", honest.wall))
        print(String(format: "linux-faulty-solver scenario wall: %8.3f s   (%d rounds)", faulty.wall, faulty.rounds))
        print(String(format: "dispute overhead:                  %8.2fx  (goal <= 1.2x)", faulty.wall / honest.wall))
    }

    static let cpuGuests = ["bench_primes", "bench_qsort", "bench_sha", "bench_mix"]

    func selectedEngines() throws -> [Engine] {
        try engines.split(separator: ",").map { name in
            guard let e = Engine(rawValue: String(name)) else { throw CLIError("unknown engine `\(name)`") }
            return e
        }
    }

    /// MIPS of every selected engine side by side with QEMU's and a native build's.
    /// QEMU: its wall time, the start-up it spends before the guest's first instruction
    /// (measured on `hello`, which runs a few thousand instructions, and printed on its
    /// own) and its MIPS net of that start-up, the figure to compare with (a
    /// 100 M-instruction guest is largely start-up for QEMU). Native: the same C built by
    /// the host's `cc -O2` (`guests/native/hosted.c` in place of the bare-metal runtime),
    /// its output checked against `guests/expected`; its MIPS is the guest's RISC-V
    /// instruction count over the native seconds — a work rate, the physical reference.
    func machineFigures() throws {
        let engines = try selectedEngines()
        print("== machine: CPU-bound guests (best of \(repetitions); MIPS = guest instructions / wall seconds)")
        let qemu = noQemu ? nil : findExecutable("qemu-system-riscv64")
        let startup = qemu.flatMap { qemuSeconds($0, "\(guests)/hello.elf") }
        if let startup {
            print(String(format: "qemu start-up: %.3f s per run (hello.elf, a few thousand instructions); qemu MIPS* below are net of it", startup))
        } else if !noQemu {
            print("(qemu-system-riscv64 not found: no QEMU comparison)")
        }
        let cc = noNative ? nil : findExecutable("cc")
        if !noNative && cc == nil { print("(no `cc` on PATH: no native build of the guests' C)") }
        var header = pad("guest", 14) + pad("instructions", 14)
        for e in engines { header += pad("\(e.rawValue) MIPS", 13) }
        if startup != nil { header += pad("qemu s", 8) + pad("qemu MIPS*", 11) }
        if cc != nil { header += pad("native s", 9) + pad("native MIPS\u{2020}", 13) }
        if startup != nil { header += pad("tbsim/qemu*", 12) }
        if cc != nil { header += "tbsim/native" }
        print(header)
        let tbsimName = engines.last!.rawValue
        var totals = [Double](repeating: 0, count: engines.count), totalInstructions: UInt64 = 0
        var qemuNet = 0.0, qemuAll = true, nativeTotal = 0.0, nativeAll = true
        var notes: [String] = []
        for name in Self.cpuGuests {
            let path = "\(guests)/\(name).elf"
            let elf = try readFile(path, what: "benchmark guest (run `make guests`)")
            var instructions: UInt64 = 0
            var line = ""
            var last = 0.0
            for (k, engine) in engines.enumerated() {
                var best = Double.infinity
                for _ in 0..<max(1, repetitions) {
                    let machine = try Machine(BootImage(program: elf))
                    machine.engine = engine
                    let start = monotonicSeconds()
                    machine.run(steps: 10_000_000_000)
                    best = min(best, monotonicSeconds() - start)
                    instructions = machine.instret
                }
                totals[k] += best
                last = best
                line += pad(String(format: "%.1f", Double(instructions) / best / 1e6), 13)
            }
            totalInstructions += instructions
            line = pad(name, 14) + pad("\(instructions)", 14) + line
            var ratios = ""
            if let qemu, let startup {
                if let q = qemuSeconds(qemu, path) {
                    let net = max(q - startup, 1e-3)
                    qemuNet += net
                    line += pad(String(format: "%.3f", q), 8) + pad(String(format: "%.0f", Double(instructions) / net / 1e6), 11)
                    ratios += pad(String(format: "%.2fx", last / net), 12)
                } else {
                    qemuAll = false
                    line += pad("-", 8) + pad("-", 11)
                    ratios += pad("-", 12)
                }
            }
            if let cc {
                switch nativeSeconds(cc: cc, guest: name) {
                case .success(let n):
                    nativeTotal += n
                    line += pad(String(format: "%.3f", n), 9) + pad(String(format: "%.0f", Double(instructions) / n / 1e6), 13)
                    ratios += String(format: "%.1fx", last / n)
                case .failure(let why):
                    nativeAll = false
                    notes.append("\(name) native: \(why)")
                    line += pad("-", 9) + pad("-", 13)
                    ratios += "-"
                }
            }
            print(line + ratios)
        }
        var overall = pad("overall", 28)
        for t in totals { overall += pad(String(format: "%.1f", Double(totalInstructions) / t / 1e6), 13) }
        var ratios = ""
        if startup != nil {
            overall += pad("", 8) + pad(qemuAll ? String(format: "%.0f", Double(totalInstructions) / qemuNet / 1e6) : "-", 11)
            ratios += pad(qemuAll ? String(format: "%.2fx", totals.last! / qemuNet) : "-", 12)
        }
        if cc != nil {
            overall += pad("", 9) + pad(nativeAll ? String(format: "%.0f", Double(totalInstructions) / nativeTotal / 1e6) : "-", 13)
            ratios += nativeAll ? String(format: "%.1fx", totals.last! / nativeTotal) : "-"
        }
        print(overall + ratios)
        if startup != nil { print("* qemu: plain TCG, no -icount; MIPS and tbsim/qemu net of its start-up above (tbsim = \(tbsimName))") }
        if cc != nil {
            print("\u{2020} native: the same C built by `cc -O2` for this host (\(guestSources)/native/hosted.c in place of the runtime), "
                  + "output checked against \(guestSources)/expected; MIPS = the guest's RISC-V instruction count (from tbsim) / native "
                  + "wall seconds, a work rate (the host runs its own x86-64 instructions, not these)")
        }
        for n in notes { print(n) }
    }

    /// Builds `guest`'s C with the host's `cc -O2` and runs it: its best wall time, or
    /// why there is none (build failed, wrong output).
    func nativeSeconds(cc: String, guest: String) -> Result<Double, CLIError> {
        let dir = NSTemporaryDirectory() + "tbsim-native-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exe = "\(dir)/\(guest)", out = "\(dir)/\(guest).out"
        let build = Process()
        build.executableURL = URL(fileURLWithPath: cc)
        build.arguments = ["-O2", "-I\(guestSources)/runtime", "\(guestSources)/programs/\(guest).c",
                           "\(guestSources)/native/hosted.c", "-o", exe]
        build.standardOutput = FileHandle.nullDevice
        build.standardError = FileHandle.nullDevice
        guard (try? build.run()) != nil else { return .failure(CLIError("cannot start \(cc)")) }
        build.waitUntilExit()
        guard build.terminationStatus == 0 else { return .failure(CLIError("`\(cc) -O2` failed on \(guestSources)/programs/\(guest).c")) }
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            FileManager.default.createFile(atPath: out, contents: nil)
            guard let sink = FileHandle(forWritingAtPath: out) else { return .failure(CLIError("cannot write \(out)")) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.standardOutput = sink
            p.standardError = FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            let start = monotonicSeconds()
            guard (try? p.run()) != nil else { return .failure(CLIError("cannot start \(exe)")) }
            p.waitUntilExit()
            let t = monotonicSeconds() - start
            try? sink.close()
            guard p.terminationStatus == 0 else { return .failure(CLIError("exited with status \(p.terminationStatus)")) }
            best = min(best, t)
        }
        let expected = FileManager.default.contents(atPath: "\(guestSources)/expected/\(guest).out")
        guard let expected, FileManager.default.contents(atPath: out) == expected else {
            return .failure(CLIError("output differs from \(guestSources)/expected/\(guest).out"))
        }
        return .success(best)
    }

    /// Wall time of one QEMU run of a bare-metal ELF (plain TCG, no icount), best of `repetitions`.
    func qemuSeconds(_ qemu: String, _ elf: String) -> Double? {
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: qemu)
            p.arguments = ["-M", "virt", "-m", "128M", "-bios", "none", "-nographic", "-monitor", "none",
                           "-serial", "file:/dev/null", "-kernel", elf]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            let start = monotonicSeconds()
            guard (try? p.run()) != nil else { return nil }
            p.waitUntilExit()
            best = min(best, monotonicSeconds() - start)
        }
        return best
    }

    func commitmentFigures() throws {
        print("== commitment (bench_sha guest, 128 MiB machine; times are the thread's CPU time)")
        let program = try readFile("\(guests)/bench_sha.elf", what: "benchmark guest (run `make guests`)")
        let goals = [("cold root", "<= 250 ms"), ("incremental root", "<= 2 ms"), ("proof size, median", "<= 2048 bytes"),
                     ("verify one step", "<= 20 µs")]
        for figure in try CommitmentBenchmarks.run(program: program, clock: threadCPUSeconds) {
            let goal = goals.first { figure.name.hasPrefix($0.0) }.map { "   (goal \($0.1))" } ?? ""
            print(pad(figure.name, 46) + String(format: "%12.3f ", figure.value) + figure.unit + goal)
        }
    }

    func gameFigures() throws {
        print("== game: dispute overhead (separate processes over ZeroMQ)")
        let honest = try ScenarioBench.wallSeconds(scenario: "scenarios/honest.yaml")
        let faulty = try ScenarioBench.wallSeconds(scenario: "scenarios/faulty-solver.yaml")
        print(String(format: "honest scenario wall:        %8.3f s", honest.wall))
        print(String(format: "faulty-solver scenario wall: %8.3f s   (%d rounds)", faulty.wall, faulty.rounds))
        print(String(format: "dispute overhead:            %8.2fx  (goal <= 1.2x)", faulty.wall / honest.wall))
    }
}

extension BenchCommand {
    /// What identity costs per move: signing a transaction (the party) and admitting it
    /// (the judge: decode, signature check, nonce), for a pick and for a 3-root posting.
    func signatureFigures() {
        print("== signatures: Ed25519 per move (swift-crypto)")
        let chain = Digest(w0: 1, w1: 2, w2: 3, w3: 4)
        let key = SigningKey.derived(scenarioSeed: 1, name: "bench")
        let book = AccountBook(chainID: chain, keys: [PartyID(1): key.account])
        let root = Digest(w0: 5, w1: 6, w2: 7, w3: 8)
        let moves: [(String, GameMessage)] = [("pick", .pick(taskID: 1, dispute: 1, index: 3)),
                                              ("post_roots (3 roots)", .postRoots(taskID: 1, dispute: 1, roots: [root, root, root]))]
        let n = 4000
        for (name, move) in moves {
            let payload = move.encode()
            var signer = Signer(party: PartyID(1), key: key, domain: .transaction, chainID: chain)
            var envelopes: [[UInt8]] = []
            envelopes.reserveCapacity(n)
            let t0 = monotonicSeconds()
            for _ in 0..<n { envelopes.append(signer.sign(payload)) }
            let t1 = monotonicSeconds()
            var inbox = SignedInbox(book: book, domain: .transaction)
            var ok = 0
            for e in envelopes { if case .success = inbox.admit(e) { ok += 1 } }
            let t2 = monotonicSeconds()
            let sign = (t1 - t0) / Double(n) * 1e6, verify = (t2 - t1) / Double(n) * 1e6
            print(pad(name, 22) + String(format: "sign %6.1f µs   verify %6.1f µs   total %6.1f µs   +%d bytes on the wire%@",
                                         sign, verify, sign + verify, SignedEnvelope.overhead, ok == n ? "" : "  (VERIFY FAILED)"))
        }
    }
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

func findExecutable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}
