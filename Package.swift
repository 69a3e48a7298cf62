// swift-tools-version:6.0
// tbsim — a simulator of Truebit's verification game. The target list is the
// architecture (docs/ARCHITECTURE.md): machine → commitment → game → transport →
// scenario → report → roles, experiments → CLI.
import PackageDescription

// The machine's hot loop: no overflow/bounds traps (the code uses wrapping arithmetic and
// pointers deliberately) and no dynamic exclusivity checks in release builds.
// Debug builds (the test suite's) optimise the machine and the commitment too, keeping
// every check: unoptimised, the reference step runs ~1.5 MIPS and the 100 M-instruction
// bench guests would take minutes each; optimised, ~10 MIPS. TBSIM_ONONE=1 drops it, for
// stepping through the machine in a debugger.
let debugOptimise = Context.environment["TBSIM_ONONE"] == nil
let optimise: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
] + (debugOptimise ? [.unsafeFlags(["-O"], .when(configuration: .debug))] : [])

let package = Package(
    name: "tbsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tbsim", targets: ["tbsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        // The threaded block engine: computed-goto dispatch over the blocks the Swift block
        // cache decodes (docs/ENGINE.md). Optimised in debug builds too, like the machine;
        // no strict aliasing, since it reads what Swift wrote (ops, RAM) through other types
        // (the generated code is the same either way, checked).
        .target(name: "CEngine", cSettings: [.unsafeFlags(["-O2", "-fno-strict-aliasing"])]),
        .target(name: "RISCV", dependencies: ["CEngine"], swiftSettings: optimise),
        // Node hashing several at a time on AVX2 / AVX-512, picked at run time (the Swift
        // permutation stays the definition and the fallback). Optimised in debug builds too:
        // unoptimised vector code would be slower than the scalar Swift it replaces.
        .target(name: "CKeccak", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "Commitment", dependencies: ["RISCV", "CKeccak"], swiftSettings: optimise),
        // Game does pure crypto (Ed25519 over transactions and notifications) so the judge and a
        // later offline replay check signatures with the same code; it still does no I/O.
        .target(name: "Game", dependencies: ["Commitment", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Transport", dependencies: ["CZeroMQ"]),
        .target(name: "Scenario", dependencies: ["RISCV", "Commitment", "Game", "Yams"]),
        .target(name: "Report", dependencies: ["Game", "Scenario"]),
        // The chain's durable ledger: SQLite through GRDB; storage only, no game rules.
        .target(name: "Ledger", dependencies: ["Game", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Roles", dependencies: ["RISCV", "Commitment", "Game", "Transport", "Scenario", "Report", "Ledger"]),
        // Networks: a population of tasks, solvers and verifiers under Truebit's incentive
        // layer, each task a real game played in process (docs/NETWORK.md).
        .target(name: "Network", dependencies: ["RISCV", "Commitment", "Game", "Scenario", "Report", "Roles", "Transport", "Ledger"]),
        .target(name: "Experiments", dependencies: ["Scenario", "Report", "Game", "RISCV", "Transport"]),
        .target(name: "TBSimCommands", dependencies: [
            "RISCV", "Commitment", "Game", "Transport", "Scenario", "Report", "Ledger", "Roles", "Experiments", "Network",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tbsim", dependencies: ["TBSimCommands"]),
        .testTarget(name: "RISCVTests", dependencies: ["RISCV", "CEngine"], exclude: ["oracle"]),
        .testTarget(name: "CommitmentTests", dependencies: ["Commitment", "CKeccak", "TestSupport"]),
        .testTarget(name: "GameTests", dependencies: ["Game", "Roles", "Report", "Scenario", "Transport", "TestSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Game"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Scenario", "Game"]),
        .testTarget(name: "RolesTests", dependencies: ["Roles", "Report", "Scenario", "Game", "Transport", "Ledger", "TestSupport",
                                                     .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "Game", "Commitment", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TBSimCommands", "TestSupport"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "Scenario", "Game", "Roles", "Commitment", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Report", "Scenario", "TestSupport"]),
        // What the end-to-end test targets share (the package root, the binary, process listings).
        .target(name: "TestSupport", dependencies: ["Transport"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v5]
)
