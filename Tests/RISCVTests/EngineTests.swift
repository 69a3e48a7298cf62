import Foundation
import Testing
@testable import RISCV

// Every engine against the reference step, instruction by instruction: each per-instruction
// test case of the ISA files is run with every destination register on every engine, from
// the same state, and the whole committed state must come out identical to what the
// reference step (no caches at all) makes of it. The reference's own results are checked
// against hand-worked values by the ISA tests, so together they pin every engine's ops.

/// The engines that run instructions themselves (all but the reference).
let fastEngines = Engine.allCases.filter { $0 != .reference }
/// The engines that run decoded blocks (`BlockCache`).
let blockEngines: [Engine] = [.blocks, .threaded]

/// RAM of the machines here: small, because every comparison reads all of it.
private let ramSize = 2 << 20

/// A machine with every register holding a distinct value and `code` at the start of RAM,
/// then `setup` applied.
private func machine(_ code: [UInt32], _ setup: (TestMachine) -> Void) -> TestMachine {
    let m = TestMachine(ramSize: ramSize, code: code)
    for r in UInt32(1)..<32 { m[x: r] = 0x9e37_79b9_7f4a_7c15 &* UInt64(r) }
    setup(m)
    return m
}

/// Runs `steps` steps of `code` (set up by `setup`) on `engine` and on the reference; the
/// states must agree. Returns the engine's machine.
@discardableResult
private func compare(_ code: [UInt32], steps: UInt64 = 1, on engine: Engine, _ what: String,
                     _ setup: (TestMachine) -> Void) -> TestMachine {
    let fast = machine(code, setup), reference = machine(code, setup)
    Machine(storage: fast.storage).run(steps: steps, engine: engine)
    Machine(storage: reference.storage).run(steps: steps, engine: .reference)
    let differing = (0..<CoreLayout.count).filter { fast.storage.core[$0] != reference.storage.core[$0] }
    #expect(differing.isEmpty, "\(what) on \(engine): core words \(differing) differ")
    #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0, "\(what) on \(engine): RAM differs")
    return fast
}

/// `inst` with its rd field (bits 11…7) set to `rd`.
private func withRD(_ inst: UInt32, _ rd: UInt32) -> UInt32 { inst & ~(31 << 7) | rd << 7 }

/// The instruction after every single-instruction case: one only the reference step runs,
/// so the block engine's block is exactly the instruction under test.
private let stop: UInt32 = ebreak

struct EngineInstructionTests {
    @Test(arguments: fastEngines)
    func aluWithEveryDestination(_ engine: Engine) {
        for c in rv64iALUCases + rv64mCases {
            for rd in UInt32(0)..<32 {
                let m = compare([withRD(c.inst, rd), stop], on: engine, "\(c.name), rd x\(rd)") { m in
                    m[x: a1] = c.a
                    m[x: a2] = c.b
                }
                if blockEngines.contains(engine), rd == 0 || rd == a0 {
                    // The block engine really ran it: a one-instruction block is cached.
                    #expect(m.storage.blockCacheIfMade?.cached(at: 0)?.count == 1, "\(c.name): no block")
                }
            }
        }
    }

    @Test(arguments: fastEngines)
    func upperImmediatesAndJumpsWithEveryDestination(_ engine: Engine) {
        let insts: [(String, UInt32)] = [
            ("lui", lui(a0, 0x80001)), ("auipc", auipc(a0, 0xfffff)), ("auipc 0", auipc(a0, 0)),
            ("jal forward", jal(a0, 16)), ("jal backward", jal(a0, -4)),
            ("jalr", jalr(a0, a1, 0x11)), ("jalr negative", jalr(a0, a1, -3)),
        ]
        for (name, inst) in insts {
            for rd in UInt32(0)..<32 {
                // A nop first, so pc-relative results depend on the instruction's offset in its block.
                compare([nop, withRD(inst, rd), stop], steps: 2, on: engine, "\(name), rd x\(rd)") { m in
                    m[x: a1] = TestMachine.base + 0x100
                }
            }
        }
    }

    @Test(arguments: fastEngines)
    func loadsWithEveryDestination(_ engine: Engine) {
        for c in RV64IMTests.loads {
            for rd in UInt32(0)..<32 {
                compare([withRD(c.inst, rd), stop], on: engine, "\(c.name), rd x\(rd)") { m in
                    for i in 0..<16 { m.write(TestMachine.base + 0x1000 + UInt64(i), 1, 0x80 + UInt64(i)) }
                    for i in 0..<16 { m.write(TestMachine.base + 0x1010 + UInt64(i), 1, 0x10 + UInt64(i)) }
                    m[x: a1] = TestMachine.base + 0x1000 + c.offset
                }
            }
        }
    }

