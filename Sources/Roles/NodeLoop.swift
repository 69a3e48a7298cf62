import Transport

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

/// One receive of a node loop: at most one envelope from `endpoint`, waiting up to
/// `timeoutMilliseconds`, handed to `handle`. A message the transport itself calls
/// malformed (wrong frame count, no usable sender) goes to `malformed`; any other
/// failure to `failed`. Returns whether something arrived (a malformed message counts).
func receiveOne(from endpoint: any MessageEndpoint, timeoutMilliseconds: Int, handle: (Envelope) -> Void,
                malformed: (TransportError) -> Void, failed: (Error) -> Void) -> Bool {
    do {
        guard let e = try endpoint.receive(timeoutMilliseconds: timeoutMilliseconds) else { return false }
        handle(e)
        return true
    } catch let e as TransportError where e.code == .malformedMessage {
        malformed(e)
        return true
    } catch {
        failed(error)
        return false
    }
}
