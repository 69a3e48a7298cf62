import Commitment
import Game
import Ledger
import Report
import Scenario
import Transport

/// The judge's node loop: the simulated chain on a transport. It waits for every party
/// of the roster to say hello (signed by its account, with the same scenario digest),
/// posts the task, plays the game, lets late frames arrive for a short grace, then
/// collects every party's metrics. Identical over ZeroMQ and the in-memory network; only
/// its clock differs.
///
/// Who a party is comes from signatures only. A signed hello binds the connection it
/// arrived on (the transport's sender name, opaque here) to the signing account; a later
/// hello with a fresh nonce moves the binding (a party that reconnects), and a replayed
/// one is refused by its nonce. Notifications go to the bound connection, signed by the
/// judge's key; moves are signed transactions and are accepted from any connection.
///
/// With a `ChainJournal`, every input that changes the chain is committed to the ledger
/// before the judge acts on it, and a loop built from a `ChainReplay` of that ledger
/// resumes the game: it waits for the parties to say hello again, re-sends each the
/// notifications it has not seen, tells it which of its transactions the chain holds
/// (`welcome`), and only then lets the chain clock run on from where it stopped.
///
/// Chain time is real time since the task was posted (the virtual clock in one process),
/// and the chain never runs ahead of it. A transaction takes effect at the time it reached
/// the judge, unless the rule mines it in a later block (it answers a state of the block it
/// arrived in, docs/GAME.md "Clock"): then it waits in the judge, unseen by anyone, until
/// that block begins. Transactions and deadlines take effect in order of their times, so a
/// frame that reached the judge before a deadline is handled as in time, however long the
/// judge took to get to it, and one that arrived after it meets the timeout first, in
/// either mode.
public final class JudgeLoop: NodeLoop {
    /// Timings of the phases around the game, in the loop's clock (ms).
    public struct Timing: Sendable {
        /// Longest wait for every party to join (they compute their runs first).
        public var joinTimeoutMs: UInt64 = 3_600_000
        /// Time after settlement during which late frames are still received (and refused).
        public var graceMs: UInt64 = 300
        /// Longest wait for the parties' metrics after the shutdown message.
        public var collectTimeoutMs: UInt64 = 10_000
        /// Longest a resumed judge waits for the parties to say hello again before its
        /// clock runs on without them (a party that died never will).
        public var rejoinTimeoutMs: UInt64 = 10_000
        /// The defaults.
        public init() {}
    }

    private enum Phase: Equatable {
        case joining(since: UInt64)
        /// Resumed from a ledger: waiting for the parties to reconnect, chain clock stopped.
        case rejoining(since: UInt64)
        case playing
        case winding(until: UInt64)
        case collecting(until: UInt64)
        case done
    }

    private let endpoint: any HoldingEndpoint
    private let control: any MessageEndpoint
    private let roster: Roster
    private let words: ReasonText
    private let scenario: Digest
    private let clock: () -> UInt64
    private let timing: Timing
    private let echo: (String) -> Void
    private var judge: JudgeStateMachine
    private var phase: Phase
    private var origin: UInt64 = 0
    /// Transactions received and not yet on the chain, in the order they reached the judge.
    private var arrived = PendingQueue()
    /// Transactions waiting for the block the rule mines them in.
    private var waiting = PendingQueue()
    /// How many of `waiting` each party sent.
    private var waitingBy: [PartyID: Int] = [:]
    /// Most transactions one party may have waiting for their blocks: an honest party has
    /// one per dispute it plays; the rest of a flood is dropped unmined (a stray frame),
    /// so the judge's memory does not grow with what a party sends within a block.
    static let waitingPerParty = 64
    /// Transactions received so far (their order among equal times).
    private var received: UInt64 = 0
    private var connection: [PartyID: String] = [:]
    private var account: [String: PartyID] = [:]
    private var hellos: SignedInbox
    private var notices: Signer
    private var metrics: [String: PartyMetrics] = [:]
    private let ledger: ChainJournal?
    /// Every notification signed so far, per party: re-sent to a party whose hello shows
    /// it has not seen them.
    private var outbox: [PartyID: [(nonce: UInt64, frame: [UInt8])]] = [:]
    /// How many judge processes have run this chain, this one included.
    public let incarnation: UInt64
    /// While set, the chain clock stands still at this time (a resumed judge waiting for
    /// its parties).
    private var frozenAt: UInt64?
    /// Parties the shutdown could not reach: no metrics are waited for from them.
    private var unreachable: Set<String> = []
    private var journal = BoundedLog()
    /// How often each kind of ignored or rejected frame was seen (kinds are a fixed set:
    /// no attacker-chosen text), so a flood costs a counter, not a log line per frame.
    private var repeats: [String: Int] = [:]
    /// Lines kept per kind before the rest are only counted.
    static let linesPerKind = 3
    private var messages = 0, bytes = 0
    /// Frames that were not the protocol's (see `RunResult.strayFrames`).
    public private(set) var strayFrames = 0
    /// Set when the loop gave up (parties did not join in time).
    public private(set) var failure: RoleError?

