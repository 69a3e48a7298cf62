import ArgumentParser
import Commitment
import Foundation
import RISCV

/// `tbsim output-hash FILE`: the output hash a claim carries for a task that wrote exactly
/// FILE's bytes, to check a report's `output_hash` against the stdout.txt a task wrote.
public struct OutputHashCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "output-hash",
        abstract: "Print the output hash of a file's bytes (0x + 64 hex digits), as a claim carries it.",
        discussion: "The output hash is keccak256 of the output's length (u64, little-endian) and the root of the output region holding its bytes (docs/STATE.md, \"Output opening\"): a task that wrote exactly FILE's bytes claims this hash, and reports print it as output_hash.")

    @Argument(help: ArgumentHelp("The output's bytes, e.g. the stdout.txt a task wrote.", valueName: "file"))
    public var file: String

    public init() {}

    public func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        guard data.count <= MachineStorage.tapeCapacity else {
            throw ValidationError("\(file) is \(data.count) bytes; a task's output holds at most \(MachineStorage.tapeCapacity)")
        }
        print(OutputOpening.hash(ofOutput: [UInt8](data)).hex)
    }
}
