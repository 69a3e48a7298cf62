import Foundation

/// Seconds on the host's monotonic clock: the one reading of host time in tbsim. Used
/// for real-time deadlines (receive timeouts, held messages, a judge's chain clock over
/// real processes) and wall-clock figures; never for anything committed.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Milliseconds on the host's monotonic clock (see `monotonicSeconds`).
public func monotonicMilliseconds() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int(ts.tv_sec) * 1000 + Int(ts.tv_nsec) / 1_000_000
}

/// Time elapsed since it was created, on the host's monotonic clock.
public struct Stopwatch: Sendable {
    /// When it started, in `monotonicSeconds`.
    public let origin: Double
    /// Starts now.
    public init() { origin = monotonicSeconds() }
    /// Seconds since the start.
    public var seconds: Double { monotonicSeconds() - origin }
    /// Whole milliseconds since the start.
    public var milliseconds: UInt64 { UInt64(max(0, seconds * 1000)) }
}
