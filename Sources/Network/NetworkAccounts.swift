import Commitment
import Game
import Roles
import Scenario

/// The accounts of a network played over processes. A party keeps one account for the
/// whole network and signs every task's game with it: the key the network lists for it
/// under `accounts:` (held in a key file by the process that plays it), or else one
/// derived from the network's seed and its name (the chain's from "judge"). The chain
/// hosting the games and each long-lived party process agree on every account without
/// exchanging keys. On the network's own channel a party is numbered by its place in the
/// population (solvers, then verifiers, from 1; the chain is 0), and joins by a hello
/// signed for the network's chain id (`NetworkScenario.digest`).
public struct NetworkAccounts {
    /// The network.
    public let scenario: NetworkScenario
    /// Every party, in population order.
    public let names: [String]
    /// The network's chain id.
    public let chainID: Digest
    /// Keys this process signs with, read from key files, by name (or "judge").
    public let ownKeys: [String: SigningKey]

    /// The accounts of `scenario`, with the key files this process holds.
    public init(_ scenario: NetworkScenario, ownKeys: [String: SigningKey] = [:]) {
        self.scenario = scenario
        self.ownKeys = ownKeys
        names = scenario.population.solvers.map(\.name) + scenario.population.verifiers.map(\.name)
        chainID = scenario.digest
    }

    /// The key `name` signs with in this process: its key file, or the derived key.
    public func key(for name: String) -> SigningKey {
        ownKeys[name] ?? SigningKey.derived(scenarioSeed: scenario.seed, name: name)
    }

    /// `name`'s account on the chain: the listed key, or the derived one.
    public func account(of name: String) -> AccountKey {
        scenario.accounts[name].flatMap { AccountKey(hex: $0) } ?? SigningKey.derived(scenarioSeed: scenario.seed, name: name).account
    }

    /// Throws unless this process can sign as `name` (a listed account needs its key file).
    public func requireKey(for name: String) throws {
        guard account(of: name) == key(for: name).account else {
            throw RoleError(ownKeys[name] == nil
                ? "the network lists an account key for \(name); pass its key file with --key"
                : "the key file is not the account the network lists for \(name) (\(account(of: name).hex))")
        }
    }

    /// Names whose listed account this process cannot sign for.
    public var foreignAccounts: [String] {
        ([GameSetup.judgeName] + names).filter { scenario.accounts[$0] != nil && account(of: $0) != key(for: $0).account }
    }

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
        var keys: [PartyID: AccountKey] = [.judge: account(of: GameSetup.judgeName)]
        for (i, n) in names.enumerated() { keys[PartyID(UInt32(i + 1))] = account(of: n) }
        return AccountBook(chainID: chainID, keys: keys)
    }

    /// Task game `spec` as the chain posts it: the accounts of its judge and every
    /// party go with it (`accounts:`), so every process reading it — and `tbsim replay`
    /// reading the game's ledger — knows the same accounts without the network's seed.
    public func posted(_ spec: ScenarioSpec) -> ScenarioSpec {
        var s = spec
        for name in [GameSetup.judgeName] + Roster(spec).parties.map(\.name) { s.accounts[name] = account(of: name).hex }
        return s
    }

    /// Task game `spec` set up to sign with this process's keys (every account as
    /// `account(of:)` says: listed in the posted game, derived otherwise).
    public func setup(_ spec: ScenarioSpec) -> GameSetup {
        var setup = GameSetup(spec: spec)
        setup.keys[GameSetup.judgeName] = key(for: GameSetup.judgeName)
        for p in setup.roster.parties { setup.keys[p.name] = key(for: p.name) }
        return setup
    }
}
