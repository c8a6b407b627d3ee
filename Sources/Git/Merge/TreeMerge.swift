/// The result of merging trees in memory (a merge, a cherry-pick or a revert).
public enum TreeMerge: Equatable, Sendable {
    /// The merged tree, written to the object database.
    case clean(tree: ObjectID)
    /// The paths that conflict; nothing was written.
    case conflicted(paths: [String])
}
