import Commitment
import Foundation
import Game
import Testing
@testable import Scenario

// Scenario loading: examples in the documented style parse to the model, defaults apply,
// and every class of mistake yields an error naming file, dotted key, line and column.

private func parse(_ yaml: String, file: String = "t.yaml", base: String = "") throws -> ScenarioSpec {
    try ScenarioLoader.parse(yaml: yaml, file: file, baseDirectory: base)
}

/// The ScenarioError `body` throws (nil if it throws nothing or something else).
private func failure<T>(_ body: () throws -> T) -> ScenarioError? {
    do { _ = try body(); return nil } catch let e as ScenarioError { return e } catch { return nil }
}

private func failure(_ yaml: String, file: String = "t.yaml") -> ScenarioError? {
    failure { try parse(yaml, file: file) }
}

private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// A fresh scratch directory for files the loader reads.
private func scratchDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tbsim-scenario-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

private func write(_ text: String, _ path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// The snake_case keys a Codable value encodes to (the types' own CodingKeys).
private func codingKeys<T: Encodable>(_ value: T) throws -> Set<String> {
    let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as! [String: Any]
    return Set(object.keys)
}

@Suite struct ScenarioLoaderParsing {
    /// `starting_balances` gives named parties their own balance (a network's per-task
    /// game carries its participants' balances so); it must name parties, round-trips
    /// through the resolved document, and leaves a scenario without it as it was.
    @Test func startingBalancesNamePartiesAndRoundTrip() throws {
        let spec = try parse("task:\n  program: x.elf\nverifiers: [{name: alice}, {name: bob}]\nstarting_balances: {alice: 7, solver: 0}\n")
        #expect(spec.startingBalances == ["alice": 7, "solver": 0])
        #expect(spec.startingBalance(of: "alice") == 7 && spec.startingBalance(of: "bob") == spec.initialBalance)
        let again = try parse(spec.yaml)
        #expect(again.startingBalances == spec.startingBalances && again == spec)
        let plain = try parse("task:\n  program: x.elf\n")
        #expect(plain.startingBalances == nil && !plain.yaml.contains("starting_balances"))
        let e = try #require(failure("task:\n  program: x.elf\nstarting_balances: {carol: 5}\n"))
        #expect(e.line == 3 && e.message.contains("carol"), "\(e)")
        let huge = try #require(failure("task:\n  program: x.elf\nstarting_balances: {solver: 18446744073709551615}\n"))
        #expect(huge.message.contains("exceed 2^64"), "\(huge)")
    }

    @Test func minimalScenarioTakesEveryDefault() throws {
        let spec = try parse("task:\n  program: build/guests/sort.elf\n", file: "scenarios/sort-honest.yaml")
        #expect(spec == ScenarioSpec(name: "sort-honest", task: ScenarioTask(image: .program(path: "build/guests/sort.elf"))))
        #expect(spec.seed == 1)
        #expect(spec.task.maxSteps == 1_000_000_000 && spec.task.ramMiB == 128 && spec.task.stdin == nil)
        #expect(spec.game == ScenarioSpec.defaultGame && spec.gas == GasSchedule.default)
        #expect(spec.network == NetworkSpec(judgeBind: "tcp://127.0.0.1:0", latencyMs: 0))
        #expect(spec.solver == PartySpec(name: "solver", faults: []))
        #expect(spec.verifiers == [PartySpec(name: "verifier-1", faults: [])])
        #expect(spec.expect == Expectations())
    }

    @Test func fullExampleParsesToTheModel() throws {
        let yaml = """
        name: faulty-solver
        description: "The solver flips a bit of x10 at step 5000."
        seed: 7
        task:
          program: build/guests/sort.elf
          stdin: guests/expected/sha256.in
          max_steps: 200000000
          ram_mib: 256
        game:
          k: 4
          block_interval_ms: 50
          commit_timeout_blocks: 100
          challenge_window_blocks: 30
          move_timeout_blocks: 40
          solver_deposit: 5000
          challenger_deposit: 2500
          winner_share_bps: 7500
          max_frame_bytes: 262144
        network:
          judge_bind: "tcp://0.0.0.0:5555"
          latency_ms: 15
        solver:
          name: sol
          faults:
            - corrupt: {step: 5000, register: 10, bit: 3}
            - corrupt: {step: 6000, memory: 0x80001000, bit: 63}
            - corrupt: {step: 7000, pc: true, bit: 0}
            - wrong_output: {}
            - lie_in_bisection: {from_round: 2}
            - refuse_final_proof
            - silent: {from_move: 0}
            - wrong_step_count: {by: -3}
            - delay_messages: {ms: 200}
            - drop_messages: {probability: 0.5}
        verifiers:
          - name: alice
            faults:
              - challenge_correct_result: {kind: output}
              - lie_in_bisection: {from_round: 1}
              - silent: {from_move: 3}
              - drop_messages: {after: 3}
          - name: bob
          - faults: [{corrupt: {step: 1, register: 0, bit: 1}}, {drop_messages: {probability: 0.25, after: 2}}]
        expect:
          accepted: false
          winner: alice
          rounds: {min: 3, max: 12}
          divergence_step: 5000
          disputes: 1
        """
        let spec = try parse(yaml)
        let expected = ScenarioSpec(
            name: "faulty-solver", description: "The solver flips a bit of x10 at step 5000.", seed: 7,
            task: ScenarioTask(image: .program(path: "build/guests/sort.elf"), stdin: "guests/expected/sha256.in",
                                    maxSteps: 200_000_000, ramMiB: 256),
            game: GameConfig(arity: 4, blockIntervalMs: 50, commitTimeoutBlocks: 100, challengeWindowBlocks: 30,
                             moveTimeoutBlocks: 40, solverDeposit: 5000, challengerDeposit: 2500,
                             winnerShareBps: 7500, maxFrameBytes: 262144),
            gas: .default,
            network: NetworkSpec(judgeBind: "tcp://0.0.0.0:5555", latencyMs: 15),
            solver: PartySpec(name: "sol", faults: [
                .corrupt(step: 5000, target: .register(10), bit: 3),
                .corrupt(step: 6000, target: .memory(address: 0x8000_1000), bit: 63),
                .corrupt(step: 7000, target: .pc, bit: 0),
                .solver(.wrongOutput), .solver(.lieInBisection(fromRound: 2)), .solver(.refuseFinalProof),
                .solver(.silent(fromMove: 0)), .solver(.wrongStepCount(by: -3)), .delayMessages(ms: 200),
                .dropMessages(probability: 0.5, after: nil),
            ]),
            verifiers: [
                PartySpec(name: "alice", faults: [
                    .verifier(.challengeCorrectResult(kind: .output)), .verifier(.lieInBisection(fromRound: 1)),
                    .verifier(.silent(fromMove: 3)), .dropMessages(probability: 1, after: 3),
                ]),
                PartySpec(name: "bob"),
                PartySpec(name: "verifier-3", faults: [.corrupt(step: 1, target: .register(0), bit: 1),
                                                       .dropMessages(probability: 0.25, after: 2)]),
            ],
            expect: Expectations(accepted: false, winner: "alice", minRounds: 3, maxRounds: 12,
                                 divergenceStep: 5000, disputes: 1))
        #expect(spec == expected)
    }

    @Test func bareFaultNamesTakeDefaultArguments() throws {
        let spec = try parse("""
        task: {program: a.elf}
        solver:
          faults: [wrong_output, refuse_final_proof, lie_in_bisection, silent]
        verifiers:
          - faults:
              - challenge_correct_result
              - silent:
        """)
        #expect(spec.solver.faults == [.solver(.wrongOutput), .solver(.refuseFinalProof),
                                       .solver(.lieInBisection(fromRound: 1)), .solver(.silent(fromMove: 1))])
        #expect(spec.verifiers == [PartySpec(name: "verifier-1", faults: [
            .verifier(.challengeCorrectResult(kind: .trace)), .verifier(.silent(fromMove: 1))])])
    }

    @Test func linuxTaskDefaultsAndOverrides() throws {
        let defaults = ScenarioTask.Image.linux(firmware: "build/linux/fw_jump.bin", kernel: "build/linux/Image",
                                                     initrd: "build/linux/initramfs.cpio.gz", bootargs: "console=ttyS0 earlycon=uart8250,mmio,0x10000000 initramfs_async=0")
        #expect(try parse("task:\n  linux: true\n").task.image == defaults)
        #expect(try parse("task:\n  linux:\n").task.image == defaults)
        #expect(try parse("task:\n  linux: {}\n").task.image == defaults)
        let custom = try parse("""
        task:
          linux: {kernel: /abs/Image, bootargs: "console=ttyS0 quiet"}
          ram_mib: 256
        """, base: "/repo")
        #expect(custom.task.image == .linux(firmware: "/repo/build/linux/fw_jump.bin", kernel: "/abs/Image",
                                            initrd: "/repo/build/linux/initramfs.cpio.gz", bootargs: "console=ttyS0 quiet"))
        #expect(custom.task.ramMiB == 256)
    }

    @Test func relativePathsResolveAgainstTheBaseDirectory() throws {
        let yaml = "task: {program: build/guests/sort.elf, stdin: in/data.bin}\n"
        let joined = try parse(yaml, base: "/work/repo")
        #expect(joined.task.image == .program(path: "/work/repo/build/guests/sort.elf"))
        #expect(joined.task.stdin == "/work/repo/in/data.bin")
        #expect(try parse(yaml, base: "/work/repo/").task.image == .program(path: "/work/repo/build/guests/sort.elf"))
        for base in ["", "."] {
            #expect(try parse(yaml, base: base).task.image == .program(path: "build/guests/sort.elf"))
        }
        #expect(try parse("task: {program: /abs/x.elf}\n", base: "/work/repo").task.image == .program(path: "/abs/x.elf"))
    }

    @Test func exactRoundsAndNullSectionsMeanDefaults() throws {
        let spec = try parse("task: {program: a.elf}\ngame:\nnetwork: ~\nverifiers: []\nexpect: {rounds: 5, winner: none}\n")
        #expect(spec.game == ScenarioSpec.defaultGame && spec.network == NetworkSpec())
        #expect(spec.verifiers.isEmpty)
        #expect(spec.expect == Expectations(winner: "none", minRounds: 5, maxRounds: 5))
    }

    @Test func integerSpellings() throws {
        let spec = try parse("seed: 0xffffffffffffffff\ntask: {program: a.elf, max_steps: 1_000_000, ram_mib: 0b100}\n")
        #expect(spec.seed == UInt64.max && spec.task.maxSteps == 1_000_000 && spec.task.ramMiB == 4)
    }

    @Test func loadReadsTheFileAndNamesItAfterTheFile() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("task:\n  program: build/guests/sort.elf\n", dir + "/my-run.yaml")
        let spec = try ScenarioLoader.load(path: dir + "/my-run.yaml")
        #expect(spec.name == "my-run")
        // Paths stay relative to the current directory, as documented.
        #expect(spec.task.image == .program(path: "build/guests/sort.elf"))
        let missing = failure { try ScenarioLoader.load(path: dir + "/nope.yaml") }
        #expect(missing == ScenarioError(file: dir + "/nope.yaml", line: nil, column: nil, key: nil, message: "file not found"))
        try Data([0x74, 0x61, 0x73, 0x6b, 0x3a, 0xff]).write(to: URL(fileURLWithPath: dir + "/bin.yaml"))
        let binary = failure { try ScenarioLoader.load(path: dir + "/bin.yaml") }
        #expect(binary?.message == "not UTF-8 text: invalid byte 0xff at byte offset 5")
    }
}

