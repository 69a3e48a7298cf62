import Commitment

/// The simulated chain for one task: a block clock, the ordered ledger of accepted
/// transactions, deadlines counted in blocks, deposits, slashing, payouts and gas. It
/// checks one step per trace dispute through a stateless `ProofChecker` and never holds
/// machine state — only roots, claims and money.
///
/// Events in (`start`, `receive`, `tick`), actions out. A frame that is garbage,
/// truncated, oversized, from an unknown sender, late, or out of turn yields a single
/// `.rejected` action and changes no game state. While the game is open, a refused move
/// from one of its parties was still mined, as a reverted transaction is on Ethereum:
/// the ledger gets a `reverted` entry charging its sender (docs/GAME.md, "Gas").
public struct JudgeStateMachine {
    /// Where the game stands.
    public enum State: Equatable {
        /// Created; `start` not called yet.
        case idle
        /// Waiting for the solver's commit until block `deadline`.
        case awaitingCommit(deadline: UInt64)
        /// A claim is committed; challenges are taken and disputes played.
        case verifying(Verification)
        /// Over.
        case settled(GameOutcome)
    }

    /// The state while a committed claim is open to challenge.
    public struct Verification: Equatable {
        /// The solver's claim.
        public var claim: Claim
        /// Last block in which challenges are accepted.
        public var windowEnd: UInt64
        /// The disputes being played, by id: at most one in sequential mode, every open
        /// challenge in the concurrent modes.
        public var playing: [ActiveDispute]
        /// Accepted challenges waiting their turn (sequential mode only).
        public var queue: [PendingChallenge]
        /// Everyone who has challenged, so nobody challenges twice.
        public var challengers: [PartyID]
        /// The first dispute being played, if any (the only one in sequential mode).
        public var active: ActiveDispute? { playing.first }
    }

    /// An accepted challenge not yet played.
    public struct PendingChallenge: Equatable {
        /// Dispute number.
        public var id: UInt32
        /// Who challenged.
        public var challenger: PartyID
        /// What it disputes.
        public var kind: DisputeKind
    }

    /// Whose move it is in the active dispute, and by when.
    public enum Turn: Equatable {
        /// The solver must post roots at `points` (or, if empty, the closing move) by `deadline`.
        case solver(points: [UInt64], deadline: UInt64)
        /// The challenger must pick among the sub-intervals of lo, points…, hi by `deadline`.
        case challenger(points: [UInt64], roots: [Digest], deadline: UInt64)

        var deadline: UInt64 {
            switch self { case let .solver(_, d), let .challenger(_, _, d): return d }
        }
    }

    /// The dispute being played: agreed root at `lo`, disputed root at `hi`.
    public struct ActiveDispute: Equatable {
        /// Dispute number.
        public var id: UInt32
        /// The challenger.
        public var challenger: PartyID
        /// Trace or output.
        public var kind: DisputeKind
        /// Left end: both sides agree on `rootLo` (the solver's root at `lo`).
        public var lo: UInt64
        /// Right end: the challenger disputes `rootHi` (the solver's root at `hi`).
        public var hi: UInt64
        /// The solver's root at `lo`.
        public var rootLo: Digest
        /// The solver's root at `hi`.
        public var rootHi: Digest
        /// Who moves next.
        public var turn: Turn
        /// Chess-clock mode: blocks left on the solver's and the challenger's clock, and
        /// the block the current turn began in (unused in the other modes).
        public var solverClock: UInt64, challengerClock: UInt64, turnStart: UInt64
        /// Gas only (`per_root`): how many root slots the dispute's rounds have filled, and
        /// whether its end-root slots were ever written (a later write is an update).
        public var rootSlots = 0, loStored = false, hiStored = false
    }

    /// The task this judge rules on.
    public let task: PostedTask
    /// The rules.
    public let config: GameConfig
    /// The prices.
    public let gas: GasSchedule
    /// The only party allowed to commit.
    public let solver: PartyID
    /// The parties allowed to challenge, in order.
    public let verifiers: [PartyID]
    private let checker: any ProofChecker

    /// Current state.
    public private(set) var state: State = .idle
    /// Latest virtual time seen by an accepted event (ms).
    public private(set) var now: UInt64 = 0
    /// Deposit-currency balances, free to spend.
    public private(set) var balances: [PartyID: UInt64]
    /// Deposits locked in the game, per party.
    public private(set) var escrow: [PartyID: UInt64] = [:]
    /// Slashed value nobody received.
    public private(set) var burned: UInt64 = 0
    /// With `config.gasPriceWei`: what each party paid for gas out of its balance.
    public private(set) var gasPaid: [PartyID: UInt64] = [:]
    /// With `config.gasPriceWei`: gas fees a party owed but could not pay — a chain-side
    /// call made on its behalf (claimTimeout, finalize) it paid only in part, or a move
    /// of its own refused as `cannot_pay_gas`.
    public private(set) var gasShort: [PartyID: UInt64] = [:]
    /// Every accepted transaction and chain-side event, in order.
    public private(set) var ledger: [TimelineEntry] = []
    /// One record per accepted challenge.
    public private(set) var disputes: [DisputeReport] = []
    /// Frames refused so far (this is the only thing a rejected frame touches, and it lives
    /// outside the game state proper: see `gameStateSnapshot`).
    public private(set) var rejectedFrames = 0
    /// The committed claim, once there is one (kept after settlement for the report).
    public private(set) var claim: Claim?
    /// `k: auto`: the k chosen at the commit.
    public private(set) var arityChoice: ArityChoice?
    /// The k disputes are played with: the configured one, or the one chosen at the commit.
    public var arity: Int { config.isAutoArity ? (arityChoice?.k ?? ArityChoice.candidates.lowerBound) : config.arity }
    /// The signed-transaction check: the parties' accounts and the last nonce admitted
    /// from each. A nonce advances on every admitted transaction, even one the rules then
    /// refuse, so it lives outside the game state proper (see `gameStateSnapshot`).
    public private(set) var transactions: SignedInbox
    let initialBalances: [PartyID: UInt64]
    /// The storage and contract work of the transaction being handled.
    private var meter: StorageMeter
    /// The ledger entry of the transaction being handled, whose gas is filled in once
    /// everything it set off is metered: the entry, its intrinsic gas, its dispute.
    private var pending: (entry: Int, fixed: UInt64, dispute: UInt32?)?

