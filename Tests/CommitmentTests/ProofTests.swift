import Testing
import RISCV
@testable import Commitment

/// verify(prove(N)) over consecutive steps of real guests.
struct ProofTests {
    /// Proves `count` consecutive steps from step `start` and checks each against the
    /// incremental tree: pre = root(N), post = root(N+1), valid.
    static func checkWindow(_ guest: String, start: UInt64, count: Int) throws -> [StepProof] {
        guard let m = try Guests.machine(guest) else { return [] }
        m.run(steps: start)
        let tree = StateTree(m.storage)
        var checker = StepProofChecker()
        var proofs: [StepProof] = []
        var root = tree.root()
        for i in 0..<count {
            let p = StepProver.prove(m, tree: tree)
            let next = tree.root()
            #expect(p.pre == root, "step \(start + UInt64(i)) of \(guest): pre")
            #expect(p.post == next, "step \(start + UInt64(i)) of \(guest): post")
            do {
                let v = try checker.check(p.bytes, pre: root, post: next)
                #expect(v.preHalted == (root == next && m.halted))
            } catch {
                Issue.record("step \(start + UInt64(i)) of \(guest): \(error)")
            }
            root = next
            proofs.append(p)
        }
        return proofs
    }

    @Test(.enabled(if: Guests.available("hello"), "run `make guests` first"))
    func helloToTheHaltAndBeyond() throws {
        // 245 steps to the finisher; the steps after it are identities.
        let proofs = try Self.checkWindow("hello", start: 0, count: 260)
        let last = proofs.last!
        #expect(last.pre == last.post)
        let v = try #require(try? verifyStep(last.bytes).get())
        #expect(v.preHalted)
    }
}
