import CLibGit2
import Foundation

extension Repository {
    /// The changes from tree `a` to tree `b` applied to tree `c`, when `c` agrees with `a`
    /// (or already with `b`) on every path they touch: a three-way merge with nothing to
    /// decide, done by editing `c` instead of merging three whole trees, which is what
    /// makes merging or undoing a dream cheap in a large memory. Nil when any path needs
    /// a real merge (or is a folder on one side); then libgit2 merges.
    func applyWithoutConflict(from a: GitTree?, to b: GitTree, onto c: GitTree) throws(GitError) -> ObjectID? {
        // Main has not moved since (a dream approved before anything else was committed,
        // a rollback right after its merge): the result is `b` as it is.
        if c.id == a?.id { return b.id }
        if b.id == a?.id { return c.id }
        // Without conflicts the result is the same whichever side's changes are applied to
        // the other: the shorter list rewrites fewer folders (a person's one edit on main
        // beside a dream's hundred changes). Main's side is listed first, as it is usually
        // the shorter, and the other is read only until it is longer.
        let theirs = try entryChanges(from: a, to: c)
        guard let ours = try entryChanges(from: a, to: b, atMost: theirs.count) else {
            return try apply(theirs, onto: b)
        }
        return try apply(ours, onto: c)
    }

    /// `changes` (from a common ancestor) applied to `c`, or nil when `c` changed one of
    /// their paths too, differently.
    private func apply(_ changes: [EntryDiff], onto c: GitTree) throws(GitError) -> ObjectID? {
        var updates: [TreeUpdate] = []
        for change in changes {
            let inC = try treeEntry(change.path, in: c)
            if inC?.mode == GIT_FILEMODE_TREE { return nil }
            if inC == change.new { continue }  // already there
            guard inC == change.old else { return nil }
            if inC == nil, try fileOnTheWay(to: change.path, in: c) { return nil }  // a file where a folder goes
            if let inB = change.new {
                updates.append(.upsert(change.path, inB.id, inB.mode))
            } else {
                updates.append(.remove(change.path))
            }
        }
        // Each rewritten tree (one per folder along the paths) is a loose object, a file
        // created and fsynced of its own, about 0.15 ms here; one pack costs about 4 ms
        // however many trees it holds, so it pays off only for a dream spread wide.
        let folders = PackWriter.folders(along: updates.map(\.path))
        guard folders.count > Self.treePackThreshold else { return try buildTree(base: c, updates: updates) }
        let packer = try PackWriter(gitDirectory: gitDirectory)
        let tree = try buildTree(base: c, updates: updates, writer: packer.repositoryPointer)
        try packer.finish(blobs: [], folders: folders, root: tree)
        try refreshObjectDatabase()
        return tree
    }

    /// Whether a folder above `path` is a file (or link) in `tree`.
    private func fileOnTheWay(to path: String, in tree: GitTree) throws(GitError) -> Bool {
        for folder in TreePath.folders(above: path) {
            if let entry = try treeEntry(String(folder), in: tree), entry.mode != GIT_FILEMODE_TREE { return true }
        }
        return false
    }

    /// Above this many rewritten folders, a merge's trees are written as one pack.
    static let treePackThreshold = 24
}