    /// Creates the judge of one task. Every party in `solver` + `verifiers` starts with the
    /// balance given in `balances` (0 if absent). Throws `GameConfigError` listing every
    /// problem of an unusable configuration, or if a party number is repeated or is 0.
    /// `accounts` holds the parties' keys for `receive(transaction:now:)` (the judge's own
    /// key, if present, is not an account that may send moves).
    public init(task: PostedTask, config: GameConfig, gas: GasSchedule = .default, checker: any ProofChecker,
                solver: PartyID, verifiers: [PartyID], balances: [PartyID: UInt64], accounts: AccountBook = .empty) throws {
        let problems = config.problems()
        let everyone = [solver] + verifiers
        var seen: Set<PartyID> = []
        let badParties = everyone.filter { $0 == .judge || !seen.insert($0).inserted }
        guard problems.isEmpty, badParties.isEmpty else { throw GameConfigError(problems: problems, badParties: badParties) }
        self.task = task; self.config = config; self.gas = gas; self.checker = checker
        self.solver = solver; self.verifiers = verifiers
        self.meter = StorageMeter(gas: gas)
        var b: [PartyID: UInt64] = [:]
        for p in [solver] + verifiers { b[p] = balances[p] ?? 0 }
        self.balances = b
        self.initialBalances = b
        transactions = SignedInbox(book: AccountBook(chainID: accounts.chainID, keys: accounts.keys.filter { $0.key != .judge }),
                                   domain: .transaction)
    }

    /// Block number at virtual time `t`.
    public func block(at t: UInt64) -> UInt64 { t / config.blockIntervalMs }

    /// The current block.
    public var currentBlock: UInt64 { block(at: now) }

    /// Everything a frame could change, for tests that prove rejected frames change nothing.
    public struct Snapshot: Equatable {
        let state: State, now: UInt64, balances: [PartyID: UInt64], escrow: [PartyID: UInt64]
        let burned: UInt64, ledger: [TimelineEntry], disputes: [DisputeReport], claim: Claim?
    }

    /// The current `Snapshot` (everything but the rejected-frame counter).
    public var gameStateSnapshot: Snapshot {
        Snapshot(state: state, now: now, balances: balances, escrow: escrow, burned: burned,
                 ledger: ledger, disputes: disputes, claim: claim)
    }

    /// True once settled.
    public var isSettled: Bool { if case .settled = state { return true } else { return false } }

    // MARK: events

    /// Posts the task: opens the commit deadline and tells everyone.
    public mutating func start(now t: UInt64) -> [GameAction] {
        guard case .idle = state else { return [.note(.alreadyStarted)] }
        now = max(now, t)
        state = .awaitingCommit(deadline: currentBlock + config.commitTimeoutBlocks)
        record(party: .judge, kind: .taskPosted, gas: 0, bytes: 0, deadline: currentBlock + config.commitTimeoutBlocks)
        return [.broadcast(.taskPosted(task))]
    }

    /// A judge process took over from the ledger at chain time `t`: recorded on the
    /// timeline (no gas, no state change) so reports show the outage.
    public mutating func resume(now t: UInt64) -> [GameAction] {
        now = max(now, t)
        record(party: .judge, kind: .judgeRestarted, gas: 0, bytes: 0)
        return []
    }

    /// The virtual time (ms) at which `tick` will next have something to do, or nil.
    public func nextDeadline() -> UInt64? {
        func after(_ block: UInt64) -> UInt64 { (block + 1) * config.blockIntervalMs }
        switch state {
        case .idle, .settled: return nil
        case let .awaitingCommit(deadline): return after(deadline)
        case let .verifying(v):
            if let d = v.playing.map(\.turn.deadline).min() { return after(d) }
            return after(v.windowEnd)
        }
    }

