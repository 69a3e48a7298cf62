import ArgumentParser
import Commitment
import RISCV

/// `tbsim hash`: the state root after N steps, the number a claim is made of.
public struct HashCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the state root after N steps (0x + 64 hex digits).",
        discussion: "Step 0 is the state right after loading. Steps of a halted machine change nothing. See docs/STATE.md for what the root commits to.")

    @OptionGroup public var guest: GuestOptions

    @Option(help: "Number of steps to run before hashing.")
    public var step: UInt64

    public init() {}

    public func run() throws {
        let machine = try guest.makeMachine()
        machine.run(steps: step)
        print(StateTree(machine.storage).root().hex)
    }
}