    /// A judge playing `judge` with the parties of `roster`. Game frames go out through
    /// `endpoint` (which applies the network's latency); control messages through
    /// `control`, its inner endpoint. `clock` is in ms, the same clock `endpoint` holds
    /// messages by. `log` receives every journal line as it is written.
    /// `key` signs the judge's notifications; `accounts` holds the keys hellos are checked against.
    /// `journal` (optional) is the ledger every change is committed to first; `resumed`
    /// is that ledger's replay when this judge takes over a chain already under way, and
    /// `helloNonces` the hello nonces it already admitted.
    public init(judge: JudgeStateMachine, roster: Roster, scenario: Digest, key: SigningKey, accounts: AccountBook,
                endpoint: any HoldingEndpoint, control: any MessageEndpoint, clock: @escaping () -> UInt64,
                timing: Timing = Timing(), journal: ChainJournal? = nil, resumed: ChainReplay.Outcome? = nil,
                helloNonces: [PartyID: UInt64] = [:], log: @escaping (String) -> Void = { _ in }) {
        self.judge = resumed?.judge ?? judge
        self.roster = roster; self.words = ReasonText(roster: roster); self.scenario = scenario
        hellos = SignedInbox(book: AccountBook(chainID: accounts.chainID, keys: accounts.keys.filter { $0.key != .judge }),
                             domain: .hello, lastNonce: helloNonces)
        notices = Signer(party: .judge, key: key, domain: .notification, chainID: accounts.chainID)
        self.endpoint = endpoint; self.control = control; self.clock = clock; self.timing = timing; self.echo = log
        self.ledger = journal
        incarnation = (resumed?.incarnation ?? 0) + 1
        phase = .joining(since: clock())
        if let resumed {
            // The same notifications, signed again in the same order, carry the same nonces.
            for n in resumed.notifications { _ = sign(n.message, to: n.to) }
            if resumed.started {
                // The chain's clock stands where the replayed judge left it (past the last
                // record's arrival when the rule mined its move in a later block).
                frozenAt = max(resumed.lastTimeMs, resumed.judge.now)
                phase = .rejoining(since: clock())
            }
            apply(.resume, at: resumed.lastTimeMs)
            note("resumed from the ledger: \(resumed.records.count) records, chain time \(resumed.lastTimeMs) ms, judge process \(incarnation)")
        }
    }

    /// Called once, when every party has joined and the task is posted.
    public var onGameStart: () -> Void = {}

    /// Hears the progress line (phase, block, each dispute's round and who is to move by
    /// when) after every pump; the listener decides how often to show it.
    public var onStatus: ((String) -> Void)?

    private func reportStatus() {
        let text: String
        switch phase {
        case .joining: text = "waiting for the parties: \(connection.count) of \(roster.parties.count) joined"
        case .rejoining: text = "resumed from the ledger: \(connection.count) of \(roster.parties.count) parties reconnected"
        default: text = words.text(judge.status)
        }
        onStatus?(text)
    }

    /// The judge's state machine as it stands (the chain's balances, ledger, disputes).
    public var machine: JudgeStateMachine { judge }

    /// True once the metrics are in (or their wait is over), or the join failed.
    public var isDone: Bool { phase == .done }

    /// The chain's clock: ms since the task was posted (standing still while frozen).
    private var chainTime: UInt64 { frozenAt ?? (clock() &- origin) }

    public var nextWakeup: UInt64? {
        var next: UInt64?
        switch phase {
        case let .joining(since): next = since &+ timing.joinTimeoutMs
        case let .rejoining(since): next = since &+ timing.rejoinTimeoutMs
        case .playing: next = judge.nextDeadline().map { $0 &+ origin }
        case let .winding(until), let .collecting(until): next = until
        case .done: next = nil
        }
        // A transaction waiting for its block is taken when the block begins.
        if let w = waiting.first?.time, frozenAt == nil, phase != .done, !isJoining {
            next = Swift.min(next ?? (w &+ origin), w &+ origin)
        }
        if let held = endpoint.nextReleaseTime.map({ UInt64(Swift.max(0, $0)) }) { next = Swift.min(next ?? held, held) }
        return next
    }