    /// Advances the chain clock to `now`, firing every expired deadline: a party that did
    /// not move in time loses; a closed window with no dispute left accepts the claim.
    public mutating func tick(now t: UInt64) -> [GameAction] {
        guard t >= now else { return [] }
        now = t
        var actions: [GameAction] = []
        while true {
            switch state {
            case .idle, .settled:
                return actions
            case let .awaitingCommit(deadline):
                guard currentBlock > deadline else { return actions }
                actions += settle(GameOutcome(accepted: false, winner: nil, reason: .solverDidNotCommit(deadline: deadline)))
            case let .verifying(v):
                if !v.playing.isEmpty {
                    // The turn that expired first (ties: the older dispute) decides first.
                    guard let a = v.playing.filter({ currentBlock > $0.turn.deadline })
                        .min(by: { ($0.turn.deadline, $0.id) < ($1.turn.deadline, $1.id) }) else { return actions }
                    let solverLate: Bool
                    switch a.turn {
                    case .solver(_, _): solverLate = true
                    case .challenger(_, _, _): solverLate = false
                    }
                    let winner = solverLate ? a.challenger : solver
                    let late = solverLate ? solver : a.challenger
                    // The winner's claimTimeout call: it reads the turn and deadline, then
                    // everything the resolution changes.
                    beginTransaction()
                    meter.readDispute(a.id)
                    openCharge(winner, .timeout, fixed: gas.txBase, bytes: 0, dispute: a.id, lo: a.lo, hi: a.hi)
                    actions += resolve(a.id, winner: winner, reason: .missedDeadline(party: late, deadline: a.turn.deadline))
                    if let g = closeCharge() { _ = payGas(winner, g, partial: true) }
                } else {
                    guard currentBlock > v.windowEnd, v.queue.isEmpty else { return actions }
                    beginTransaction()
                    meter.read(.game)
                    openCharge(solver, .finalize, fixed: gas.txBase, bytes: 0, dispute: nil)
                    actions += settle(GameOutcome(accepted: true, winner: solver,
                        reason: v.challengers.isEmpty ? .noChallenge : .solverWonEveryDispute))
                    if let g = closeCharge() { _ = payGas(solver, g, partial: true) }
                }
            }
        }
    }

    /// Handles one signed transaction (a `SignedEnvelope` of domain `transaction`) arriving
    /// at virtual time `t`: the sender is the account whose signature it carries, never
    /// anything the transport says. Refused (`.rejected`, nothing else changes) when it
    /// does not decode, is for another chain, names no account, is not signed by that
    /// account or repeats an old nonce. Once admitted, its nonce is used up and its
    /// payload — the `GameMessage` frame — goes to the rules as from that account.
    public mutating func receive(transaction bytes: [UInt8], now t: UInt64) -> [GameAction] {
        switch transactions.admit(bytes, maxPayloadBytes: config.maxFrameBytes) {
        case let .failure(refusal): return reject(refusal.claimed ?? .judge, refusal.rejection)
        case let .success(tx): return receive(tx.payload, from: tx.party, now: t)
        }
    }

    /// Handles one frame from `sender` arriving at virtual time `t`: the rules of the game
    /// for a sender already authenticated (`receive(transaction:now:)` calls it; the rule
    /// tests and the toy world call it directly).
    public mutating func receive(_ frame: [UInt8], from sender: PartyID, now t: UInt64) -> [GameAction] {
        let message: GameMessage
        switch GameMessage.decoded(frame, maxFrameBytes: config.maxFrameBytes) {
        case .success(let m): message = m
        case .failure(let e):
            // A malformed move from a party is mined and reverts; one too large for a frame
            // never reaches a block.
            let mined = frame.count <= config.maxFrameBytes && isParty(sender) && t >= now && isOpen
            if mined { beginTransaction(); chargeRevert(sender, frame: frame, at: t) }
            return reject(sender, .undecodable(e))
        }
        return receive(message, frameBytes: frame, from: sender, now: t)
    }

    /// Handles one already-decoded transaction (its encoding is what is charged as calldata).
    public mutating func receive(_ message: GameMessage, from sender: PartyID, now t: UInt64) -> [GameAction] {
        receive(message, frameBytes: message.encode(), from: sender, now: t)
    }

    private mutating func receive(_ message: GameMessage, frameBytes: [UInt8], from sender: PartyID, now t: UInt64) -> [GameAction] {
        // Never mined: too large to carry, from no party of this game, or stamped before
        // the chain's clock. Nothing is charged.
        guard frameBytes.count <= config.maxFrameBytes else {
            return reject(sender, .oversized(bytes: frameBytes.count, max: config.maxFrameBytes))
        }
        guard isParty(sender) else { return reject(sender, .unknownSender) }
        guard t >= now else { return reject(sender, .beforeChainClock(frameMs: t, chainMs: now)) }
        let before = self
        beginTransaction()
        let actions = rules(message, frameBytes: frameBytes, from: sender, now: t)
        if actions.count == 1, case .rejected = actions[0] {
            // Refused by the rules: mined and reverted, so its sender pays for what the
            // contract did before the revert — while the game is open (docs/GAME.md, "Gas").
            if before.isOpen { chargeRevert(sender, frame: frameBytes, at: t) }
            return actions
        }
        guard let g = closeCharge() else { return actions }
        if g > gas.blockGasLimit {
            // It could never be included: undo it whole; nothing is charged.
            undo(to: before)
            return reject(sender, .overBlockGasLimit(gas: g, limit: gas.blockGasLimit))
        }
        let left = balances[sender] ?? 0
        if !payGas(sender, g, partial: false) {
            // Its sender cannot pay for it: not mined, nothing changes but the shortfall.
            undo(to: before)
            return reject(sender, .cannotPayGas(fee: fee(g), balance: left))
        }
        return actions
    }

