import Game
import RISCV

extension ScenarioLoader {
    /// Fault names in documentation order, with the roles that may have them.
    static let faultRoles: [(name: String, solver: Bool, verifier: Bool)] = [
        ("corrupt", true, true), ("wrong_output", true, false), ("lie_in_bisection", true, true),
        ("refuse_final_proof", true, false), ("challenge_correct_result", false, true), ("silent", true, true),
        ("wrong_step_count", true, false), ("delay_messages", true, true), ("drop_messages", true, true),
    ]

    /// A `faults:` list: each item a one-key mapping `name: {arguments}` or a bare name.
    static func parseFaults(_ v: YAMLValue, role: Role, ramMiB: UInt64) throws -> [FaultSpec] {
        let roleName = role == .solver ? "solver" : "verifier"
        let allowed = faultRoles.filter { role == .solver ? $0.solver : $0.verifier }.map(\.name)
        var faults: [FaultSpec] = []
        var seen: [String: YAMLValue] = [:]
        for item in try v.sequence(of: "faults (each `- name: {arguments}` or a bare `- name`)") {
            let name: String, args: YAMLValue?, nameNode: YAMLValue
            switch item.node {
            case .scalar where !item.isNull:
                name = try item.string(); args = nil; nameNode = item
            case let .mapping(m) where m.count == 1:
                let (k, value) = m[m.startIndex]
                nameNode = YAMLValue(node: k, key: item.key, document: item.document)
                name = try nameNode.string()
                args = YAMLValue(node: value, key: item.childKey(name), document: item.document)
            case let .mapping(m):
                let keys = m.keys.compactMap(\.string).map { "`\($0)`" }.joined(separator: ", ")
                throw item.error("each fault is a mapping with exactly one key (the fault's name), like `- silent: {from_move: 1}`; got \(m.count) keys\(m.count > 0 ? " (\(keys))" : "")")
            default:
                throw item.error("expected a fault (`- name: {arguments}` or a bare `- name`), got \(item.described)")
            }
            guard allowed.contains(name) else {
                if faultRoles.contains(where: { $0.name == name }) {
                    throw nameNode.error("`\(name)` is not a \(roleName) fault; a \(roleName) may have: \(allowed.joined(separator: ", "))")
                }
                var message = "unknown fault `\(name)`"
                message += closest(to: name, in: allowed).map { "; did you mean `\($0)`?" } ?? "."
                throw nameNode.error(message + " A \(roleName) may have: \(allowed.joined(separator: ", "))")
            }
            if name != "corrupt", let earlier = seen[name] {
                let at = earlier.node.mark.map { " (first at line \($0.line))" } ?? ""
                throw nameNode.error("fault `\(name)` is given twice\(at); give it once")
            }
            seen[name] = nameNode
            faults.append(try parseFault(name, args: args, at: item, nameNode: nameNode, role: role, ramMiB: ramMiB))
        }
        return faults
    }