    @Test(arguments: fastEngines)
    func storesBranchesAndFaults(_ engine: Engine) {
        for c in RV64IMTests.stores {
            compare([c.inst, stop], on: engine, c.name) { m in
                m[x: a1] = TestMachine.base + 0x1000 + c.offset
                m[x: a2] = 0x1122_3344_5566_7788
            }
        }
        for c in RV64IMTests.branches {
            compare([nop, c.inst, stop], steps: 2, on: engine, c.name) { m in
                m[x: a1] = c.a
                m[x: a2] = c.b
            }
        }
        // Accesses the engines must leave to the reference step: devices, outside RAM,
        // misaligned, the last bytes of RAM.
        let addresses: [(String, UInt64)] = [("UART", MachineMap.uartBase), ("CLINT mtime", MachineMap.clintBase + 0xbff8),
                                             ("unmapped", 0x4000_0000), ("end of RAM", TestMachine.base + UInt64(ramSize) - 4),
                                             ("past RAM", TestMachine.base + UInt64(ramSize))]
        for (name, address) in addresses {
            for inst in [lw(a0, 0, a1), ld(zero, 0, a1), sw(a2, 0, a1), sd(a2, 0, a1), lbu(a0, 0, a1), sb(a2, 0, a1)] {
                compare([addi(t0, t0, 1), inst, addi(t1, t1, 1), stop], steps: 3, on: engine, "\(name) 0x\(String(inst, radix: 16))") { m in
                    m[x: a1] = address
                    m[x: a2] = 0x41
                }
            }
        }
    }

    @Test(arguments: fastEngines)
    func atomicsWithEveryDestination(_ engine: Engine) {
        let data = TestMachine.base + 0x2000
        let values: [(UInt64, UInt64)] = [(0xffff_ffff_ffff_fffe, 0xaaaa_aaaa_0000_0003), (0x8000_0000, 1),
                                          (0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000)]
        for f5 in [0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c] as [UInt32] {
            for wide in [false, true] {
                for (old, src) in values {
                    for rd in UInt32(0)..<32 {
                        let m = compare([amo(f5, wide: wide, rd, a2, a1), stop], on: engine, "amo \(f5) \(wide ? "d" : "w"), rd x\(rd)") { m in
                            m.write(data, 8, old)
                            m[x: a1] = data
                            m[x: a2] = src
                        }
                        if blockEngines.contains(engine) && rd == a0 {
                            #expect(m.storage.blockCacheIfMade?.cached(at: 0)?.count == 1, "the block engine ran the AMO")
                        }
                    }
                }
            }
        }
        for wide in [false, true] {
            let lr = wide ? lr_d : lr_w, sc = wide ? sc_d : sc_w
            for rd in UInt32(0)..<32 {
                // A pair that succeeds, one whose SC names another address, an SC with no
                // reservation, and the same after a trap broke the reservation.
                let sequences: [(String, [UInt32])] = [
                    ("lr/sc", [lr(rd, a1), sc(rd, a2, a1), stop]),
                    ("sc elsewhere", [lr(a3, a1), sc(rd, a2, a4), stop]),
                    ("sc alone", [sc(rd, a2, a1), sc(rd, a2, a1), stop]),
                ]
                for (name, code) in sequences {
                    compare(code, steps: 2, on: engine, "\(name) \(wide ? "d" : "w"), rd x\(rd)") { m in
                        m.write(data, 8, 0x1234_5678_9abc_def0)
                        m[x: a1] = data
                        m[x: a4] = data + 8
                        m[x: a2] = 0x0bad_cafe_0bad_cafe
                    }
                }
            }
        }
        // Left to the reference step: misaligned, devices, outside RAM.
        for address in [data + 4, data + 2, MachineMap.uartBase, MachineMap.clintBase, 0x4000_0000] {
            for inst in [amo(0x00, wide: true, a0, a2, a1), amo(0x01, wide: false, a0, a2, a1), lr_d(a0, a1), sc_d(a0, a2, a1)] {
                compare([addi(t0, t0, 1), inst, stop], steps: 2, on: engine, "0x\(String(inst, radix: 16)) at 0x\(String(address, radix: 16))") { m in
                    m[x: a1] = address
                    m[core: CoreLayout.reservationValid] = 1
                    m[core: CoreLayout.reservationAddress] = address
                }
            }
        }
    }

