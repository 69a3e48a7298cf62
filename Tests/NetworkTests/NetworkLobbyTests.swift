import Commitment
import Game
import Roles
import Testing
import Transport
@testable import Network

/// The network's own channel at the chain, against strangers: only a hello signed by a
/// party's account for this network joins it; a forged, replayed or other network's hello
/// and an `alive` from a connection nobody joined on keep nobody alive, and junk is counted.
struct NetworkLobbyTests {
    @Test func onlyASignedHelloJoinsAndOnlyItsConnectionKeepsItAlive() throws {
        let n = NetworkRunTests.network(seed: 8, tasks: 1, solvers: [.honest], verifiers: [.always])
        let accounts = NetworkAccounts(n)
        let net = InMemoryNetwork()
        var now: UInt64 = 0
        let lobby = NetworkLobby(endpoint: ChannelMux(try net.endpoint(named: "judge")).open(ChannelMux.network),
                                 accounts: accounts, clock: { now }, livenessMs: 15_000, log: { _ in })
        let party = ChannelMux(try net.endpoint(named: "conn-v0")).open(ChannelMux.network)
        let stranger = ChannelMux(try net.endpoint(named: "conn-x")).open(ChannelMux.network)
        func hello(_ key: SigningKey, id: PartyID, name: String, chain: Digest, nonce: Int = 1) -> [UInt8] {
            var signer = Signer(party: id, key: key, domain: .hello, chainID: chain)
            var frame: [UInt8] = []
            for _ in 0..<nonce { frame = signer.sign(HelloPayload(name: name, scenario: chain).encode()) }
            return WireFrame.control(.hello(envelope: frame)).encode()
        }
        let v0 = try #require(accounts.id(of: "v0"))
        // A stranger: v0's name with its own key, another network's chain id, an `alive`
        // before any join, junk.
        try stranger.send(to: "judge", hello(SigningKey.derived(scenarioSeed: 99, name: "v0"), id: v0, name: "v0", chain: accounts.chainID))
        try stranger.send(to: "judge", hello(accounts.key(for: "v0"), id: v0, name: "v0", chain: NetworkAccounts(NetworkRunTests.network(seed: 9, tasks: 1, solvers: [.honest], verifiers: [.always])).chainID))
        try stranger.send(to: "judge", WireFrame.control(.alive).encode())
        try stranger.send(to: "judge", [0xde, 0xad])
        lobby.drain()
        #expect(lobby.joinedCount == 0 && lobby.isGone("v0") && lobby.strayFrames == 4)
        // v0's own signed hello joins it on its connection.
        let joined = hello(accounts.key(for: "v0"), id: v0, name: "v0", chain: accounts.chainID)
        try party.send(to: "judge", joined)
        lobby.drain()
        #expect(lobby.joinedCount == 1 && !lobby.isGone("v0") && lobby.notJoined == ["s0"])
        // The same hello replayed by the stranger is refused by its nonce.
        try stranger.send(to: "judge", joined)
        lobby.drain()
        #expect(lobby.strayFrames == 5)
        // Silence past the limit: gone. A stranger's `alive` does not revive it; its own does.
        now = 15_001
        try stranger.send(to: "judge", WireFrame.control(.alive).encode())
        lobby.drain()
        #expect(lobby.isGone("v0") && lobby.strayFrames == 6)
        try party.send(to: "judge", WireFrame.control(.alive).encode())
        lobby.drain()
        #expect(!lobby.isGone("v0"))
    }
}
