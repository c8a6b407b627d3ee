/// What the watcher saw during one debounced burst of activity.
public struct Burst: Sendable, Equatable {
    /// Working-tree paths (files, or folders that appeared or went away) to commit.
    public var paths: Set<String> = []
    /// Events were lost (an inotify queue overflow, a watch that could not be added):
    /// only a full comparison with `main` can tell what changed.
    public var needsRescan = false
    /// Something in `.git` that decides whether Reverie may commit changed: HEAD, the index
    /// lock, a merge or rebase starting or ending.
    public var gitStateChanged = false
    /// Claude Code's consolidation lock came or went (`ConsolidationLock`): what changed
    /// meanwhile is its consolidation, however quickly it was over.
    public var consolidationLockChanged = false
    /// Files created and not closed yet when the burst was delivered: still being written,
    /// so a rescan leaves them to the later burst that brings them once they are complete.
    public var unsettled: Set<String> = []

    /// A burst of the given paths and signals.
    public init(
        paths: Set<String> = [], needsRescan: Bool = false, gitStateChanged: Bool = false,
        consolidationLockChanged: Bool = false, unsettled: Set<String> = []
    ) {
        self.paths = paths
        self.needsRescan = needsRescan
        self.gitStateChanged = gitStateChanged
        self.consolidationLockChanged = consolidationLockChanged
        self.unsettled = unsettled
    }

    var isEmpty: Bool { paths.isEmpty && !needsRescan && !gitStateChanged && !consolidationLockChanged }
}
