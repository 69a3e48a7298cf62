/// The network's money, in wei, across tasks: every account's balance, what the task
/// giver holds in escrow for the tasks being played, the bonds locked in open games
/// (`GameBond`), the jackpot, and the three sinks —
/// value burned by slashing, gas paid and compute paid. Their sum never changes
/// (`isConserved`); every move goes through a method here, so no amount is created or
/// lost by accident. Amounts are UInt64: the loader caps the network's total at 2^63.
public struct NetworkLedger: Equatable, Sendable {
    /// Free balances by account name (the task giver is `NetworkLedger.taskGiver`).
    public private(set) var balances: [String: UInt64]
    /// The task giver's reward and tax for the tasks in play.
    public private(set) var escrow: UInt64 = 0
    /// Bonds the participants of open games locked (each game's starting balances).
    public private(set) var locked: UInt64 = 0
    /// Funded by the tax, paid to verifiers who catch a forced error.
    public private(set) var jackpot: UInt64
    /// Slashed deposits not paid to a winner.
    public private(set) var burned: UInt64 = 0
    /// Gas × gas price, paid by senders.
    public private(set) var gasPaid: UInt64 = 0
    /// Instructions × price per instruction, paid by whoever executed them.
    public private(set) var computePaid: UInt64 = 0
    /// The sum at the start.
    public let total: UInt64

    /// The task giver's account name.
    public static let taskGiver = "task-giver"

    /// A ledger with these balances and jackpot. Traps when their sum overflows (the loader
    /// refuses such scenarios).
    public init(balances: [String: UInt64], jackpot: UInt64) {
        self.balances = balances
        self.jackpot = jackpot
        total = balances.values.reduce(jackpot, +)
    }

    private func checkedSum(_ xs: [UInt64]) -> UInt64? {
        var s: UInt64 = 0
        for x in xs {
            let (r, o) = s.addingReportingOverflow(x)
            if o { return nil }
            s = r
        }
        return s
    }

    /// `name`'s free balance (0 for an unknown name).
    public func balance(_ name: String) -> UInt64 { balances[name] ?? 0 }

    /// The sum of every account and sink, in wei; nil when it overflows (a bug that
    /// inflates money shows as a mismatch, not a trap).
    public var sum: UInt64? { checkedSum(Array(balances.values) + [escrow, locked, jackpot, burned, gasPaid, computePaid]) }

    /// Whether the money sums to what it started with, to the wei.
    public var isConserved: Bool { sum == total }

    /// The task giver puts `amount` into escrow and pays `gasFee` for the posting
    /// transaction; false (nothing moves) when it cannot pay both.
    public mutating func escrowFromTaskGiver(_ amount: UInt64, gasFee: UInt64 = 0) -> Bool {
        let (due, over) = amount.addingReportingOverflow(gasFee)
        guard !over, balance(Self.taskGiver) >= due else { return false }
        balances[Self.taskGiver, default: 0] -= due
        escrow += amount
        gasPaid += gasFee
        return true
    }

    /// Gives the task giver back an escrowed `amount` and the gas fee of a posting that
    /// was not carried out (no solver could take the task: the posting reverts, as a
    /// contract's would before any state changed, and costs nothing).
    public mutating func refundPosting(_ amount: UInt64, gasFee: UInt64) {
        precondition(amount <= escrow && gasFee <= gasPaid, "refunding \(amount) + \(gasFee) wei of a posting")
        escrow -= amount
        gasPaid -= gasFee
        balances[Self.taskGiver, default: 0] += amount + gasFee
    }

    /// Pays `amount` out of escrow to `name`.
    public mutating func payFromEscrow(_ amount: UInt64, to name: String) {
        precondition(amount <= escrow, "paying \(amount) wei from an escrow of \(escrow)")
        escrow -= amount
        balances[name, default: 0] += amount
    }

    /// Moves `amount` from escrow into the jackpot.
    public mutating func escrowToJackpot(_ amount: UInt64) {
        precondition(amount <= escrow, "moving \(amount) wei from an escrow of \(escrow)")
        escrow -= amount
        jackpot += amount
    }

    /// Pays `amount` out of the jackpot to `name`.
    public mutating func payFromJackpot(_ amount: UInt64, to name: String) {
        precondition(amount <= jackpot, "paying \(amount) wei from a jackpot of \(jackpot)")
        jackpot -= amount
        balances[name, default: 0] += amount
    }

    /// Locks each participant's bond for a game it enters (`bonds`: name → wei); false
    /// (nothing moves) when one of them cannot pay its bond.
    public mutating func lockBonds(_ bonds: [String: UInt64]) -> Bool {
        guard bonds.allSatisfy({ balance($0.key) >= $0.value }), let sum = checkedSum(Array(bonds.values)) else { return false }
        for (name, b) in bonds { balances[name]! -= b }
        locked += sum
        return true
    }

    /// Takes a settled game: its participants entered with their bonds (`start`) and the
    /// judge left them `end`; what it burned and what each paid for gas. The game itself
    /// conserves money, so Σ start = Σ end + burned + Σ gas paid; throws otherwise. What is
    /// left of each bond returns to its party's free balance.
    public mutating func settleGame(start: [String: UInt64], end: [String: UInt64], burned gameBurned: UInt64,
                                    gasPaid gamePaid: [String: UInt64] = [:]) throws {
        let before = checkedSum(Array(start.values))
        let after = checkedSum(Array(end.values) + [gameBurned] + Array(gamePaid.values))
        guard let before, before == after, Set(start.keys) == Set(end.keys) else {
            throw NetworkError("a game did not conserve money: \(before.map(String.init) ?? "overflow") wei at the start, \(after.map(String.init) ?? "overflow") at the end with the burned")
        }
        guard before <= locked else { throw NetworkError("a game settled \(before) wei of bonds, but only \(locked) are locked") }
        locked -= before
        for (name, e) in end { balances[name, default: 0] += e }
        burned += gameBurned
        gasPaid += gamePaid.values.reduce(0, +)
    }

    /// Charges `name` up to `amount` for compute; returns what it paid.
    public mutating func chargeCompute(_ name: String, _ amount: UInt64) -> UInt64 {
        let paid = min(amount, balance(name))
        balances[name, default: 0] -= paid
        computePaid += paid
        return paid
    }
}

/// A failure of the network simulation itself (a broken invariant, a game that failed).
public struct NetworkError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
