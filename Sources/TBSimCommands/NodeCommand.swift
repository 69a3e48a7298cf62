import ArgumentParser
import Commitment
import Foundation
import Game
import Network
import Roles
import Scenario

extension Role: ExpressibleByArgument {}

/// `tbsim node --role judge|solver|verifier`: one role of a scenario in this process.
/// `tbsim scenario` starts these; they can also be started by hand on different hosts.
/// Given a network file, the judge is the network's chain (every task's game, the
/// incentive layer) and a solver or verifier is that party for every task it is drawn for.
public struct NodeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run one role (judge, solver or verifier) of a scenario or network in this process.",
        discussion: """
            With a single game's scenario, the judge plays that game and each party joins it.
            With a network file (`population:`), the judge is the network's chain: it waits for every \
            party of the population, plays every task's game on one socket and writes the network \
            report; each solver or verifier is one long-lived process playing every task it is drawn \
            for. Every process needs the same files at the same paths relative to its working \
            directory (docs/NETWORK.md, "Roles on other hosts").
            """)

    @Option(help: "The role to play: judge, solver or verifier.")
    public var role: Role

    @Argument(help: "The scenario file (YAML).")
    public var file: String

    @Option(help: "Party name (solver or verifier; defaults to the scenario's solver name for --role solver).")
    public var name: String?

    @Option(help: "Judge: endpoint to bind (default: the scenario's network.judge_bind).")
    public var bind: String?

    @Option(help: "Judge: write the bound endpoint to this file once listening.")
    public var endpointFile: String?

    @Option(help: "Judge: create this file once every party has joined and the game has begun.")
    public var startedFile: String?

    @Option(help: "Judge: keep the chain's latest progress line (block, phase, each dispute's round and who is to move) in this file.")
    public var statusFile: String?

    @Option(help: "Judge: write the result (game report and party metrics; for a network, the network report as JSON) to this file.")
    public var result: String = "tbsim-result.json"

    @Option(help: ArgumentHelp("Network judge: where each task's game keeps its scenario and ledger (task-N/).", valueName: "DIR"))
    public var workDir: String = "tbsim-network"

    @Option(help: ArgumentHelp("Judge: the chain's ledger (SQLite). Every change of the chain is committed there before the judge acts on it; if the file already holds this scenario's chain, the judge replays it and resumes the game.",
                               valueName: "PATH"))
    public var ledger: String?

    @Option(help: "Solver/verifier: the judge's endpoint, e.g. tcp://127.0.0.1:5555.")
    public var connect: String?

    @Option(help: ArgumentHelp("Refuse to run unless the scenario file resolves to this digest (0x…), as the launcher read it.",
                               valueName: "DIGEST"))
    public var scenarioDigest: String?

    @Option(help: ArgumentHelp("Sign with the key in this file (from `tbsim keygen`) instead of the one derived from the scenario seed; needed for a party the scenario lists under `accounts:`.",
                               valueName: "FILE"))
    public var key: String?

    @Option(help: "A tag naming the run this process belongs to (shown in process listings; no effect).")
    public var session: String?

    public init() {}

    public func validate() throws {
        if role != .judge && connect == nil { throw ValidationError("--connect ENDPOINT is required for --role \(role.rawValue)") }
        if role == .verifier && name == nil { throw ValidationError("--name is required for --role verifier") }
        if let d = scenarioDigest, Digest(hex: d) == nil { throw ValidationError("--scenario-digest must be 0x + 64 hex digits") }
        // Endpoints and output files are checked before the scenario is loaded and long
        // before a party's run is computed.
        for (option, endpoint, use) in [("--bind", bind, EndpointSyntax.Use.bind), ("--connect", connect, .connect)] {
            guard let endpoint else { continue }
            if let problem = EndpointSyntax.problem(endpoint, for: use) { throw ValidationError("\(option): \(problem)") }
            if !EndpointSyntax.crossesProcesses(endpoint) {
                throw ValidationError("\(option) \(endpoint): inproc:// endpoints cannot cross processes; use tcp:// or ipc://")
            }
        }
        if role == .judge {
            try checkWritableFile(result, option: "--result")
            if let endpointFile { try checkWritableFile(endpointFile, option: "--endpoint-file") }
            if let startedFile { try checkWritableFile(startedFile, option: "--started-file") }
            if let ledger { try checkWritableFile(ledger, option: "--ledger") }
            if let statusFile { try checkWritableFile(statusFile, option: "--status-file") }
        }
    }

    public func run() throws {
        // The launcher ignores SIGINT/SIGTERM while it runs, and ignored signals survive
        // exec: restore the defaults so stopping a role works.
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        unblockStopSignals()
        let log: (String) -> Void = { line in printError(line) }
        let digest = scenarioDigest.flatMap { Digest(hex: $0) }
        let spec: ScenarioSpec
        switch try loadScenarioFile(file) {
        case let .game(s): spec = s
        case let .network(n): return try runNetwork(n, digest: digest, log: log)
        }
        do {
            let signingKey = try key.map(KeygenCommand.readKey)
            switch role {
            case .judge:
                try RoleProcess.judge(spec: spec, file: file, expectedDigest: digest, bind: bind ?? spec.network.judgeBind,
                                      endpointFile: endpointFile, resultFile: result, startedFile: startedFile,
                                      key: signingKey, ledgerPath: ledger, tbsimVersion: TBSimVersion.current,
                                      statusFile: statusFile, log: log)
            case .solver, .verifier:
                try RoleProcess.party(spec: spec, file: file, expectedDigest: digest, name: name ?? spec.solver.name,
                                      connect: connect!, key: signingKey, log: log)
            }
        } catch {
            printError("tbsim node (\(role.rawValue)): \(error)")
            throw ExitCode(1)
        }
    }

    /// A role of a network: the chain, or one long-lived party.
    private func runNetwork(_ network: NetworkScenario, digest: Digest?, log: @escaping (String) -> Void) throws {
        do {
            let signingKey = try key.map(KeygenCommand.readKey)
            if ledger != nil { throw RoleError("--ledger: a network's chain keeps each task's ledger in --work-dir/task-N/ledger.sqlite") }
            switch role {
            case .judge:
                try NetworkChain.run(scenario: network, file: file, expectedDigest: digest, bind: bind ?? network.network.judgeBind,
                                     endpointFile: endpointFile, resultFile: result, workDirectory: workDir, key: signingKey,
                                     tbsimVersion: TBSimVersion.current, log: log)
            case .solver, .verifier:
                guard let name else { throw RoleError("--name is required for a network's --role \(role.rawValue)") }
                let accounts = NetworkAccounts(network)
                if let r = accounts.role(of: name), r != role {
                    throw RoleError("\(name) is a \(r.rawValue) of the network, not a \(role.rawValue)")
                }
                try NetworkPartyNode.run(scenario: network, file: file, expectedDigest: digest, name: name, connect: connect!,
                                           key: signingKey, log: log)
            }
        } catch {
            printError("tbsim node (\(role.rawValue), network): \(error)")
            throw ExitCode(1)
        }
    }
}
