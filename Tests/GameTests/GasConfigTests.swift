import Foundation
import Testing
@testable import Game

@Suite struct GasConfigTests {
    /// configs/gas-default.yaml, read as flat `key: value` lines (the test target has no
    /// YAML library; the file is deliberately flat).
    static func yamlPairs() throws -> [String: String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("configs/gas-default.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        var pairs: [String: String] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let kv = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            pairs[kv[0]] = kv[1]
        }
        return pairs
    }

    @Test func defaultFileHasExactlyTheSchedulesKeysAndDefaults() throws {
        let pairs = try GasConfigTests.yamlPairs()
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(GasSchedule.default)) as! [String: Any]
        #expect(Set(pairs.keys) == Set(json.keys))
        // Decode the file's values through the schedule's own Codable conformance.
        var object: [String: Any] = [:]
        for (k, v) in pairs { object[k] = Double(v)! }
        let decoded = try JSONDecoder().decode(GasSchedule.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded == GasSchedule.default)
    }

    /// Every number of the default schedule says where it comes from: an EIP, the Yellow
    /// Paper's fee schedule, or that it is an estimate or an assumption.
    @Test func everyKeyOfTheDefaultFileNamesItsSource() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("configs/gas-default.yaml")
        var keys = 0
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "#", maxSplits: 1)
            guard parts[0].contains(":") else { continue }
            keys += 1
            let comment = parts.count > 1 ? String(parts[1]) : ""
            #expect(["EIP-", "YP ", "estimate", "assumption"].contains { comment.contains($0) }, "no source: \(line)")
        }
        #expect(keys == (try GasConfigTests.yamlPairs()).count)
    }

    @Test func defaultsAreEthereums() {
        let g = GasSchedule.default
        #expect(g.txBase == 21_000 && g.calldataZeroByte == 4 && g.calldataNonZeroByte == 16)
        #expect(g.sloadCold == 2_100 && g.sloadWarm == 100 && g.sstoreSet == 20_000 && g.sstoreReset == 2_900)
        #expect(g.sstoreClearRefund == 4_800 && g.maxRefundQuotient == 5)
        #expect(g.keccakBase == 30 && g.keccakPerWord == 6)
        #expect(g.keccak(byteCount: 64) == 42 && g.keccak(byteCount: 0) == 30 && g.keccak(byteCount: 33) == 42)
        #expect(g.calldata([0, 1, 0, 255]) == 40)
        #expect(abs(g.usd(1_000_000) - 60.0) < 1e-9)      // 1e6 gas × 20 gwei = 0.02 ETH = 60 USD
    }

    @Test func missingKeyIsNamed() throws {
        let data = Data(#"{"tx_base": 1}"#.utf8)
        do {
            _ = try JSONDecoder().decode(GasSchedule.self, from: data)
            Issue.record("decoded an incomplete schedule")
        } catch let DecodingError.keyNotFound(key, _) {
            #expect(key.stringValue == "calldata_zero_byte")
        }
    }
}

@Suite struct FaultCodingTests {
    @Test func faultsRoundTripThroughJSON() throws {
        let s: [SolverFault] = [.wrongOutput, .lieInBisection(fromRound: 3), .refuseFinalProof, .silent(fromMove: 2)]
        let v: [VerifierFault] = [.challengeCorrectResult(kind: .output), .lieInBisection(fromRound: 1), .silent(fromMove: 1)]
        #expect(try JSONDecoder().decode([SolverFault].self, from: JSONEncoder().encode(s)) == s)
        #expect(try JSONDecoder().decode([VerifierFault].self, from: JSONEncoder().encode(v)) == v)
        let text = String(decoding: try JSONEncoder().encode(VerifierFault.challengeCorrectResult(kind: .trace)), as: UTF8.self)
        #expect(text == #"{"challengeCorrectResult":{"kind":"trace"}}"#)
        #expect(String(decoding: try JSONEncoder().encode(SolverFault.wrongOutput), as: UTF8.self) == #"{"wrongOutput":{}}"#)
    }

    @Test func claimAndTaskUseHexDigests() throws {
        let w = FakeWorld(seed: 1, haltStep: 5)
        let json = String(decoding: try JSONEncoder().encode(w.trueClaim), as: UTF8.self)
        #expect(json.contains("\"output_hash\":\"0x"))
        #expect(try JSONDecoder().decode(Claim.self, from: Data(json.utf8)) == w.trueClaim)
        let bad = Data(#"{"id":1,"initial_root":"0x12","step_limit":3}"#.utf8)
        do { _ = try JSONDecoder().decode(PostedTask.self, from: bad); Issue.record("decoded a short root") } catch {
            #expect("\(error)".contains("initial_root"))
        }
    }

    @Test func moneyPrintsWithoutFloatNoise() throws {
        let g = GasSchedule.default
        #expect(g.eth(82_172) == 0.00164344)
        #expect("\(g.eth(82_172))" == "0.00164344")
        #expect("\(g.usd(82_172))" == "4.93032")
        let json = String(decoding: try JSONEncoder().encode([g.eth(1_762_940), g.usd(1_762_940)]), as: UTF8.self)
        #expect(json == "[0.0352588,105.7764]")
    }
}