@Suite struct ScenarioLoaderErrors {
    @Test func descriptionFormat() {
        let e = ScenarioError(file: "scenarios/x.yaml", line: 12, column: 5, key: "game.k",
                              message: "expected an integer in 2...65536 or `auto`, got \"four\"")
        #expect(e.description == "scenarios/x.yaml:12:5: key `game.k`: expected an integer in 2...65536 or `auto`, got \"four\"")
        #expect(ScenarioError(file: "a.yaml", line: nil, column: nil, key: nil, message: "m").description == "a.yaml: m")
    }

    @Test func wrongTypeNamesKeyLineAndColumn() {
        let e = failure("task:\n  program: a.elf\ngame:\n  k: four\n", file: "scenarios/x.yaml")
        #expect(e?.description == "scenarios/x.yaml:4:6: key `game.k`: expected an integer in 2...65536 or `auto`, got \"four\"")
        let quotedNumber = failure("task: {program: a.elf}\nseed: \"7\"\n")
        #expect(quotedNumber?.key == "seed" && quotedNumber?.line == 2 && quotedNumber?.column == 7)
        let listForString = failure("task:\n  program: [a, b]\n")
        #expect(listForString?.key == "task.program" && listForString?.line == 2)
        #expect(listForString?.message == "expected a path, got a list")
        let bool = failure("task: {program: a.elf}\nexpect:\n  accepted: yes\n")
        #expect(bool?.key == "expect.accepted" && bool?.line == 3 && bool?.message == "expected true or false, got \"yes\"")
    }

