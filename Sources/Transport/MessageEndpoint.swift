/// One message as a role sees it: who sent it, to whom, and the opaque bytes.
/// Transport never looks inside `payload`; the game layer encodes and decodes it.
public struct Envelope: Sendable, Equatable {
    /// The sending party's name.
    public var from: String
    /// The receiving party's name.
    public var to: String
    /// The message bytes, exactly as sent.
    public var payload: [UInt8]

    /// Builds an envelope.
    public init(from: String, to: String, payload: [UInt8]) {
        self.from = from
        self.to = to
        self.payload = payload
    }
}

/// What a role process needs from a network: send bytes to a named peer and
/// receive the next message. Implemented by the ZeroMQ transport (`ZMQHub`,
/// `ZMQClient`), the in-memory test network (`InMemoryEndpoint`) and the fault
/// wrapper (`FaultyEndpoint`), so role code runs unchanged on all of them.
/// Endpoints are not thread-safe: use each from one thread at a time.
public protocol MessageEndpoint: AnyObject {
    /// This party's name (its routing id on the wire).
    var name: String { get }
    /// Sends `payload` to `peer`. Throws `TransportError` (`.unknownPeer` when the
    /// peer cannot be reached, `.closed` after `close()`).
    func send(to peer: String, _ payload: [UInt8]) throws
    /// The next message addressed to this party, or nil if none arrives within
    /// the timeout. Negative timeouts wait without limit where the transport can
    /// block (see each implementation for its notion of time).
    func receive(timeoutMilliseconds: Int) throws -> Envelope?
    /// Releases the endpoint. Idempotent; afterwards send/receive throw `.closed`.
    func close()
}

/// An endpoint at the centre of the star (the judge): it knows the peers that
/// have spoken to it and can send one payload to all of them (chain events).
public protocol BroadcastEndpoint: MessageEndpoint {
    /// Peers learned from their first message, in the order they first spoke.
    var peers: [String] { get }
}

extension BroadcastEndpoint {
    /// Sends `payload` to every known peer, in `peers` order. Tries all of them even
    /// if some fail, then throws `.broadcastIncomplete` naming each failure.
    public func broadcast(_ payload: [UInt8]) throws {
        var failures: [String] = []
        for peer in peers {
            do {
                try send(to: peer, payload)
            } catch let error as TransportError where error.code == .closed {
                throw error
            } catch {
                failures.append("\(peer): \(error)")
            }
        }
        if !failures.isEmpty {
            throw TransportError(.broadcastIncomplete, "broadcast from \(name) failed for " + failures.joined(separator: "; "))
        }
    }
}
