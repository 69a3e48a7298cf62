import Commitment
import Game
import Report

/// What role processes send each other over a transport: a game frame (the bytes the
/// judge charges gas for) or a control message of the simulation itself (never part of
/// the game). One leading byte tells them apart; both bodies use the game's binary
/// encoding (`FrameWriter`), so nothing on the wire is parsed as text.
public enum WireFrame: Equatable, Sendable {
    /// An encoded `GameMessage`, opaque here.
    case game([UInt8])
    /// A message of the simulation.
    case control(ControlMessage)

    static let gameTag: UInt8 = 1
    static let controlTag: UInt8 = 2

    /// Encodes the frame.
    public func encode() -> [UInt8] {
        switch self {
        case let .game(bytes): return [Self.gameTag] + bytes
        case let .control(c): return [Self.controlTag] + c.encode()
        }
    }

    /// Decodes a payload; nil when it is neither a game frame nor a well-formed control
    /// message (garbage is the receiver's to count, not an error).
    public static func decode(_ payload: [UInt8]) -> WireFrame? {
        switch payload.first {
        case gameTag?: return .game(Array(payload.dropFirst()))
        case controlTag?: return (try? ControlMessage.decode(Array(payload.dropFirst()))).map(WireFrame.control)
        default: return nil
        }
    }
}

/// Messages of the simulation between role processes (they bypass the party's network
/// faults and cost no gas).
public enum ControlMessage: Equatable, Sendable {
    /// A party is ready (its own run is done): a `SignedEnvelope` of domain `hello` whose
    /// payload is `HelloPayload` (its name and the scenario's digest). The judge binds the
    /// connection it came on to the signing account; nothing else about the connection
    /// (its routing id, its address) says who a party is.
    case hello(envelope: [UInt8])
    /// The game is over: send your metrics and leave.
    case shutdown
    /// A party's figures, sent in answer to `shutdown`.
    case metrics(PartyMetrics)
    /// The judge's answer to every admitted hello: which judge process this is (1 for the
    /// first, +1 per resume from the ledger) and the last transaction nonce the chain
    /// holds from the party. A party re-sends the moves a restarted judge lost.
    case welcome(incarnation: UInt64, lastTransactionNonce: UInt64)
    /// A network's chain to a party it drew for task `number`: the task's game as a
    /// scenario (YAML, the text the chain keeps as `task-N/scenario.yaml`), played on
    /// channel `number` (`ChannelMux`).
    case task(number: UInt32, scenario: String)
    /// A network's chain to every party: every task is over; leave.
    case networkDone
    /// A network party to its chain, about once a second: this process still runs (it
    /// may be computing its run of a task); a party silent for long is presumed gone.
    case alive

    /// The control message's body.
    public func encode() -> [UInt8] {
        var w = FrameWriter()
        switch self {
        case let .hello(envelope):
            w.u8(1); w.bytes(envelope)
        case .shutdown:
            w.u8(2)
        case let .metrics(m):
            w.u8(3); w.string(m.name); w.u8(Self.roleCode(m.role))
            w.u64(m.stepsExecuted); w.u64(UInt64(m.rootsComputed)); w.u64(UInt64(m.proofsBuilt))
            w.u64(m.computeSeconds.bitPattern); w.u64(m.wallSeconds.bitPattern)
            w.u64(UInt64(m.messagesSent)); w.u64(UInt64(m.bytesSent)); w.u64(UInt64(m.peakCheckpoints))
            w.bool(m.ownClaim != nil)
            if let c = m.ownClaim { w.claim(c) }
        case let .welcome(incarnation, last):
            w.u8(4); w.u64(incarnation); w.u64(last)
        case let .task(number, scenario):
            w.u8(5); w.u32(number); w.string(scenario)
        case .networkDone:
            w.u8(6)
        case .alive:
            w.u8(7)
        }
        return w.out
    }

    /// Parses a body written by `encode()`; throws `GameMessageError` naming the field.
    public static func decode(_ body: [UInt8]) throws -> ControlMessage {
        var r = FrameReader(body)
        let m: ControlMessage
        switch try r.u8("control.tag") {
        case 1:
            m = .hello(envelope: try r.bytes("hello.envelope"))
        case 2:
            m = .shutdown
        case 3:
            let name = try r.string("metrics.name")
            let roleAt = r.offset
            guard let role = roleFromCode(try r.u8("metrics.role")) else {
                throw GameMessageError(.invalidValue(field: "metrics.role", detail: "unknown role"), at: roleAt)
            }
            func count(_ f: String) throws -> Int { Int(clamping: try r.u64(f)) }
            var metrics = PartyMetrics(name: name, role: role, stepsExecuted: try r.u64("metrics.steps_executed"),
                                       rootsComputed: try count("metrics.roots_computed"),
                                       proofsBuilt: try count("metrics.proofs_built"),
                                       computeSeconds: Double(bitPattern: try r.u64("metrics.compute_seconds")),
                                       wallSeconds: Double(bitPattern: try r.u64("metrics.wall_seconds")),
                                       messagesSent: try count("metrics.messages_sent"),
                                       bytesSent: try count("metrics.bytes_sent"),
                                       peakCheckpoints: try count("metrics.peak_checkpoints"))
            if try r.bool("metrics.has_claim") { metrics.ownClaim = try r.claim() }
            m = .metrics(metrics)
        case 4:
            m = .welcome(incarnation: try r.u64("welcome.incarnation"), lastTransactionNonce: try r.u64("welcome.last_nonce"))
        case 5:
            m = .task(number: try r.u32("task.number"), scenario: try r.string("task.scenario"))
        case 6:
            m = .networkDone
        case 7:
            m = .alive
        case let tag:
            throw GameMessageError(.unknownTag(tag), at: 0)
        }
        guard r.remaining == 0 else { throw GameMessageError(.trailingBytes(count: r.remaining), at: r.offset) }
        return m
    }

    static func roleCode(_ r: Role) -> UInt8 {
        switch r { case .judge: return 0; case .solver: return 1; case .verifier: return 2 }
    }

    static func roleFromCode(_ c: UInt8) -> Role? {
        switch c { case 0: return .judge; case 1: return .solver; case 2: return .verifier; default: return nil }
    }
}

/// What a hello says, signed: the party's name and the digest of the scenario it plays.
public struct HelloPayload: Equatable, Sendable {
    /// The party's name in the scenario.
    public var name: String
    /// The scenario's digest.
    public var scenario: Digest
    /// The nonce of the last notification the party accepted from the judge (0: none):
    /// the judge re-sends every later one.
    public var seen: UInt64

    /// A hello payload.
    public init(name: String, scenario: Digest, seen: UInt64 = 0) { self.name = name; self.scenario = scenario; self.seen = seen }

    /// The payload's bytes: name string, scenario digest, last notification nonce seen.
    public func encode() -> [UInt8] {
        var w = FrameWriter()
        w.string(name); w.digest(scenario); w.u64(seen)
        return w.out
    }

    /// Parses `encode()`'s bytes; nil for anything else.
    public static func decode(_ bytes: [UInt8]) -> HelloPayload? {
        var r = FrameReader(bytes)
        guard let name = try? r.string("hello.name"), let d = try? r.digest("hello.scenario"),
              let seen = try? r.u64("hello.seen"), r.remaining == 0 else { return nil }
        return HelloPayload(name: name, scenario: d, seen: seen)
    }
}
