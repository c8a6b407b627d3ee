import Dreaming
import Foundation
import Sessions

/// What `reverie eval` found, for people (as tables) and scripts (`--json`): per
/// consolidator and kind, what it proposed and, on the planted corpus, how much of it was
/// right (precision) and how much of what was planted it found (recall).
public struct EvaluationReport: Sendable, Encodable {
    /// One proposed change, as a person judges it.
    public struct Proposal: Sendable, Encodable {
        /// The consolidator's own kind: "mistake", "merge", "restructure", …
        public let kind: String
        /// The change's one-line summary, as its commit subject says it.
        public let summary: String
        /// Evidence quotes it cites, and how many of them occur word for word (white space
        /// folded, as a dream checks them) in the session they name.
        public let evidence: Int
        /// How many of those quotes occur word for word.
        public let verbatim: Int
        /// Whether it names a planted pattern not named before; nil without ground truth.
        public let correct: Bool?
    }

    /// A consolidator's changes of one kind.
    public struct Kind: Sendable, Encodable {
        /// The scored kind these changes count for.
        public let kind: PatternKind
        /// How many changes of this kind it proposed.
        public let proposed: Int
        /// On the planted corpus only: changes that were right, patterns found, patterns planted.
        public let correct: Int?
        /// Planted patterns of this kind that some change named.
        public let found: Int?
        /// Patterns of this kind the corpus planted.
        public let planted: Int?
        /// Nil without ground truth, and when nothing was proposed.
        public let precision: Double?
        /// Share of the planted patterns found; nil without ground truth.
        public let recall: Double?
        /// Evidence quotes cited by these changes.
        public let evidence: Int
        /// How many of those quotes occur word for word.
        public let verbatim: Int
        /// The changes, in plan order.
        public let changes: [Proposal]
    }

    /// One consolidator's run.
    public struct Result: Sendable, Encodable {
        /// As it names itself in commits: "builtin/1", "anthropic/claude-…".
        public let consolidator: String
        /// As chosen: "builtin", "anthropic", "openai", "command".
        public let choice: String
        /// How long planning took, to the millisecond.
        public let seconds: Double
        /// Why it made no plan, when it did not.
        public let error: String?
        /// What a model spent.
        public let tokens: TokenUsage?
        /// Changes it began and left out, with why.
        public let dropped: [DroppedChange]
        /// Its changes per kind, every `PatternKind` listed.
        public let kinds: [Kind]
    }

    /// "planted", or the folder of transcripts.
    public let corpus: String
    /// The planted corpus's seed; nil for transcripts.
    public let seed: UInt64?
    /// How many sessions the input held.
    public let sessions: Int
    /// How many memory files the input held.
    public let memoryFiles: Int
    /// Patterns planted per kind; nil for transcripts, which have no ground truth.
    public let planted: [String: Int]?
    /// One result per consolidator, in the order they ran.
    public let results: [Result]

    /// - Parameter truth: the planted corpus the input came from; nil for a person's transcripts.
    public init(corpus: String, input: DreamInput, outcomes: [Evaluation.Outcome], truth: PlantedCorpus?) {
        self.corpus = corpus
        seed = truth?.seed
        sessions = input.sessions.count
        memoryFiles = input.memory.files.count
        planted = truth.map { truth in
            [
                PatternKind.mistakes.rawValue: truth.mistakes.count,
                PatternKind.workflows.rawValue: truth.workflows.count,
                PatternKind.preferences.rawValue: truth.preferences.count,
                PatternKind.duplicates.rawValue: truth.duplicates.count,
            ]
        }
        let sessionsByID = Dictionary(input.sessions.map { ($0.id, $0) }) { first, _ in first }
        results = outcomes.map { outcome in
            guard let plan = outcome.plan else {
                return Result(
                    consolidator: outcome.name, choice: outcome.choice, seconds: Self.rounded(outcome.seconds),
                    error: outcome.error, tokens: nil, dropped: [], kinds: [])
            }
            let judged = truth.map { PlantedScorer(corpus: $0).judge(plan, memory: input.memory.texts) }
            let changes = plan.changes.enumerated().map { index, change in
                Proposal(
                    kind: change.kind.rawValue, summary: change.summary, evidence: change.evidence.count,
                    verbatim: change.evidence.filter { evidence in
                        sessionsByID[evidence.session].map { SessionTools.contains($0, quote: evidence.quote) } ?? false
                    }.count,
                    correct: judged?.correct[index])
            }
            let kinds = PatternKind.allCases.map { kind in
                let mine = zip(plan.changes, changes).filter { PatternKind($0.0.kind) == kind }.map(\.1)
                let score = judged?.scores[kind]
                return Kind(
                    kind: kind, proposed: mine.count, correct: score?.correct, found: score?.found,
                    planted: score?.planted,
                    precision: score?.precision, recall: score?.recall,
                    evidence: mine.reduce(0) { $0 + $1.evidence }, verbatim: mine.reduce(0) { $0 + $1.verbatim },
                    changes: mine)
            }
            return Result(
                consolidator: outcome.name, choice: outcome.choice, seconds: Self.rounded(outcome.seconds),
                error: nil, tokens: plan.usage, dropped: plan.dropped, kinds: kinds)
        }
    }

    /// Milliseconds are enough, and keep the JSON readable.
    static func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    /// Whether every consolidator made a plan.
    public var allRan: Bool { results.allSatisfy { $0.error == nil } }
}