    @Test(arguments: fastEngines)
    func floatingPointLoadsAndStoresWithEveryRegister(_ engine: Engine) {
        // FLW/FLD/FSW/FSD encoded from the base I and S formats (opcodes 0x07 / 0x27).
        func load(_ f3: UInt32, _ rd: UInt32, _ imm: UInt32, _ rs1: UInt32) -> UInt32 {
            imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x07
        }
        func store(_ f3: UInt32, _ rs2: UInt32, _ imm: UInt32, _ rs1: UInt32) -> UInt32 {
            (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | 0x27
        }
        // FS off (illegal instruction), initial (made dirty by a load), dirty.
        for fs: UInt64 in [0, 1, 3] {
            for r in UInt32(0)..<32 {
                for (name, inst) in [("flw", load(2, r, 8, a1)), ("fld", load(3, r, 16, a1)),
                                     ("fsw", store(2, r, 4, a1)), ("fsd", store(3, r, 24, a1))] {
                    let m = compare([inst, stop], on: engine, "\(name) f\(r), FS \(fs)") { m in
                        m.mstatus = fs << MStatus.fsShift
                        for f in 0..<32 { m[core: CoreLayout.f + f] = 0x4009_21fb_5444_2d18 &+ UInt64(f) }
                        m.write(TestMachine.base + 0x1000, 8, 0x1122_3344_5566_7788)
                        m.write(TestMachine.base + 0x1008, 8, 0x3ff0_0000_0000_0000)
                        m.write(TestMachine.base + 0x1010, 8, 0x8000_0000_0000_0001)
                        m[x: a1] = TestMachine.base + 0x1000
                    }
                    if blockEngines.contains(engine) && fs != 0 && r == 5 {
                        #expect(m.storage.blockCacheIfMade?.cached(at: 0)?.count == 1, "the block engine ran \(name)")
                    }
                }
            }
        }
        // Misaligned and device addresses go to the reference step.
        for address in [TestMachine.base + 0x1004, MachineMap.uartBase] {
            for inst in [load(3, 1, 0, a1), store(3, 1, 0, a1)] {
                compare([addi(t0, t0, 1), inst, stop], steps: 2, on: engine, "fp 0x\(String(inst, radix: 16)) at 0x\(String(address, radix: 16))") { m in
                    m.mstatus = 3 << MStatus.fsShift
                    m[x: a1] = address
                }
            }
        }
    }

    @Test(arguments: fastEngines)
    func floatingPointArithmeticWithEveryDestination(_ engine: Engine) {
        // Every OP-FP and fused multiply-add form of F and D, with every destination
        // register (an f register, or an x register for compares, conversions to integer,
        // moves to x and fclass), on operands that raise flags and NaN-box.
        for c in fpArithmeticCases {
            for rd in UInt32(0)..<32 {
                let m = compare([withRD(c.inst, rd), stop], on: engine, "\(c.name), rd \(rd)") { m in
                    setUpFP(m, values: fpValueSets[0], fs: 1, fcsr: 0x21)
                }
                if engine == .blocks && rd == 5 {
                    #expect(m.storage.blockCacheIfMade?.cached(at: 0)?.count == 1, "the block engine ran \(c.name)")
                }
            }
            // The other operand sets, FS in every state (Off: illegal instruction), and
            // accrued flags already set.
            for (v, values) in fpValueSets.enumerated() {
                for fs: UInt64 in [0, 1, 2, 3] {
                    compare([c.inst, stop], on: engine, "\(c.name), values \(v), FS \(fs)") { m in
                        setUpFP(m, values: values, fs: fs, fcsr: fs == 2 ? 0x1f : 0)
                    }
                }
            }
        }
        // Every rounding-mode field on the ops that round, under every frm: 5 and 6 in
        // the instruction, and 5–7 in frm under a dynamic (7) field, are illegal.
        for c in fpArithmeticCases where c.rounds {
            for rm in UInt32(0)...7 {
                for frm: UInt64 in [0, 1, 2, 3, 4, 5, 6, 7] where rm == 7 || frm == 3 {
                    let inst = c.inst & ~(7 << 12) | rm << 12
                    compare([addi(t0, t0, 1), inst, stop], steps: 2, on: engine, "\(c.name), rm \(rm), frm \(frm)") { m in
                        setUpFP(m, values: fpValueSets[1], fs: 3, fcsr: frm << 5)
                    }
                }
            }
        }
        // Encodings the reference step rejects: half precision, quad, reserved funct3 or
        // rs2 values. The engines must leave them to it.
        for (name, inst) in fpIllegalEncodings {
            compare([addi(t0, t0, 1), inst, stop], steps: 2, on: engine, name) { m in
                setUpFP(m, values: fpValueSets[0], fs: 3, fcsr: 0)
            }
        }
    }

    @Test(arguments: fastEngines)
    func compressedCases(_ engine: Engine) {
        for c in rvcCases {
            let code = [UInt32(c.c) | UInt32(0x0001) << 16, stop]  // the RVC case, then c.nop
            compare(code, steps: 2, on: engine, c.name) { m in
                for i in 0..<(0x2000 / 8) {
                    m.write(TestMachine.base + 0x10_0000 + UInt64(8 * i), 8, 0x9e37_79b9_7f4a_7c15 &* UInt64(i + 1))
                }
                for r in UInt32(1)..<32 { m[x: r] = TestMachine.base + 0x10_0000 + 0x200 + UInt64(r) * 0x48 }
                for (r, v) in c.regs { m[x: r] = v }
            }
        }
    }
}

// MARK: FP arithmetic cases

/// An OP-FP instruction: funct5, fmt (0 = S, 1 = D), rs2 field, funct3 (rm), rd, rs1.
private func fpR(_ f5: UInt32, _ fmt: UInt32, rs2: UInt32, f3: UInt32, rd: UInt32 = 10) -> UInt32 {
    (f5 << 2 | fmt) << 25 | rs2 << 20 | 11 << 15 | f3 << 12 | rd << 7 | 0x53
}

/// A fused multiply-add (opcode 0x43/0x47/0x4b/0x4f) of f11 · f12 ± f13.
private func fpR4(_ opcode: UInt32, _ fmt: UInt32, rm: UInt32) -> UInt32 {
    13 << 27 | fmt << 25 | 12 << 20 | 11 << 15 | rm << 12 | 10 << 7 | opcode
}

/// Every FP arithmetic form of F and D (S and D each), sources f11, f12, f13 or x11;
/// `rounds`: the funct3 field is a rounding mode. Rounding ops use the dynamic mode (7).
let fpArithmeticCases: [(name: String, inst: UInt32, rounds: Bool)] = {
    var cases: [(String, UInt32, Bool)] = []
    for (fmt, p) in [(UInt32(0), "s"), (1, "d")] {
        for (f5, name) in [(UInt32(0x00), "fadd"), (0x01, "fsub"), (0x02, "fmul"), (0x03, "fdiv")] {
            cases.append(("\(name).\(p)", fpR(f5, fmt, rs2: 12, f3: 7), true))
        }
        cases.append(("fsqrt.\(p)", fpR(0x0b, fmt, rs2: 0, f3: 7), true))
        for (f3, name) in [(UInt32(0), "fsgnj"), (1, "fsgnjn"), (2, "fsgnjx")] {
            cases.append(("\(name).\(p)", fpR(0x04, fmt, rs2: 12, f3: f3), false))
        }
        cases.append(("fmin.\(p)", fpR(0x05, fmt, rs2: 12, f3: 0), false))
        cases.append(("fmax.\(p)", fpR(0x05, fmt, rs2: 12, f3: 1), false))
        for (f3, name) in [(UInt32(0), "fle"), (1, "flt"), (2, "feq")] {
            cases.append(("\(name).\(p)", fpR(0x14, fmt, rs2: 12, f3: f3), false))
        }
        for (rs2, name) in [(UInt32(0), "w"), (1, "wu"), (2, "l"), (3, "lu")] {
            cases.append(("fcvt.\(name).\(p)", fpR(0x18, fmt, rs2: rs2, f3: 7), true))
            cases.append(("fcvt.\(p).\(name)", fpR(0x1a, fmt, rs2: rs2, f3: 7), true))
        }
        cases.append(("fmv.x.\(fmt == 0 ? "w" : "d")", fpR(0x1c, fmt, rs2: 0, f3: 0), false))
        cases.append(("fclass.\(p)", fpR(0x1c, fmt, rs2: 0, f3: 1), false))
        cases.append(("fmv.\(fmt == 0 ? "w" : "d").x", fpR(0x1e, fmt, rs2: 0, f3: 0), false))
        for (opcode, name) in [(UInt32(0x43), "fmadd"), (0x47, "fmsub"), (0x4b, "fnmsub"), (0x4f, "fnmadd")] {
            cases.append(("\(name).\(p)", fpR4(opcode, fmt, rm: 7), true))
        }
    }
    cases.append(("fcvt.s.d", fpR(0x08, 0, rs2: 1, f3: 7), true))
    cases.append(("fcvt.d.s", fpR(0x08, 1, rs2: 0, f3: 7), true))
    return cases.map { (name: $0.0, inst: $0.1, rounds: $0.2) }
}()

/// Encodings in the FP opcodes that the reference step rejects.
let fpIllegalEncodings: [(String, UInt32)] = [
    ("fadd.h", fpR(0x00, 2, rs2: 12, f3: 0)), ("fadd.q", fpR(0x00, 3, rs2: 12, f3: 0)),
    ("fmadd.h", fpR4(0x43, 2, rm: 0)), ("fsgnj f3 3", fpR(0x04, 1, rs2: 12, f3: 3)),
    ("fmin f3 2", fpR(0x05, 1, rs2: 12, f3: 2)), ("fcmp f3 3", fpR(0x14, 1, rs2: 12, f3: 3)),
    ("fsqrt rs2 1", fpR(0x0b, 1, rs2: 1, f3: 0)), ("fcvt.d.s rs2 1", fpR(0x08, 1, rs2: 1, f3: 0)),
    ("fcvt.s.d rs2 0", fpR(0x08, 0, rs2: 0, f3: 0)), ("fcvt.x.d rs2 4", fpR(0x18, 1, rs2: 4, f3: 0)),
    ("fcvt.d.x rs2 5", fpR(0x1a, 1, rs2: 5, f3: 0)), ("fmv.x.d rs2 1", fpR(0x1c, 1, rs2: 1, f3: 0)),
    ("fclass f3 2", fpR(0x1c, 1, rs2: 0, f3: 2)), ("fmv.d.x f3 1", fpR(0x1e, 1, rs2: 0, f3: 1)),
    ("funct5 0x10", fpR(0x10, 1, rs2: 12, f3: 0)), ("funct5 0x1f", fpR(0x1f, 1, rs2: 12, f3: 0)),
]

/// A NaN-boxed single.
private func boxed(_ v: Float) -> UInt64 { 0xffff_ffff_0000_0000 | UInt64(v.bitPattern) }

/// Operand sets (f11, f12, f13, x11) for the FP cases: ordinary values that round;
/// values that overflow, underflow, divide by zero or are invalid; NaNs (signalling and
/// quiet) and a single that is not properly NaN-boxed; and integers at conversion bounds.
let fpValueSets: [[UInt64]] = [
    [(1.0 / 3.0).bitPattern, (-2.5).bitPattern, (0.1).bitPattern, 0xffff_ffff_8000_0001],
    [boxed(1.0 / 3.0), boxed(-7.25), boxed(0.1), 0x7fff_ffff],
    [(1e308).bitPattern, (0.0).bitPattern, (-Double.infinity).bitPattern, 0x8000_0000_0000_0000],
    [boxed(3e38), boxed(1e-30), boxed(-0.0), UInt64.max],
    [0x7ff0_0000_0000_0001, (Double.nan).bitPattern, (-0.0).bitPattern, 1 << 53 | 1],
    [0x0000_0000_3f80_0000, 0xffff_ffff_7f80_0001, boxed(.infinity), 0xffff_ffff],
    [(-4.5e18).bitPattern, (2.0e19).bitPattern, (5e-324).bitPattern, 0x1234_5678_9abc_def0],
]

/// FP state for a case: f registers and x11 from `values`, the rest distinct; mstatus.FS and fcsr.
private func setUpFP(_ m: TestMachine, values: [UInt64], fs: UInt64, fcsr: UInt64) {
    for f in 0..<32 { m[core: CoreLayout.f + f] = 0x4009_21fb_5444_2d18 &+ UInt64(f) << 40 }
    m[core: CoreLayout.f + 11] = values[0]
    m[core: CoreLayout.f + 12] = values[1]
    m[core: CoreLayout.f + 13] = values[2]
    m[x: 11] = values[3]
    m.mstatus = fs << MStatus.fsShift
    m[core: CoreLayout.fcsr] = fcsr
}

/// The block engine's own hazards, each run in lockstep (one step at a time, and in
/// strides that do not line up with blocks) against the reference step.
struct BlockEngineTests {
    /// Runs `setup` on two machines, then both engines in strides of `stride` steps,
    /// comparing the whole state after each stride. With stride 1 a block longer than one
    /// instruction never fits the budget and runs stepwise, so every hazard is also run
    /// with longer strides.
    @discardableResult
    func lockstep(_ engine: Engine, steps: Int, stride: UInt64 = 1, _ setup: (TestMachine) -> Void) -> (TestMachine, Machine) {
        let fast = TestMachine(ramSize: ramSize), reference = TestMachine(ramSize: ramSize)
        setup(fast)
        setup(reference)
        let a = Machine(storage: fast.storage), b = Machine(storage: reference.storage)
        a.engine = engine
        for _ in 0..<steps {
            a.run(steps: stride, engine: engine)
            b.run(steps: stride, engine: .reference)
            #expect(fast.coreWords == reference.coreWords, "core differs after step \(b.steps)")
            #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0, "RAM differs after step \(b.steps)")
        }
        return (fast, a)
    }

