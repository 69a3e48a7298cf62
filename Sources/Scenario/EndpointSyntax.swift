/// The ZeroMQ endpoints tbsim accepts, checked before anything binds, connects or
/// computes: libzmq itself takes `tcp://127.0.0.1:99999` and binds some other port, and
/// only notices a malformed connect endpoint when the connection is attempted.
public enum EndpointSyntax {
    /// What the endpoint is for.
    public enum Use: Sendable {
        /// The judge binds it: a tcp port may be 0 or `*` (any free port).
        case bind
        /// A party connects to it: a tcp port must be 1…65535.
        case connect
    }

    /// What is wrong with `endpoint` for `use`, or nil when it is well formed:
    /// `tcp://HOST:PORT`, `ipc://PATH` or `inproc://NAME`.
    public static func problem(_ endpoint: String, for use: Use) -> String? {
        let ports = use == .bind ? "PORT 0…65535 or *, 0 = any free port" : "PORT 1…65535"
        let expected = "expected a ZeroMQ endpoint tcp://HOST:PORT (\(ports)), ipc://PATH or inproc://NAME"
        guard let sep = endpoint.range(of: "://") else { return "\(expected), got \(endpoint.debugDescription)" }
        let scheme = endpoint[..<sep.lowerBound], rest = endpoint[sep.upperBound...]
        switch scheme {
        case "tcp":
            guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex else {
                return "\(expected), got \(endpoint.debugDescription) (no HOST:PORT)"
            }
            let port = rest[rest.index(after: colon)...]
            if port == "*" && use == .bind { return nil }
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port),
                  n <= 65_535, use == .bind || n >= 1 else {
                return "\(expected), got \(endpoint.debugDescription) (port \(String(port).debugDescription))"
            }
            return nil
        case "ipc", "inproc":
            return rest.isEmpty ? "\(expected), got \(endpoint.debugDescription) (empty \(scheme) name)" : nil
        default:
            return "\(expected), got \(endpoint.debugDescription) (unknown transport \(String(scheme).debugDescription))"
        }
    }

    /// Whether a process other than the one that bound `endpoint` can reach it
    /// (`inproc://` lives inside one process).
    public static func crossesProcesses(_ endpoint: String) -> Bool { !endpoint.hasPrefix("inproc://") }
}
