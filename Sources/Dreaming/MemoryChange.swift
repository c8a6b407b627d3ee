/// One change of a dream: the files it writes and deletes, why, and from which sessions.
public struct MemoryChange: Sendable, Equatable {
    /// What kind of pattern or upkeep a change is; named in its commit's `Reverie-Change` trailer.
    public enum Kind: String, Sendable, CaseIterable {
        case mistake, workflow, preference, merge, update, archive, index
        /// Memory reorganised (a model's dream): moved, merged or rewritten entries.
        case restructure
        case other
    }

    /// What kind of change it is.
    public var kind: Kind
    /// Path (relative to the memory repo) → the file's whole new content.
    public var writes: [String: String]
    /// Paths (relative to the memory repo) the change deletes.
    public var deletes: [String]
    /// One line: the commit's subject.
    public var summary: String
    /// Why, in the consolidator's words: the commit message's body.
    public var rationale: String
    /// The sessions it rests on.
    public var evidence: [Evidence]

    /// A change of `kind`; its paths are checked by the engine before anything is written.
    public init(
        kind: Kind, writes: [String: String] = [:], deletes: [String] = [], summary: String,
        rationale: String, evidence: [Evidence] = []
    ) {
        self.kind = kind
        self.writes = writes
        self.deletes = deletes
        self.summary = summary
        self.rationale = rationale
        self.evidence = evidence
    }

    /// Every path the change touches, sorted.
    public var paths: [String] { (Array(writes.keys) + deletes).sorted() }
}
