/// What merging a branch into `main` did.
public enum MergeOutcome: Equatable, Sendable {
    /// `main` now has this merge commit, and the working tree its files.
    case merged(commit: ObjectID)
    /// The branch was already part of `main`; nothing changed.
    case alreadyMerged
    /// The branch conflicts with `main` in these paths; `main` and the working tree are untouched.
    case conflicted(paths: [String])
}
