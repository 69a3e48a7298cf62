import Testing
import RISCV
@testable import Commitment

/// The verifier reports every node hash it computes, which the game charges as KECCAK256
/// calls (docs/GAME.md, "Gas"): the pre-root walk combines the L opened leaves and S
/// siblings into one root, so it takes exactly L + S − 1 hashes; the post-root walk
/// re-hashes the path of every leaf the step changed (at least the pc's core leaf: 7
/// core levels + 2 top levels), and nothing for a halted machine's identity step.
struct NodeHashCountTests {
    @Test(.enabled(if: Guests.available("hello"), "run `make guests` first"))
    func everyNodeHashOfBothWalksIsCounted() throws {
        let proofs = try ProofTests.checkWindow("hello", start: 0, count: 260)
        var halted = 0
        for p in proofs {
            let leaves = Int(p.bytes[72]) | Int(p.bytes[73]) << 8
            let siblings = Int(p.bytes[74]) | Int(p.bytes[75]) << 8
            let v = try verifyStep(p.bytes).get()
            let preWalk = leaves + siblings - 1
            if v.preHalted {
                halted += 1
                #expect(v.nodeHashes == preWalk, "a halted step re-hashes nothing")
            } else {
                #expect(v.nodeHashes >= preWalk + StateLayout.depth(StateLayout.core) + StateLayout.topLevels)
                // The old count (proof bytes ÷ 32) was about half of it.
                #expect(v.nodeHashes > p.bytes.count / 32)
            }
            #expect(v.nodeHashes <= StepProofBounds.maxNodeHashes)
        }
        #expect(halted > 0 && halted < proofs.count)
    }
}