    @Test func outOfRangeValues() {
        let ram = failure("task:\n  program: a.elf\n  ram_mib: 20000\n")
        #expect(ram == ScenarioError(file: "t.yaml", line: 3, column: 12, key: "task.ram_mib",
                                     message: "expected an integer in 1...16384, got 20000"))
        let negative = failure("task:\n  program: a.elf\n  max_steps: -5\n")
        #expect(negative?.key == "task.max_steps" && negative?.message == "expected an integer ≥ 1, got -5")
        let huge = failure("seed: 99999999999999999999\ntask: {program: a.elf}\n")
        #expect(huge?.key == "seed" && huge?.line == 1 && huge?.message == "expected a non-negative integer, got 99999999999999999999 (too large)")
        let share = failure("task: {program: a.elf}\ngame:\n  winner_share_bps: 10001\n")
        #expect(share?.key == "game.winner_share_bps" && share?.line == 3)
        let probability = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - drop_messages: {probability: 1.5}\n")
        #expect(probability?.key == "solver.faults[0].drop_messages.probability" && probability?.line == 4)
        #expect(probability?.message == "expected a number in 0...1, got 1.5")
    }

    @Test func crossKeyGameProblemIsReportedAtK() {
        // 1000 roots do not fit in 256-byte frames: GameConfig.problems() objects; the
        // loader reports it at `k`, in the file's vocabulary.
        let e = failure("task: {program: a.elf}\ngame:\n  max_frame_bytes: 256\n  k: 1000\n")
        #expect(e?.key == "game.k" && e?.line == 4 && e?.column == 6)
        #expect(e?.message.hasPrefix("1000 needs post_roots frames of") == true)
    }

    /// A frame limit below the largest proof the protocol may require would let the judge
    /// refuse an honest solver's proof (and a liar win by timeout): refused at load.
    @Test func aFrameLimitBelowTheLargestRequiredMoveIsRefused() {
        let e = failure("task: {program: a.elf}\ngame:\n  max_frame_bytes: 600\n")
        #expect(e?.key == "game.max_frame_bytes" && e?.line == 3, "\(String(describing: e))")
        #expect(e?.message.contains("may need a frame of \(StepProofBounds.maxBytes + 90) bytes") == true, "\(String(describing: e))")
        #expect(failure("task: {program: a.elf}\ngame:\n  max_frame_bytes: \(StepProofBounds.maxBytes + 90)\n") == nil)
    }

    /// k = 4096 makes one post_roots transaction cost ~93 M gas: it could never be included
    /// in a 30 M-gas block, so the configuration is refused, with the figure.
    @Test func movesOverTheBlockGasLimitAreRefused() {
        let e = failure("task: {program: a.elf}\ngame:\n  k: 4096\n")
        #expect(e?.key == "game.k" && e?.line == 3, "\(String(describing: e))")
        #expect(e?.message.contains("post_roots may cost") == true && e?.message.contains("block gas limit 30000000") == true,
                "\(String(describing: e))")
        // A higher limit admits it; a lower one refuses even k = 2's step proof.
        #expect(failure("task: {program: a.elf}\ngame:\n  k: 4096\n  gas: {block_gas_limit: 100000000}\n") == nil)
        let tight = failure("task: {program: a.elf}\ngame:\n  gas: {block_gas_limit: 100000}\n")
        #expect(tight?.key == "game.gas" && tight?.message.contains("commit may cost") == true, "\(String(describing: tight))")
    }

    /// `storage_write`, one price for every storage write, gave way to Ethereum's per-slot
    /// keys: a schedule that still sets it is refused at that key and line, naming them.
    @Test func theRemovedStorageWriteKeyIsNamed() {
        let e = failure("task: {program: a.elf}\ngame:\n  gas:\n    tx_base: 21000\n    storage_write: 20000\n")
        #expect(e?.key == "game.gas.storage_write" && e?.line == 5, "\(String(describing: e))")
        #expect(e?.message.hasPrefix("`storage_write` was removed:") == true && e?.message.contains("sstore_set") == true,
                "\(String(describing: e))")
        #expect(failure("task: {program: a.elf}\ngame:\n  gas: {max_refund_quotient: 0}\n")?.key == "game.gas.max_refund_quotient")
    }

    /// `game.storage` chooses how the contract stores a round's roots; the resolved
    /// scenario keeps it; anything else is refused at the key with the choices.
    @Test func rootStorageIsAKeyOfTheGame() throws {
        let spec = try parse("task: {program: a.elf}\ngame:\n  storage: roots_hash\n")
        #expect(spec.game.storage == .rootsHash && GameConfig().storage == .perRoot)
        #expect(try parse(spec.yaml) == spec)
        let e = failure("task: {program: a.elf}\ngame:\n  storage: roots-hash\n")
        #expect(e?.key == "game.storage" && e?.line == 3, "\(String(describing: e))")
        #expect(e?.message == "must be one of per_root, roots_hash, got \"roots-hash\" (did you mean roots_hash?)", "\(String(describing: e))")
    }

    /// `k: auto` leaves k to the chain; the resolved scenario says `auto` and loads back.
    @Test func kAutoIsAccepted() throws {
        let spec = try parse("task: {program: a.elf}\ngame:\n  k: auto\n")
        #expect(spec.game.isAutoArity)
        #expect(spec.yaml.contains("k: auto") || spec.yaml.contains("k: \"auto\""), "\(spec.yaml)")
        #expect(try parse(spec.yaml) == spec)
        #expect(failure("task: {program: a.elf}\ngame:\n  k: automatic\n")?.message == "expected an integer in 2...65536 or `auto`, got \"automatic\"")
    }

    @Test func missingRequiredKeys() {
        let noTask = failure("name: x\nseed: 3\n")
        #expect(noTask == ScenarioError(file: "t.yaml", line: 1, column: 1, key: "task", message: "missing required key `task`"))
        let noImage = failure("seed: 3\ntask:\n  stdin: a.in\n")
        #expect(noImage?.key == "task" && noImage?.line == 3)
        let both = failure("task:\n  program: a.elf\n  linux: true\n")
        #expect(both?.key == "task.linux" && both?.line == 3 && both?.message == "give either `program` or `linux`, not both")
        let corruptNoBit = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - corrupt: {step: 5, pc: true}\n")
        #expect(corruptNoBit?.key == "solver.faults[0].corrupt.bit" && corruptNoBit?.line == 4)
        let delayBare = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - delay_messages\n")
        #expect(delayBare?.key == "solver.faults[0].delay_messages" && delayBare?.line == 4)
    }

    @Test func unknownKeysAreRejectedEverywhere() {
        let top = failure("task: {program: a.elf}\nseeed: 3\n")
        #expect(top?.key == "seeed" && top?.line == 2 && top?.column == 1)
        #expect(top?.message.hasPrefix("unknown key `seeed`; did you mean `seed`?") == true)
        #expect(top?.message.contains("name, description, seed, task, game, network, solver, verifiers, expect") == true)
        let nested = failure("task:\n  program: a.elf\n  max_step: 5\n")
        #expect(nested?.key == "task.max_step" && nested?.line == 3 && nested?.column == 3)
        #expect(nested?.message.contains("did you mean `max_steps`?") == true)
        let inFault = failure("""
        task: {program: a.elf}
        verifiers:
          - name: alice
          - name: bob
            faults:
              - lie_in_bisection: {from_rnd: 2}
        """)
        #expect(inFault?.key == "verifiers[1].faults[0].lie_in_bisection.from_rnd" && inFault?.line == 6)
        for section in ["game", "network", "expect", "solver"] {
            let e = failure("task: {program: a.elf}\n\(section):\n  bogus: 1\n")
            #expect(e?.key == "\(section).bogus" && e?.line == 3, "section \(section)")
        }
        let linux = failure("task:\n  linux: {kernal: x}\n")
        #expect(linux?.key == "task.linux.kernal" && linux?.message.contains("did you mean `kernel`?") == true)
        let rounds = failure("task: {program: a.elf}\nexpect:\n  rounds: {minimum: 2}\n")
        #expect(rounds?.key == "expect.rounds.minimum")
    }

    @Test func faultArgumentErrorCarriesTheFullDottedKey() {
        let e = failure("""
        task: {program: a.elf}
        verifiers:
          - name: alice
          - name: bob
            faults:
              - lie_in_bisection: {from_round: 0}
        """)
        #expect(e == ScenarioError(file: "t.yaml", line: 6, column: 40,
                                   key: "verifiers[1].faults[0].lie_in_bisection.from_round",
                                   message: "expected an integer in 1...2147483647, got 0"))
    }

    @Test func badFaults() {
        let wrongRole = failure("task: {program: a.elf}\nverifiers:\n  - faults: [wrong_output]\n")
        #expect(wrongRole?.key == "verifiers[0].faults[0]" && wrongRole?.line == 3)
        #expect(wrongRole?.message.hasPrefix("`wrong_output` is not a verifier fault") == true)
        let solverChallenges = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - challenge_correct_result: {kind: trace}\n")
        #expect(solverChallenges?.message.hasPrefix("`challenge_correct_result` is not a solver fault") == true)
        let unknown = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - slient: {from_move: 1}\n")
        #expect(unknown?.key == "solver.faults[0]" && unknown?.line == 4 && unknown?.column == 7)
        #expect(unknown?.message.hasPrefix("unknown fault `slient`; did you mean `silent`?") == true)
        let twoKeys = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - silent: {}\n      wrong_output: {}\n")
        #expect(twoKeys?.key == "solver.faults[0]" && twoKeys?.line == 4)
        let kind = failure("task: {program: a.elf}\nverifiers:\n  - faults:\n      - challenge_correct_result: {kind: memory}\n")
        #expect(kind?.key == "verifiers[0].faults[0].challenge_correct_result.kind")
        #expect(kind?.message == "expected one of trace, output, got \"memory\"")
        let argsOnBare = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - wrong_output: 3\n")
        #expect(argsOnBare?.key == "solver.faults[0].wrong_output" && argsOnBare?.line == 4)
        let twice = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - silent\n    - silent: {from_move: 2}\n")
        #expect(twice?.line == 5 && twice?.message.contains("given twice (first at line 4)") == true)
        let dropNothing = failure("task: {program: a.elf}\nsolver:\n  faults: [drop_messages: {}]\n")
        #expect(dropNothing?.key == "solver.faults[0].drop_messages")
        let zeroSteps = failure("task: {program: a.elf}\nsolver:\n  faults: [wrong_step_count: {by: 0}]\n")
        #expect(zeroSteps?.key == "solver.faults[0].wrong_step_count.by" && zeroSteps?.message.contains("must not be 0") == true)
        let noSteps = failure("task: {program: a.elf}\nsolver:\n  faults: [wrong_step_count]\n")
        #expect(noSteps?.message.contains("`wrong_step_count` needs arguments: `by`") == true, "\(String(describing: noSteps))")
        let verifierSteps = failure("task: {program: a.elf}\nverifiers:\n  - faults: [wrong_step_count: {by: 2}]\n")
        #expect(verifierSteps?.message.hasPrefix("`wrong_step_count` is not a verifier fault") == true)
        let solverDelay = failure("task: {program: a.elf}\nsolver:\n  challenge_delay_blocks: 2\n")
        #expect(solverDelay?.key == "solver.challenge_delay_blocks" && solverDelay?.message.contains("the solver does not challenge") == true,
                "\(String(describing: solverDelay))")
        let lateDelay = failure("task: {program: a.elf}\ngame: {challenge_window_blocks: 5}\nverifiers:\n  - challenge_delay_blocks: 6\n")
        #expect(lateDelay?.key == "verifiers[0].challenge_delay_blocks" && lateDelay?.line == 4
                && lateDelay?.message.contains("can miss the challenge window (`game.challenge_window_blocks` = 5)") == true,
                "\(String(describing: lateDelay))")
        let wholeWindow = failure("task: {program: a.elf}\ngame: {challenge_window_blocks: 5}\nverifiers:\n  - challenge_delay_blocks: 5\n")
        #expect(wholeWindow?.message.contains("use 0…4") == true, "\(String(describing: wholeWindow))")
        let order = failure("task: {program: a.elf}\nverifiers: [{name: a}, {name: b}]\nexpect: {challenge_order: [a, c]}\n")
        #expect(order?.key == "expect.challenge_order[1]" && order?.message.contains("`c` is not a verifier") == true, "\(String(describing: order))")
        let twiceOrdered = failure("task: {program: a.elf}\nverifiers: [{name: a}, {name: b}]\nexpect: {challenge_order: [a, a]}\n")
        #expect(twiceOrdered?.message.contains("listed twice") == true)
        // A chess clock too short for the moves an honest solver may need is refused:
        // ⌈log_2 10^6⌉ = 20 root postings and the closing move, a block each.
        let shortClock = failure("task: {program: a.elf, max_steps: 1000000}\ngame: {k: 2, challenges: chess-clock, clock_blocks: 20}\n")
        #expect(shortClock?.key == "game.clock_blocks" && shortClock?.message.contains("use 21 or more") == true,
                "\(String(describing: shortClock))")
        #expect(failure("task: {program: a.elf, max_steps: 1000000}\ngame: {k: 2, challenges: chess-clock, clock_blocks: 21}\n") == nil)
        let notList = failure("task: {program: a.elf}\nsolver:\n  faults: silent\n")
        #expect(notList?.key == "solver.faults" && notList?.line == 3)
    }

    @Test func badCorruptionTargets() {
        func corrupt(_ args: String) -> ScenarioError? {
            failure("task: {program: a.elf, ram_mib: 1}\nsolver:\n  faults:\n    - corrupt: {step: 10, bit: 3, \(args)}\n")
        }
        let two = corrupt("register: 1, pc: true")
        #expect(two?.key == "solver.faults[0].corrupt.pc" && two?.line == 4)
        #expect(two?.message.contains("exactly one target") == true)
        #expect(corrupt("register: 32")?.key == "solver.faults[0].corrupt.register")
        let none = corrupt("x: 1")
        #expect(none?.key == "solver.faults[0].corrupt.x")
        let misaligned = corrupt("memory: 0x80000004")
        #expect(misaligned?.message == "the address must be 8-aligned (a 64-bit word), got 0x80000004")
        let outside = corrupt("memory: 0x80100000")
        #expect(outside?.message == "the address must lie in RAM, 0x80000000...0x800ffff8 for ram_mib 1, got 0x80100000")
        #expect(corrupt("memory: 0x800ffff8") == nil)
        #expect(corrupt("pc: false")?.key == "solver.faults[0].corrupt.pc")
        let bit = corrupt("pc: true, bit: 64")
        #expect(bit != nil) // duplicate `bit` key: a YAML-level error
        let bitRange = failure("task: {program: a.elf}\nsolver:\n  faults:\n    - corrupt: {step: 1, pc: true, bit: 64}\n")
        #expect(bitRange?.key == "solver.faults[0].corrupt.bit" && bitRange?.message == "expected an integer in 0...63, got 64")
    }

    @Test func accountKeys() throws {
        let key = SigningKey.derived(scenarioSeed: 1, name: "x").account.hex
        let spec = try parse("task: {program: a.elf}\naccounts:\n  verifier-1: \(key)\n  judge: \(key)\n")
        #expect(spec.accounts == ["verifier-1": key, "judge": key] && spec.accountKeys["judge"]?.hex == key)
        let stranger = failure("task: {program: a.elf}\naccounts:\n  mallory: \(key)\n")
        #expect(stranger?.key == "accounts.mallory" && stranger?.line == 3)
        let bad = failure("task: {program: a.elf}\naccounts:\n  solver: 1234\n")
        #expect(bad?.key == "accounts.solver" && bad?.message.contains("64 hex digits") == true)
    }

    @Test func partyNames() {
        let judge = failure("task: {program: a.elf}\nverifiers:\n  - name: judge\n")
        #expect(judge?.key == "verifiers[0].name" && judge?.line == 3 && judge?.column == 11)
        let none = failure("task: {program: a.elf}\nsolver: {name: none}\n")
        #expect(none?.key == "solver.name")
        let chars = failure("task: {program: a.elf}\nverifiers:\n  - name: \"bad name\"\n")
        #expect(chars?.message == "a party name must be 1 to 64 characters of A-Z a-z 0-9 . _ -, got \"bad name\"")
        let long = failure("task: {program: a.elf}\nsolver: {name: \(String(repeating: "a", count: 65))}\n")
        #expect(long?.key == "solver.name")
        #expect(failure("task: {program: a.elf}\nsolver: {name: \(String(repeating: "a", count: 64))}\n") == nil)
        let duplicate = failure("task: {program: a.elf}\nverifiers:\n  - name: alice\n  - name: alice\n")
        #expect(duplicate?.key == "verifiers[1].name" && duplicate?.line == 4)
        #expect(duplicate?.message.contains("used twice (first used at line 3)") == true)
        let sameAsSolver = failure("task: {program: a.elf}\nverifiers:\n  - name: solver\n")
        #expect(sameAsSolver?.key == "verifiers[0].name")
        let clashesWithDefault = failure("task: {program: a.elf}\nsolver: {name: verifier-1}\n")
        #expect(clashesWithDefault?.message.contains("`verifier-1`") == true)
        let empty = failure("task: {program: a.elf}\nsolver: {name: \"\"}\n")
        #expect(empty?.key == "solver.name")
    }

    @Test func expectations() {
        let winner = failure("task: {program: a.elf}\nverifiers: [{name: alice}]\nexpect:\n  winner: bob\n")
        #expect(winner?.key == "expect.winner" && winner?.line == 4 && winner?.column == 11)
        #expect(winner?.message == "`bob` is not a party of this scenario; expected one of `solver`, `alice` or `none`")
        let rounds = failure("task: {program: a.elf}\nexpect:\n  rounds: {min: 5, max: 2}\n")
        #expect(rounds?.key == "expect.rounds" && rounds?.line == 3)
    }

    @Test func malformedYAMLGivesTheParserPosition() {
        let e = failure("task:\n  program: a.elf\n  stdin: [unclosed\nseed: 1\n")
        #expect(e?.file == "t.yaml" && e?.key == nil && e?.line != nil)
        #expect(e?.message.hasPrefix("malformed YAML: ") == true)
        let tabs = failure("task:\n\tprogram: a.elf\n")
        #expect(tabs?.line == 2 && tabs?.column == 1 && tabs?.message.hasSuffix("a tab is not allowed here (YAML indents with spaces)") == true)
        let colon = failure("task:\n  program: a.elf\n  stdin: a: b\n")
        #expect(colon?.line == 3 && colon?.column == 11)
        let control = failure("task: {program: a.elf}\nname: \"é\u{7}\"\n")
        #expect(control?.line == 2 && control?.column == 9 && control?.message.hasPrefix("malformed YAML: control characters") == true)
        let duplicate = failure("task: {program: a.elf}\nseed: 1\nseed: 2\n")
        #expect(duplicate?.line == 2 && duplicate?.message.contains("duplicate key `seed`") == true)
    }

    @Test func emptyAndNonMappingDocuments() {
        for text in ["", "\n\n", "# only a comment\n", "~\n"] {
            let e = failure(text, file: "empty.yaml")
            #expect(e?.file == "empty.yaml" && e?.line == nil && e?.message.hasPrefix("the file is empty") == true)
        }
        let list = failure("- task\n- seed\n")
        #expect(list?.line == 1 && list?.message.hasPrefix("the top level of a scenario must be a mapping") == true)
        #expect(list?.message.hasSuffix("got a list") == true)
        let scalar = failure("hello\n")
        #expect(scalar?.message.hasSuffix("got \"hello\"") == true)
    }

    @Test func networkEndpoints() {
        let e = failure("task: {program: a.elf}\nnetwork:\n  judge_bind: 127.0.0.1:5555\n")
        #expect(e?.key == "network.judge_bind" && e?.line == 3)
        #expect(failure("task: {program: a.elf}\nnetwork: {judge_bind: \"tcp://h:70000\"}\n")?.key == "network.judge_bind")
        #expect(failure("task: {program: a.elf}\nnetwork: {judge_bind: \"tcp://*:*\"}\n") == nil)
        #expect(failure("task: {program: a.elf}\nnetwork: {judge_bind: \"ipc:///tmp/judge\"}\n") == nil)
    }
}