    /// A store that rewrites the next instruction of its own block takes effect at once.
    @Test(arguments: blockEngines, [1, 3, 7, 64] as [UInt64])
    func storeIntoItsOwnBlock(_ engine: Engine, _ stride: UInt64) {
        let code: [UInt32] = [
            auipc(t0, 0),            //  0
            lw(t1, 32, t0),          //  4: the replacement instruction
            sw(t1, 16, t0),          //  8: overwrite offset 16, two instructions ahead
            addi(a1, a1, 1),         // 12
            addi(a0, 0, 1),          // 16: becomes addi a0, 0, 42
            addi(a2, a2, 1),         // 20
            jal(0, -20),             // 24: again from offset 4
            0,
            addi(a0, 0, 42),         // 32
        ]
        let (m, _) = lockstep(engine, steps: 40 / Int(stride) + 2, stride: stride) { $0.load(code, at: TestMachine.base) }
        #expect(m[x: a0] == 42)
    }

    /// Data stored in the same page as code, but not over it, leaves the blocks alone;
    /// a store over code drops exactly the block it hits.
    @Test(arguments: blockEngines)
    func dataBesideCodeKeepsTheBlocks(_ engine: Engine) {
        let code: [UInt32] = [
            auipc(t0, 0),
            addi(a0, a0, 1),         // 4: loop
            sd(a0, 256, t0),         // 8: data 256 bytes after the code, same page
            bne(a0, a1, -8),         // 12
            jal(0, 0),               // 16
        ]
        let (_, machine) = lockstep(engine, steps: 60) { m in
            m.load(code, at: TestMachine.base)
            m[x: a1] = 50
        }
        let cache = machine.storage.blockCache
        #expect(cache.cached(at: 4) != nil, "the loop's block survived its own data stores")
        // One store over the loop drops that block and no other.
        #expect(cache.stored(0, 4), "a store over the first block's auipc drops it")
        #expect(cache.cached(at: 0) == nil)
        #expect(cache.cached(at: 4) != nil, "the loop's block does not cover offset 0")
    }

