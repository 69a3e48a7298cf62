import Game
import Report

/// What one played game leaves behind, in either mode: the chain's report, every
/// party's figures and the judge's log. A judge process writes it for the launcher.
public struct RunResult: Codable, Sendable {
    /// The game as the chain saw it.
    public var game: GameReport
    /// What each party measured, in roster order (a party that never reported is absent).
    public var parties: [PartyMetrics]
    /// The judge's log, bounded (see `BoundedLog`).
    public var log: [String]
    /// Frames the judge received that were not the protocol's: from strangers, not
    /// decodable as a wire frame, or control messages out of place.
    public var strayFrames: Int

    enum CodingKeys: String, CodingKey { case game, parties, log, strayFrames = "stray_frames" }
}

/// A failure of the simulation itself (not of the game): one line for the user.
public struct RoleError: Error, CustomStringConvertible, Equatable {
    /// The message.
    public let description: String
    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}

/// A log that keeps its first `limit` lines and counts the rest, so a flood of junk
/// frames cannot grow a result file or a process's memory without bound.
public struct BoundedLog: Sendable {
    /// Lines kept, in order.
    public private(set) var lines: [String] = []
    /// Lines dropped after the limit.
    public private(set) var dropped = 0
    /// How many lines are kept.
    public let limit: Int

    /// A log keeping at most `limit` lines.
    public init(limit: Int = 2_000) { self.limit = limit }

    /// Appends `line` if there is room; returns whether it was kept.
    @discardableResult
    public mutating func append(_ line: String) -> Bool {
        guard lines.count < limit else { dropped += 1; return false }
        lines.append(line)
        return true
    }

    /// The kept lines, and one more saying how many were dropped.
    public var all: [String] { dropped == 0 ? lines : lines + ["… \(dropped) more lines not kept"] }
}