    /// Most frames handled in one pump before the clock is consulted again.
    static let drainLimit = 10_000

    /// Receives one frame (waiting up to `timeoutMilliseconds`), then every frame already
    /// waiting, and only then lets deadlines fire: a frame that reached the judge before
    /// a deadline is handled as in time, however long the judge took to get to it.
    public func pump(timeoutMilliseconds: Int) -> Bool {
        func one(_ timeout: Int) -> Bool {
            receiveOne(from: endpoint, timeoutMilliseconds: timeout, handle: handle,
                       malformed: { stray("message the transport could not take apart", "\($0)") },
                       failed: { once("receive failed", "receive failed: \($0)") })
        }
        let handled = one(timeoutMilliseconds)
        if handled {
            var drained = 0
            while drained < Self.drainLimit, !isDone, one(0) { drained += 1 }
        }
        poll()
        return handled
    }

    /// The result so far: the chain's report, the metrics that came in, the journal.
    public func result() -> RunResult {
        RunResult(game: judge.report(messages: messages, bytes: bytes),
                  parties: roster.parties.compactMap { metrics[$0.name] }, log: journal.all + repeatSummary,
                  strayFrames: strayFrames)
    }

    /// One line per kind of frame seen more often than it was logged.
    private var repeatSummary: [String] {
        repeats.filter { $0.value > Self.linesPerKind }.sorted { $0.key < $1.key }
            .map { "\($0.value - Self.linesPerKind) more like this not logged: \($0.key)" }
    }

    // MARK: events

    private func handle(_ e: Envelope) {
        let from = account[e.from].map { roster.name(of: $0) } ?? "connection \(e.from.debugDescription)"
        switch WireFrame.decode(e.payload) {
        case let .control(.hello(envelope))?:
            hello(envelope, on: e.from)
        case let .control(.metrics(m))?:
            guard let id = account[e.from], roster.entry(for: id)?.name == m.name else {
                return stray("metrics naming another party", "\(m.name.debugDescription) from \(from)")
            }
            metrics[m.name] = m
        case .control(.shutdown)?:
            stray("shutdown from a party", from)
        case let .game(tx)?:
            guard !isJoining else { return stray("game frame before the game started", "from \(from)") }
            messages += 1
            bytes += tx.count
            enqueue(tx)
        case .control(.welcome)?:
            stray("welcome from a party", from)
        case .control(.task)?, .control(.networkDone)?, .control(.alive)?:
            stray("a network's message on a game's channel", from)
        case nil:
            // Not even a wire frame: the chain hears it as an undecodable transaction.
            guard !isJoining else { return stray("garbage before the game started", "from \(from)") }
            enqueue(e.payload)
        }
    }

    /// A signed hello: binds `conn` to the signing account (moving an older binding: a
    /// party that reconnected), then re-sends the party every notification it has not
    /// seen and tells it which of its transactions the chain holds.
    private func hello(_ envelope: [UInt8], on conn: String) {
        guard phase != .done else { return stray("hello after the game ended", "on connection \(conn.debugDescription)") }
        let admitted: SignedInbox.Admitted
        switch hellos.check(envelope) {
        case let .failure(r): return stray("hello refused: \(r.rejection.code)", "on connection \(conn.debugDescription): \(words.text(r.rejection))")
        case let .success(a): admitted = a
        }
        guard let entry = roster.entry(for: admitted.party), let h = HelloPayload.decode(admitted.payload), h.name == entry.name else {
            return stray("hello naming someone else", "signed by party \(admitted.party.rawValue)")
        }
        guard h.scenario == scenario else {
            return once("refused a hello: different scenario", "refused \(h.name): it plays a different scenario (digest \(h.scenario), not \(scenario))")
        }
        if let other = account[conn], other != entry.id { return stray("hello on another party's connection", h.name) }
        do { try ledger?.session(party: entry.id, nonce: admitted.nonce, at: chainTime) } catch {
            return halt("\(error)")
        }
        _ = hellos.admit(envelope)
        let previous = connection[entry.id]
        if let previous, previous != conn { account[previous] = nil }
        connection[entry.id] = conn
        account[conn] = entry.id
        if previous == nil { note(isJoining ? "\(h.name) joined" : "\(h.name) rejoined") }
        for n in outbox[entry.id] ?? [] where n.nonce > h.seen { transmit(n.frame, to: conn) }
        sendControl(.welcome(incarnation: incarnation, lastTransactionNonce: judge.transactions.lastNonce[entry.id] ?? 0), to: conn)
    }