    /// A store the reference step makes (misaligned, so the engines leave it to it) over
    /// decoded code is seen by the next run of the block.
    @Test(arguments: blockEngines, [1, 16] as [UInt64])
    func referenceStoreOverCodeDropsTheBlock(_ engine: Engine, _ stride: UInt64) {
        let code: [UInt32] = [
            auipc(t0, 0),            //  0
            lw(t1, 40, t0),          //  4
            addi(a0, a0, 1),         //  8: loop body, rewritten by the misaligned store below
            addi(t2, t2, 1),         // 12
            blt(t2, a3, 8),          // 16: the first pass runs (and decodes) the body unchanged
            sw(t1, 7, t0),           // 20: misaligned (t0 + 7): bytes 7…10, over offset 8's low bytes
            bne(t2, a1, -16),        // 24
            jal(0, 0),               // 28
            0, 0,
            0x0000_0000,             // 40: patched below
        ]
        lockstep(engine, steps: Int(80 / stride) + 1, stride: stride) { m in
            m.load(code, at: TestMachine.base)
            // Bytes 7…10 := the old byte 7, then the first three bytes of `addi a0, a0, 5`.
            let patched = addi(a0, a0, 5)
            let word = UInt64(m.read(TestMachine.base + 7, 1)) | UInt64(patched & 0xff_ffff) << 8
            m.write(TestMachine.base + 40, 4, word)
            m[x: a3] = 2
            m[x: a1] = 5
        }
    }

