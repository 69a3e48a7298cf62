import ArgumentParser
import Foundation
import Game

/// `tbsim keygen FILE`: a fresh Ed25519 account key for runs across hosts. Writes the
/// private key (hex seed) to FILE, readable by its owner only, and prints the public key
/// to put under the scenario's `accounts:`.
public struct KeygenCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make an account key file and print its public key (for a scenario's `accounts:`).")

    @Argument(help: "Where to write the private key (refuses to overwrite).")
    public var file: String

    public init() {}

    public func run() throws {
        let key = SigningKey.generate()
        guard !FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("\(file) exists; keygen does not overwrite a key")
        }
        guard FileManager.default.createFile(atPath: file, contents: Data(key.keyFileText.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(file)")
        }
        print(key.account.hex)
    }

    /// Reads a key file written by `keygen`; the error names the file.
    static func readKey(_ path: String) throws -> SigningKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read key file \(path)")
        }
        guard let key = SigningKey(keyFileText: text) else {
            throw ValidationError("key file \(path) does not hold a key (64 hex digits, as `tbsim keygen` writes)")
        }
        return key
    }
}
