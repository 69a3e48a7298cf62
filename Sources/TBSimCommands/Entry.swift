import ArgumentParser
import Foundation
import Scenario

extension TBSim {
    /// Runs tbsim with `arguments` (without the program name) and returns the exit status.
    /// Every error is one line in tbsim's own style, `tbsim: …` on standard error (with the
    /// usage where the command line itself was wrong); a mistyped subcommand gets a
    /// suggestion.
    public static func run(arguments: [String]) -> Int32 {
        var names: [String] = []
        for sub in configuration.subcommands {
            let config = sub.configuration
            if let name = config.commandName { names.append(name) }
        }
        if let first = arguments.first, !first.hasPrefix("-"), first != "help", !names.contains(first) {
            let hint = closest(to: first, in: names).map { "; did you mean `\($0)`?" } ?? "; commands: " + names.joined(separator: ", ")
            printError("tbsim: unknown command `\(first)`\(hint)")
            return ExitCode.validationFailure.rawValue
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
            } else if !message.isEmpty {
                let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
                printError("tbsim: " + text)
            }
            return code.rawValue
        }
    }
}