    /// Arms the machine timer to fire at instruction 300 (mtimecmp = 3) with MTIE and MIE.
    static let timerAt300: [UInt32] = [
        lui(t0, 0x2004), addi(t1, 0, 3), sd(t1, 0, t0),   // mtimecmp = 3 (instruction 300)
        addi(t1, 0, 0x80), csrrw(0, 0x304, t1),           // mie = MTIE
        addi(t1, 0, 8), csrrw(0, 0x300, t1),              // mstatus.MIE
    ]

    /// A timer interrupt whose deadline falls inside a block is taken on exactly the same
    /// step as by the reference: the block does not run past it.
    @Test(arguments: blockEngines, [1, 5, 13, 100] as [UInt64])
    func timerInterruptLandsMidBlock(_ engine: Engine, _ stride: UInt64) {
        var code = Self.timerAt300
        // A 10-instruction loop body: 300 does not fall on a block boundary.
        code += (0..<9).map { _ in addi(a0, a0, 1) } + [jal(0, -36)]
        let (m, _) = lockstep(engine, steps: Int(400 / stride), stride: stride) { tm in
            tm.load(code, at: TestMachine.base)
            tm.load([jal(0, 0)], at: TestMachine.mtvecDefault)
        }
        #expect(m.mcause == Cause.interruptBit | Cause.machineTimer, "the timer fired")
    }

    /// The same with a loop of one block closed by a branch to its own start (the
    /// threaded engine reruns such a block without following a link), at strides that
    /// end inside the loop, after it, and far past the deadline.
    @Test(arguments: blockEngines, [1, 7, 100, 1000] as [UInt64])
    func timerInterruptLandsInASelfLoop(_ engine: Engine, _ stride: UInt64) {
        var code = Self.timerAt300 + [lui(a1, 1)]                // the loop's bound: 4096
        // A 7-instruction block branching back to its own start.
        code += (0..<6).map { _ in addi(a0, a0, 1) } + [blt(a0, a1, -24)]
        let (m, _) = lockstep(engine, steps: Int(400 / stride) + 1, stride: stride) { tm in
            tm.load(code, at: TestMachine.base)
            tm.load([jal(0, 0)], at: TestMachine.mtvecDefault)
        }
        #expect(m.mcause == Cause.interruptBit | Cause.machineTimer, "the timer fired")
    }

