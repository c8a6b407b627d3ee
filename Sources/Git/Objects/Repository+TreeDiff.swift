import CLibGit2
import Foundation

extension Repository {
    /// Paths that differ between two commits (no rename detection, no line counts: cheap).
    public func changedPaths(from old: ObjectID?, to new: ObjectID) throws(GitError) -> [String] {
        let oldTree = try old.map { id throws(GitError) in try tree(of: lookupCommit(id)) }
        return try changedPaths(from: oldTree, to: try tree(of: lookupCommit(new)))
    }

    /// Paths whose entries differ between two trees (old and new names both).
    func changedPaths(from old: GitTree?, to new: GitTree) throws(GitError) -> [String] {
        try entryChanges(from: old, to: new).map(\.path)
    }

    /// The file entries that differ between two trees, sorted by path, with both sides as
    /// the trees record them (a folder replaced by a file, or the reverse, shows as the
    /// files on each side).
    ///
    /// Folders whose tree ids match are skipped whole, so the cost follows what changed,
    /// not the size of memory; libgit2's diff walks every entry of both trees.
    func entryChanges(from old: GitTree?, to new: GitTree) throws(GitError) -> [EntryDiff] {
        try entryChanges(from: old, to: new, atMost: .max)!
    }

    /// The same, or nil as soon as there are more than `limit`: the rest is not read.
    func entryChanges(from old: GitTree?, to new: GitTree, atMost limit: Int) throws(GitError) -> [EntryDiff]? {
        var changes: [EntryDiff] = []
        try compare(old, new, under: "", into: &changes, limit: limit)
        return changes.count > limit ? nil : changes.sorted { $0.path < $1.path }
    }

    private func compare(
        _ old: GitTree?, _ new: GitTree?, under prefix: String, into changes: inout [EntryDiff], limit: Int
    ) throws(GitError) {
        var gone = Dictionary(entries(of: old), uniquingKeysWith: { first, _ in first })
        let newEntries = entries(of: new)
        if let new { try checkShape(of: new, at: prefix) }
        for (name, after) in newEntries where changes.count <= limit {
            let was = gone.removeValue(forKey: name)
            guard was != after else { continue }
            // A name no path can spell (`/` inside, empty) must not become a path by joining.
            try TreePath.validate(name: Substring(name), at: prefix + name)
            try compare(was, after, at: prefix + name, into: &changes, limit: limit)
        }
        for (name, was) in gone where changes.count <= limit {
            try compare(was, nil, at: prefix + name, into: &changes, limit: limit)
        }
    }

    private func compare(
        _ was: TreeEntry?, _ now: TreeEntry?, at path: String, into changes: inout [EntryDiff], limit: Int
    ) throws(GitError) {
        let oldFolder = try was.flatMap { entry throws(GitError) in
            entry.mode == GIT_FILEMODE_TREE ? try lookupTree(entry.id) : nil
        }
        let newFolder = try now.flatMap { entry throws(GitError) in
            entry.mode == GIT_FILEMODE_TREE ? try lookupTree(entry.id) : nil
        }
        let oldFile = oldFolder == nil ? was : nil, newFile = newFolder == nil ? now : nil
        if oldFolder != nil || newFolder != nil {
            try compare(oldFolder, newFolder, under: path + "/", into: &changes, limit: limit)
        }
        if oldFile != nil || newFile != nil {
            changes.append(EntryDiff(path: path, old: oldFile, new: newFile))
        }
    }

    /// Refuses a tree git itself would reject (`git fsck`): a name twice, names out of git's
    /// order, a mode git does not write. Such a tree made with plumbing must not become main's.
    private func checkShape(of tree: GitTree, at prefix: String) throws(GitError) {
        let allowed: Set<UInt32> = [0o100644, 0o100755, 0o120000, 0o040000, 0o160000]
        var previous: [UInt8]?
        for index in 0..<git_tree_entrycount(tree.pointer) {
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            guard allowed.contains(git_tree_entry_filemode_raw(entry).rawValue) else {
                throw .invalidPath(
                    path: prefix + name,
                    reason:
                        "its mode \(String(git_tree_entry_filemode_raw(entry).rawValue, radix: 8)) is not one git writes"
                )
            }
            // git sorts a folder as if its name ended in '/'.
            let key =
                Array(name.utf8) + (git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE ? [UInt8(ascii: "/")] : [])
            if let previous, !previous.lexicographicallyPrecedes(key) {
                throw .invalidPath(path: prefix + name, reason: "the tree holds this name twice or out of git's order")
            }
            previous = key
        }
    }

    /// The entries of a tree, by name.
    private func entries(of tree: GitTree?) -> [(String, TreeEntry)] {
        guard let tree else { return [] }
        return (0..<git_tree_entrycount(tree.pointer)).compactMap { index in
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { return nil }
            return (
                String(cString: git_tree_entry_name(entry)),
                TreeEntry(id: ObjectID(git_tree_entry_id(entry)), mode: git_tree_entry_filemode(entry))
            )
        }
    }
}
