import Foundation
import Transport

// What the end-to-end tests share: the package root, the tbsim binary they start, and a
// process listing to prove no role process is left behind.

/// A test could not be set up (e.g. no tbsim binary).
public struct TestSupportError: Error, CustomStringConvertible {
    /// What is missing.
    public let description: String
    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}

/// A fresh directory under the temporary directory, named for `purpose`.
public func makeTemporaryDirectory(_ purpose: String) throws -> String {
    let dir = NSTemporaryDirectory() + "tbsim-\(purpose)-\(getpid())-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// The package root, from this file's path.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The tbsim binary the end-to-end tests start: $TBSIM_BIN (set by `make test` to the
/// release build), else the debug build next to the tests.
public func tbsimBinary() -> String? {
    if let bin = ProcessInfo.processInfo.environment["TBSIM_BIN"], FileManager.default.isExecutableFile(atPath: bin) {
        return bin
    }
    for candidate in [".build/debug/tbsim", ".build/release/tbsim"] {
        let p = packageRoot + "/" + candidate
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

public struct CommandResult {
    /// Exit status.
    public var status: Int32
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
}

/// Runs tbsim with `arguments` in the package root.
public func runTBSim(_ arguments: [String], timeout: Double = 600) throws -> CommandResult {
    guard let bin = tbsimBinary() else { throw TestSupportError("no tbsim binary: run `swift build` (or `make test`)") }
    return try runProgram(bin, arguments)
}

/// Runs `program` with `arguments` in the package root and collects its output.
public func runProgram(_ program: String, _ arguments: [String]) throws -> CommandResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Processes whose command line mentions `marker` (to prove none are left behind).
public func processes(mentioning marker: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
    }
}


/// SplitMix64, the tests' seeded generator: the simulator's own `SeededGenerator`, so
/// every "random" case is reproducible.
public typealias SplitMix64 = SeededGenerator

/// Why network namespaces cannot be used here (nil: they can): the multi-host tests need
/// root and `ip` (iproute2) and a kernel that lets this process create namespaces.
public let namespaceProblem: String? = {
    guard getuid() == 0 else { return "network namespaces need root (uid \(getuid()))" }
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip") else {
        return "no `ip` command: install iproute2 (make test-deps does)"
    }
    let name = "tbsim-probe-\(getpid())"
    guard let add = try? runProgram(ipCommand, ["netns", "add", name]), add.status == 0 else {
        return "`ip netns add` is not permitted here"
    }
    _ = try? runProgram(ipCommand, ["netns", "del", name])
    return nil
}()

/// The `ip` command of iproute2.
public let ipCommand = FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip"