    /// Superblocks: a block goes on past its conditional branches (side exits). Taken
    /// ones leave it for a target before, inside or after it — its own start (a loop),
    /// an instruction inside the same superblock, another block — and that other block is
    /// rewritten on one pass, so a side exit's remembered link must not outlive it.
    /// Strides that end inside the superblock make a block that does not fit run
    /// stepwise from wherever the budget left it.
    @Test(arguments: blockEngines, [1, 3, 7, 64, 1000] as [UInt64])
    func sideExitsLeaveBlocksExactly(_ engine: Engine, _ stride: UInt64) {
        let code: [UInt32] = [
            auipc(t5, 0),            //  0
            addi(a0, a0, 1),         //  4: loop head
            andi(t0, a0, 3),         //  8
            beq(t0, zero, 28),       // 12: → 40 every fourth pass
            addi(a1, a1, 1),         // 16
            bne(a0, a4, 8),          // 20: → 28 (inside this block) but on pass a4:
            sw(t4, 44, t5),          // 24:   rewrite offset 44, in the block at 40
            blt(a0, a2, -24),        // 28: → 4, this block's own start
            jal(0, 24),              // 32: → 56
            nop,                     // 36
            addi(a3, a3, 1),         // 40: the first side exit's target
            addi(a3, a3, 2),         // 44: becomes addi a3, a3, 100
            blt(a0, a2, -44),        // 48: → 4
            jal(0, 4),               // 52: → 56
            jal(0, 0),               // 56: done
        ]
        let (m, machine) = lockstep(engine, steps: Int(700 / stride) + 1, stride: stride) { tm in
            tm.load(code, at: TestMachine.base)
            tm[x: a2] = 60
            tm[x: a4] = 30
            tm[x: t4] = UInt64(addi(a3, a3, 100))
        }
        #expect(m[x: a0] == 60, "the loop ran to its end")
        #expect(m[x: a3] == 7 * 3 + 8 * 101, "15 passes through the block at 40, the last 8 rewritten")
        if stride > 1 {
            // The loop's superblock runs from its head through three branches to the jal.
            let cache = machine.storage.blockCache
            let block = cache.cached(at: 4)
            #expect(block?.count == 8)
            if let block {
                let kinds = (0..<Int(block.opCount)).map { cache.ops[Int(block.firstOp) + $0].kind }
                #expect(kinds == [.addi, .andi, .sideBeq, .addi, .sideBne, .sw, .sideBlt, .j])
            }
        }
    }

    /// A side exit whose target is in another page, taken untranslated (M-mode, where
    /// its link is recorded: any offset holds there), then translated with that page
    /// mapped elsewhere, follows the mapping, not the link. The same physical code runs
    /// in both modes; its branch leaves the page in both.
    @Test(arguments: blockEngines, [1, 16, 1000] as [UInt64])
    func aSideExitLeavingItsPageFollowsTheCurrentMapping(_ engine: Engine, _ stride: UInt64) {
        let pageA: UInt64 = 0x4000_0000, codeA = TestMachine.base + 0x18_0000
        let p1 = codeA + 0x1000, p2 = TestMachine.base + 0x18_3000
        let code: [UInt32] = [
            addi(a0, a0, 1),         //  0
            beq(a0, a3, 12),         //  4: → 16 on pass a3
            bne(a0, a4, 4088),       //  8: → the next page until pass a4
            jal(0, 0),               // 12: done
            csrrw(0, 0x341, t5),     // 16: mepc := pageA + 8
            csrrs(0, 0x300, t6),     // 20: mstatus.MPP := S
            csrrw(0, 0x180, s2),     // 24: satp
            mret,                    // 28: on at 8, translated
        ]
        let (m, _) = lockstep(engine, steps: Int(200 / stride) + 1, stride: stride) { tm in
            tm.load(code, at: codeA)
            // The next page: physically p1 (M-mode), virtually mapped to p2 (S-mode).
            tm.load([addi(a2, a2, 1), jal(0, -0x1004)], at: p1)
            tm.load([addi(a2, a2, 100), jal(0, -0x1004)], at: p2)
            var tables = PageTables(tm)
            let rwx = PageTables.v | PageTables.r | PageTables.w | PageTables.x | PageTables.a | PageTables.d
            tables.map(pageA, to: codeA, flags: rwx)
            tables.map(pageA + 0x1000, to: p2, flags: rwx)
            tm[x: s2] = tables.satp
            tm[x: t5] = pageA + 8
            tm[x: t6] = 1 << 11
            tm[x: a3] = 5
            tm[x: a4] = 12
            tm.pc = codeA
        }
        #expect(m.priv == Privilege.supervisor)
        #expect(m[x: a2] == 4 + 7 * 100, "four passes through p1 untranslated, seven through p2 translated")
    }

    /// A conditional branch that is its block's last instruction (what follows is for the
    /// reference step) ends the block as a terminator, not a side exit.
    @Test func aBranchBeforeAnExitStaysATerminator() {
        let tm = TestMachine(ramSize: ramSize)
        tm.load([addi(a0, a0, 1), blt(a0, a1, -4), csrrw(0, 0x340, a0)], at: TestMachine.base)
        let cache = tm.storage.blockCache
        let index = cache.build(0, slot: BlockCache.slot(0))
        let block = cache.blocks[index]
        #expect(block.count == 2)
        #expect(cache.ops[Int(block.firstOp) + 1].kind == .blt)
    }

