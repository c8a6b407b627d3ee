/// A merge of a teammate's `main` into ours that never stops at a conflict: where both
/// changed the same lines, ours stay in `tree` and theirs wait in `theirsTree`.
public struct SyncMerge: Equatable, Sendable {
    /// The merged tree, our lines kept where the sides conflict.
    public let tree: ObjectID
    /// The same merge with their lines where the sides conflict (`tree` when none do).
    public let theirsTree: ObjectID
    /// The paths where both sides changed the same lines (or one deleted what the other changed).
    public let conflicted: [String]
}
