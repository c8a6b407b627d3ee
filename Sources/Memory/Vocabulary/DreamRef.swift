/// Where a dream lives in git, spelled once: its branch `dreams/<id>` while it waits or
/// after it merged, `refs/reverie/rejected/<id>` once rejected, and
/// `refs/reverie/building/<id>` while it is being written (never seen as a branch).
public enum DreamRef {
    /// The short prefix of a dream's branch, as people type it and remotes show it.
    public static let family = "dreams/"
    /// The full prefix of dream branches.
    public static let branchPrefix = "refs/heads/" + family
    /// Rejected dreams: gone from `git branch`, kept for history.
    public static let rejectedPrefix = "refs/reverie/rejected/"
    /// A dream's commits grow here; the branch appears only once the last one is written.
    public static let buildingPrefix = "refs/reverie/building/"

    /// `refs/heads/dreams/<id>`.
    public static func branch(_ id: String) -> String { branchPrefix + id }
    /// `dreams/<id>`, the name `git branch` shows.
    public static func shortBranch(_ id: String) -> String { family + id }
    /// `refs/reverie/rejected/<id>`.
    public static func rejected(_ id: String) -> String { rejectedPrefix + id }
    /// The id in `dreams/<id>`; any other name is returned as it is (it may be an id).
    public static func id(named name: String) -> String {
        name.hasPrefix(family) ? String(name.dropFirst(family.count)) : name
    }
}
