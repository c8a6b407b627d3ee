import CLibGit2
import Foundation

extension Repository {
    /// Three-way merge of `theirs` into `ours`, in memory.
    public func mergeTree(_ theirs: ObjectID, into ours: ObjectID) throws(GitError) -> TreeMerge {
        let our = try lookupCommit(ours), their = try lookupCommit(theirs)
        if let base = try mergeBase(ours, theirs),
            let tree = try applyWithoutConflict(
                from: try tree(of: lookupCommit(base)), to: try tree(of: their), onto: try tree(of: our))
        {
            return .clean(tree: tree)
        }
        return try withMergeOptions { (options) throws(GitError) in
            var out: OpaquePointer?
            try LibGit2.check(
                git_merge_commits(&out, pointer, our.pointer, their.pointer, options),
                "merge \(theirs.short) into \(ours.short)")
            return try result(of: GitIndex(out!))
        }
    }

    /// The changes of `commit` applied on top of `onto`, in memory.
    public func cherryPickTree(_ commit: ObjectID, onto: ObjectID) throws(GitError) -> TreeMerge {
        let picked = try lookupCommit(commit), base = try lookupCommit(onto)
        if git_commit_parentcount(picked.pointer) == 1,
            let tree = try applyWithoutConflict(
                from: try tree(of: parent(of: picked, number: 0)), to: try tree(of: picked),
                onto: try tree(of: base))
        {
            return .clean(tree: tree)
        }
        return try withMergeOptions { (options) throws(GitError) in
            var out: OpaquePointer?
            try LibGit2.check(
                git_cherrypick_commit(&out, pointer, picked.pointer, base.pointer, 0, options),
                "cherry-pick \(commit.short)")
            return try result(of: GitIndex(out!))
        }
    }

    /// The changes of several commits applied in order on top of `onto`, in memory: each
    /// step is recorded as a commit no ref points to (git gc drops them), so the next
    /// pick has a base. Returns the last tree, or the first conflict.
    public func cherryPickTree(_ commits: [ObjectID], onto: ObjectID) throws(GitError) -> TreeMerge {
        var current = onto
        var tree = try treeID(of: onto)
        for commit in commits {
            switch try cherryPickTree(commit, onto: current) {
            case .conflicted(let paths):
                return .conflicted(paths: paths)
            case .clean(let next):
                tree = next
                current = try createCommit(
                    tree: next, parents: [try lookupCommit(current)], message: "cherry-pick step",
                    author: .default(for: self), updating: nil)
            }
        }
        return .clean(tree: tree)
    }

    /// Everything from commit `from` (nil: nothing) to commit `to` undone on top of `onto`,
    /// in memory: for a commit and its first parent, a revert (of a merge: mainline 1, what
    /// it brought in goes away); for a longer range, a revert of each commit in it as one.
    public func revertTree(from: ObjectID?, to: ObjectID, onto: ObjectID) throws(GitError) -> TreeMerge {
        let old = try from.map { id throws(GitError) in try tree(of: lookupCommit(id)) }
        let new = try tree(of: lookupCommit(to)), base = try tree(of: lookupCommit(onto))
        if let old, let tree = try applyWithoutConflict(from: new, to: old, onto: base) { return .clean(tree: tree) }
        // What git_revert_commit does: a merge whose ancestor is the newer side.
        return try withMergeOptions { (options) throws(GitError) in
            var out: OpaquePointer?
            try LibGit2.check(
                git_merge_trees(&out, pointer, new.pointer, base.pointer, old?.pointer, options),
                "undo \(from?.short ?? "the root")..\(to.short)")
            return try result(of: GitIndex(out!))
        }
    }

    func withMergeOptions<T>(
        favour: git_merge_file_favor_t = GIT_MERGE_FILE_FAVOR_NORMAL,
        _ body: (UnsafePointer<git_merge_options>) throws(GitError) -> T
    ) throws(GitError) -> T {
        var options = git_merge_options()
        try LibGit2.check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "prepare merge")
        options.file_favor = favour
        return try body(&options)
    }

    /// Conflicting paths of a merged index, or its tree written to the object database.
    private func result(of index: GitIndex) throws(GitError) -> TreeMerge {
        let conflicts = try self.conflicts(in: index)
        guard conflicts.isEmpty else { return .conflicted(paths: Set(conflicts.flatMap(\.paths)).sorted()) }
        return .clean(tree: try writeTree(of: index))
    }

    /// One conflict of a merged index: the entry each side has (nil: none).
    struct Conflict {
        let ancestor: git_index_entry?
        let ours: git_index_entry?
        let theirs: git_index_entry?
        /// The paths its sides name (more than one when a side renamed it).
        let paths: [String]
    }

    /// Every conflict of a merged index. Entries' paths point into the index: read `paths`.
    func conflicts(in index: GitIndex) throws(GitError) -> [Conflict] {
        guard git_index_has_conflicts(index.pointer) != 0 else { return [] }
        var iterator: OpaquePointer?
        try LibGit2.check(git_index_conflict_iterator_new(&iterator, index.pointer), "list conflicts")
        defer { git_index_conflict_iterator_free(iterator) }
        var conflicts: [Conflict] = []
        var ancestor: UnsafePointer<git_index_entry>?
        var ours: UnsafePointer<git_index_entry>?
        var theirs: UnsafePointer<git_index_entry>?
        while git_index_conflict_next(&ancestor, &ours, &theirs, iterator) == 0 {
            var paths: [String] = []
            for entry in [ancestor, ours, theirs] {
                if let path = entry?.pointee.path, case let name = String(cString: path), !paths.contains(name) {
                    paths.append(name)
                }
            }
            conflicts.append(
                Conflict(ancestor: ancestor?.pointee, ours: ours?.pointee, theirs: theirs?.pointee, paths: paths))
        }
        return conflicts
    }

    /// The index's tree, written to the object database.
    func writeTree(of index: GitIndex) throws(GitError) -> ObjectID {
        var tree = git_oid()
        try LibGit2.check(git_index_write_tree_to(&tree, index.pointer, pointer), "write merged tree")
        return ObjectID(tree)
    }

    private func parent(of commit: GitCommit, number: UInt32) throws(GitError) -> GitCommit {
        var out: OpaquePointer?
        try LibGit2.check(git_commit_parent(&out, commit.pointer, number), "read the parent of \(commit.id.short)")
        return GitCommit(out!)
    }
}
