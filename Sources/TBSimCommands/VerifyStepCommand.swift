import ArgumentParser
import Commitment
import Foundation

/// `tbsim verify-step`: the judge's check of one step, from the proof file alone.
public struct VerifyStepCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify-step",
        abstract: "Verify a one-step proof; print its pre- and post-state roots.",
        discussion: "Exits 0 and prints `pre 0x…` and `post 0x…` when the proof is valid; otherwise exits non-zero with one line saying why.")

    @Argument(help: "A proof written by `tbsim prove`.")
    public var proof: String

    public init() {}

    public func run() throws {
        let bytes = try readFile(proof, what: "proof file")
        switch verifyStep(bytes) {
        case .success(let v):
            print("pre \(v.pre.hex)")
            print("post \(v.post.hex)")
        case .failure(let e):
            throw CLIError("\(proof): invalid: \(e)")
        }
    }
}
