import Foundation

/// Two hosts on one machine: two network namespaces joined by a veth pair, the first at
/// `<subnet>.1`, the second at `<subnet>.2`. Processes started in either run the tbsim
/// binary there; `close()` (or deinit) removes both namespaces. Needs root and iproute2
/// (`namespaceProblem` says why not).
public final class TwoHosts {
    /// The namespaces and their interfaces.
    public let first: String, second: String, firstInterface: String, secondInterface: String
    /// The first three octets of both addresses.
    public let subnet: String
    /// Where the logs go.
    public let directory: String
    private var closed = false

    /// Creates both hosts; logs go to `directory`.
    public init(directory: String) throws {
        let tag = String(getpid() % 10_000)
        first = "tba\(tag)"; second = "tbb\(tag)"; firstInterface = "va\(tag)"; secondInterface = "vb\(tag)"
        subnet = "10.77.\(getpid() % 250 + 1)"
        self.directory = directory
        do {
            try Self.ip(["netns", "add", first])
            try Self.ip(["netns", "add", second])
            try Self.ip(["link", "add", firstInterface, "type", "veth", "peer", "name", secondInterface])
            try Self.ip(["link", "set", firstInterface, "netns", first])
            try Self.ip(["link", "set", secondInterface, "netns", second])
            for (ns, ifname, address) in [(first, firstInterface, "\(subnet).1/24"), (second, secondInterface, "\(subnet).2/24")] {
                try Self.ip(["-n", ns, "addr", "add", address, "dev", ifname])
                try Self.ip(["-n", ns, "link", "set", ifname, "up"])
                try Self.ip(["-n", ns, "link", "set", "lo", "up"])
            }
        } catch {
            close()
            throw error
        }
    }

    /// A TCP endpoint on the first host.
    public func endpointOnFirst(port: Int) -> String { "tcp://\(subnet).1:\(port)" }

    /// Runs `ip args`; throws with its error output when it fails.
    public static func ip(_ args: [String]) throws {
        let r = try runProgram(ipCommand, args)
        guard r.status == 0 else { throw TestSupportError("ip \(args.joined(separator: " ")): \(r.stderr)") }
    }

    /// Starts `tbsim args` on the host `namespace` (from the package root), its output in
    /// `directory/log`.
    public func start(on namespace: String, _ args: [String], log: String) throws -> Process {
        guard let bin = tbsimBinary() else { throw TestSupportError("no tbsim binary: run `swift build` (or `make test`)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ipCommand)
        p.arguments = ["netns", "exec", namespace, bin] + args + ["--session", directory]
        p.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        FileManager.default.createFile(atPath: directory + "/" + log, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: directory + "/" + log)
        p.standardError = FileHandle(forWritingAtPath: directory + "/" + log)
        try p.run()
        return p
    }

    /// Cuts the link (the first host's end goes down).
    public func cut() throws { try Self.ip(["-n", first, "link", "set", firstInterface, "down"]) }

    /// Removes both namespaces (idempotent).
    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? runProgram(ipCommand, ["netns", "del", first])
        _ = try? runProgram(ipCommand, ["netns", "del", second])
    }

    deinit { close() }
}
