import Game

/// Who plays a scenario: each party's name, its number in the game and its role, built
/// once from the scenario and used by the launcher, the node loops and the report alike.
/// The numbering rule lives here and nowhere else: the judge is 0, the solver 1, the
/// i-th verifier (0-based) 2 + i.
public struct Roster: Equatable, Sendable {
    /// One party.
    public struct Entry: Equatable, Sendable {
        /// The name it has in the scenario and on the network.
        public var name: String
        /// Its number in the game.
        public var id: PartyID
        /// Solver or verifier.
        public var role: Role
    }

    /// The solver, then the verifiers in scenario order.
    public let parties: [Entry]
    private let byName: [String: Int]

    /// The roster of `spec`.
    public init(_ spec: ScenarioSpec) {
        self.init(solver: spec.solver.name, verifiers: spec.verifiers.map(\.name))
    }

    /// A roster of a solver and verifiers named in order.
    public init(solver: String, verifiers: [String]) {
        parties = [Entry(name: solver, id: PartyID(1), role: .solver)]
            + verifiers.enumerated().map { Entry(name: $0.element, id: PartyID(UInt32(2 + $0.offset)), role: .verifier) }
        var index: [String: Int] = [:]
        for (i, p) in parties.enumerated() { index[p.name] = i }
        byName = index
    }

    /// The solver.
    public var solver: Entry { parties[0] }
    /// The verifiers, in scenario order.
    public var verifiers: ArraySlice<Entry> { parties.dropFirst() }

    /// The party called `name`, if any.
    public func entry(named name: String) -> Entry? { byName[name].map { parties[$0] } }

    /// The party numbered `id`, if any (nil for the judge and unknown numbers).
    public func entry(for id: PartyID) -> Entry? {
        let i = Int(id.rawValue) - 1
        return i >= 0 && i < parties.count ? parties[i] : nil
    }

    /// "judge", the party's name, or `#N` for a number the roster does not hold (kept
    /// visible rather than dropped).
    public func name(of id: PartyID) -> String {
        if id == .judge { return "judge" }
        return entry(for: id)?.name ?? "#\(id.rawValue)"
    }
}
