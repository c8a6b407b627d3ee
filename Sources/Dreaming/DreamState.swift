/// Where a dream stands, derived from refs and trailers only (no side database).
public enum DreamState: String, Sendable, Encodable {
    /// Waits for a person: `reverie approve` or `git merge`.
    case review
    /// On `main`, whole or in part.
    case merged
    /// Would conflict with `main` now; the human edits stay, a person decides.
    case conflicted
    /// Dropped; its commits are under `refs/reverie/rejected/<id>`.
    case rejected
    /// Merged, then undone by `reverie rollback`.
    case rolledBack = "rolled back"
}