    /// One fault's arguments. Absent or null arguments mean "all defaults" (an error if
    /// the fault has required arguments).
    static func parseFault(_ name: String, args: YAMLValue?, at item: YAMLValue, nameNode: YAMLValue,
                           role: Role, ramMiB: UInt64) throws -> FaultSpec {
        let argsNode = args ?? YAMLValue(node: nameNode.node, key: item.childKey(name), document: item.document)
        /// The argument mapping, restricted to `allowed`; empty when none was given.
        func arguments(_ allowed: [String]) throws -> YAMLMapping? {
            guard let args, !args.isNull else { return nil }
            if allowed.isEmpty {
                if case let .mapping(m) = args.node, m.count == 0 { return nil }
                throw args.error("`\(name)` takes no arguments; write `- \(name)`")
            }
            return try args.mapping(allowed: allowed, what: "a mapping with keys \(allowed.joined(separator: ", "))")
        }
        func required(_ m: YAMLMapping?, _ key: String, _ hint: String) throws -> YAMLValue {
            guard let m else { throw argsNode.error("`\(name)` needs arguments: \(hint)") }
            return try m.required(key)
        }
        let small = 0...Int(Int32.max)
        switch name {
        case "wrong_output":
            _ = try arguments([]); return .solver(.wrongOutput)
        case "refuse_final_proof":
            _ = try arguments([]); return .solver(.refuseFinalProof)
        case "wrong_step_count":
            let m = try arguments(["by"])
            let by: Int64 = try required(m, "by", "`by` (a non-zero number of steps, negative for fewer)").integer(-(1 << 62)...(1 << 62))
            guard by != 0 else { throw try m!.required("by").error("`by` must not be 0 (that is the honest step count)") }
            return .solver(.wrongStepCount(by: by))
        case "lie_in_bisection":
            let round = try arguments(["from_round"])?.optional("from_round")?.integer(1...small.upperBound) ?? 1
            return role == .solver ? .solver(.lieInBisection(fromRound: round)) : .verifier(.lieInBisection(fromRound: round))
        case "silent":
            let move = try arguments(["from_move"])?.optional("from_move")?.integer(small) ?? 1
            return role == .solver ? .solver(.silent(fromMove: move)) : .verifier(.silent(fromMove: move))
        case "challenge_correct_result":
            var kind = DisputeKind.trace
            if let k = try arguments(["kind"])?.optional("kind") {
                let text = try k.string()
                guard let parsed = DisputeKind(rawValue: text) else {
                    throw k.error("expected one of \(DisputeKind.allCases.map(\.rawValue).joined(separator: ", ")), got \(quoted(text))")
                }
                kind = parsed
            }
            return .verifier(.challengeCorrectResult(kind: kind))
        case "delay_messages":
            let m = try arguments(["ms"])
            return .delayMessages(ms: try required(m, "ms", "`ms` (milliseconds)").integer(UInt64(0)...3_600_000))
        case "drop_messages":
            let m = try arguments(["probability", "after"])
            let p = try m?.optional("probability")?.number(0...1)
            let after = try m?.optional("after")?.integer(small)
            guard p != nil || after != nil else {
                throw (m?.value ?? argsNode).error("`drop_messages` needs `probability` (0…1), `after` (a message number), or both")
            }
            return .dropMessages(probability: p ?? 1, after: after)
        default: // corrupt
            let hint = "`step`, `bit` and one of `register`, `memory`, `pc`"
            let m = try arguments(["step", "register", "memory", "pc", "bit"])
            let step = try required(m, "step", hint).integer(UInt64.min...UInt64.max)
            let bit = try required(m, "bit", hint).integer(0...63)
            let targets = ["register", "memory", "pc"].compactMap { k in m?.optional(k).map { (k, $0) } }
            guard targets.count == 1, let (which, node) = targets.first else {
                let given = targets.map { "`\($0.0)`" }.joined(separator: " and ")
                throw (targets.last?.1 ?? m!.value).error(
                    "`corrupt` needs exactly one target: `register: N` (0…31), `memory: ADDRESS` (8-aligned, in RAM) or `pc: true`"
                        + (targets.isEmpty ? "" : "; got \(given)"))
            }
            let target: CorruptionTarget
            switch which {
            case "register":
                target = .register(try node.integer(0...31))
            case "memory":
                let ramEnd = MachineMap.ramBase + (ramMiB << 20)
                let address = try node.integer(UInt64.min...UInt64.max)
                func hex(_ x: UInt64) -> String { "0x" + String(x, radix: 16) }
                guard address >= MachineMap.ramBase, address < ramEnd else {
                    throw node.error("the address must lie in RAM, \(hex(MachineMap.ramBase))...\(hex(ramEnd - 8)) for ram_mib \(ramMiB), got \(hex(address))")
                }
                guard address % 8 == 0 else {
                    throw node.error("the address must be 8-aligned (a 64-bit word), got 0x\(String(address, radix: 16))")
                }
                target = .memory(address: address)
            default:
                guard try node.bool() else { throw node.error("`pc: false` names no target; write `pc: true` or choose `register`/`memory`") }
                target = .pc
            }
            return .corrupt(step: step, target: target, bit: bit)
        }
    }
}
