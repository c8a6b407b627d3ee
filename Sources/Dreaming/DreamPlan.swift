/// What a consolidator proposes: ordered changes, each one commit of the dream.
public struct DreamPlan: Sendable, Equatable {
    /// The changes, in the order they are committed.
    public var changes: [MemoryChange]
    /// Changes the consolidator began and that were left out, with why (a quote not found
    /// in its session, edits never recorded as a change): `reverie show` lists them.
    public var dropped: [DroppedChange]
    /// What a model consolidator spent, when one made the plan.
    public var usage: TokenUsage?
    /// Trailers every commit of the dream carries besides Reverie's own (a platform
    /// dream's id), keyed `Reverie-…`.
    public var trailers: [String: String] = [:]
    /// Entries this dream's sessions bore out, written or found again, as their lines: the
    /// dream's record keeps them, so an entry no session needs any more can be archived.
    public var reinforced: [String] = []

    /// A plan of `changes`, with what was left out and what a model spent.
    public init(changes: [MemoryChange], dropped: [DroppedChange] = [], usage: TokenUsage? = nil) {
        self.changes = changes
        self.dropped = dropped
        self.usage = usage
    }
}

/// A change left out of a dream, and why.
public struct DroppedChange: Sendable, Equatable, Codable {
    /// The change's one-line summary, as the consolidator gave it.
    public var summary: String
    /// Why it was left out.
    public var reason: String

    /// A change summed up as `summary`, left out for `reason`.
    public init(summary: String, reason: String) {
        self.summary = summary
        self.reason = reason
    }
}

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

/// A session a change rests on, with a short quote from it.
public struct Evidence: Sendable, Equatable {
    /// The id of the session, as `Session.id` gives it.
    public var session: String
    /// Words from the session; a model's dream drops a change whose quote does not occur there.
    public var quote: String

    /// `quote` from session `session`.
    public init(session: String, quote: String) {
        self.session = session
        self.quote = quote
    }
}
