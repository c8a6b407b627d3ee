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
