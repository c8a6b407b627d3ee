import CLibGit2
import Foundation

extension Repository {
    /// Moves `main` (and the files on disk, checked as `advanceMain` checks them) to
    /// `commit`, a descendant of `expectedTip`: a fast-forward, no new commit.
    @discardableResult
    public func fastForwardMain(from expectedTip: ObjectID?, to commit: ObjectID, rules: EntryRules = .history) throws(GitError) -> ObjectID {
        if let expectedTip, try !isAncestor(expectedTip, of: commit) {
            throw .referenceMoved(reference: Self.mainReference)
        }
        return try advanceMain(from: expectedTip, to: try treeID(of: commit), message: "fast-forward",
                               rules: rules, landing: commit)
    }

    /// Brings `commit` into main, files included: nothing when main has it already, a
    /// fast-forward when main is in its history, else a merge commit with `message`. A
    /// conflict throws and changes nothing.
    ///
    /// - Returns: main's new tip, or nil when main had the commit already.
    @discardableResult
    public func bringIntoMain(_ commit: ObjectID, message: String, rules: EntryRules = .history) throws(GitError) -> ObjectID? {
        try retryPolicy.run(retryingMovedReferences: true) { () throws(GitError) -> ObjectID? in
            let main = try tip(ofBranch: Self.mainBranch)
            guard let main else { return try fastForwardMain(from: nil, to: commit, rules: rules) }
            if try isAncestor(commit, of: main) { return nil }
            if try isAncestor(main, of: commit) { return try fastForwardMain(from: main, to: commit, rules: rules) }
            switch try mergeTree(commit, into: main) {
            case .conflicted(let paths):
                throw .conflict(operation: "merge of \(commit.short)", paths: paths)
            case .clean(let tree):
                return try advanceMain(from: main, to: tree, message: message, otherParents: [commit], rules: rules)
            }
        }
    }

    /// Points main at `commit` only if it still points at `expected` (nil: does not exist).
    func moveMainReference(from expected: ObjectID?, to commit: ObjectID) throws(GitError) {
        var new = commit.oid
        var out: OpaquePointer?
        let message = "reverie: fast-forward to \(commit.short)"
        let code: Int32
        if let expected {
            var old = expected.oid
            code = git_reference_create_matching(&out, pointer, Self.mainReference, &new, 1, &old, message)
        } else {
            code = git_reference_create(&out, pointer, Self.mainReference, &new, 0, message)
        }
        if code == GIT_EEXISTS.rawValue { throw .referenceMoved(reference: Self.mainReference) }
        try LibGit2.check(code, "move main to \(commit.short)")
        git_reference_free(out)
    }

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
        try LibGit2.check(git_merge_commits(&out, pointer, ours.pointer, theirs.pointer, &options),
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
