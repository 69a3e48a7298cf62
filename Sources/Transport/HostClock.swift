import Foundation

/// Seconds on the host's monotonic clock: the one reading of host time in tbsim. Used
/// for real-time deadlines (receive timeouts, held messages, a judge's chain clock over
/// real processes) and wall-clock figures; never for anything committed.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU seconds the calling thread has run: for benchmark figures on a shared machine,
/// where wall time also counts the time other processes held the cores.
public func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
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

/// A clock that counts only the time its process was running: host time, except that a
/// gap longer than `maxStepMs` between two readings (the process was stopped, starved or
/// swapped out) counts as `maxStepMs`. A judge over real processes runs its chain on it,
/// so a judge that is paused produces no blocks — as a halted chain produces none — and
/// a move that reached it before a deadline is not made late by the pause.
///
/// Read it often (a node loop reads it at least every wait of its pump); `onGap` hears
/// each gap that was not counted.
public final class RunningClock: @unchecked Sendable {
    private let watch = Stopwatch()
    private var lastHost: UInt64 = 0
    private var running: UInt64 = 0
    private let lock = NSLock()
    /// The longest step counted between two readings.
    public let maxStepMs: UInt64
    /// Called with the uncounted ms of each gap.
    public var onGap: (UInt64) -> Void = { _ in }

    /// A clock starting at 0 now.
    public init(maxStepMs: UInt64 = 250) { self.maxStepMs = maxStepMs }

    /// Milliseconds of running time since the clock was created.
    public var milliseconds: UInt64 {
        lock.lock()
        let host = watch.milliseconds
        let step = host &- lastHost
        lastHost = host
        running &+= min(step, maxStepMs)
        let now = running
        lock.unlock()
        if step > maxStepMs { onGap(step - maxStepMs) }
        return now
    }
}
