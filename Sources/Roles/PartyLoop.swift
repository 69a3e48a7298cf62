import Commitment
import Game
import Report
import Scenario
import Transport

/// A solver's or verifier's node loop: says hello (signed) once its own run is ready,
/// plays its state machine on every notification from the judge, and answers the judge's
/// shutdown with its metrics. Its moves go out as transactions signed with its account
/// key; a notification reaches its state machine only if the judge's key signed it with
/// a fresh nonce, so a fake judge is ignored. Identical over ZeroMQ and the in-memory
/// network.
public final class PartyLoop: NodeLoop {
    /// Who this is.
    public let entry: Roster.Entry
    private var machine: any PartyStateMachine
    private let endpoint: any HoldingEndpoint
    private let control: any MessageEndpoint
    private let judgeName: String
    private let scenario: Digest
    private let clock: () -> UInt64
    private let metrics: () -> PartyMetrics
    private let words: ReasonText
    private let log: (String) -> Void
    private var sent = 0, sentBytes = 0
    private var moves: Signer
    private var helloSigner: Signer
    private var notices: SignedInbox
    /// Notifications refused (not signed by the judge, replayed, for another chain).
    public private(set) var refusedNotifications = 0
    /// Frames this party ignored: not from the judge, not decodable as a wire frame, or
    /// control messages it has no use for.
    public private(set) var strayFrames = 0
    /// True once the party answered the shutdown.
    public private(set) var isDone = false

    /// A party playing `machine`. Game frames go out through `endpoint` (which applies
    /// the party's network faults), control messages through `control`. `metrics` gives
    /// the party's figures at the end (message counts are filled in here).
    /// `key` is the party's account key; `accounts` holds the judge's key (party 0).
    public init(entry: Roster.Entry, machine: any PartyStateMachine, roster: Roster, scenario: Digest, key: SigningKey, accounts: AccountBook,
                endpoint: any HoldingEndpoint, control: any MessageEndpoint, judgeName: String = "judge",
                clock: @escaping () -> UInt64, metrics: @escaping () -> PartyMetrics, log: @escaping (String) -> Void = { _ in }) {
        moves = Signer(party: entry.id, key: key, domain: .transaction, chainID: accounts.chainID)
        helloSigner = Signer(party: entry.id, key: key, domain: .hello, chainID: accounts.chainID)
        notices = SignedInbox(book: AccountBook(chainID: accounts.chainID, keys: accounts.keys.filter { $0.key == .judge }),
                              domain: .notification)
        self.entry = entry; self.machine = machine; self.scenario = scenario; self.endpoint = endpoint
        self.control = control; self.judgeName = judgeName; self.clock = clock; self.metrics = metrics
        self.words = ReasonText(roster: roster); self.log = log
    }

    /// Tells the judge this party is ready. Control messages bypass the party's network
    /// faults: they are not part of the game.
    public func start() throws {
        let hello = helloSigner.sign(HelloPayload(name: entry.name, scenario: scenario).encode())
        try control.send(to: judgeName, WireFrame.control(.hello(envelope: hello)).encode())
    }

    public var nextWakeup: UInt64? { endpoint.nextReleaseTime.map { UInt64(Swift.max(0, $0)) } }

    public func pump(timeoutMilliseconds: Int) -> Bool {
        let handled = receiveOne(from: endpoint, timeoutMilliseconds: timeoutMilliseconds, handle: handle,
                                 malformed: { _ in strayFrames += 1 }, failed: { log("\(entry.name): receive failed: \($0)") })
        poll()
        return handled
    }

    private func handle(_ e: Envelope) {
        guard e.from == judgeName, !isDone else { strayFrames += 1; return }
        let now = clock()
        switch WireFrame.decode(e.payload) {
        case let .game(envelope)?:
            let frame: [UInt8]
            switch notices.admit(envelope) {
            case let .success(n): frame = n.payload
            case let .failure(r):
                refusedNotifications += 1
                strayFrames += 1
                return log("\(entry.name): ignored a notification: \(words.text(r.rejection))")
            }
            carry(machine.receive(frame: frame, from: .judge, now: now))
        case .control(.shutdown)?:
            var m = metrics()
            m.messagesSent = sent
            m.bytesSent = sentBytes
            do { try control.send(to: judgeName, WireFrame.control(.metrics(m)).encode()) } catch {
                log("\(entry.name): could not send metrics: \(error)")
            }
            isDone = true
        default:
            strayFrames += 1
        }
    }

    private func poll() {
        do { try endpoint.flush() } catch { log("\(entry.name): send failed: \(error)") }
        carry(machine.tick(now: clock()))
    }

    private func carry(_ actions: [GameAction]) {
        for a in actions {
            switch a {
            case let .send(_, m), let .broadcast(m):
                let frame = moves.sign(m.encode())
                do {
                    try endpoint.send(to: judgeName, WireFrame.game(frame).encode())
                    sent += 1
                    sentBytes += frame.count
                } catch {
                    log("\(entry.name): send failed: \(error)")
                }
            case let .note(n): log("\(entry.name): \(words.text(n))")
            case let .settled(o): log("\(entry.name): settled: \(words.text(o))")
            case .rejected: break
            }
        }
    }
}
