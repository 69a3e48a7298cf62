import Foundation
import Testing
@testable import Transport

/// The hub's receive path under random traffic: any number of parts, any routing id
/// (none, binary, not a valid name), interleaved with a real party's messages. Each
/// receive either delivers a well-formed envelope or throws `.malformedMessage`; nothing
/// else, and the real party's messages all arrive, in order.
struct HubFuzzTests {
    struct Mix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomMultipartTrafficNeverBreaksTheHub() throws {
        let context = try ZMQContext()
        let hub = try ZMQHub(context: context)
        defer { hub.close() }
        let endpoint = "inproc://hub-fuzz-\(UUID().uuidString)"
        try hub.bind(endpoint: endpoint)
        let party = try ZMQClient(name: "alice", context: context)
        defer { party.close() }
        try party.connect(endpoint: endpoint)
        var rng = Mix(state: 77)
        var junk: [ZMQSocket] = []
        for i in 0..<8 {
            var options = ZMQSocket.Options()
            switch i % 4 {
            case 0: options.routingID = nil
            case 1: options.routingID = [1, 0xff, 0xfe, UInt8(i)]
            case 2: options.routingID = Array(repeating: 0x7a, count: 254) + [UInt8(i)]
            default: options.routingID = Array("bad name \(i)".utf8)
            }
            let s = try ZMQSocket(context: context, kind: .dealer, options: options)
            try s.connect(endpoint)
            junk.append(s)
        }
        var expected: [[UInt8]] = []
        for n in 0..<2_000 {
            let parts = (0..<Int(1 + rng.next() % 5)).map { _ in (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            try junk[Int(rng.next() % 8)].send(frames: parts)
            if n % 10 == 0 {
                let payload = Array("move \(n)".utf8)
                try party.send(to: "judge", payload)
                expected.append(payload)
            }
        }
        var delivered: [[UInt8]] = [], malformed = 0, others = 0
        while let result = Result(catching: { try hub.receive(timeoutMilliseconds: 200) }).flatMapNil() {
            switch result {
            case let .success(e):
                if e.from == "alice" { delivered.append(e.payload) } else { others += 1 }
            case let .failure(error):
                #expect((error as? TransportError)?.code == .malformedMessage, "\(error)")
                malformed += 1
            }
        }
        #expect(delivered == expected)
        #expect(malformed > 0)
        // Well-formed frames from a peer with a valid name (`bad name 3` is not one; an
        // absent routing id gets a generated binary one) never pose as alice.
        #expect(malformed + others == 2_000)
    }
}

private extension Result where Success == Envelope?, Failure == Error {
    /// nil on a receive timeout (the traffic is drained), else the outcome.
    func flatMapNil() -> Result<Envelope, Error>? {
        switch self {
        case let .success(e?): return .success(e)
        case .success(nil): return nil
        case let .failure(error): return .failure(error)
        }
    }
}
