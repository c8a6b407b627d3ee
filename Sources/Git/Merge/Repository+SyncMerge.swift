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
        let index = try withMergeOptions(favour: favour) { (options) throws(GitError) in
            var out: OpaquePointer?
            try LibGit2.check(
                git_merge_commits(&out, pointer, ours.pointer, theirs.pointer, options),
                "merge \(theirs.id.short) into \(ours.id.short)")
            return GitIndex(out!)
        }
        // Each conflict takes the chosen side's entry, or its absence.
        for conflict in try conflicts(in: index) {
            guard let path = conflict.paths.first else { continue }
            try LibGit2.check(git_index_conflict_remove(index.pointer, path), "resolve \(path)")
            guard var entry = stage == 2 ? conflict.ours : conflict.theirs else { continue }
            entry.flags &= ~UInt16(GIT_INDEX_ENTRY_STAGEMASK)
            let code = path.withCString { cPath in
                entry.path = cPath
                return git_index_add(index.pointer, &entry)
            }
            try LibGit2.check(code, "resolve \(path)")
        }
        return try writeTree(of: index)
    }
}