    private var isJoining: Bool { if case .joining = phase { return true } else { return false } }

    /// True until the task is posted (every party joined, or `beginWithoutMissing`).
    public var isWaitingForParties: Bool { isJoining }

    /// The chain's clock in ms since the task was posted; nil before it was.
    public var chainTimeMs: UInt64? { isJoining ? nil : chainTime }

    /// The block the game settled in (the report's `final_block`); nil while it is open.
    public var settledBlock: UInt64? { judge.isSettled ? judge.currentBlock : nil }

    /// Parties of the roster that have not said hello.
    public var missing: [String] { roster.parties.filter { connection[$0.id] == nil }.map(\.name) }

    /// Posts the task now, with the parties that joined: a network's chain does this when
    /// the others are presumed gone (their processes died), and the game's timeouts then
    /// decide as for any party that does not move. Does nothing unless still joining.
    public func beginWithoutMissing() {
        guard isJoining else { return }
        note("\(missing.joined(separator: ", ")) did not join; the game goes on without them")
        begin(at: clock())
    }

    private func begin(at now: UInt64) {
        origin = now
        phase = .playing
        onGameStart()
        apply(.start, at: 0)
    }

    private func poll() {
        defer { if onStatus != nil { reportStatus() } }
        runChain()
        try? endpoint.flush()
        let now = clock()
        switch phase {
        case let .joining(since):
            if connection.count == roster.parties.count {
                begin(at: now)
            } else if now &- since > timing.joinTimeoutMs {
                failure = RoleError("parties \(missing) did not join within \(timing.joinTimeoutMs / 1000) s")
                phase = .done
            }
        case let .rejoining(since):
            if connection.count == roster.parties.count || now &- since > timing.rejoinTimeoutMs {
                let missing = roster.parties.filter { connection[$0.id] == nil }.map(\.name)
                if !missing.isEmpty { note("\(missing.joined(separator: ", ")) did not reconnect; the chain goes on without them") }
                // The chain clock runs on from where the ledger stopped: the outage is not chain time.
                origin = now &- (frozenAt ?? 0)
                frozenAt = nil
                phase = judge.isSettled ? .winding(until: now &+ timing.graceMs) : .playing
            }
        case .playing:
            break
        case let .winding(until):
            if now >= until {
                // A party that can no longer be reached (its process died) will send no metrics.
                for p in roster.parties {
                    if let c = connection[p.id], sendControl(.shutdown, to: c) { continue }
                    unreachable.insert(p.name)
                }
                phase = .collecting(until: now &+ timing.collectTimeoutMs)
            }
        case let .collecting(until):
            if metrics.count + unreachable.subtracting(metrics.keys).count >= roster.parties.count || now >= until { phase = .done }
        case .done:
            break
        }
    }

    // MARK: the chain

    /// A transaction received at chain time `time` (the `seq`-th received).
    private func enqueue(_ envelope: [UInt8]) {
        arrived.push(PendingTransaction(time: chainTime, seq: received, envelope: envelope))
        received &+= 1
    }

    /// Lets the chain take everything due by now, in order of time: each transaction
    /// received or whose block has begun, and each deadline that passed (a deadline goes
    /// first when a transaction's time is not before it: that transaction was late). A
    /// transaction the rule mines in a block that has not begun waits for it. Deadlines
    /// fire only while the game is played; a resumed judge waiting for its parties takes
    /// transactions at its stopped clock, and holds those that need a later block.
    private func runChain() {
        // A deadline the tick left where it was (nothing it could act on) is not retried
        // in this call, so the loop always ends.
        var spent: UInt64?
        while phase != .done {
            let now = chainTime
            let tx = [arrived.first, waiting.first].compactMap { $0 }.filter { $0.time <= now }.min()
            if phase == .playing, let due = judge.nextDeadline(), due <= now, due != spent, tx.map({ due <= $0.time }) ?? true {
                apply(.tick, at: Swift.max(due, judge.now))
                if phase == .playing, judge.nextDeadline() == due { spent = due }
                continue
            }
            guard let tx else { return }
            if arrived.first == tx {
                arrived.pop()
            } else {
                waiting.pop()
                if let p = tx.party { waitingBy[p, default: 1] -= 1 }
            }
            if let later = apply(.transaction(envelope: tx.envelope), at: tx.time, unlessMinedAfter: true) {
                // Its signature checked (the judge took it but for its block): who sent it is known.
                let party = tx.party ?? (try? SignedEnvelope.decode(tx.envelope))?.party ?? .judge
                guard waitingBy[party, default: 0] < Self.waitingPerParty else {
                    stray("more than \(Self.waitingPerParty) transactions of one party waiting for their blocks", roster.name(of: party))
                    continue
                }
                waitingBy[party, default: 0] += 1
                waiting.push(PendingTransaction(time: later, seq: tx.seq, envelope: tx.envelope, party: party))
            }
        }
    }