    /// The rules for one move from a party, metered.
    private mutating func rules(_ message: GameMessage, frameBytes: [UInt8], from sender: PartyID, now t: UInt64) -> [GameAction] {
        guard message.isTransaction else { return reject(sender, .notATransaction(message.kind)) }
        switch message {
        case let .commit(taskID, claim, proof):
            guard taskID == task.id else { return reject(sender, .unknownTask(taskID)) }
            return commit(claim, proof: proof, frame: frameBytes, from: sender, at: t)
        case let .challenge(taskID, kind, claim):
            guard taskID == task.id else { return reject(sender, .unknownTask(taskID)) }
            return challenge(kind, claim: claim, frame: frameBytes, from: sender, at: t)
        case let .postRoots(taskID, dispute, roots):
            guard taskID == task.id else { return reject(sender, .unknownTask(taskID)) }
            return postRoots(roots, dispute: dispute, frame: frameBytes, from: sender, at: t)
        case let .pick(taskID, dispute, index):
            guard taskID == task.id else { return reject(sender, .unknownTask(taskID)) }
            return pick(Int(index), dispute: dispute, frame: frameBytes, from: sender, at: t)
        case let .stepProof(taskID, dispute, proof):
            guard taskID == task.id else { return reject(sender, .unknownTask(taskID)) }
            return closing(.trace, payload: proof, dispute: dispute, frame: frameBytes, from: sender, at: t)
        case let .outputOpening(taskID, dispute, opening):
            guard taskID == task.id else { return reject(sender, .unknownTask(taskID)) }
            return closing(.output, payload: opening, dispute: dispute, frame: frameBytes, from: sender, at: t)
        default:
            return reject(sender, .notATransaction(message.kind))
        }
    }

    // MARK: transactions

    private mutating func commit(_ claim: Claim, proof: [UInt8], frame: [UInt8], from sender: PartyID,
                                 at t: UInt64) -> [GameAction] {
        meter.read(.game)
        guard sender == solver else { return reject(sender, .wrongSender(.commit, allowed: solver)) }
        guard case let .awaitingCommit(deadline) = state else { return reject(sender, .outOfTurn(.commit)) }
        // The commit answers the posted task.
        let (mined, block) = inclusion(arrival: t, answering: deadline - config.commitTimeoutBlocks)
        guard block <= deadline else { return reject(sender, .late(.commit, block: block, deadline: deadline)) }
        guard claim.steps <= task.stepLimit else {
            return reject(sender, .stepLimitExceeded(steps: claim.steps, limit: task.stepLimit))
        }
        guard claim.steps > 0 || claim.root == task.initialRoot else {
            return reject(sender, .zeroStepClaimNotInitial)
        }
        meter.read(.balance(sender))
        guard (balances[sender] ?? 0) >= config.solverDeposit else {
            return reject(sender, .insufficientBalance(needed: config.solverDeposit, balance: balances[sender] ?? 0))
        }
        switch checker.checkStep(proof) {
        case let .invalid(why):
            meter.compute(gas.stepVerification(proofBytes: proof.count, workUnits: 0))
            return reject(sender, .haltProofInvalid(detail: why))
        case let .valid(pre, post, halted, counted, units):
            meter.compute(gas.stepVerification(proofBytes: proof.count, workUnits: units))
            guard pre == claim.root, post == claim.root, halted else {
                return reject(sender, .haltProofMismatch(pre: pre, post: post, halted: halted))
            }
            // The halted state records the step at which it halted: the claim must name it.
            guard counted == claim.steps else {
                return reject(sender, .stepCountMismatch(claimed: claim.steps, halted: counted))
            }
        }
        // Accepted.
        now = mined
        self.claim = claim
        meter.write(.game, from: true, to: true)
        meter.write(.claimRoot, from: false, to: true)
        meter.write(.claimOutput, from: false, to: true)
        lock(sender, config.solverDeposit)
        let windowEnd = block + config.challengeWindowBlocks
        openCharge(sender, .commit, fixed: txFixed(frame), bytes: frame.count, dispute: nil, deadline: windowEnd)
        state = .verifying(Verification(claim: claim, windowEnd: windowEnd, playing: [], queue: [], challengers: []))
        var notes: [GameAction] = []
        if config.isAutoArity {
            let ranked = ArityChoice.ranked(steps: claim.steps, gas: gas, storage: config.storage,
                                            chessClock: config.challenges == .chessClock)
            arityChoice = ranked[0]
            notes.append(.note(.arityChosen(steps: claim.steps, choice: ranked[0], next: ranked.dropFirst().first)))
        }
        return notes + [.broadcast(.committed(taskID: task.id, solver: solver, claim: claim, challengeDeadline: windowEnd))]
    }

    private mutating func challenge(_ kind: DisputeKind, claim: Claim, frame: [UInt8], from sender: PartyID,
                                    at t: UInt64) -> [GameAction] {
        meter.read(.game)
        guard verifiers.contains(sender) else { return reject(sender, .wrongSender(.challenge, allowed: nil)) }
        guard case var .verifying(v) = state else { return reject(sender, .outOfTurn(.challenge)) }
        // A challenge answers the commit.
        let (mined, block) = inclusion(arrival: t, answering: v.windowEnd - config.challengeWindowBlocks)
        guard block <= v.windowEnd else { return reject(sender, .late(.challenge, block: block, deadline: v.windowEnd)) }
        meter.read(.escrow(sender))
        guard !v.challengers.contains(sender) else { return reject(sender, .alreadyChallenged) }
        switch kind {
        case .trace:
            meter.read(.claimRoot)
            guard claim.root != v.claim.root else { return reject(sender, .challengeAgreesWithClaim(.trace)) }
        case .output:
            meter.read(.claimOutput)
            guard claim.outputHash != v.claim.outputHash else {
                return reject(sender, .challengeAgreesWithClaim(.output))
            }
        }
        meter.read(.balance(sender))
        guard (balances[sender] ?? 0) >= config.challengerDeposit else {
            return reject(sender, .insufficientBalance(needed: config.challengerDeposit, balance: balances[sender] ?? 0))
        }
        now = mined
        lock(sender, config.challengerDeposit)
        let id = UInt32(disputes.count + 1)
        meter.write(.game, from: true, to: true)
        meter.write(.disputeMeta(id), from: false, to: true)
        meter.write(.disputeSpan(id), from: false, to: true)
        disputes.append(DisputeReport(id: id, challenger: sender, kind: kind, rounds: 1, picks: 0, divergenceStep: nil,
                                      winner: nil, proofBytes: 0, gas: 0, startBlock: nil, endBlock: nil, reason: .pending))
        let entry = ledger.count
        openCharge(sender, .challenge, fixed: txFixed(frame), bytes: frame.count, dispute: id)
        v.challengers.append(sender)
        v.queue.append(PendingChallenge(id: id, challenger: sender, kind: kind))
        state = .verifying(v)
        // Sequential: it waits for the disputes before it. Concurrent modes: it starts now,
        // and the challenge sets the solver's first deadline.
        guard config.challenges != .sequential || v.playing.isEmpty else {
            return [.note(.challengeQueued(dispute: id, challenger: sender))]
        }
        let actions = startNextDispute(logged: false)
        if case let .verifying(after) = state, let started = after.playing.first(where: { $0.id == id }) {
            ledger[entry].deadline = started.turn.deadline
        }
        return actions
    }

