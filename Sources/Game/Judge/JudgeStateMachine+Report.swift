extension JudgeStateMachine {
    /// The sum of every balance, escrow, the burned amount and the gas paid from
    /// balances: constant over a game.
    public var totalValue: UInt64 {
        balances.values.reduce(0, +) + escrow.values.reduce(0, +) + burned + gasPaid.values.reduce(0, +)
    }

    /// The game's report as the chain saw it; `messages` and `bytes` are the driver's
    /// counts of delivered frames (the judge sees only its own side).
    public func report(messages: Int, bytes: Int) -> GameReport {
        var perParty: [PartyID: (n: Int, gas: UInt64)] = [:]
        for e in ledger where e.party != .judge && e.gas > 0 {
            perParty[e.party, default: (0, 0)].n += 1
            // Saturating: refused moves are charged too, and nothing bounds how many a
            // party sends, so the worst-case bound of a scenario does not cover the sums.
            perParty[e.party, default: (0, 0)].gas = saturating(perParty[e.party, default: (0, 0)].gas, e.gas)
        }
        let byParty = perParty.keys.sorted().map { p -> PartyGas in
            let x = perParty[p]!
            return PartyGas(party: p, transactions: x.n, gas: x.gas, eth: gas.eth(x.gas), usd: gas.usd(x.gas))
        }
        var moves: [MoveGas] = []
        for e in ledger where e.party != .judge && e.gas > 0 {
            if let i = moves.firstIndex(where: { $0.kind == e.kind }) {
                moves[i].count += 1; moves[i].gas = saturating(moves[i].gas, e.gas)
            } else {
                moves.append(MoveGas(kind: e.kind, count: 1, gas: e.gas, eth: 0, usd: 0))
            }
        }
        for i in moves.indices { moves[i].eth = gas.eth(moves[i].gas); moves[i].usd = gas.usd(moves[i].gas) }
        let total = byParty.reduce(0) { saturating($0, $1.gas) }
        let outcome: GameOutcome
        switch state {
        case let .settled(o): outcome = o
        case .idle, .awaitingCommit, .verifying: outcome = GameOutcome(accepted: false, winner: nil, reason: .notSettled)
        }
        let balanceEntries = ([solver] + verifiers).sorted().map {
            BalanceEntry(party: $0, start: initialBalances[$0] ?? 0, end: balances[$0] ?? 0,
                         gasPaid: config.gasPriceWei > 0 ? gasPaid[$0] ?? 0 : nil, gasShort: gasShort[$0])
        }
        return GameReport(taskID: task.id, outcome: outcome, taskSteps: claim?.steps, claim: claim, task: task, arity: arity, arityChoice: arityChoice, disputes: disputes,
                          gas: GasReport(byParty: byParty, byMove: moves, gasPriceGwei: gas.gasPriceGwei,
                                         ethPriceUsd: gas.ethPriceUSD, totalGas: total, totalEth: gas.eth(total), totalUsd: gas.usd(total)),
                          balances: balanceEntries, burned: burned, messages: messages, bytes: bytes,
                          rejectedFrames: rejectedFrames, timeline: ledger,
                          finalBlock: currentBlock, finalTimeMs: now)
    }
}

/// a + b, or UInt64.max when that overflows.
private func saturating(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
}
