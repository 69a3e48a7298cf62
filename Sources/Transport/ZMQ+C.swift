// Every libzmq call Transport makes goes through this file: small functions that
// turn C return codes into Swift errors, so the rest of the target never sees
// `-1`/`zmq_errno()` and EINTR is handled in exactly one place (`LibZMQ.check`).
import CZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A libzmq error number (`zmq_errno()`), with readable names for the codes
/// Transport meets. Raw values are the platform's errno values (libzmq's own
/// codes such as `ETERM` live above `ZMQ_HAUSNUMERO`).
public struct ZMQError: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The errno value reported by libzmq.
    public let rawValue: Int32

    /// Wraps an errno value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The error of the libzmq call that just failed on this thread.
    static var current: ZMQError { ZMQError(rawValue: zmq_errno()) }

    /// EAGAIN: nothing to receive / cannot send now (non-blocking call or timeout).
    public static let again = ZMQError(rawValue: EAGAIN)
    /// EINTR: a signal interrupted the call.
    public static let interrupted = ZMQError(rawValue: EINTR)
    /// ETERM: the context was terminated while the socket was in use.
    public static let terminated = ZMQError(rawValue: ETERM)
    /// EHOSTUNREACH: a ROUTER with ROUTER_MANDATORY was asked to send to an unknown peer.
    public static let hostUnreachable = ZMQError(rawValue: EHOSTUNREACH)
    /// ENOTSOCK: the socket handle is invalid (for example already closed).
    public static let notSocket = ZMQError(rawValue: ENOTSOCK)
    /// EINVAL: an invalid argument (bad option value, malformed endpoint, …).
    public static let invalidArgument = ZMQError(rawValue: EINVAL)
    /// EADDRINUSE: the endpoint is already bound by someone.
    public static let addressInUse = ZMQError(rawValue: EADDRINUSE)
    /// EADDRNOTAVAIL: the requested address is not local.
    public static let addressNotAvailable = ZMQError(rawValue: EADDRNOTAVAIL)
    /// EPROTONOSUPPORT: the endpoint's transport (`tcp`, `ipc`, …) is not supported.
    public static let protocolNotSupported = ZMQError(rawValue: EPROTONOSUPPORT)
    /// ENODEV: the endpoint names a non-existent interface.
    public static let noDevice = ZMQError(rawValue: ENODEV)
    /// ENOENT: e.g. connecting to an `inproc` endpoint nobody has bound (old libzmq).
    public static let noEntry = ZMQError(rawValue: ENOENT)
    /// EMFILE: the process or the context ran out of file descriptors / sockets.
    public static let tooManyFiles = ZMQError(rawValue: EMFILE)
    /// EFSM: the operation is not valid in the socket's current state.
    public static let invalidState = ZMQError(rawValue: EFSM)
    /// ENOTSUP: the operation is not supported by this socket type.
    public static let notSupported = ZMQError(rawValue: ENOTSUP)
    /// EMSGSIZE: the message is too large.
    public static let messageTooLarge = ZMQError(rawValue: EMSGSIZE)
    /// EMTHREAD: no I/O thread available.
    public static let noIOThread = ZMQError(rawValue: EMTHREAD)
    /// EFAULT: invalid handle (for example a context already terminated).
    public static let fault = ZMQError(rawValue: EFAULT)

    private static let names: [(ZMQError, String)] = [
        (.again, "EAGAIN"), (.interrupted, "EINTR"), (.terminated, "ETERM"),
        (.hostUnreachable, "EHOSTUNREACH"), (.notSocket, "ENOTSOCK"),
        (.invalidArgument, "EINVAL"), (.addressInUse, "EADDRINUSE"),
        (.addressNotAvailable, "EADDRNOTAVAIL"), (.protocolNotSupported, "EPROTONOSUPPORT"),
        (.noDevice, "ENODEV"), (.noEntry, "ENOENT"), (.tooManyFiles, "EMFILE"),
        (.invalidState, "EFSM"), (.notSupported, "ENOTSUP"), (.messageTooLarge, "EMSGSIZE"),
        (.noIOThread, "EMTHREAD"), (.fault, "EFAULT"),
    ]

    /// `zmq_strerror` text, prefixed with the symbolic name when known.
    public var description: String {
        let text = String(cString: zmq_strerror(rawValue))
        if let name = Self.names.first(where: { $0.0 == self })?.1 { return "\(name) (\(text))" }
        return "errno \(rawValue) (\(text))"
    }
}

/// Thin wrappers over the libzmq C API. Handles are raw pointers; ownership is
/// managed by `ZMQContext` / `ZMQSocket`.
enum LibZMQ {
    /// Runs a libzmq call returning `-1` on failure; retries on EINTR (the one
    /// place that does) unless `retryInterrupted` is false, in which case EINTR
    /// is thrown like any other error so a caller with a deadline can recompute it.
    @inline(__always)
    @discardableResult
    static func check(retryInterrupted: Bool = true, _ call: () -> Int32) throws -> Int32 {
        while true {
            let rc = call()
            if rc != -1 { return rc }
            let error = ZMQError.current
            if error == .interrupted && retryInterrupted { continue }
            throw error
        }
    }