    private mutating func postRoots(_ roots: [Digest], dispute: UInt32, frame: [UInt8], from sender: PartyID,
                                    at t: UInt64) -> [GameAction] {
        meter.read(.game)
        guard sender == solver else { return reject(sender, .wrongSender(.postRoots, allowed: solver)) }
        meter.read(.disputeMeta(dispute))
        guard case var .verifying(v) = state, let at = v.playing.firstIndex(where: { $0.id == dispute }) else {
            return reject(sender, .noActiveDispute(dispute))
        }
        meter.read(.disputeSpan(dispute))
        var a = v.playing[at]
        guard a.kind == .trace, case let .solver(points, deadline) = a.turn, !points.isEmpty else {
            return reject(sender, .outOfTurn(.postRoots))
        }
        let (mined, block) = inclusion(arrival: t, answering: a.turnStart)
        guard block <= deadline else { return reject(sender, .late(.postRoots, block: block, deadline: deadline)) }
        guard roots.count == points.count else {
            return reject(sender, .wrongRootCount(expected: points.count, got: roots.count))
        }
        now = mined
        meter.postRoots(dispute: a.id, roots: roots.count, firstRound: disputes[Int(a.id) - 1].picks == 0,
                        ends: a.rootLo.bytes + a.rootHi.bytes, slotsUsed: a.rootSlots,
                        chessClock: config.challenges == .chessClock, storage: config.storage)
        a.rootSlots = max(a.rootSlots, roots.count)
        a.solverClock -= min(a.solverClock, block - a.turnStart)
        a.turnStart = block
        let newDeadline = turnDeadline(challengerMoves: true, in: a, from: block)
        openCharge(sender, .postRoots, fixed: txFixed(frame), bytes: frame.count, dispute: a.id, lo: a.lo, hi: a.hi,
                   deadline: newDeadline)
        a.turn = .challenger(points: points, roots: roots, deadline: newDeadline)
        v.playing[at] = a
        state = .verifying(v)
        return [.send(to: a.challenger, .challengerTurn(taskID: task.id, dispute: a.id, lo: a.lo, hi: a.hi,
                                                         points: points, roots: roots, deadline: newDeadline))]
    }

    private mutating func pick(_ index: Int, dispute: UInt32, frame: [UInt8], from sender: PartyID,
                               at t: UInt64) -> [GameAction] {
        meter.read(.game)
        meter.read(.disputeMeta(dispute))
        guard case var .verifying(v) = state, let at = v.playing.firstIndex(where: { $0.id == dispute }) else {
            return reject(sender, .noActiveDispute(dispute))
        }
        var a = v.playing[at]
        guard sender == a.challenger else { return reject(sender, .wrongSender(.pick, allowed: a.challenger)) }
        guard case let .challenger(points, roots, deadline) = a.turn else { return reject(sender, .outOfTurn(.pick)) }
        let (mined, block) = inclusion(arrival: t, answering: a.turnStart)
        guard block <= deadline else { return reject(sender, .late(.pick, block: block, deadline: deadline)) }
        meter.read(.disputeSpan(dispute))
        guard index >= 0, index <= points.count else {
            return reject(sender, .pickOutOfRange(index: index, max: points.count))
        }
        now = mined
        let ends = [a.lo] + points + [a.hi]
        let endRoots = [a.rootLo] + roots + [a.rootHi]
        meter.pick(dispute: a.id, index: index, roots: roots.count, allRoots: endRoots.flatMap(\.bytes),
                   loStored: a.loStored, hiStored: a.hiStored, storage: config.storage)
        if index > 0 { a.loStored = true }
        if index < roots.count { a.hiStored = true }
        a.lo = ends[index]; a.hi = ends[index + 1]
        a.rootLo = endRoots[index]; a.rootHi = endRoots[index + 1]
        let next = Bisection.points(lo: a.lo, hi: a.hi, arity: arity)
        a.challengerClock -= min(a.challengerClock, block - a.turnStart)
        a.turnStart = block
        let newDeadline = turnDeadline(challengerMoves: false, in: a, from: block)
        a.turn = .solver(points: next, deadline: newDeadline)
        v.playing[at] = a
        state = .verifying(v)
        disputes[Int(a.id) - 1].picks += 1
        disputes[Int(a.id) - 1].rounds += 1
        openCharge(sender, .pick, fixed: txFixed(frame), bytes: frame.count, dispute: a.id, lo: a.lo, hi: a.hi,
                   deadline: newDeadline)
        return [.send(to: solver, .solverTurn(taskID: task.id, dispute: a.id, challenger: a.challenger, kind: a.kind,
                                               lo: a.lo, hi: a.hi, points: next, deadline: newDeadline))]
    }

