import Foundation
@testable import TBSimCommands
import Testing
import TestSupport

/// The command-line shapes other tools depend on, driven through the real binary.
@Suite(.serialized)
struct CLITests {
    let hello = "build/guests/hello.elf"

    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "tbsim-cli-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func runPrintsTheGuestOutputAndExitsWithItsCode() throws {
        let r = try runTBSim(["run", hello])
        #expect(r.status == 0)
        #expect(r.stdout == (try String(contentsOfFile: packageRoot + "/guests/expected/hello.out", encoding: .utf8)))
    }

    @Test func runFeedsStdinAndWritesStdoutFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runTBSim(["run", "build/guests/sha256.elf", "--stdin", "guests/expected/sha256.in",
                              "--stdout", dir + "/out.txt", "--stats"])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(try String(contentsOfFile: dir + "/out.txt", encoding: .utf8)
                == (try String(contentsOfFile: packageRoot + "/guests/expected/sha256.out", encoding: .utf8)))
        for figure in ["instructions retired:", "wall time:", "MIPS:"] { #expect(r.stderr.contains(figure)) }
    }

    @Test func aRunStoppedByTheStepLimitSaysSo() throws {
        let r = try runTBSim(["run", "build/guests/primes.elf", "--max-steps", "1000"])
        #expect(r.status == 124)
        #expect(r.stderr.contains("--max-steps"))
    }

    @Test func badProgramsGetOneClearLine() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("not an elf at all".utf8).write(to: URL(fileURLWithPath: dir + "/bad.elf"))
        let r = try runTBSim(["run", dir + "/bad.elf"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.elf"))
        let missing = try runTBSim(["run", dir + "/missing.elf"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test func hashPrintsOneRootLine() throws {
        let a = try runTBSim(["hash", hello, "--step", "0"])
        let b = try runTBSim(["hash", hello, "--step", "100"])
        let again = try runTBSim(["hash", hello, "--step", "100"])
        for r in [a, b] {
            #expect(r.status == 0)
            #expect(r.stdout.range(of: "^0x[0-9a-f]{64}\n$", options: .regularExpression) != nil, "got \(r.stdout)")
        }
        #expect(a.stdout != b.stdout)
        #expect(b.stdout == again.stdout, "roots must be deterministic")
    }

    @Test func proveThenVerifyStepLinksConsecutiveRoots() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let proof = dir + "/step.proof"
        #expect(try runTBSim(["prove", hello, "--step", "100", "-o", proof]).status == 0)
        let v = try runTBSim(["verify-step", proof])
        #expect(v.status == 0)
        let pre = try runTBSim(["hash", hello, "--step", "100"]).stdout
        let post = try runTBSim(["hash", hello, "--step", "101"]).stdout
        #expect(v.stdout == "pre \(pre)post \(post)")

        // One flipped bit anywhere is rejected with one line saying why.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: proof)))
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: proof))
        let bad = try runTBSim(["verify-step", proof])
        #expect(bad.status != 0)
        #expect(bad.stderr.split(separator: "\n").count == 1, "got: \(bad.stderr)")
    }

    @Test func versionIsPrinted() throws {
        let r = try runTBSim(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == TBSimVersion.current + "\n")
    }

    @Test func proveTakesALongOutputOption() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runTBSim(["prove", hello, "--step", "3", "--output", dir + "/p.proof"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/p.proof"))
    }

    @Test func compareNamesWhatIsWrongWithABadReport() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"outcome": {"accepted": true}}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        try "not json".write(toFile: dir + "/junk.json", atomically: true, encoding: .utf8)
        let bad = try runTBSim(["compare", dir + "/bad.json"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bad.json: not a tbsim scenario report: missing key `"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("CodingKeys"), "decoder internals leaked: \(bad.stderr)")
        let junk = try runTBSim(["compare", dir + "/junk.json"])
        #expect(junk.stderr.contains("junk.json: not a tbsim scenario report") && !junk.stderr.contains("Context"))
    }

    /// `tbsim replay`: 0 and the verdict for a game's ledger; 1 naming the record for an
    /// edited one; 2 for a file that is not a ledger; a new run refuses an old ledger.
    @Test func replayChecksALedgerAndNamesTheFirstBadRecord() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = dir + "/chain.sqlite"
        let run = try runTBSim(["scenario", "scenarios/faulty-solver.yaml", "--in-process", "--quiet", "--ledger", ledger])
        #expect(run.status == 0, "\(run.stderr)")
        let good = try runTBSim(["replay", ledger])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("verdict: REJECTED — winner verifier-1"), "\(good.stdout)")
        #expect(good.stdout.contains("initial root") && good.stdout.contains("recomputed from the task"), "\(good.stdout)")

        let again = try runTBSim(["scenario", "scenarios/faulty-solver.yaml", "--in-process", "--ledger", ledger])
        #expect(again.status != 0 && again.stderr.contains("already exists"), "\(again.stderr)")

        let edited = dir + "/edited.sqlite"
        try FileManager.default.copyItem(atPath: ledger, toPath: edited)
        let sql = try runProgram("/usr/bin/sqlite3", [edited, "UPDATE entries SET gas = gas - 1 WHERE kind = 'step_proof'"])
        #expect(sql.status == 0, "\(sql.stderr)")
        let bad = try runTBSim(["replay", edited])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("record ") && bad.stderr.contains("signature does not match"), "\(bad.stderr)")

        try "not a database".write(toFile: dir + "/junk.sqlite", atomically: true, encoding: .utf8)
        let junk = try runTBSim(["replay", dir + "/junk.sqlite"])
        #expect(junk.status == 2 && junk.stderr.contains("junk.sqlite"), "\(junk.stderr)")
        let missing = try runTBSim(["replay", dir + "/none.sqlite"])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"), "\(missing.stderr)")
    }

    @Test func compareAlignsEveryColumnWhateverRowIsWidest() {
        let text = CompareCommand.table([["scenario", "k", "gas"], ["a-very-long-scenario-name", "4", "1762940"],
                                         ["b", "16", "12"]])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(Set(lines.map(\.count)).count == 1, "ragged table:\n\(text)")
        #expect(lines[2].hasSuffix("1762940") && lines[3].hasSuffix("12"))
    }

    @Test func aReportCanGoToStandardOutputAndColourObeysNoColor() throws {
        let r = try runTBSim(["scenario", "scenarios/honest.yaml", "--in-process", "--json", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["outcome"] != nil, "stdout is the JSON report alone")
        // The report's output hash is the one `tbsim output-hash` gives the bytes the task
        // writes (the expected output the guest tests check against).
        let task = object?["task"] as? [String: Any]
        let fromFile = try runTBSim(["output-hash", "guests/expected/sha256.out"])
        #expect(fromFile.status == 0 && task?["output_hash"] as? String == fromFile.stdout.trimmingCharacters(in: .newlines),
                "\(String(describing: task)) vs \(fromFile.stdout)")
        let missing = try runTBSim(["output-hash", "no/such/stdout.txt"])
        #expect(missing.status != 0 && missing.stderr.contains("cannot read no/such/stdout.txt"), "\(missing.stderr)")
        #expect(r.stderr.contains("verdict"), "the summary moved to standard error")
        #expect(!FileManager.default.fileExists(atPath: packageRoot + "/-"))
        #expect(useColor(fileDescriptor: -1) == false)
        // On a terminal (a pseudo-terminal from script(1), bsdutils) colour is on unless
        // NO_COLOR is set.
        let bin = try #require(tbsimBinary())
        func onTerminal(_ env: String) throws -> String {
            try runProgram("/usr/bin/script", ["-qec", "\(env) \(bin) scenario scenarios/honest.yaml --in-process", "/dev/null"]).stdout
        }
        // (swift test itself sets NO_COLOR, so the first run removes it.)
        let plain = try onTerminal("env -u NO_COLOR")
        #expect(plain.contains("\u{1b}["), "no colour on a terminal: \(plain.prefix(200).debugDescription)")
        #expect(try !onTerminal("env NO_COLOR=1").contains("\u{1b}["), "colour despite NO_COLOR")
        let both = try runTBSim(["scenario", "scenarios/honest.yaml", "--json", "-", "--html", "-"])
        #expect(both.status != 0 && both.stderr.contains("only one of --json and --html"))
    }

    @Test func everyErrorIsOneTBSimLineAndTyposGetASuggestion() throws {
        let typo = try runTBSim(["scenari", "scenarios/honest.yaml"])
        #expect(typo.status == 64 && typo.stderr == "tbsim: unknown command `scenari`; did you mean `scenario`?\n")
        let usage = try runTBSim(["run", "--ram", "0", hello])
        #expect(usage.status == 64 && usage.stderr.hasPrefix("tbsim: --ram must be between 1 and 16384 MiB (got 0)"))
        let runtime = try runTBSim(["run", "/nonexistent.elf"])
        #expect(runtime.status == 1 && runtime.stderr.hasPrefix("tbsim: program /nonexistent.elf does not exist"))
        for r in [typo, usage, runtime] { #expect(!r.stderr.contains("Error:"), "\(r.stderr)") }
        let help = try runTBSim(["--help"])
        #expect(help.status == 0 && help.stdout.contains("SUBCOMMANDS") && help.stdout.contains("sweep"))
    }
}
