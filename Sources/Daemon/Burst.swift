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

    public init(paths: Set<String> = [], needsRescan: Bool = false, gitStateChanged: Bool = false) {
        self.paths = paths
        self.needsRescan = needsRescan
        self.gitStateChanged = gitStateChanged
    }

    var isEmpty: Bool { paths.isEmpty && !needsRescan && !gitStateChanged }
}
