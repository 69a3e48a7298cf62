import Foundation
import Game
import Testing
@testable import Scenario

// Validation before work: documents and values that would make loading or playing
// blow up are refused at once, with the file, line and key.

private func loadFailure(_ yaml: String, file: String = "limits.yaml") -> ScenarioError? {
    do { _ = try ScenarioLoader.parse(yaml: yaml, file: file, baseDirectory: ""); return nil } catch let e as ScenarioError {
        return e
    } catch { return nil }
}

struct LoaderLimitsTests {
    /// Nested anchors used as mapping keys, `depth` levels of `width` aliases each: a few
    /// hundred bytes that expand to width^depth nodes (exponential time before the budget).
    static func aliasBomb(depth: Int, width: Int = 4) -> String {
        var yaml = "task:\n  program: x.elf\nbomb:\n  l0: &l0 {a: 1, b: 2}\n"
        for d in 1...depth {
            let keys = (0..<width).map { i in "? [" + Array(repeating: "*l\(d - 1)", count: i + 1).joined(separator: ", ") + "] : \(i)" }
            yaml += "  l\(d): &l\(d) {\(keys.joined(separator: ", "))}\n"
        }
        return yaml
    }

    @Test func aliasBombsAreRefusedQuicklyAtTheirLine() throws {
        let yaml = Self.aliasBomb(depth: 9)
        #expect(yaml.utf8.count < 1_000)
        let start = Date()
        let e = try #require(loadFailure(yaml))
        #expect(Date().timeIntervalSince(start) < 5, "the budget must stop expansion early")
        #expect(e.file == "limits.yaml")
        #expect(e.line != nil && e.line! > 4, "\(e)")
        #expect(e.message.contains("expands the document past"), "\(e)")
    }

    /// The settlement returns every other challenger's deposit in the transaction that
    /// ends a dispute: a scenario with more verifiers than a block can refund is refused,
    /// naming the count and the figures.
    @Test func aSettlementThatCannotFitInABlockIsRefused() throws {
        func scenario(_ count: Int) -> String {
            """
            task:
              program: x.elf
            game:
              challenges: concurrent
              gas: {block_gas_limit: 4000000}
            verifiers:
              - {name: v, count: \(count)}
            """
        }
        let e = try #require(loadFailure(scenario(200)))
        #expect(e.line == 7 && e.message.contains("with 200 verifiers") && e.message.contains("block gas limit 4000000"), "\(e)")
        #expect(loadFailure(scenario(5)) == nil)
    }

    @Test func modestAliasesStillWork() throws {
        let yaml = """
        task:
          program: x.elf
        game: &g
          k: 4
        verifiers:
          - &v {name: alice, faults: [silent]}
          - {name: bob, faults: *f}
        solver: {faults: &f [silent]}
        """
        // `*f` before its anchor is undefined: the real composer says so.
        #expect(loadFailure(yaml)?.message.contains("undefined alias") == true)
        let ok = try ScenarioLoader.parse(yaml: """
        task:
          program: x.elf
        solver: {faults: &f [silent]}
        verifiers:
          - {name: alice, faults: *f}
          - {name: bob, faults: *f}  # a comment with *f
        description: "a * b, *not an alias"
        """, file: "ok.yaml", baseDirectory: "")
        #expect(ok.verifiers.map(\.name) == ["alice", "bob"])
        #expect(ok.description == "a * b, *not an alias")
        #expect(ok.verifiers.allSatisfy { $0.faults.count == 1 })
    }

    /// Both 2^32 (each inside its range) crashed the deadline arithmetic; now an error
    /// at the key, naming the bound.
    @Test func timeoutSpansPastTheBoundAreRefusedAtLoad() throws {
        let e = try #require(loadFailure("""
        task:
          program: x.elf
        game:
          block_interval_ms: 4294967296
          commit_timeout_blocks: 4294967296
        """))
        #expect(e.key == "game.commit_timeout_blocks" && e.line == 5, "\(e)")
        #expect(e.message.contains("2^42"))
        let onlyInterval = try #require(loadFailure("task:\n  program: x.elf\ngame:\n  block_interval_ms: 4294967296\n  move_timeout_blocks: 1024\n"))
        #expect(onlyInterval.key == "game.move_timeout_blocks", "\(onlyInterval)")
        // The largest interval with the default timeouts (600 blocks) stays inside the bound.
        #expect(loadFailure("task:\n  program: x.elf\ngame:\n  block_interval_ms: 4294967296\n") == nil)
        #expect(try ScenarioLoader.parse(yaml: "task:\n  program: x.elf\ngame:\n  block_interval_ms: 1\n  commit_timeout_blocks: 4294967296\n  challenge_window_blocks: 4294967296\n  move_timeout_blocks: 4294967296\n",
                                         file: "edge.yaml", baseDirectory: "").game.moveTimeoutBlocks == 1 << 32)
    }

    /// The game's total money (parties × 10 × the larger deposit) must fit in a UInt64;
    /// a sum of balances that overflowed would trap in the conservation check.
    @Test func totalMoneyPastUInt64IsRefused() throws {
        func scenario(verifiers: Int) -> String {
            "task:\n  program: x.elf\ngame:\n  solver_deposit: 72057594037927936\nverifiers:\n"
                + (1...verifiers).map { "  - name: v\($0)\n" }.joined()
        }
        #expect(loadFailure(scenario(verifiers: 24)) == nil)
        let e = try #require(loadFailure(scenario(verifiers: 26)))
        #expect(e.key == "verifiers" && e.line == 6 && e.message.contains("2^64"), "\(e)")
    }

    /// The judge sums gas in UInt64: a configuration whose worst-case game could charge
    /// more than 2^63 (huge frames at the top per-byte price) is refused at `game`.
    @Test func worstCaseGasPastTheBoundIsRefused() throws {
        // (A block gas limit that admits such moves, so the check reached is the 2^63 one.)
        let heavy = "task:\n  program: x.elf\ngame:\n  max_frame_bytes: 67108864\n  gas: {calldata_nonzero_byte: 4294967296, block_gas_limit: 4611686018427387904}\n"
        let e = try #require(loadFailure(heavy))
        #expect(e.key == "game" && e.line == 4 && e.message.contains("2^63"), "\(e)")
        // The defaults, and large but bounded settings, are far inside.
        let spec = try ScenarioLoader.parse(yaml: "task:\n  program: x.elf\ngame:\n  max_frame_bytes: 67108864\n  gas: {calldata_nonzero_byte: 65536, block_gas_limit: 1000000000000}\n",
                                            file: "ok.yaml", baseDirectory: "")
        #expect(spec.worstCaseGas != nil)
        #expect(try ScenarioLoader.parse(yaml: "task:\n  program: x.elf\n", file: "d.yaml", baseDirectory: "").worstCaseGas! < 1 << 40)
    }
}
