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
///
/// With `resyncMs`, a party that hears nothing from the judge for that long says hello
/// again (a judge that restarted from its ledger does not know its connection), naming
/// the last notification it saw; the judge answers with what it missed and a `welcome`
/// saying which of the party's transactions it holds, and the party re-sends any move a
/// restarted judge lost.
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
    /// Notifications the judge sent again that this party already had (after a resync).
    public private(set) var duplicateNotifications = 0
    private let resyncMs: UInt64?
    /// When the judge was last heard from, and when this party last said hello.
    private var lastHeard: UInt64 = 0, lastHello: UInt64 = 0
    /// The judge process this party last heard a welcome from (0: none yet).
    private var judgeIncarnation: UInt64 = 0
    /// Every move sent: its nonce, its frame, and the judge process it was sent to.
    private var sentMoves: [(nonce: UInt64, frame: [UInt8], incarnation: UInt64)] = []

    /// A party playing `machine`. Game frames go out through `endpoint` (which applies
    /// the party's network faults), control messages through `control`. `metrics` gives
    /// the party's figures at the end (message counts are filled in here).
    /// `key` is the party's account key; `accounts` holds the judge's key (party 0).
    public init(entry: Roster.Entry, machine: any PartyStateMachine, roster: Roster, scenario: Digest, key: SigningKey, accounts: AccountBook,
                endpoint: any HoldingEndpoint, control: any MessageEndpoint, judgeName: String = "judge",
                clock: @escaping () -> UInt64, metrics: @escaping () -> PartyMetrics, resyncMs: UInt64? = nil,
                log: @escaping (String) -> Void = { _ in }) {
        moves = Signer(party: entry.id, key: key, domain: .transaction, chainID: accounts.chainID)
        helloSigner = Signer(party: entry.id, key: key, domain: .hello, chainID: accounts.chainID)
        notices = SignedInbox(book: AccountBook(chainID: accounts.chainID, keys: accounts.keys.filter { $0.key == .judge }),
                              domain: .notification)
        self.entry = entry; self.machine = machine; self.scenario = scenario; self.endpoint = endpoint
        self.control = control; self.judgeName = judgeName; self.clock = clock; self.metrics = metrics
        self.words = ReasonText(roster: roster); self.log = log; self.resyncMs = resyncMs
    }

    /// Tells the judge this party is ready. Control messages bypass the party's network
    /// faults: they are not part of the game.
    public func start() throws {
        lastHeard = clock()
        try sayHello()
    }

    /// A signed hello naming the last notification seen.
    private func sayHello() throws {
        lastHello = clock()
        let seen = notices.lastNonce[.judge] ?? 0
        let hello = helloSigner.sign(HelloPayload(name: entry.name, scenario: scenario, seen: seen).encode())
        try control.send(to: judgeName, WireFrame.control(.hello(envelope: hello)).encode())
    }

    /// When this party will next say hello again if the judge stays silent.
    private var resyncAt: UInt64? {
        guard let resyncMs, !isDone else { return nil }
        return Swift.max(lastHeard, lastHello) &+ resyncMs
    }

    public var nextWakeup: UInt64? {
        let held = endpoint.nextReleaseTime.map { UInt64(Swift.max(0, $0)) }
        return [held, resyncAt, isDone ? nil : machine.nextWakeup].compactMap { $0 }.min()
    }

    public func pump(timeoutMilliseconds: Int) -> Bool {
        let handled = receiveOne(from: endpoint, timeoutMilliseconds: timeoutMilliseconds, handle: handle,
                                 malformed: { _ in strayFrames += 1 }, failed: { log("\(entry.name): receive failed: \($0)") })
        poll()
        return handled
    }

    private func handle(_ e: Envelope) {
        guard e.from == judgeName, !isDone else { strayFrames += 1; return }
        let now = clock()
        lastHeard = now
        switch WireFrame.decode(e.payload) {
        case let .game(envelope)?:
            let frame: [UInt8]
            switch notices.admit(envelope) {
            case let .success(n): frame = n.payload
            case let .failure(r) where r.rejection.isStaleNonce:
                // The signature checked (nonces are checked last): a notification this
                // party already has, sent again after a resync.
                duplicateNotifications += 1
                return
            case let .failure(r):
                refusedNotifications += 1
                strayFrames += 1
                return log("\(entry.name): ignored a notification: \(words.text(r.rejection))")
            }
            carry(machine.receive(frame: frame, from: .judge, now: now))
        case let .control(.welcome(incarnation, last))?:
            guard incarnation > judgeIncarnation else { return }
            judgeIncarnation = incarnation
            // Moves a previous judge process took in but never recorded: the chain holds
            // nothing past `last` from this party. (A move the network dropped is not sent
            // again: only a restart of the chain loses what arrived.)
            for i in sentMoves.indices where sentMoves[i].nonce > last && sentMoves[i].incarnation < incarnation {
                sentMoves[i].incarnation = incarnation
                log("\(entry.name): sending move \(sentMoves[i].nonce) again: judge process \(incarnation) does not have it")
                transmit(sentMoves[i].frame)
            }
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
        if let r = resyncAt, clock() >= r {
            do { try sayHello() } catch { log("\(entry.name): could not say hello again: \(error)") }
        }
        carry(machine.tick(now: clock()))
    }

    private func transmit(_ frame: [UInt8]) {
        do {
            try endpoint.send(to: judgeName, WireFrame.game(frame).encode())
            sent += 1
            sentBytes += frame.count
        } catch {
            log("\(entry.name): send failed: \(error)")
        }
    }

    private func carry(_ actions: [GameAction]) {
        for a in actions {
            switch a {
            case let .send(_, m), let .broadcast(m):
                let frame = moves.sign(m.encode())
                sentMoves.append((moves.nonce, frame, judgeIncarnation))
                transmit(frame)
            case let .note(n): log("\(entry.name): \(words.text(n))")
            case let .settled(o): log("\(entry.name): settled: \(words.text(o))")
            case .rejected: break
            }
        }
    }
}