    /// The step proof (trace) or output opening (output): the judge rules on the spot.
    private mutating func closing(_ kind: DisputeKind, payload: [UInt8], dispute: UInt32, frame: [UInt8],
                                  from sender: PartyID, at t: UInt64) -> [GameAction] {
        let name: GameMessage.Kind = kind == .trace ? .stepProof : .outputOpening
        meter.read(.game)
        guard sender == solver else { return reject(sender, .wrongSender(name, allowed: solver)) }
        meter.read(.disputeMeta(dispute))
        guard case let .verifying(v) = state, let a = v.playing.first(where: { $0.id == dispute }) else {
            return reject(sender, .noActiveDispute(dispute))
        }
        guard a.kind == kind, case let .solver(points, deadline) = a.turn, points.isEmpty else {
            return reject(sender, .outOfTurn(name))
        }
        let (mined, block) = inclusion(arrival: t, answering: a.turnStart)
        guard block <= deadline else { return reject(sender, .late(name, block: block, deadline: deadline)) }
        if kind == .trace { meter.read(.disputeSpan(dispute)) }
        guard kind == .output || a.hi - a.lo == 1 else { return reject(sender, .outOfTurn(name)) }
        let solverWins: Bool
        let reason: Resolution
        if kind == .trace {
            meter.stepProofEnds(dispute: a.id, picked: disputes[Int(a.id) - 1].picks > 0, loStored: a.loStored,
                                hiStored: a.hiStored, ends: a.rootLo.bytes + a.rootHi.bytes, storage: config.storage)
            switch checker.checkStep(payload) {
            case let .invalid(why):
                meter.compute(gas.stepVerification(proofBytes: payload.count, workUnits: 0))
                solverWins = false; reason = .stepProofInvalid(step: a.lo, detail: why)
            case let .valid(pre, post, _, _, units):
                meter.compute(gas.stepVerification(proofBytes: payload.count, workUnits: units))
                if pre != a.rootLo {
                    solverWins = false; reason = .stepProofWrongStart(step: a.lo, proven: pre, agreed: a.rootLo)
                } else if post != a.rootHi {
                    solverWins = false; reason = .stepProofWrongEnd(step: a.lo, proven: post, claimed: a.rootHi)
                } else {
                    solverWins = true; reason = .stepProofVerified(step: a.lo)
                }
            }
        } else {
            meter.read(.claimRoot); meter.read(.claimOutput)
            meter.compute(gas.outputOpeningCheck(bytes: payload.count, hashes: OutputOpening.hashesChecked))
            switch checker.checkOutput(payload, root: v.claim.root) {
            case let .failure(e):
                solverWins = false; reason = .outputOpeningInvalid(detail: e.detail)
            case let .success(h):
                solverWins = h == v.claim.outputHash
                reason = solverWins ? .outputOpeningMatches : .outputMismatch(opened: h, claimed: v.claim.outputHash)
            }
        }
        now = mined
        disputes[Int(a.id) - 1].rounds += 1
        disputes[Int(a.id) - 1].proofBytes = payload.count
        openCharge(sender, kind == .trace ? .stepProof : .outputOpening, fixed: txFixed(frame), bytes: frame.count,
                   dispute: a.id, lo: kind == .trace ? a.lo : nil, hi: kind == .trace ? a.hi : nil)
        return resolve(a.id, winner: solverWins ? solver : a.challenger, reason: reason)
    }

    // MARK: internals

    private mutating func reject(_ sender: PartyID, _ reason: Rejection) -> [GameAction] {
        rejectedFrames += 1
        return [.rejected(from: sender, reason)]
    }

    /// Whether `p` is a party of this game.
    private func isParty(_ p: PartyID) -> Bool { p == solver || verifiers.contains(p) }

    /// Whether the game takes moves: the task is posted and not yet settled. Refused
    /// moves are charged only then (docs/GAME.md, "Gas").
    private var isOpen: Bool {
        switch state {
        case .awaitingCommit, .verifying: return true
        case .idle, .settled: return false
        }
    }

    // MARK: gas

    /// `g` gas at the configured price (saturating: a fee that large is never payable).
    private func fee(_ g: UInt64) -> UInt64 {
        let (f, o) = g.multipliedReportingOverflow(by: config.gasPriceWei)
        return o ? .max : f
    }

    /// With a gas price, takes the fee for `g` gas from `p`'s balance: all of it, or with
    /// `partial` as much as `p` holds. What it cannot pay is `gasShort`. Without `partial`,
    /// takes nothing and returns false when `p` cannot pay all of it. Paying writes no
    /// contract slot (gas is paid by the protocol), so it costs no gas itself.
    private mutating func payGas(_ p: PartyID, _ g: UInt64, partial: Bool) -> Bool {
        guard config.gasPriceWei > 0 else { return true }
        let owed = fee(g), held = balances[p] ?? 0
        let paid = held >= owed || partial ? min(held, owed) : 0
        if paid < owed { addShort(p, owed - paid) }
        guard paid == owed || partial else { return false }
        balances[p] = held - paid
        gasPaid[p, default: 0] += paid
        return true
    }

    /// Undoes the transaction being handled, whole (it is not mined): the state is
    /// `before`'s again but for what lives outside the game state proper — the refused
    /// frames counted and the gas fees parties could not pay.
    private mutating func undo(to before: JudgeStateMachine) {
        let refused = rejectedFrames, short = gasShort
        self = before
        rejectedFrames = refused
        gasShort = short
    }

