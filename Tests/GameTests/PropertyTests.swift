import Testing
import TestSupport
@testable import Game

/// Several hundred seeded random games: fault kind (including a wrong step count) × divergence step × k × how many
/// verifiers lie × challenge mode. Whatever the mix, the honest side wins: a correct claim
/// is accepted and its solver never loses money; a wrong claim watched by at least one
/// honest verifier is rejected; honest verifiers never lose money; deposits are
/// conserved. In the concurrent modes settlement comes within a bound that does not
/// depend on the number of challengers (docs/GAME.md, "Challenge modes").
@Suite struct PropertyTests {
    enum SolverKind: CaseIterable { case honest, wrongTrace, wrongOutput, lies, refuses, silent, wrongSteps }

    @Test func honestPartyAlwaysWins() throws {
        var rng = SplitMix64(seed: 0x7B_5EED)
        var tally: [String: Int] = [:]
        for caseNo in 0..<400 {
            let k = RoundsTests.arities[Int(rng.next() % 6)]
            let n = 1 + rng.next() % 3_000
            let kind = SolverKind.allCases[Int(rng.next() % UInt64(SolverKind.allCases.count))]
            let verifierCount = 1 + Int(rng.next() % 4)
            // With a wrong claim keep at least one honest verifier, or nobody could catch it.
            let wrongClaim = kind == .wrongTrace || kind == .wrongOutput
            let liars = Int(rng.next() % UInt64(wrongClaim ? verifierCount : verifierCount + 1))
            var s = ToyGame()
            s.world = FakeWorld(seed: 1_000 + UInt64(caseNo), haltStep: n)
            s.config.arity = k
            s.config.winnerShareBps = rng.next() % 10_001
            let mode = ChallengeMode.allCases[Int(rng.next() % UInt64(ChallengeMode.allCases.count))]
            s.config.challenges = mode
            let d = rng.next() % n
            switch kind {
            case .honest: break
            case .wrongTrace:
                // Sometimes the corrupted run also halts at a different step.
                let halt = rng.next() % 2 == 0 ? n : d + 1 + rng.next() % (2 * n)
                s.solverOracle = FakeOracle(world: s.world, corruptAt: d, faultyHalt: halt)
            case .wrongOutput: s.solverFaults = [.wrongOutput]
            case .lies: s.solverFaults = [.lieInBisection(fromRound: 1 + Int(rng.next() % 4))]
            case .refuses: s.solverFaults = [.refuseFinalProof]
            case .silent: s.solverFaults = [.silent(fromMove: 1 + Int(rng.next() % 4))]
            case .wrongSteps:
                let by = Int64(1 + rng.next() % (2 * n))
                s.solverFaults = [.wrongStepCount(by: rng.next() % 2 == 0 ? by : -by)]
            }
            var honestVerifiers: [PartyID] = []
            var slots = Array(repeating: false, count: verifierCount)       // true = liar
            var placed = 0
            while placed < liars {
                let i = Int(rng.next() % UInt64(verifierCount))
                if !slots[i] { slots[i] = true; placed += 1 }
            }
            for (i, liar) in slots.enumerated() {
                if !liar { honestVerifiers.append(verifierID(i)); s.verifiers.append((nil, [])); continue }
                let faults: [VerifierFault]
                switch rng.next() % 4 {
                case 0: faults = [.challengeCorrectResult(kind: .trace)]
                case 1: faults = [.challengeCorrectResult(kind: .output)]
                case 2: faults = [.challengeCorrectResult(kind: .trace), .lieInBisection(fromRound: 1 + Int(rng.next() % 3))]
                default: faults = [.lieInBisection(fromRound: 1), .silent(fromMove: 2 + Int(rng.next() % 3))]
                }
                s.verifiers.append((nil, faults))
            }
            let (g, r) = s.run()
            let label = "case \(caseNo): \(kind) n \(n) d \(d) k \(k) liars \(slots) \(mode)"
            tally["\(kind)", default: 0] += 1
            tally[mode.rawValue, default: 0] += 1
            // The delay bound of the concurrent modes: every dispute starts by the end of
            // the window and lasts at most 2P + 1 moves of one timeout each (P picks), or
            // two chess clocks.
            if mode != .sequential, let commit = r.timeline.first(where: { $0.kind == .commit }),
               let settled = r.timeline.last(where: { $0.kind == .settled }) {
                let windowEnd = commit.block + s.config.challengeWindowBlocks
                let picks = UInt64(Bisection.ceilLog(r.taskSteps ?? 0, base: k))
                let perMove: UInt64 = (2 * picks + 1) * s.config.moveTimeoutBlocks + 1
                let chess: UInt64 = 2 * s.config.clockBlocks + 1
                let bound: UInt64 = windowEnd + (mode == .chessClock ? chess : perMove)
                #expect(settled.block <= bound, "\(label): settled at \(settled.block), bound \(bound)")
            }

            // Deposits are conserved and nothing stays locked.
            expectConservation(g, r)
            // Honest verifiers never lose money.
            for v in honestVerifiers { #expect(balance(r, v).end >= balance(r, v).start, "\(label)") }
            switch kind {
            case .honest:
                #expect(r.outcome.accepted && r.outcome.winner == solverID, "\(label)")
                #expect(r.disputes.allSatisfy { $0.winner == solverID }, "\(label)")
                #expect(balance(r, solverID).end >= balance(r, solverID).start, "\(label)")
            case .wrongTrace, .wrongOutput:
                #expect(!r.outcome.accepted && r.outcome.winner != nil && r.outcome.winner != solverID, "\(label)")
                // The dispute the solver lost pins the injected step when it was a trace dispute
                // played to the last step.
                if kind == .wrongTrace, let lost = r.disputes.first(where: { $0.winner != solverID && $0.winner != nil }),
                   lost.kind == .trace, let found = lost.divergenceStep {
                    #expect(found == d, "\(label)")
                }
            case .wrongSteps:
                // The right result with the wrong step count is refused at the commit.
                #expect(!r.outcome.accepted && r.outcome.winner == nil && r.disputes.isEmpty, "\(label)")
                #expect(r.timeline.allSatisfy { $0.kind != .commit }, "\(label)")
            case .silent:
                if case .silent(1)? = s.solverFaults.first {
                    #expect(!r.outcome.accepted && r.outcome.winner == nil, "\(label)")
                }
            case .lies, .refuses:
                // The claim is right; only a liar's challenge can expose the solver's misconduct,
                // and without one the claim is accepted.
                if r.disputes.isEmpty { #expect(r.outcome.accepted, "\(label)") }
            }
            // Every finished trace dispute took no more picks than ⌈log_k n⌉.
            for dsp in r.disputes where dsp.kind == .trace {
                #expect(dsp.picks <= Bisection.ceilLog(r.taskSteps ?? 0, base: k), "\(label)")
            }
        }
        #expect(tally.count == SolverKind.allCases.count + ChallengeMode.allCases.count)
    }
}
