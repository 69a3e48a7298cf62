import Game

extension ScenarioReport {
    /// Where a run's block numbers came from and which of them another run of the same
    /// scenario could change (docs/REPORT.md, "Clock").
    ///
    /// The chain mines a move in the block it arrived in, but never before the block after
    /// the one whose state it answers (docs/GAME.md, "Clock"). When every move arrives in
    /// time for that, the rule alone fixes every block; a move that arrives later — a
    /// party slower than a block, network latency or a delay fault longer than a block, a
    /// process that was paused — is mined in its arrival block, which over role processes
    /// is real time.
    public struct ClockInfo: Codable, Equatable, Sendable {
        /// How the run kept time.
        public enum Mode: String, Codable, Sendable {
            /// One process (`--in-process`): a virtual clock; every figure is reproducible.
            case virtual
            /// Role processes over ZeroMQ: the chain's clock is real time between the rule's jumps.
            case realTime = "real_time"
        }

        /// How the run kept time.
        public var mode: Mode
        /// Positions (0-based) in `timeline` of the moves mined in their arrival block, later
        /// than the rule's block: their blocks, and every block after them, follow how long
        /// the move took to arrive.
        public var arrivalBlocks: [Int]
        /// True when another run of the scenario gives the same blocks: always on the virtual
        /// clock; over processes when every move was mined by the rule alone, no judge
        /// process restarted and no role process ended early.
        public var reproducible: Bool
        /// Why blocks could differ on another run, in words (empty when they cannot).
        public var notes: [String]

        enum CodingKeys: String, CodingKey {
            case mode, arrivalBlocks = "arrival_blocks", reproducible, notes
        }

        /// The clock of a run in `mode` that wrote `timeline`, during which `processEvents` happened.
        public init(mode: Mode, timeline: [TimelineEntry], processEvents: [ProcessEvent] = []) {
            self.mode = mode
            arrivalBlocks = Self.arrivalBlocks(timeline)
            var notes: [String] = []
            if mode == .realTime {
                if !arrivalBlocks.isEmpty {
                    let kinds = arrivalBlocks.map { "#\($0 + 1) \(timeline[$0].kind.rawValue) in block \(timeline[$0].block)" }
                    notes.append("moves \(kinds.joined(separator: ", ")) reached the chain later than the block after the state they answer "
                                 + "(a party slower than a block, network latency or a delay fault, a paused process), so real time set their blocks "
                                 + "and every block after them")
                }
                if timeline.contains(where: { $0.kind == .judgeRestarted }) {
                    notes.append("the judge process restarted: which moves it had recorded when it stopped depends on when it stopped")
                }
                if !processEvents.isEmpty {
                    notes.append("\(processEvents.map(\.process).joined(separator: ", ")) ended during the game: which moves it made first depends on when")
                }
            }
            self.notes = notes
            reproducible = notes.isEmpty
        }

        /// The positions of transaction entries mined later than the block after the state
        /// they answer: the posted task (commit), the commit (challenge), the dispute's
        /// previous turn (its moves).
        static func arrivalBlocks(_ timeline: [TimelineEntry]) -> [Int] {
            var out: [Int] = []
            var posted: UInt64?, committed: UInt64?
            var turn: [UInt32: UInt64] = [:]       // dispute → block its current turn began in
            for (i, e) in timeline.enumerated() {
                var answers: UInt64?
                switch e.kind {
                case .taskPosted: posted = e.block
                case .commit: answers = posted; committed = e.block
                case .challenge: answers = committed
                case .postRoots, .pick, .stepProof, .outputOpening: answers = e.dispute.flatMap { turn[$0] }
                default: break
                }
                if let a = answers, e.block > a + 1 { out.append(i) }
                if let d = e.dispute, e.deadline != nil, [.challenge, .disputeStarted, .postRoots, .pick].contains(e.kind) {
                    turn[d] = e.block
                }
            }
            return out
        }
    }
}

extension ScenarioReport {
    /// The clock in one sentence, for the renderers.
    public var clockSentence: String {
        switch clock.mode {
        case .virtual:
            return "Blocks follow the chain's rule on a virtual clock (one process): every run of this scenario gives the same blocks."
        case .realTime where clock.reproducible:
            return "Over role processes every move was mined by the chain's rule alone: the blocks are those of an in-process run."
        case .realTime:
            return "Over role processes some blocks followed real time: " + clock.notes.joined(separator: "; ") + "."
        }
    }
}