    /// FP arithmetic inside blocks while the FP unit is switched off and on and frm is
    /// set to a reserved mode mid-run: the block engine must leave before the FP op that
    /// the reference step makes an illegal-instruction trap, on exactly the same step,
    /// with the same fflags and FS (Initial → Dirty) on the way.
    @Test(arguments: blockEngines, [1, 4, 11, 64] as [UInt64])
    func fpArithmeticWithFSAndFrmToggled(_ engine: Engine, _ stride: UInt64) {
        func fp(_ f5: UInt32, _ fmt: UInt32, _ rd: UInt32, _ rs1: UInt32, _ rs2: UInt32, _ rm: UInt32) -> UInt32 {
            (f5 << 2 | fmt) << 25 | rs2 << 20 | rs1 << 15 | rm << 12 | rd << 7 | 0x53
        }
        let frm: UInt32 = 0x002
        let code: [UInt32] = [
            fp(0x00, 1, 1, 1, 2, 7),          //  0: fadd.d f1, f1, f2 (dynamic rounding)
            fp(0x02, 1, 3, 1, 2, 0),          //  4: fmul.d f3, f1, f2
            fp(0x14, 1, a2, 1, 3, 1),         //  8: flt.d a2, f1, f3
            fp(0x18, 1, a3, 3, 2, 1),         // 12: fcvt.l.d a3, f3 (rtz)
            fp(0x1c, 1, a4, 1, 0, 0),         // 16: fmv.x.d a4, f1
            fp(0x03, 0, 4, 4, 5, 7),          // 20: fdiv.s f4, f4, f5
            addi(a0, a0, 1),                  // 24
            andi(t0, a0, 7),                  // 28
            bne(t0, zero, 8),                 // 32: every 8th pass:
            csrrc(0, 0x300, t1),              // 36:   FS := Off
            andi(t0, a0, 5),                  // 40
            bne(t0, zero, 8),                 // 44: and some passes:
            csrrw(0, frm, t2),                // 48:   frm := 5 (reserved)
            jal(0, -52),                      // 52
        ]
        // The handler: FS on, frm := round-down, count, retry the instruction.
        let handler: [UInt32] = [csrrs(0, 0x300, t1), csrrwi(0, frm, 2), addi(s1, s1, 1), mret]
        let (m, _) = lockstep(engine, steps: Int(1500 / stride), stride: stride) { tm in
            tm.load(code, at: TestMachine.base)
            tm.load(handler, at: TestMachine.mtvecDefault)
            tm[core: CoreLayout.f + 1] = (0.1).bitPattern
            tm[core: CoreLayout.f + 2] = (1.0 + 1.0 / 3.0).bitPattern
            tm[core: CoreLayout.f + 4] = 0xffff_ffff_0000_0000 | UInt64(Float(1).bitPattern)
            tm[core: CoreLayout.f + 5] = 0xffff_ffff_0000_0000 | UInt64(Float(3).bitPattern)
            tm[x: t1] = MStatus.fs
            tm[x: t2] = 5
            tm.mstatus = 1 << MStatus.fsShift
        }
        #expect(m[x: s1] > 10, "FS off and the reserved frm trapped")
        #expect(m[x: a0] > 50, "the loop ran")
    }

    /// Every virtual alias of one physical page runs the same decoded block with its own
    /// pc-relative values.
    @Test(arguments: blockEngines, [1, 16] as [UInt64])
    func aliasesShareBlocksButNotPCs(_ engine: Engine, _ stride: UInt64) {
        let code: [UInt32] = [
            auipc(a0, 0), jal(ra, 8), nop, addi(a1, a1, 1),
            lui(t0, 0x40001), jalr(0, t0, 0),                 // to the second alias
        ]
        lockstep(engine, steps: Int(30 / stride) + 1, stride: stride) { tm in
            tm.load(code, at: TestMachine.base + 0x18_0000)
            var tables = PageTables(tm)
            let rwx = PageTables.v | PageTables.r | PageTables.w | PageTables.x | PageTables.a | PageTables.d
            tables.map(TestMachine.base, to: TestMachine.base, level: 1, flags: rwx)
            tables.map(0x4000_0000, to: TestMachine.base + 0x18_0000, flags: rwx)
            tables.map(0x4000_1000, to: TestMachine.base + 0x18_0000, flags: rwx)
            tm[core: CoreLayout.satp] = tables.satp
            tm.priv = Privilege.supervisor
            tm.pc = 0x4000_0000
        }
    }
}

/// Every engine in lockstep over the guests that exercise traps, paging, compressed code
/// and atomics (the block engine over every guest: FastPathLockstepTests).
struct EngineGuestLockstepTests {
    @Test(arguments: fastEngines)
    func guestsMatchTheReference(_ engine: Engine) throws {
        for name in ["rvc", "traps", "vm", "atomics", "counters", "triggers"] {
            let elf = try Guests.elf(name)
            let fast = try Machine(BootImage(program: elf), input: Guests.input(name))
            let reference = try Machine(BootImage(program: elf), input: Guests.input(name))
            var step: UInt64 = 0
            while !reference.halted && step < 5_000_000 {
                let a = fast.run(steps: 997, engine: engine)
                let b = reference.run(steps: 997, engine: .reference)
                step += 997
                #expect(a == b)
                guard memcmp(fast.storage.core, reference.storage.core, CoreLayout.count * 8) == 0 else {
                    Issue.record("\(name) on \(engine): core differs after step \(step)")
                    break
                }
            }
            #expect(reference.halted && fast.halted, "\(name) halted")
            #expect(memcmp(fast.storage.ram, reference.storage.ram, fast.storage.ramSize) == 0, "\(name) RAM")
            #expect(fast.output == reference.output)
        }
    }
}
