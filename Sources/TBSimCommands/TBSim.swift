import ArgumentParser

/// The `tbsim` root command: lists the subcommands. Each subcommand lives in its own file
/// so tests can drive commands in-process.
public struct TBSim: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tbsim",
        abstract: "Simulate Truebit's verification game on a deterministic RV64GC machine.",
        version: TBSimVersion.current,
        subcommands: [RunCommand.self, HashCommand.self, OutputHashCommand.self, ProveCommand.self, VerifyStepCommand.self,
                      ScenarioCommand.self, SweepCommand.self, NodeCommand.self, ReplayCommand.self, KeygenCommand.self, CompareCommand.self,
                      BenchCommand.self]
    )

    public init() {}
}
