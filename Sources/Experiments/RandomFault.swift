import Game
import RISCV
import Scenario
import Transport

/// One deviation drawn for a sweep run from its seed: which party, which fault, at which
/// step — the Monte Carlo question "does the honest side win whatever goes wrong?".
/// The same seed draws the same fault on every machine.
public struct RandomFault: Equatable, Sendable {
    /// The overrides that add the fault to the scenario (appended to the party's faults).
    public var overrides: [ScenarioOverride]
    /// What was drawn, for the table's `fault` column.
    public var label: String

    /// Draws a fault for `spec` with `seed`; `steps` is the honest run's length, where
    /// corruptions are placed. Kinds a party already has are not drawn again for it.
    public static func draw(seed: UInt64, spec: ScenarioSpec, steps: UInt64) -> RandomFault {
        var rng = SeededGenerator(seed: seed ^ 0x5EED_FA17_0000_0001)
        func below(_ n: UInt64) -> UInt64 { n == 0 ? 0 : rng.next() % n }
        func has(_ party: PartySpec, _ name: String) -> Bool {
            party.faults.contains { f in
                switch (f, name) {
                case (.solver(.wrongOutput), "wrong_output"), (.solver(.refuseFinalProof), "refuse_final_proof"),
                     (.solver(.lieInBisection), "lie_in_bisection"), (.verifier(.lieInBisection), "lie_in_bisection"),
                     (.verifier(.challengeCorrectResult), "challenge_correct_result"): return true
                default: return false
                }
            }
        }
        // (party key, party spec, fault name) choices that the loader will accept.
        var choices: [(key: String, party: PartySpec, fault: String)] = [("solver", spec.solver, "corrupt")]
        for name in ["wrong_output", "lie_in_bisection", "refuse_final_proof"] where !has(spec.solver, name) {
            choices.append(("solver", spec.solver, name))
        }
        for (i, v) in spec.verifiers.enumerated() {
            for name in ["challenge_correct_result", "lie_in_bisection"] where !has(v, name) {
                choices.append(("verifiers[\(i)]", v, name))
            }
        }
        let c = choices[Int(below(UInt64(choices.count)))]
        let base = "\(c.key).faults[\(c.party.faults.count)].\(c.fault)"
        func set(_ key: String, _ value: String) -> ScenarioOverride { ScenarioOverride(key: base + "." + key, value: value) }
        switch c.fault {
        case "corrupt":
            let step = below(max(1, steps)), register = 1 + below(31), bit = below(64)
            return RandomFault(overrides: [set("step", "\(step)"), set("register", "\(register)"), set("bit", "\(bit)")],
                               label: "\(c.party.name) corrupt x\(register) bit \(bit) after step \(step)")
        case "lie_in_bisection":
            let round = 1 + below(3)
            return RandomFault(overrides: [set("from_round", "\(round)")], label: "\(c.party.name) lies from round \(round)")
        case "challenge_correct_result":
            let kind = below(2) == 0 ? "trace" : "output"
            return RandomFault(overrides: [set("kind", kind)], label: "\(c.party.name) challenges a correct \(kind)")
        default:
            // A fault without arguments: `faults[n]` itself names it.
            let key = "\(c.key).faults[\(c.party.faults.count)]"
            return RandomFault(overrides: [ScenarioOverride(key: key, value: c.fault)], label: "\(c.party.name) \(c.fault)")
        }
    }

    /// The honest run's length in steps: where a drawn corruption may land.
    public static func honestSteps(of spec: ScenarioSpec) throws -> UInt64 {
        let machine = try spec.task.boot()
        machine.run(steps: spec.task.maxSteps)
        return machine.steps
    }

    /// `points` with a fault drawn for each from its seed (the point's own, else
    /// `defaultSeed`): the fault's overrides appended and its label as the last value.
    public static func adding(to points: [SweepPlan.Point], scenarioFile: String, defaultSeed: UInt64,
                              steps: UInt64) throws -> [SweepPlan.Point] {
        try points.map { p in
            var q = p
            let spec = try ScenarioLoader.load(path: scenarioFile, overrides: p.overrides)
            let fault = draw(seed: p.seed ?? defaultSeed, spec: spec, steps: steps)
            q.overrides += fault.overrides
            q.values.append(fault.label)
            return q
        }
    }
}

