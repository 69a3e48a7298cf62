import Commitment
import Game
import Roles
import Scenario

/// The accounts of a network played over processes. A party keeps one key for the whole
/// network, derived from the network's seed and its name (the judge's from "judge"), and
/// signs every task's game with it: the chain hosting the games and each long-lived
/// party process derive the same keys, so a task's game needs no key exchange. On the
/// network's own channel a party is numbered by its place in the population (solvers,
/// then verifiers, from 1; the chain is 0), and joins by a hello signed for the network's
/// chain id (`NetworkScenario.digest`).
public struct NetworkAccounts {
    /// The network.
    public let scenario: NetworkScenario
    /// Every party, in population order.
    public let names: [String]
    /// The network's chain id.
    public let chainID: Digest

    /// The accounts of `scenario`.
    public init(_ scenario: NetworkScenario) {
        self.scenario = scenario
        names = scenario.population.solvers.map(\.name) + scenario.population.verifiers.map(\.name)
        chainID = scenario.digest
    }

    /// The key `name` signs with.
    public func key(for name: String) -> SigningKey { SigningKey.derived(scenarioSeed: scenario.seed, name: name) }

    /// `name`'s number on the network's channel, if it is in the population.
    public func id(of name: String) -> PartyID? { names.firstIndex(of: name).map { PartyID(UInt32($0 + 1)) } }

    /// The role `name` plays in the population.
    public func role(of name: String) -> Role? {
        if scenario.population.solvers.contains(where: { $0.name == name }) { return .solver }
        if scenario.population.verifiers.contains(where: { $0.name == name }) { return .verifier }
        return nil
    }

    /// The book joins are checked against: every party of the population.
    public var book: AccountBook {
        var keys: [PartyID: AccountKey] = [.judge: key(for: GameSetup.judgeName).account]
        for (i, n) in names.enumerated() { keys[PartyID(UInt32(i + 1))] = key(for: n).account }
        return AccountBook(chainID: chainID, keys: keys)
    }

    /// Task game `spec` set up with the network's keys for the judge and every party.
    public func setup(_ spec: ScenarioSpec) -> GameSetup {
        var setup = GameSetup(spec: spec)
        setup.keys[GameSetup.judgeName] = key(for: GameSetup.judgeName)
        for p in setup.roster.parties { setup.keys[p.name] = key(for: p.name) }
        return setup
    }
}
