/// The one error type the transport layer throws above the C wrappers: a code to
/// match on, a human-readable detail that names the endpoint / peer / operation,
/// and the libzmq cause when there is one. A struct (not an enum) so codes can be
/// added without breaking callers.
public struct TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, independent of the specific endpoint.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case closed, unknownPeer, bindFailed, connectFailed, sendFailed, receiveFailed
            case socketSetup, invalidName, duplicateName, malformedMessage, broadcastIncomplete, invalidFault
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The endpoint or socket was closed; nothing more can be sent or received.
        public static let closed = Code(.closed)
        /// The named peer is not reachable (not connected / not known).
        public static let unknownPeer = Code(.unknownPeer)
        /// Binding to an endpoint failed (address in use, bad endpoint, …).
        public static let bindFailed = Code(.bindFailed)
        /// Connecting to an endpoint failed (malformed endpoint, unsupported transport, …).
        public static let connectFailed = Code(.connectFailed)
        /// A send failed (for example the peer's queue stayed full past the send timeout).
        public static let sendFailed = Code(.sendFailed)
        /// A receive failed for a reason other than a timeout.
        public static let receiveFailed = Code(.receiveFailed)
        /// Creating or configuring a context or socket failed.
        public static let socketSetup = Code(.socketSetup)
        /// A party name cannot be used as a routing id (empty, too long, leading NUL).
        public static let invalidName = Code(.invalidName)
        /// Two endpoints of one in-memory network were given the same name.
        public static let duplicateName = Code(.duplicateName)
        /// A message arrived whose framing does not match the protocol; it was
        /// discarded and receiving may continue.
        public static let malformedMessage = Code(.malformedMessage)
        /// A broadcast reached some peers but not all (see the detail).
        public static let broadcastIncomplete = Code(.broadcastIncomplete)
        /// A fault rule is out of range (negative delay or count, probability outside [0, 1]).
        public static let invalidFault = Code(.invalidFault)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What was being done and to what (endpoint, peer, frame count…).
    public var detail: String
    /// The libzmq error behind this failure, when there is one.
    public var cause: ZMQError?

    /// Builds an error.
    public init(_ code: Code, _ detail: String, cause: ZMQError? = nil) {
        self.code = code
        self.detail = detail
        self.cause = cause
    }

    /// `code: detail: cause`.
    public var description: String {
        var s = "\(code): \(detail)"
        if let cause { s += ": \(cause)" }
        return s
    }
}

/// Party names double as ZeroMQ routing ids, which must be 1…255 bytes and must
/// not start with a zero byte (libzmq reserves those for generated ids).
public enum PartyName {
    /// Throws `.invalidName` naming the problem if `name` cannot be a routing id.
    public static func validate(_ name: String) throws {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { throw TransportError(.invalidName, "party name is empty") }
        if bytes.count > 255 {
            throw TransportError(.invalidName, "party name is \(bytes.count) bytes; the limit is 255")
        }
        if bytes[0] == 0 {
            throw TransportError(.invalidName, "party name \(name.debugDescription) starts with a NUL byte")
        }
    }

    /// Decodes a routing id received from the wire; nil if it is not a valid name
    /// (not UTF-8, or a libzmq-generated id for a peer that set none).
    static func decode(_ bytes: [UInt8]) -> String? {
        guard let first = bytes.first, first != 0 else { return nil }
        let s = String(decoding: bytes, as: UTF8.self)
        return Array(s.utf8) == bytes ? s : nil
    }
}