@Suite struct ScenarioLoaderFiles {
    @Test func shippedGasScheduleEqualsTheDefaults() throws {
        let path = repoRoot + "/configs/gas-default.yaml"
        #expect(try ScenarioLoader.loadGasSchedule(path: path) == GasSchedule.default)
        // The file spells out every key, not just some.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let root = try YAMLDocument(file: path, baseDirectory: "").compose(text, what: "gas")
        let keys = try root.mapping(allowed: ScenarioLoader.gasIntegerKeys + ScenarioLoader.gasPriceKeys).entries.map(\.name)
        #expect(Set(keys) == (try codingKeys(GasSchedule.default)))
    }

    @Test func loaderKeyListsMatchTheModelsCodingKeys() throws {
        #expect(Set(ScenarioLoader.gasIntegerKeys + ScenarioLoader.gasPriceKeys) == (try codingKeys(GasSchedule.default)))
        // The integer keys, plus `challenges` and `storage` (words).
        let gameKeys = Set(ScenarioLoader.gameKeys.map(\.key.rawValue)
                           + [GameConfig.Key.challenges.rawValue, GameConfig.Key.storage.rawValue])
        // (`gas_price_wei` is encoded only when set.)
        var priced = GameConfig()
        priced.gasPriceWei = 1
        #expect(gameKeys == (try codingKeys(priced)))
        #expect(try codingKeys(GameConfig()) == gameKeys.subtracting([GameConfig.Key.gasPriceWei.rawValue]))
        #expect(gameKeys == Set(GameConfig.Key.allCases.map(\.rawValue)))
    }

