import CLibGit2
import Foundation

extension Repository {
    /// Makes `tree` the new state of `main` and of the files on disk.
    ///
    /// The order matters: first a SAFE checkout of just the paths that change (it refuses,
    /// rather than overwrite a file a person changed), then the commit that moves `main`,
    /// and only if `main` still points at `expectedTip`. Committing first would make the new
    /// tree the checkout's baseline, and the files on disk would look stale.
    ///
    /// With `landing`, an existing commit whose tree is `tree` and whose history holds
    /// `expectedTip`, main moves to that commit instead of a new one: a fast-forward.
    @discardableResult
    public func advanceMain(
        from expectedTip: ObjectID?, to tree: ObjectID, message: String,
        author: Signature? = nil, otherParents: [ObjectID] = [], rules: EntryRules = .history,
        landing: ObjectID? = nil
    ) throws(GitError) -> ObjectID {
        try requireMainCheckedOut()
        if isIndexLocked {
            throw .locked(operation: "update main", message: "\(gitDirectory)/index.lock exists")
        }
        guard try tip(ofBranch: Self.mainBranch) == expectedTip else {
            throw .referenceMoved(reference: Self.mainReference)
        }
        let parent = try expectedTip.map { id throws(GitError) in try lookupCommit(id) }
        let oldTree = try parent.map { commit throws(GitError) in try self.tree(of: commit) }
        let newTree = try lookupTree(tree)
        let changes = try entryChanges(from: oldTree, to: newTree)
        try rules.check(changes, in: self)  // before anything is written or main moves
        let paths = changes.map(\.path)
        var parents = parent.map { [$0] } ?? []
        for id in otherParents { parents.append(try lookupCommit(id)) }
        // The files are checked before anything is written, without touching the index (no
        // index.lock is held while they change), and against it only when it is read
        // already: one still being read on the other core is waited for after the commit.
        //
        // A crash between the checkout and the commit would leave files on disk that main
        // does not have, and they would be committed as if a person wrote them. The
        // journal lets `finishInterruptedAdvance` complete the move instead. It is written
        // once the files passed their check: a refused move leaves nothing to complete.
        let journal = AdvanceJournal(
            tip: expectedTip, tree: tree, otherParents: otherParents, message: message,
            landing: landing)
        let blobs = readAhead(changes)
        let writes: [FileWrite]?
        do {
            writes = try fileWrites(changes, index: try IndexView(ifReady: self))
            try journal.write(in: gitDirectory)
        } catch {
            _ = try? blobs?.wait()  // every thread is joined
            throw error
        }
        let snapshots: [String: FileSnapshot]
        let read = (try? blobs?.wait()) ?? [:]
        do {
            if let writes {
                snapshots = try write(writes, blobs: read)
            } else {
                try checkoutSafely(newTree, paths: paths)
                snapshots = [:]
            }
        } catch .workingTreeChanged(let paths) {
            AdvanceJournal.remove(in: gitDirectory)  // libgit2 refuses before writing a file
            throw .workingTreeChanged(paths: paths)
        } catch {
            // A file could not be written (a full disk, a quota): put back what was, rather
            // than leave half a move for the next run while the daemon waits on it.
            guard putBack(changes) else { throw error }
            AdvanceJournal.remove(in: gitDirectory)
            guard case .io(let path, let message) = error else { throw error }
            throw .io(
                path: path, message: message + "; the files written before it were put back and main is unchanged")
        }
        let commit: ObjectID
        if let landing {
            try moveMainReference(from: expectedTip, to: landing)
            commit = landing
        } else {
            commit = try createCommit(
                tree: tree, parents: parents, message: message,
                author: author ?? .default(for: self), updating: Self.mainReference)
        }
        try syncIndex(paths: paths, snapshots: snapshots)
        AdvanceJournal.remove(in: gitDirectory)
        return commit
    }

    /// Points main at `commit` only if it still points at `expected` (nil: does not exist).
    private func moveMainReference(from expected: ObjectID?, to commit: ObjectID) throws(GitError) {
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

    /// Writes `paths` of `tree` to disk with a SAFE checkout: a file that differs from
    /// `HEAD` on disk, or an untracked file in the way, stops it with the paths named.
    private func checkoutSafely(_ tree: GitTree, paths: [String]) throws(GitError) {
        guard !paths.isEmpty else { return }
        var options = git_checkout_options()
        try LibGit2.check(
            git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)),
            "prepare checkout")
        options.checkout_strategy =
            GIT_CHECKOUT_SAFE.rawValue | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
            | GIT_CHECKOUT_DONT_UPDATE_INDEX.rawValue
        options.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT.rawValue
        let conflicts = PathCollector()
        options.notify_payload = Unmanaged.passUnretained(conflicts).toOpaque()
        options.notify_cb = { _, path, _, _, _, payload in
            if let path, let payload {
                Unmanaged<PathCollector>.fromOpaque(payload).takeUnretainedValue().paths.append(String(cString: path))
            }
            return 0
        }
        let cPaths = paths.map { strdup($0) }
        defer { cPaths.forEach { free($0) } }
        var pathPointers = cPaths
        let code = pathPointers.withUnsafeMutableBufferPointer { buffer in
            options.paths = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return git_checkout_tree(pointer, tree.pointer, &options)
        }
        withExtendedLifetime(conflicts) {}
        if code == GIT_ECONFLICT.rawValue { throw .workingTreeChanged(paths: conflicts.paths.sorted()) }
        try LibGit2.check(code, "check out \(paths.count) paths")
    }
}

/// Collects paths from a libgit2 callback, which cannot capture Swift context.
private final class PathCollector {
    var paths: [String] = []
}
