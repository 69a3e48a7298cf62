import CZeroMQ

/// Owns one libzmq context. Sockets keep their context alive, so the context is
/// terminated (on deinit) only after every socket made from it is closed, and
/// termination is bounded by the sockets' linger periods.
public final class ZMQContext {
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads (one is plenty
    /// for a role process).
    public init(ioThreads: Int32 = 1) throws {
        do {
            handle = try LibZMQ.newContext()
        } catch let error as ZMQError {
            throw TransportError(.socketSetup, "creating a ZeroMQ context", cause: error)
        }
        do {
            try LibZMQ.setContextOption(handle, ZMQ_IO_THREADS, ioThreads)
        } catch let error as ZMQError {
            LibZMQ.terminate(handle)
            throw TransportError(.socketSetup, "setting ZMQ_IO_THREADS=\(ioThreads)", cause: error)
        }
    }

    deinit { LibZMQ.terminate(handle) }

    /// The linked libzmq version as "major.minor.patch".
    public static var libraryVersion: String {
        let v = LibZMQ.version
        return "\(v.major).\(v.minor).\(v.patch)"
    }
}

/// One ZeroMQ socket with the options tbsim relies on set explicitly. Frames are
/// byte arrays; a message is a list of frames. Not thread-safe (libzmq sockets
/// are not): use each socket from one thread at a time.
public final class ZMQSocket {
    /// The socket types Transport uses.
    public enum Kind: Sendable, CustomStringConvertible {
        /// The judge's side of the star: addresses peers by routing id.
        case router
        /// A party's side of the star: one connection to the judge.
        case dealer
        /// An exclusive pair (for tests and simple point-to-point links).
        case pair

        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .dealer: return ZMQ_DEALER
            case .pair: return ZMQ_PAIR
            }
        }