    /// Feeds `input` to the judge at chain time `t`, commits the change to the ledger, and
    /// only then carries out what the judge decided. A ledger that cannot be written
    /// halts the chain. With `unlessMinedAfter`, a transaction the judge would mine later
    /// than `t` (the rule's block has not begun) is not taken: nothing changes, and the
    /// time it would take effect at is returned.
    @discardableResult
    private func apply(_ input: ChainInput, at t: UInt64, unlessMinedAfter: Bool = false) -> UInt64? {
        var next = judge
        let actions = input.apply(to: &next, at: t)
        if unlessMinedAfter, next.now > t { return next.now }
        do { try ledger?.commit(input, at: t, before: judge, after: next, actions: actions) } catch {
            halt("\(error)")
            return nil
        }
        judge = next
        carry(actions)
        return nil
    }

    /// Stops the chain: the loop is done with `reason` as its failure.
    private func halt(_ reason: String) {
        note("the chain halts: \(reason)")
        failure = RoleError("the chain halted: \(reason)")
        phase = .done
    }

    private func carry(_ actions: [GameAction]) {
        for a in actions {
            switch a {
            case let .send(to, m): send(m, to: to)
            case let .broadcast(m): for p in roster.parties { send(m, to: p.id) }
            case let .note(n): note("[\(chainTime) ms] \(words.text(n))")
            case let .rejected(from, r):
                let who = sender(from, r)
                once("rejected a frame \(who): \(r.code)", "[\(chainTime) ms] rejected a frame \(who): \(words.text(r))")
            case let .settled(o):
                note("[\(chainTime) ms] settled: \(words.text(o))")
                phase = .winding(until: clock() &+ timing.graceMs)
            }
        }
    }

    /// Who a refused frame came from, in words: a party only if its signature was checked.
    private func sender(_ id: PartyID, _ r: Rejection) -> String {
        if id == .judge { return "from an unidentified sender" }   // the envelope did not decode
        switch r {
        case .wrongDomain, .wrongChain, .unknownAccount, .badSignature: return "claiming to be from \(roster.name(of: id))"
        default: return "from \(roster.name(of: id))"
        }
    }

    /// Signs `m` for `id` and keeps it in the party's outbox; returns the signed frame.
    private func sign(_ m: GameMessage, to id: PartyID) -> [UInt8] {
        let frame = notices.sign(m.encode())
        outbox[id, default: []].append((notices.nonce, frame))
        return frame
    }

    /// Signs `m` (every notification is signed and kept, whether or not `id` is connected)
    /// and sends it if `id` is.
    private func send(_ m: GameMessage, to id: PartyID) {
        let frame = sign(m, to: id)
        guard let name = connection[id] else { return }
        transmit(frame, to: name)
    }

    private func transmit(_ frame: [UInt8], to name: String) {
        do {
            try endpoint.send(to: name, WireFrame.game(frame).encode())
            messages += 1
            bytes += frame.count
        } catch {
            note("send to \(name) failed: \(error)")
        }
    }

    @discardableResult
    private func sendControl(_ c: ControlMessage, to name: String) -> Bool {
        do { try control.send(to: name, WireFrame.control(c).encode()) } catch {
            note("send to \(name) failed: \(error)")
            return false
        }
        return true
    }

    private func note(_ line: String) {
        if journal.append(line) { echo(line) }
    }

    /// Counts a frame that was not the protocol's under `kind` and logs it (with `detail`)
    /// while that kind is still rare.
    private func stray(_ kind: String, _ detail: String = "") {
        strayFrames += 1
        once("ignored: \(kind)", "ignored: \(kind)" + (detail.isEmpty ? "" : " (\(detail.prefix(120)))"))
    }

    /// Logs `line` for the first `linesPerKind` occurrences of `kind`; counts the rest.
    private func once(_ kind: String, _ line: String) {
        let n = repeats[kind, default: 0] + 1
        repeats[kind] = n
        if n <= Self.linesPerKind { note(line) }
    }
}
