import Roles
import Scenario

/// Where a network's games are played: each is started when its task is posted and
/// reported back once it has settled. The network (`NetworkRun`) keeps the money and
/// the order of events; a table only plays games.
public protocol GameTable: AnyObject {
    /// Starts task `task`'s game `spec` (1-based), posted in network block `arrival`.
    func start(_ spec: ScenarioSpec, task: Int, arrival: UInt64) throws
    /// Plays on until every game that can still settle by network block `block` (its
    /// arrival + its own settlement block) has, and returns every game finished since the
    /// last call (task → result), whenever it settled.
    func run(through block: UInt64) throws -> [Int: RunResult]
}

/// Plays each game to its end when it is started, through `player` (in this process, or
/// anything else that plays one game at a time). Games do not influence each other — each
/// holds only its participants' bonds — so playing them one after another gives the same
/// games as playing them at once.
public final class SequentialTable: GameTable {
    private let player: NetworkRun.Player
    private var finished: [Int: RunResult] = [:]

    /// A table playing through `player`.
    public init(_ player: @escaping NetworkRun.Player) { self.player = player }

    public func start(_ spec: ScenarioSpec, task: Int, arrival: UInt64) throws {
        finished[task] = try player(spec, task)
    }

    public func run(through block: UInt64) throws -> [Int: RunResult] {
        defer { finished = [:] }
        return finished
    }
}