        /// The lower-case socket type name.
        public var description: String {
            switch self {
            case .router: return "router"
            case .dealer: return "dealer"
            case .pair: return "pair"
            }
        }
    }

    /// Socket options set on every socket at creation.
    public struct Options: Sendable {
        /// How long close may keep unsent messages to deliver them. Small on purpose:
        /// long enough that a role's last message (a final move, a ruling) usually
        /// reaches a live peer over loopback, short enough that a dead peer never
        /// makes shutdown (context termination) hang. Default 100 ms.
        public var lingerMilliseconds: Int32 = 100
        /// Inbound frames larger than this are refused by libzmq: the frame is never
        /// delivered and the connection that carried it is dropped (a DEALER peer
        /// reconnects by itself; messages queued behind the frame on that connection
        /// may be lost). So a hostile peer cannot make a role allocate without bound.
        /// Default 64 MiB; -1 = no limit.
        public var maxMessageBytes: Int64 = 64 << 20
        /// How long a blocking send may wait when the peer's queue is full before
        /// failing with EAGAIN, so a stuck peer cannot freeze the judge. Default 2 s.
        public var sendTimeoutMilliseconds: Int32 = 2000
        /// The routing id announced to a ROUTER peer (DEALER sockets). nil = none.
        public var routingID: [UInt8]? = nil
        /// ROUTER only: sending to an unknown routing id fails with EHOSTUNREACH
        /// instead of being dropped silently. Default true.
        public var routerMandatory: Bool = true

        /// The defaults described on each property.
        public init() {}
    }

    /// The context this socket belongs to, retained so it outlives the socket.
    public let context: ZMQContext
    /// The socket type.
    public let kind: Kind
    private var handle: UnsafeMutableRawPointer?

    /// Creates a socket of `kind` and applies `options`.
    public init(context: ZMQContext, kind: Kind, options: Options = Options()) throws {
        self.context = context
        self.kind = kind
        let h: UnsafeMutableRawPointer
        do {
            h = try LibZMQ.socket(context.handle, kind.raw)
        } catch let error as ZMQError {
            throw TransportError(.socketSetup, "creating a \(kind) socket", cause: error)
        }
        handle = h
        func set(_ what: String, _ body: () throws -> Void) throws {
            do { try body() } catch let error as ZMQError {
                close()
                throw TransportError(.socketSetup, "setting \(what) on a \(kind) socket", cause: error)
            }
        }
        try set("ZMQ_LINGER=\(options.lingerMilliseconds)") { try LibZMQ.setOption(h, ZMQ_LINGER, options.lingerMilliseconds) }
        try set("ZMQ_MAXMSGSIZE=\(options.maxMessageBytes)") { try LibZMQ.setOption(h, ZMQ_MAXMSGSIZE, options.maxMessageBytes) }
        try set("ZMQ_SNDTIMEO=\(options.sendTimeoutMilliseconds)") { try LibZMQ.setOption(h, ZMQ_SNDTIMEO, options.sendTimeoutMilliseconds) }
        if let id = options.routingID {
            try set("ZMQ_ROUTING_ID") { try LibZMQ.setOption(h, ZMQ_ROUTING_ID, bytes: id) }
        }
        if kind == .router && options.routerMandatory {
            try set("ZMQ_ROUTER_MANDATORY") { try LibZMQ.setOption(h, ZMQ_ROUTER_MANDATORY, Int32(1)) }
        }
    }

    deinit { close() }

    /// True once `close()` has run.
    public var isClosed: Bool { handle == nil }

    private func open(_ operation: String) throws -> UnsafeMutableRawPointer {
        guard let h = handle else { throw TransportError(.closed, "\(operation) on a closed \(kind) socket") }
        return h
    }

    /// Binds to `endpoint` ("tcp://127.0.0.1:*" picks a free port, "ipc://path",
    /// "inproc://name") and returns the endpoint actually bound (ZMQ_LAST_ENDPOINT),
    /// which callers hand to connecting parties.
    @discardableResult
    public func bind(_ endpoint: String) throws -> String {
        let h = try open("bind to \(endpoint)")
        do {
            try LibZMQ.bind(h, endpoint)
            return try LibZMQ.getStringOption(h, ZMQ_LAST_ENDPOINT)
        } catch let error as ZMQError {
            throw TransportError(.bindFailed, "\(kind) socket cannot bind to \(endpoint)", cause: error)
        }
    }

    /// Connects to `endpoint`. libzmq connects asynchronously and reconnects on its
    /// own, so this fails only for malformed or unsupported endpoints.
    public func connect(_ endpoint: String) throws {
        let h = try open("connect to \(endpoint)")
        do {
            try LibZMQ.connect(h, endpoint)
        } catch let error as ZMQError {
            throw TransportError(.connectFailed, "\(kind) socket cannot connect to \(endpoint)", cause: error)
        }
    }

    /// The endpoint most recently bound or connected, if any.
    public var lastEndpoint: String? {
        guard let h = handle, let s = try? LibZMQ.getStringOption(h, ZMQ_LAST_ENDPOINT), !s.isEmpty else { return nil }
        return s
    }

    /// Sends one multipart message (all frames or, on failure of the first, none).
    /// A ROUTER treats the first frame as the destination routing id.
    public func send(frames: [[UInt8]]) throws {
        let h = try open("send")
        precondition(!frames.isEmpty, "a message has at least one frame")
        for (i, frame) in frames.enumerated() {
            do {
                try LibZMQ.send(h, frame, more: i + 1 < frames.count)
            } catch let error as ZMQError {
                let code: TransportError.Code = error == .hostUnreachable ? .unknownPeer : .sendFailed
                throw TransportError(code, "\(kind) socket send of frame \(i + 1)/\(frames.count) (\(frame.count) bytes)", cause: error)
            }
        }
    }

    /// Receives one whole multipart message, waiting up to `timeoutMilliseconds`
    /// (0 = don't wait, negative = forever). Returns nil on timeout. Frames are
    /// read through `zmq_msg_t`, so they arrive whole whatever their size.
    public func receive(timeoutMilliseconds: Int) throws -> [[UInt8]]? {
        let h = try open("receive")
        let deadline = timeoutMilliseconds < 0 ? nil : monotonicMilliseconds().saturatingAdd(timeoutMilliseconds)
        do {
            while true {
                if let first = try LibZMQ.receiveFrame(h, dontWait: true) {
                    var frames = [first.bytes]
                    var more = first.more
                    // The remaining frames of a multipart message are already here
                    // (libzmq delivers messages atomically), so this never blocks.
                    while more, let next = try LibZMQ.receiveFrame(h, dontWait: false) {
                        frames.append(next.bytes)
                        more = next.more
                    }
                    return frames
                }
                var wait = -1
                if let deadline {
                    wait = deadline - monotonicMilliseconds()
                    if wait <= 0 { return nil }
                }
                _ = try LibZMQ.pollReadable(h, timeoutMilliseconds: wait)
            }
        } catch let error as ZMQError {
            throw TransportError(.receiveFailed, "\(kind) socket receive", cause: error)
        }
    }

    /// Closes the socket (unsent messages linger as configured). Idempotent.
    public func close() {
        if let h = handle {
            LibZMQ.close(h)
            handle = nil
        }
    }
}
