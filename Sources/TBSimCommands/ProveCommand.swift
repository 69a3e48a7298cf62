import ArgumentParser
import Commitment
import Foundation
import RISCV

/// `tbsim prove`: writes the one-step proof of step N → N+1.
public struct ProveCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Write the proof of step N → N+1 (checked by `tbsim verify-step`).",
        discussion: "The proof format is described in docs/STATE.md.")

    @OptionGroup public var guest: GuestOptions

    @Option(help: "The step to prove: from the state after N steps to the one after N+1.")
    public var step: UInt64

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the proof.", valueName: "FILE"))
    public var output: String

    public init() {}

    public func run() throws {
        let machine = try guest.makeMachine()
        machine.run(steps: step)
        let tree = StateTree(machine.storage)
        let proof = StepProver.prove(machine, tree: tree)
        guard FileManager.default.createFile(atPath: output, contents: Data(proof.bytes)) else {
            throw CLIError("cannot write proof file \(output)")
        }
    }
}
