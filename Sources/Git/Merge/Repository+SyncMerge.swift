import CLibGit2

extension Repository {
    /// Three-way merge of `theirs` into `ours`, in memory, that always has an answer:
    /// where both sides changed the same lines, `tree` keeps our lines and `theirsTree`
    /// theirs, each file otherwise merged. No conflict marker is ever written.
    public func mergeKeepingOurs(_ theirs: ObjectID, into ours: ObjectID) throws(GitError) -> SyncMerge {
        switch try mergeTree(theirs, into: ours) {
        case .clean(let tree):
            return SyncMerge(tree: tree, theirsTree: tree, conflicted: [])
        case .conflicted(let paths):
            let our = try lookupCommit(ours), their = try lookupCommit(theirs)
            let kept = try favouredTree(our, their, favour: GIT_MERGE_FILE_FAVOR_OURS, stage: 2)
            let other = try favouredTree(our, their, favour: GIT_MERGE_FILE_FAVOR_THEIRS, stage: 3)
            return SyncMerge(tree: kept, theirsTree: other, conflicted: paths)
        }
    }

    /// The merge where conflicting lines take one side (`favour`), and what conflicts
    /// beyond lines (a file deleted on one side, changed on the other) takes the entry of
    /// that side's `stage` (2: ours, 3: theirs), or its absence.
    private func favouredTree(
        _ ours: GitCommit, _ theirs: GitCommit, favour: git_merge_file_favor_t, stage: Int32
    ) throws(GitError) -> ObjectID {
        var options = git_merge_options()
        try LibGit2.check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "prepare merge")
        options.file_favor = favour
        var out: OpaquePointer?
        try LibGit2.check(
            git_merge_commits(&out, pointer, ours.pointer, theirs.pointer, &options),
            "merge \(theirs.id.short) into \(ours.id.short)")
        let index = GitIndex(out!)
        if git_index_has_conflicts(index.pointer) != 0 {
            var iterator: OpaquePointer?
            try LibGit2.check(git_index_conflict_iterator_new(&iterator, index.pointer), "list conflicts")
            var chosen: [(path: String, entry: git_index_entry?)] = []
            var ancestor: UnsafePointer<git_index_entry>?
            var our: UnsafePointer<git_index_entry>?
            var their: UnsafePointer<git_index_entry>?
            while git_index_conflict_next(&ancestor, &our, &their, iterator) == 0 {
                guard let any = ancestor ?? our ?? their else { continue }
                chosen.append((String(cString: any.pointee.path), (stage == 2 ? our : their)?.pointee))
            }
            git_index_conflict_iterator_free(iterator)
            for (path, entry) in chosen {
                try LibGit2.check(git_index_conflict_remove(index.pointer, path), "resolve \(path)")
                guard var entry else { continue }
                entry.flags &= ~UInt16(GIT_INDEX_ENTRY_STAGEMASK)
                let code = path.withCString { cPath in
                    entry.path = cPath
                    return git_index_add(index.pointer, &entry)
                }
                try LibGit2.check(code, "resolve \(path)")
            }
        }
        var tree = git_oid()
        try LibGit2.check(git_index_write_tree_to(&tree, index.pointer, pointer), "write merged tree")
        return ObjectID(tree)
    }
}