    /// Adds `amount` to `p`'s unpaid gas fees (saturating: refused moves are unbounded in number).
    private mutating func addShort(_ p: PartyID, _ amount: UInt64) {
        let (sum, overflow) = gasShort[p, default: 0].addingReportingOverflow(amount)
        gasShort[p] = overflow ? .max : sum
    }

    /// Intrinsic gas of a transaction carrying `frame`: base + calldata.
    private func txFixed(_ frame: [UInt8]) -> UInt64 { gas.txBase + gas.calldata(frame) }

    /// Starts metering a new transaction.
    private mutating func beginTransaction() {
        meter = StorageMeter(gas: gas)
        pending = nil
    }

    /// Records the transaction's ledger entry; `closeCharge` fills in its gas once
    /// everything the transaction sets off (a resolution, the settlement) is metered.
    private mutating func openCharge(_ party: PartyID, _ kind: LedgerEntryKind, fixed: UInt64, bytes: Int, dispute: UInt32?,
                                     lo: UInt64? = nil, hi: UInt64? = nil, deadline: UInt64? = nil) {
        record(party: party, kind: kind, gas: 0, bytes: bytes, dispute: dispute, lo: lo, hi: hi, deadline: deadline)
        pending = (ledger.count - 1, fixed, dispute)
    }

    /// Charges the open transaction: intrinsic gas + everything metered, less the capped
    /// refund (EIP-3529). The per-party totals come from the ledger, where every charged
    /// entry names its payer; a dispute's move is also booked against the dispute.
    @discardableResult
    private mutating func closeCharge() -> UInt64? {
        guard let p = pending else { return nil }
        pending = nil
        let g = gas.charged(used: p.fixed + meter.used, refund: meter.refund)
        ledger[p.entry].gas = g
        if let d = p.dispute { disputes[Int(d) - 1].gas += g }
        return g
    }

    /// A refused move that was mined: its sender pays the intrinsic gas and what the
    /// contract did before it reverted (the reads metered so far, a halt proof checked).
    /// Nothing else changes; the entry is on the timeline, not in any dispute.
    private mutating func chargeRevert(_ sender: PartyID, frame: [UInt8], at t: UInt64) {
        let g = gas.charged(used: txFixed(frame) + meter.used, refund: 0)
        // A sender that cannot pay for the revert has it not mined at all.
        guard payGas(sender, g, partial: false) else { return }
        ledger.append(TimelineEntry(block: block(at: t), timeMs: t, party: sender, kind: .reverted, gas: g, bytes: frame.count,
                                    dispute: nil, lo: nil, hi: nil, deadline: nil))
    }

    /// Whether `p`'s escrow slot holds non-zero: a locked deposit, or a verifier's
    /// "has challenged" flag.
    private func escrowSlotSet(_ p: PartyID) -> Bool {
        (escrow[p] ?? 0) > 0 || (p != solver && disputes.contains { $0.challenger == p })
    }

    private mutating func record(party: PartyID, kind: LedgerEntryKind, gas g: UInt64, bytes: Int,
                                 dispute: UInt32? = nil, lo: UInt64? = nil, hi: UInt64? = nil, deadline: UInt64? = nil) {
        ledger.append(TimelineEntry(block: currentBlock, timeMs: now, party: party, kind: kind, gas: g, bytes: bytes,
                                    dispute: dispute, lo: lo, hi: hi, deadline: deadline))
    }

    /// When a transaction that reached the chain at `t` and answers a state the chain
    /// produced in block `opened` is mined: in its arrival block, but never before block
    /// `opened + 1` — as on a real chain, a transaction can answer a state only once that
    /// state is in a block, so every response costs at least one block. The chain's clock
    /// moves to the start of that block when the arrival was earlier: block numbers then
    /// follow the rule, not how fast the parties happened to answer (docs/GAME.md, "Clock").
    private func inclusion(arrival t: UInt64, answering opened: UInt64) -> (time: UInt64, block: UInt64) {
        let time = max(t, (opened + 1) * config.blockIntervalMs)
        return (time, block(at: time))
    }

    private mutating func lock(_ p: PartyID, _ amount: UInt64) {
        let b = balances[p] ?? 0
        meter.write(.balance(p), from: b > 0, to: b - amount > 0)
        meter.write(.escrow(p), from: escrowSlotSet(p), to: amount > 0 || p != solver)
        balances[p, default: 0] -= amount
        escrow[p, default: 0] += amount
    }

    /// Returns `p`'s whole escrow to its balance.
    private mutating func refund(_ p: PartyID) {
        guard let amount = escrow[p], amount > 0 else { return }
        meter.write(.escrow(p), from: true, to: p != solver)
        meter.write(.balance(p), from: (balances[p] ?? 0) > 0, to: true)
        balances[p, default: 0] += amount
        escrow[p] = 0
    }

    /// Takes `amount` from `loser`'s escrow: the winner's share is paid, the rest burned.
    private mutating func slash(_ loser: PartyID, _ amount: UInt64, to winner: PartyID) {
        let taken = min(amount, escrow[loser] ?? 0)
        let share = UInt64(10_000).dividingFullWidth(taken.multipliedFullWidth(by: config.winnerShareBps)).quotient
        if taken > 0 { meter.write(.escrow(loser), from: true, to: (escrow[loser] ?? 0) - taken > 0 || loser != solver) }
        if share > 0 { meter.write(.balance(winner), from: (balances[winner] ?? 0) > 0, to: true) }
        escrow[loser, default: 0] -= taken
        balances[winner, default: 0] += share
        burned += taken - share
    }