    static func newContext() throws -> UnsafeMutableRawPointer {
        guard let ctx = zmq_ctx_new() else { throw ZMQError.current }
        return ctx
    }

    static func setContextOption(_ ctx: UnsafeMutableRawPointer, _ option: Int32, _ value: Int32) throws {
        try check { zmq_ctx_set(ctx, option, value) }
    }

    /// Terminates a context; blocks until all its sockets are closed and their
    /// linger periods have expired. Errors other than EINTR cannot be acted on.
    static func terminate(_ ctx: UnsafeMutableRawPointer) {
        _ = try? check { zmq_ctx_term(ctx) }
    }

    static func socket(_ ctx: UnsafeMutableRawPointer, _ type: Int32) throws -> UnsafeMutableRawPointer {
        guard let s = zmq_socket(ctx, type) else { throw ZMQError.current }
        return s
    }

    static func close(_ socket: UnsafeMutableRawPointer) {
        _ = zmq_close(socket)
    }

    static func setOption(_ socket: UnsafeMutableRawPointer, _ option: Int32, _ value: Int32) throws {
        var v = value
        try check { zmq_setsockopt(socket, option, &v, MemoryLayout<Int32>.size) }
    }

    static func setOption(_ socket: UnsafeMutableRawPointer, _ option: Int32, _ value: Int64) throws {
        var v = value
        try check { zmq_setsockopt(socket, option, &v, MemoryLayout<Int64>.size) }
    }

    static func setOption(_ socket: UnsafeMutableRawPointer, _ option: Int32, bytes: [UInt8]) throws {
        _ = try bytes.withUnsafeBytes { raw in
            try check { zmq_setsockopt(socket, option, raw.baseAddress, raw.count) }
        }
    }

    static func getOption(_ socket: UnsafeMutableRawPointer, _ option: Int32) throws -> Int32 {
        var v: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try check { zmq_getsockopt(socket, option, &v, &size) }
        return v
    }

    static func getOption(_ socket: UnsafeMutableRawPointer, _ option: Int32) throws -> Int64 {
        var v: Int64 = 0
        var size = MemoryLayout<Int64>.size
        try check { zmq_getsockopt(socket, option, &v, &size) }
        return v
    }

    /// A NUL-terminated string option such as ZMQ_LAST_ENDPOINT.
    static func getStringOption(_ socket: UnsafeMutableRawPointer, _ option: Int32) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 1024)
        var size = buffer.count
        _ = try buffer.withUnsafeMutableBytes { raw in
            try check { zmq_getsockopt(socket, option, raw.baseAddress, &size) }
        }
        let used = buffer.prefix(size).prefix(while: { $0 != 0 })
        return String(decoding: used, as: UTF8.self)
    }

    static func bind(_ socket: UnsafeMutableRawPointer, _ endpoint: String) throws {
        try check { zmq_bind(socket, endpoint) }
    }

    static func connect(_ socket: UnsafeMutableRawPointer, _ endpoint: String) throws {
        try check { zmq_connect(socket, endpoint) }
    }

    /// Sends one frame (libzmq copies the bytes). `more` sets ZMQ_SNDMORE.
    static func send(_ socket: UnsafeMutableRawPointer, _ bytes: [UInt8], more: Bool) throws {
        let flags = more ? ZMQ_SNDMORE : 0
        _ = try bytes.withUnsafeBytes { raw in
            try check { zmq_send(socket, raw.baseAddress, raw.count, flags) }
        }
    }

    /// Receives one frame through a `zmq_msg_t`, so frames of any size arrive
    /// whole (never `zmq_recv` into a fixed buffer, which truncates silently).
    /// Returns nil on EAGAIN when `dontWait` is set.
    static func receiveFrame(_ socket: UnsafeMutableRawPointer, dontWait: Bool) throws -> (bytes: [UInt8], more: Bool)? {
        // Heap-allocated so the message never moves while libzmq owns it.
        let msg = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { msg.deallocate() }
        try check { zmq_msg_init(msg) }
        defer { zmq_msg_close(msg) }
        do {
            try check { zmq_msg_recv(msg, socket, dontWait ? ZMQ_DONTWAIT : 0) }
        } catch let error as ZMQError where error == .again && dontWait {
            return nil
        }
        let size = zmq_msg_size(msg)
        let bytes: [UInt8]
        if size == 0 {
            bytes = []
        } else {
            let data = zmq_msg_data(msg)!
            bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
        }
        let more = zmq_msg_more(msg) != 0
        return (bytes, more)
    }

    /// Waits up to `timeoutMilliseconds` (negative = forever) for the socket to be
    /// readable. EINTR is reported as "not ready" so the caller's deadline loop
    /// recomputes the remaining time.
    static func pollReadable(_ socket: UnsafeMutableRawPointer, timeoutMilliseconds: Int) throws -> Bool {
        var item = zmq_pollitem_t(socket: socket, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        do {
            let n = try check(retryInterrupted: false) { zmq_poll(&item, 1, timeoutMilliseconds) }
            return n > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
        } catch let error as ZMQError where error == .interrupted {
            return false
        }
    }

    /// libzmq's version triple, for reports.
    static var version: (major: Int32, minor: Int32, patch: Int32) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (major, minor, patch)
    }
}