    /// The loader's per-key ranges are exactly those `GameConfig.problems()` enforces.
    @Test(arguments: ScenarioLoader.gameKeys)
    func gameRangesAgreeWithProblems(key: GameConfig.Key, range: ClosedRange<UInt64>) {
        func problems(_ value: UInt64) -> [ConfigProblem] {
            var g = GameConfig(arity: 2, maxFrameBytes: 1 << 30)
            switch key {
            case .k: g.arity = Int(value)
            case .blockIntervalMs: g.blockIntervalMs = value
            case .commitTimeoutBlocks: g.commitTimeoutBlocks = value
            case .challengeWindowBlocks: g.challengeWindowBlocks = value
            case .moveTimeoutBlocks: g.moveTimeoutBlocks = value
            case .solverDeposit: g.solverDeposit = value
            case .challengerDeposit: g.challengerDeposit = value
            case .winnerShareBps: g.winnerShareBps = value
            case .maxFrameBytes: g.maxFrameBytes = Int(value)
            case .clockBlocks: g.clockBlocks = value
            case .gasPriceWei: g.gasPriceWei = value
            case .challenges, .storage: break
            }
            return g.problems().filter { $0.key == key && $0.message.hasPrefix("must") }
        }
        #expect(problems(range.lowerBound).isEmpty)
        #expect(problems(range.upperBound).isEmpty)
        if range.lowerBound > 0 { #expect(!problems(range.lowerBound - 1).isEmpty) }
        if range.upperBound < UInt64(Int.max) { #expect(!problems(range.upperBound + 1).isEmpty) }
    }

    /// The example in docs/SCENARIOS.md parses to what the text says it means.
    @Test func documentedExampleParses() throws {
        let doc = try String(contentsOfFile: repoRoot + "/docs/SCENARIOS.md", encoding: .utf8)
        let blocks = doc.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count == 2)
        let spec = try parse(blocks[0], file: "scenarios/faulty-solver.yaml", base: repoRoot)
        var game = ScenarioSpec.defaultGame
        game.arity = 4; game.challengeWindowBlocks = 30
        #expect(spec == ScenarioSpec(
            name: "faulty-solver", description: "The solver flips bit 3 of x10 after step 5000; alice catches it, bob sleeps.",
            seed: 7,
            task: ScenarioTask(image: .program(path: repoRoot + "/build/guests/sha256.elf"),
                                    stdin: repoRoot + "/guests/expected/sha256.in", maxSteps: 200_000_000),
            game: game, gas: .default, network: NetworkSpec(),
            solver: PartySpec(name: "solver", faults: [.corrupt(step: 5000, target: .register(10), bit: 3)]),
            verifiers: [PartySpec(name: "alice"), PartySpec(name: "lazy-bob", faults: [.verifier(.silent(fromMove: 1))])],
            expect: Expectations(accepted: false, winner: "alice", minRounds: 3, maxRounds: 12, divergenceStep: 5000, disputes: 1)))
        let minimal = try parse(blocks[1], file: "scenarios/min.yaml")
        #expect(minimal == ScenarioSpec(name: "min", task: ScenarioTask(image: .program(path: "build/guests/sort.elf"))))
    }

    @Test func gasFileReferencedFromAScenario() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/configs", withIntermediateDirectories: true)
        try write("gas_price_gwei: 1.5\ntx_base: 1000\n", dir + "/configs/gas-cheap.yaml")
        let spec = try parse("task: {program: a.elf}\ngame:\n  gas: configs/gas-cheap.yaml\n", base: dir)
        #expect(spec.gas == GasSchedule(txBase: 1000, gasPriceGwei: 1.5))
        #expect(spec.task.image == .program(path: dir + "/a.elf"))

        let inline = try parse("task: {program: a.elf}\ngame:\n  gas: {eth_price_usd: 2500}\n")
        #expect(inline.gas == GasSchedule(ethPriceUSD: 2500))

        let missing = failure { try parse("task: {program: a.elf}\ngame:\n  k: 4\n  gas: configs/nope.yaml\n", base: dir) }
        #expect(missing == ScenarioError(file: "t.yaml", line: 4, column: 8, key: "game.gas",
                                         message: "file not found: \(dir)/configs/nope.yaml"))
    }

    @Test func badGasFilesNameTheirOwnFileAndLine() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/gas.yaml"
        try write("tx_base: 21000\nkeccak_per_wrd: 6\n", path)
        let typo = failure { try ScenarioLoader.loadGasSchedule(path: path) }
        #expect(typo?.file == path && typo?.key == "keccak_per_wrd" && typo?.line == 2)
        #expect(typo?.message.contains("did you mean `keccak_per_word`?") == true)
        try write("tx_base: -1\n", path)
        let negative = failure { try ScenarioLoader.loadGasSchedule(path: path) }
        #expect(negative?.key == "tx_base" && negative?.line == 1 && negative?.column == 10)
        try write("gas_price_gwei: cheap\n", path)
        #expect(failure { try ScenarioLoader.loadGasSchedule(path: path) }?.key == "gas_price_gwei")
        try write("", path)
        #expect(failure { try ScenarioLoader.loadGasSchedule(path: path) }?.message.hasPrefix("the file is empty") == true)
        try write("- 1\n", path)
        #expect(failure { try ScenarioLoader.loadGasSchedule(path: path) }?.line == 1)
        // Referenced from a scenario, the error still points into the gas file.
        try write("storage_write: lots\n", path)
        let viaScenario = failure { try parse("task: {program: a.elf}\ngame: {gas: \(path)}\n") }
        #expect(viaScenario?.file == path && viaScenario?.key == "storage_write" && viaScenario?.line == 1)
    }

    @Test func endpointsFileWithInlineOverride() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("judge_bind: \"tcp://10.0.0.5:7000\"\nlatency_ms: 20\n", dir + "/net.yaml")
        let fromFile = try parse("task: {program: a.elf}\nnetwork: {endpoints: net.yaml}\n", base: dir)
        #expect(fromFile.network == NetworkSpec(judgeBind: "tcp://10.0.0.5:7000", latencyMs: 20))
        let overridden = try parse("task: {program: a.elf}\nnetwork: {endpoints: net.yaml, latency_ms: 3}\n", base: dir)
        #expect(overridden.network == NetworkSpec(judgeBind: "tcp://10.0.0.5:7000", latencyMs: 3))
        try write("judge_bind: \"tcp://10.0.0.5:7000\"\nsolver_bind: x\n", dir + "/bad.yaml")
        let bad = failure { try parse("task: {program: a.elf}\nnetwork: {endpoints: bad.yaml}\n", base: dir) }
        #expect(bad?.file == dir + "/bad.yaml" && bad?.key == "solver_bind" && bad?.line == 2)
        let missing = failure { try parse("task: {program: a.elf}\nnetwork:\n  endpoints: none.yaml\n", base: dir) }
        #expect(missing?.key == "network.endpoints" && missing?.line == 3 && missing?.file == "t.yaml")
    }

    /// The resolved scenario a report records loads back to the same scenario, for every
    /// shipped file: it really holds every parameter and fault.
    @Test func theResolvedDocumentLoadsBackToTheSameScenario() throws {
        let folder = repoRoot + "/scenarios"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 9)
        for f in files {
            // Network scenarios (`population:`) are not one game; NetworkTests covers them.
            guard case let .game(spec) = try ScenarioLoader.loadFile(path: folder + "/" + f) else { continue }
            let again = try ScenarioLoader.parse(yaml: spec.yaml, file: "resolved-" + f, baseDirectory: "")
            #expect(again == spec, "\(f) does not survive its resolved form:\n\(spec.yaml)")
            #expect(again.digest == spec.digest)
        }
        // Faults of every kind, and a Linux task.
        let spec = try parse("""
            task: {linux: {bootargs: "console=ttyS0"}, max_steps: 5, ram_mib: 64}
            solver: {faults: [{corrupt: {step: 3, memory: 0x80001000, bit: 5}}, wrong_output, refuse_final_proof,
                              {silent: {from_move: 2}}, {drop_messages: {probability: 0.25}}, {wrong_step_count: {by: -7}}]}
            verifiers:
              - faults: [{challenge_correct_result: {kind: output}}, {lie_in_bisection: {from_round: 3}}, {delay_messages: {ms: 7}},
                         {drop_messages: {after: 4}}, {corrupt: {step: 1, pc: true, bit: 0}}]
                challenge_delay_blocks: 4
            expect: {accepted: false, rounds: {min: 2, max: 9}, divergence_step: 3, disputes: 1, winner: verifier-1,
                     challenge_order: [verifier-1]}
            """)
        #expect(try ScenarioLoader.parse(yaml: spec.yaml, file: "r.yaml", baseDirectory: "") == spec)
        // Account keys too (a network's chain posts every task's game with its accounts).
        let key = SigningKey.derived(scenarioSeed: 3, name: "v").account.hex
        let listed = try parse("task: {program: a.elf}\naccounts: {judge: \(key), solver: \(key)}\n")
        let back = try ScenarioLoader.parse(yaml: listed.yaml, file: "r.yaml", baseDirectory: "")
        #expect(back == listed && back.accounts.count == 2 && back.digest == listed.digest)
    }

    /// A program whose stack lies past the RAM it is given is refused at load, naming the
    /// size it needs (and by the boot, for `tbsim run`).
    @Test func tooLittleRAMForTheProgramIsRefusedAtLoad() throws {
        let hello = repoRoot + "/build/guests/hello.elf"
        try #require(FileManager.default.fileExists(atPath: hello), "run `make guests`")
        let e = failure("task: {program: \(hello), ram_mib: 100}\n")
        #expect(e?.key == "task.ram_mib" && e?.message.contains("needs ram_mib 112 or more") == true, "\(String(describing: e))")
        #expect(try parse("task: {program: \(hello), ram_mib: 112}\n").task.ramMiB == 112)
        let task = ScenarioTask(image: .program(path: hello), ramMiB: 16)
        #expect(task.requiredRAMMiB() == 112)
        #expect { _ = try task.boot() } throws: { "\($0)".contains("needs 112 MiB of RAM") }
    }
}

