import Foundation
import Testing
import TestSupport

/// Validation before work: bad endpoints, unreachable transports and unwritable outputs
/// are refused at once, before a task is booted or a run computed.
@Suite(.serialized)
struct PreflightTests {
    func timed(_ arguments: [String]) throws -> (CommandResult, Double) {
        let start = Date()
        let r = try runTBSim(arguments)
        return (r, Date().timeIntervalSince(start))
    }

    @Test func aBindPortOutOfRangeIsRefused() throws {
        let dir = try makeTemporaryDirectory("preflight")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (r, _) = try timed(["node", "--role", "judge", "scenarios/honest.yaml", "--bind", "tcp://127.0.0.1:99999",
                                "--endpoint-file", dir + "/endpoint", "--result", dir + "/r.json"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("99999"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/endpoint"), "it bound some other port")
    }

    @Test(arguments: ["garbage", "tcp://127.0.0.1:0", "tcp://:5555", "inproc://judge", "udp://1.2.3.4:5"])
    func aBadConnectEndpointIsAnImmediateError(_ endpoint: String) throws {
        let (r, seconds) = try timed(["node", "--role", "solver", "scenarios/honest.yaml", "--connect", endpoint])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--connect"), "\(r.stderr)")
        #expect(!r.stderr.contains("steps"), "the run was computed first: \(r.stderr)")
        #expect(seconds < 10)
    }

    @Test func unwritableOutputsAreRefusedBeforeAnyWork() throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        for (arguments, option) in [
            (["scenario", "scenarios/honest.yaml", "--json", missing + "/r.json"], "--json"),
            (["scenario", "scenarios/honest.yaml", "--html", "/"], "--html"),
            (["scenario", "scenarios/honest.yaml", "--work-dir", "/proc/self/nope"], "--work-dir"),
            (["node", "--role", "judge", "scenarios/honest.yaml", "--result", missing + "/r.json"], "--result"),
        ] {
            let (r, seconds) = try timed(arguments)
            #expect(r.status != 0 && r.status != 1, "\(arguments): exit \(r.status)")
            #expect(r.stderr.contains(option), "\(arguments): \(r.stderr)")
            #expect(!r.stderr.contains("running"), "the run started: \(r.stderr)")
            #expect(seconds < 10)
        }
    }

    @Test func inprocIsRefusedForAMultiProcessRun() throws {
        let dir = try makeTemporaryDirectory("inproc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/inproc.yaml"
        try "task:\n  program: \(packageRoot)/build/guests/hello.elf\nnetwork:\n  judge_bind: inproc://judge\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let (r, seconds) = try timed(["scenario", file, "--work-dir", dir + "/work"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("network.judge_bind") && r.stderr.contains("inproc"), "\(r.stderr)")
        #expect(seconds < 10)
        #expect(processes(mentioning: dir + "/work").isEmpty)
        // The same file plays in one process, where inproc is no obstacle.
        let q = try runTBSim(["scenario", file, "--in-process", "--quiet"])
        #expect(q.status == 0, "\(q.stderr)")
    }
}
