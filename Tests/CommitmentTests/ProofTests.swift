import Testing
import RISCV
@testable import Commitment

/// verify(prove(N)) over consecutive steps of real guests.
struct ProofTests {
    /// Proves `count` consecutive steps from step `start` and checks each against the
    /// incremental tree: pre = root(N), post = root(N+1), and the proof verifies.
    @discardableResult
    static func checkWindow(_ guest: String, start: UInt64, count: Int) throws -> [StepProof] {
        let m = try #require(try Guests.machine(guest), "missing build/guests/\(guest).elf: run `make guests`")
        m.run(steps: start)
        let tree = StateTree(m.storage)
        var checker = StepProofChecker()
        var proofs: [StepProof] = []
        var root = tree.root()
        for i in 0..<count {
            let wasHalted = m.halted
            let p = StepProver.prove(m, tree: tree)
            let next = tree.root()
            #expect(p.pre == root, "step \(start + UInt64(i)) of \(guest): pre")
            // Within the bound the game's limits are checked against.
            let leaves = Int(p.bytes[72]) | Int(p.bytes[73]) << 8
            #expect(leaves <= StepProofBounds.maxLeaves && p.bytes.count <= StepProofBounds.maxBytes,
                    "step \(start + UInt64(i)) of \(guest): \(leaves) leaves, \(p.bytes.count) bytes")
            #expect(p.post == next, "step \(start + UInt64(i)) of \(guest): post")
            do {
                let v = try checker.check(p.bytes, pre: root, post: next)
                #expect(v.preHalted == wasHalted)
                if wasHalted { #expect(v.pre == v.post, "a halted machine's step is the identity") }
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
        let last = try #require(proofs.last)
        #expect(last.pre == last.post)
        let v = try verifyStep(last.bytes).get()
        #expect(v.preHalted)
        // Every halted step's proof opens the step counter, which stopped at the halt:
        // the proofs of all later steps are one and the same, and they name the halt step.
        let halt = try #require(proofs.firstIndex { $0.pre == $0.post })
        #expect(halt > 200)
        for p in proofs[halt...] {
            #expect(p.bytes == last.bytes)
            #expect(try verifyStep(p.bytes).get().preStepCount == UInt64(halt))
        }
        // A running step opens it too (each step adds one).
        for s in [0, 1, halt - 1] {
            let r = try verifyStep(proofs[s].bytes).get()
            #expect(!r.preHalted && r.preStepCount == UInt64(s))
        }
    }

    /// Windows chosen from a scan of each guest (step numbers of this build): the
    /// traps guest's ecall, illegal instruction, breakpoint, software and timer
    /// interrupts and its halt; the vm guest's Sv39 walks and page fault; AMOs; counter
    /// CSRs; the input tape (sha256 reads stdin) and output; FP instructions.
    @Test(.enabled(if: Guests.available("traps"), "run `make guests` first"), arguments: [
        ("traps", UInt64(0), 1600), ("traps", 6100, 300), ("traps", 17400, 300), ("traps", 69000, 300),
        ("traps", 270_700, 200),
        ("vm", 19_500, 2000),
        ("atomics", 100, 1500), ("atomics", 130_800, 250),
        ("counters", 408_700, 1400),
        ("sha256", 0, 1500), ("sha256", 451_100, 1600),
        ("fp", 0, 1500),
    ] as [(String, UInt64, Int)])
    func guestWindows(guest: String, start: UInt64, count: Int) throws {
        try Self.checkWindow(guest, start: start, count: count)
    }

    @Test(.enabled(if: Guests.available("traps"), "run `make guests` first"))
    func rootsAndProofsAreIdenticalAcrossIndependentRuns() throws {
        func run() throws -> ([Digest], [[UInt8]]) {
            let m = try #require(try Guests.machine("traps"))
            var roots: [Digest] = []
            var proofs: [[UInt8]] = []
            for target: UInt64 in [0, 1000, 17_531, 69_109] {
                m.run(steps: target - m.steps)
                let tree = StateTree(m.storage)
                roots.append(tree.root())
                proofs.append(StepProver.prove(m, tree: tree).bytes)
            }
            return (roots, proofs)
        }
        let a = try run(), b = try run()
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
        #expect(Set(a.0).count == a.0.count)
    }
}
