/// A role's event loop, the same over every transport: it receives from its endpoint,
/// feeds its state machine and carries out the actions. Drivers decide only how time
/// passes: `ProcessDriver` waits on a real socket with the host clock, `InMemoryRun`
/// steps many loops on one virtual clock.
public protocol NodeLoop: AnyObject {
    /// Receives at most one message (waiting up to `timeoutMilliseconds` where the
    /// transport can wait), handles it, then does whatever the clock now asks. Returns
    /// whether a message was handled.
    func pump(timeoutMilliseconds: Int) -> Bool
    /// The time (in the loop's clock) by which `pump` must be called again even if no
    /// message arrives: a deadline, a held message's release, the end of a grace period.
    var nextWakeup: UInt64? { get }
    /// True once the loop has nothing left to do.
    var isDone: Bool { get }
}