    /// The block by which the side to move must move: `move_timeout_blocks` from now, or
    /// in chess-clock mode whatever is left on that side's clock.
    private func turnDeadline(challengerMoves: Bool, in a: ActiveDispute, from block: UInt64) -> UInt64 {
        guard config.challenges == .chessClock else { return block + config.moveTimeoutBlocks }
        return block + (challengerMoves ? a.challengerClock : a.solverClock)
    }

    /// Starts the next queued challenge: in sequential mode only when nothing is being
    /// played, in the concurrent modes at once.
    /// `logged`: a `dispute_started` entry says so on the timeline with the solver's first
    /// deadline (a challenge that starts its dispute at once carries that deadline itself).
    private mutating func startNextDispute(logged: Bool = true) -> [GameAction] {
        guard case var .verifying(v) = state, config.challenges != .sequential || v.playing.isEmpty, !v.queue.isEmpty else {
            return []
        }
        let c = v.queue.removeFirst()
        // No gas: a queued dispute's first deadline follows from the block its predecessor
        // ended in, which that resolution records anyway (a contract derives it when the
        // solver moves). Charging a write here would make a game's gas depend on whether a
        // challenge arrived before or after the dispute ahead of it ended.
        disputes[Int(c.id) - 1].startBlock = currentBlock
        let lo: UInt64 = 0, hi = Bisection.paddedLength(v.claim.steps, arity: arity)
        let points = c.kind == .trace ? Bisection.points(lo: lo, hi: hi, arity: arity) : []
        var a = ActiveDispute(id: c.id, challenger: c.challenger, kind: c.kind, lo: lo, hi: hi,
                              rootLo: task.initialRoot, rootHi: v.claim.root,
                              turn: .solver(points: points, deadline: 0),
                              solverClock: config.clockBlocks, challengerClock: config.clockBlocks, turnStart: currentBlock)
        let deadline = turnDeadline(challengerMoves: false, in: a, from: currentBlock)
        a.turn = .solver(points: points, deadline: deadline)
        v.playing.append(a)
        state = .verifying(v)
        if logged {
            record(party: .judge, kind: .disputeStarted, gas: 0, bytes: 0, dispute: c.id,
                   lo: c.kind == .trace ? lo : nil, hi: c.kind == .trace ? hi : nil, deadline: deadline)
        }
        if c.kind == .trace && hi == 0 {
            // Step 0 is agreed by construction and the commit checked root == initial root.
            return resolve(c.id, winner: solver, reason: .zeroStepClaim)
        }
        return [.send(to: solver, .solverTurn(taskID: task.id, dispute: c.id, challenger: c.challenger, kind: c.kind,
                                               lo: lo, hi: hi, points: points, deadline: deadline))]
    }

    private mutating func resolve(_ id: UInt32, winner: PartyID, reason: Resolution) -> [GameAction] {
        guard case var .verifying(v) = state, let at = v.playing.firstIndex(where: { $0.id == id }) else { return [] }
        let a = v.playing[at]
        let i = Int(a.id) - 1
        disputes[i].winner = winner
        disputes[i].endBlock = currentBlock
        disputes[i].reason = reason
        meter.write(.disputeMeta(a.id), from: true, to: true)
        if a.kind == .trace && a.hi - a.lo == 1 { disputes[i].divergenceStep = a.lo }
        var actions: [GameAction] = []
        let note = GameMessage.disputeResolved(taskID: task.id, dispute: a.id, challenger: a.challenger,
                                               winner: winner, reason: reason)
        actions.append(.send(to: solver, note))
        actions.append(.send(to: a.challenger, note))
        record(party: .judge, kind: .disputeResolved, gas: 0, bytes: 0, dispute: a.id, lo: a.lo, hi: a.hi)
        v.playing.remove(at: at)
        state = .verifying(v)
        if winner == solver {
            slash(a.challenger, config.challengerDeposit, to: solver)
            refund(a.challenger)
            if !v.queue.isEmpty { return actions + startNextDispute() }
            if v.playing.isEmpty && currentBlock > v.windowEnd {
                return actions + settle(GameOutcome(accepted: true, winner: solver, reason: .solverWonEveryDispute))
            }
            return actions
        } else {
            slash(solver, config.solverDeposit, to: a.challenger)
            refund(a.challenger)
            return actions + settle(GameOutcome(accepted: false, winner: a.challenger,
                                                reason: .solverLostDispute(dispute: a.id, cause: reason)))
        }
    }

    private mutating func settle(_ outcome: GameOutcome) -> [GameAction] {
        // Everyone still holding a deposit (the solver if it never lost, queued challengers
        // that never got to play) gets it back.
        meter.write(.game, from: true, to: true)
        for p in ([solver] + verifiers) where (escrow[p] ?? 0) > 0 { refund(p) }
        if case let .verifying(v) = state {
            // Challenges still waiting, and (concurrent modes) disputes still in play, end
            // unplayed or unfinished: their challengers get their deposits back.
            for id in v.queue.map(\.id) + v.playing.map(\.id) {
                disputes[Int(id) - 1].reason = .settledFirst
                disputes[Int(id) - 1].endBlock = currentBlock
            }
        }
        state = .settled(outcome)
        record(party: .judge, kind: .settled, gas: 0, bytes: 0)
        return [.broadcast(.settled(taskID: task.id, accepted: outcome.accepted, winner: outcome.winner,
                                    reason: outcome.reason)),
                .settled(outcome)]
    }
}
