/// Network faults to inject, described as data so a scenario file can state them
/// and both transports can apply them: the in-memory network acts on virtual time,
/// `FaultyEndpoint` on real time around a ZeroMQ endpoint. Rules match messages by
/// sender and (optionally) receiver; every matching rule applies to a message.
public struct LinkFaults: Sendable, Equatable {
    /// One fault rule.
    public struct Rule: Sendable, Equatable {
        /// What happens to a matching message.
        public enum Action: Sendable, Equatable {
            /// Deliver it this many milliseconds late (delays of several rules add up).
            case delay(milliseconds: Int)
            /// Drop it with this probability, decided by the seeded generator.
            case drop(probability: Double)
            /// Let the first `messages` matching messages through and drop every
            /// later one — a party that goes silent after that many messages.
            case dropAfter(messages: Int)
        }

        /// Sender to match; nil matches any sender.
        public var from: String?
        /// Receiver to match; nil matches any receiver.
        public var to: String?
        /// The fault.
        public var action: Action

        /// Builds a rule.
        public init(from: String?, to: String? = nil, action: Action) {
            self.from = from
            self.to = to
            self.action = action
        }

        func matches(from sender: String, to receiver: String) -> Bool {
            (from == nil || from == sender) && (to == nil || to == receiver)
        }
    }

    /// The rules, applied in this order (the order fixes the generator draws).
    public var rules: [Rule]

    /// Builds a fault set from rules.
    public init(rules: [Rule] = []) { self.rules = rules }

    /// No faults: every message is delivered on time.
    public static let none = LinkFaults()

    /// Adds a rule delaying messages from `from` (to `to`, if given) by `milliseconds`.
    public func delaying(from: String?, to: String? = nil, by milliseconds: Int) -> LinkFaults {
        adding(Rule(from: from, to: to, action: .delay(milliseconds: milliseconds)))
    }

    /// Adds a rule dropping messages from `from` (to `to`) with `probability`.
    public func dropping(from: String?, to: String? = nil, probability: Double) -> LinkFaults {
        adding(Rule(from: from, to: to, action: .drop(probability: probability)))
    }

    /// Adds a rule dropping every message from `from` (to `to`) after the first `messages`.
    public func droppingAfter(from: String?, to: String? = nil, messages: Int) -> LinkFaults {
        adding(Rule(from: from, to: to, action: .dropAfter(messages: messages)))
    }

    /// This fault set with one more rule at the end.
    public func adding(_ rule: Rule) -> LinkFaults {
        LinkFaults(rules: rules + [rule])
    }

    /// Throws `.invalidFault` naming the rule if a delay or count is negative or a
    /// probability lies outside [0, 1] (or is NaN).
    public func validate() throws {
        for (i, rule) in rules.enumerated() {
            let who = "fault rule \(i + 1) (from \(rule.from ?? "any") to \(rule.to ?? "any"))"
            switch rule.action {
            case .delay(let ms) where ms < 0:
                throw TransportError(.invalidFault, "\(who): delay \(ms) ms is negative")
            case .drop(let p) where !(p >= 0 && p <= 1):
                throw TransportError(.invalidFault, "\(who): drop probability \(p) is not within [0, 1]")
            case .dropAfter(let n) where n < 0:
                throw TransportError(.invalidFault, "\(who): message count \(n) is negative")
            default:
                break
            }
        }
    }
}

/// Applies a `LinkFaults` to a stream of messages: per-rule counters plus the
/// seeded generator. Decisions depend only on the rules, the seed and the order of
/// `decide` calls, so the same scenario drops the same messages every run.
public struct FaultInjector: Sendable {
    /// What to do with one message.
    public enum Decision: Sendable, Equatable {
        /// Deliver it, this many milliseconds later than the link would.
        case deliver(extraDelayMilliseconds: Int)
        /// Drop it silently (as a lossy network would).
        case drop
    }

    /// The rules applied.
    public let faults: LinkFaults
    /// The generator behind probabilistic drops (its state advances per draw).
    public private(set) var generator: SeededGenerator
    private var matchCounts: [Int]
    /// How many messages `decide` has dropped so far.
    public private(set) var droppedCount = 0

    /// No faults.
    public init() {
        faults = .none
        generator = SeededGenerator(seed: 0)
        matchCounts = []
    }

    /// Applies `faults`, drawing from `generator`. Throws `.invalidFault` for a bad rule.
    public init(faults: LinkFaults, generator: SeededGenerator) throws {
        try faults.validate()
        self.faults = faults
        self.generator = generator
        matchCounts = Array(repeating: 0, count: faults.rules.count)
    }

    /// Decides the fate of the next message from `sender` to `receiver`. Every
    /// matching rule is evaluated (counting the message and drawing for
    /// probabilistic rules even if another rule already dropped it), so one rule's
    /// outcome never shifts another rule's counts or draws.
    public mutating func decide(from sender: String, to receiver: String) -> Decision {
        var extra = 0
        var drop = false
        for (i, rule) in faults.rules.enumerated() where rule.matches(from: sender, to: receiver) {
            matchCounts[i] += 1
            switch rule.action {
            case .delay(let ms): extra = extra.saturatingAdd(ms)
            case .drop(let p): if generator.chance(p) { drop = true }
            case .dropAfter(let n): if matchCounts[i] > n { drop = true }
            }
        }
        if drop {
            droppedCount += 1
            return .drop
        }
        return .deliver(extraDelayMilliseconds: extra)
    }
}
