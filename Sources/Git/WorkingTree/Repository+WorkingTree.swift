import CLibGit2
import Foundation

extension Repository {
    /// Above this many paths, new blobs are written as one pack.
    static let packThreshold = 64

    /// Paths whose working-tree content differs from `main`'s last commit: edited, added
    /// (untracked, not ignored), deleted, or staged differently. Events are hints; this is
    /// the truth a reconcile commits.
    ///
    /// - Parameter only: look at these paths only (exact paths, no patterns); nil: all.
    public func pendingPaths(only: [String]? = nil) throws(GitError) -> [String] {
        try pending(only: only).paths
    }

    /// The pending paths, and apart from them the files whose names are not UTF-8, which
    /// Reverie leaves out of commits (`PendingPaths.notUTF8`).
    public func pending(only: [String]? = nil) throws(GitError) -> PendingPaths {
        guard let only else { return try statusPaths(only: nil) }
        let head = try tip(ofBranch: Self.mainBranch).map { id throws(GitError) in try tree(of: lookupCommit(id)) }
        let index: IndexView
        if let ready = try IndexView(ifReady: self) {
            index = ready
        } else {
            // While the index is still being read on the other core, files that hold main's
            // content exactly need not wait for it: the working tree is what gets committed,
            // so a change only staged (`git add`, then the file put back) would not be either.
            var clean = true
            for path in Set(only) where clean { clean = try holdsHead(path, head) }
            if clean { return PendingPaths() }
            index = try IndexView(self)
        }
        // For a few paths (the files a dream touches), the index's stat data answer for
        // most of them without libgit2's status, which walks the whole working tree.
        var pending: [String] = [], unsure: [String] = []
        for path in Set(only) {
            let inHead = try treeEntry(path, in: head), inIndex = index.entry(path)
            var info = stat()
            if inHead != inIndex {
                pending.append(path)  // staged
            } else if lstat(workingDirectory + "/" + path, &info) != 0 {
                if inIndex != nil { pending.append(path) }  // deleted
            } else if inIndex == nil || index.unchangedEntry(path, info: info) != inIndex {
                unsure.append(path)  // edited, untracked or ignored, a folder now: status knows
            }
        }
        // One status per path keeps each to its own folder; many at once share one walk.
        var notUTF8: [String] = []
        for group in unsure.count > 8 ? [unsure] : unsure.map({ [$0] }) {
            let found = try statusPaths(only: group)
            pending += found.paths
            notUTF8 += found.notUTF8
        }
        return PendingPaths(paths: Array(Set(pending)).sorted(), notUTF8: Array(Set(notUTF8)).sorted())
    }

    /// Whether the working tree has exactly `head`'s file at `path` (or, like it, none).
    private func holdsHead(_ path: String, _ head: GitTree?) throws(GitError) -> Bool {
        let inHead = try treeEntry(path, in: head)
        var info = stat()
        guard lstat(workingDirectory + "/" + path, &info) == 0 else { return inHead == nil }
        guard let inHead, info.st_mode & S_IFMT == S_IFREG, IndexView.mode(of: info) == inHead.mode else {
            return false
        }
        return blob(at: path, info: info, index: nil, expecting: [inHead.id]) == inHead.id
    }

    /// What libgit2's status reports as differing, for `only` those paths (nil: all).
    private func statusPaths(only: [String]?) throws(GitError) -> PendingPaths {
        var options = git_status_options()
        try LibGit2.check(
            git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags =
            GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue
            | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        if only != nil { options.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH.rawValue }
        if let only, only.isEmpty { return PendingPaths() }
        // Status reads the index; through the index's own handle it reads it once.
        let handle = try index()
        var out: OpaquePointer?
        let cPaths = (only ?? []).map { strdup($0) }
        defer { cPaths.forEach { free($0) } }
        var pathPointers = cPaths
        let code = pathPointers.withUnsafeMutableBufferPointer { buffer in
            if only != nil { options.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count) }
            return git_status_list_new(&out, handle.repositoryPointer, &options)
        }
        try LibGit2.check(code, "read status")
        let list = GitStatusList(out!)
        var paths = Set<String>(), notUTF8 = Set<String>()
        for i in 0..<git_status_list_entrycount(list.pointer) {
            guard let entry = git_status_byindex(list.pointer, i)?.pointee else { continue }
            for delta in [entry.head_to_index, entry.index_to_workdir] {
                guard let delta = delta?.pointee else { continue }
                for case let path? in [delta.old_file.path, delta.new_file.path] {
                    // String(cString:) would put U+FFFD for the bytes: a name no file has.
                    if let name = String(validatingCString: path) {
                        paths.insert(name)
                    } else {
                        notUTF8.insert(
                            PendingPaths.escaped(
                                UnsafeBufferPointer(start: path, count: strlen(path))
                                    .map { UInt8(bitPattern: $0) }))
                    }
                }
            }
        }
        return PendingPaths(paths: paths.sorted(), notUTF8: notUTF8.sorted())
    }

    func refreshObjectDatabase() throws(GitError) {
        var odb: OpaquePointer?
        try LibGit2.check(git_repository_odb(&odb, pointer), "open the object database")
        defer { git_odb_free(odb) }
        try LibGit2.check(git_odb_refresh(odb), "refresh the object database")
    }

    /// Whether `.gitignore` (or `.git/info/exclude`, or the global excludes) ignores `path`.
    public func isIgnored(_ path: String) throws(GitError) -> Bool {
        var ignored: Int32 = 0
        try LibGit2.check(git_ignore_path_is_ignored(&ignored, pointer, path), "check ignore rules for \(path)")
        return ignored == 1
    }

    /// Commits the working-tree state of `paths` to `main`, without `git add -A`.
    ///
    /// Each path becomes a blob (or a removal, when it is gone from disk), applied to the
    /// tree of `main`'s tip; the commit moves `main` only if it still points at that tip, and
    /// is recomputed when it moved. Then the index is brought in step for these paths only,
    /// so `git status` stays clean and whatever the person staged elsewhere survives.
    /// Ignored files that `main` does not track are left out, as `git add` would.
    ///
    /// - Returns: the new commit, or nil when these paths already match `main`.
    @discardableResult
    public func commitWorkingTree(
        paths: [String], message: String, author: Signature? = nil
    ) throws(GitError) -> ObjectID? {
        try commitWorkingTree(paths: paths, author: author) { _ in message }
    }

    /// Commits like `commitWorkingTree(paths:message:author:)`, with the message written
    /// from what really changed (files whose content did not change are not listed).
    @discardableResult
    public func commitWorkingTree(
        paths: [String], author: Signature? = nil, message: ([EditedPath]) -> String
    ) throws(GitError) -> ObjectID? {
        for path in paths { try TreePath.validate(path) }
        let signature = author ?? .default(for: self)
        // A folder covers everything below it (it is expanded, or removed whole), so paths
        // inside a requested folder would only be duplicates.
        let unique = Set(paths)
        let requested = unique.filter { path in
            !TreePath.folders(above: path).contains { unique.contains(String($0)) }
        }.sorted()
        let (commit, committedPaths, snapshots) = try retryPolicy.run(retryingMovedReferences: true) {
            () throws(GitError) -> (ObjectID?, [String], [String: FileSnapshot]) in
            try requireMainCheckedOut()
            if isIndexLocked {
                throw .locked(operation: "commit to main", message: "\(gitDirectory)/index.lock exists")
            }
            let parent = try tip(ofBranch: Self.mainBranch).map { id throws(GitError) in try lookupCommit(id) }
            let baseTree = try parent.map { commit throws(GitError) in try tree(of: commit) }
            // Thousands of new blobs go into one pack file rather than a loose file each.
            let packer = requested.count > Self.packThreshold ? try PackWriter(gitDirectory: gitDirectory) : nil
            var updates: [TreeUpdate] = []
            var touched: [String] = []
            var snapshots: [String: FileSnapshot] = [:]
            var changes: [EditedPath] = []
            for path in requested {
                for file in try workingTreeUpdates(
                    for: path, baseTree: baseTree,
                    blobWriter: packer?.repositoryPointer ?? pointer,
                    snapshots: &snapshots, changes: &changes)
                {
                    updates.append(file)
                    touched.append(file.path)
                }
            }
            let newTree = try buildTree(base: baseTree, updates: updates, writer: packer?.repositoryPointer)
            if let packer {
                try packer.finish(
                    blobs: updates.compactMap(\.blobID), folders: PackWriter.folders(along: updates.map(\.path)),
                    root: newTree)
                try refreshObjectDatabase()  // so this handle sees the new pack
            }
            if let baseTree, newTree == baseTree.id { return (nil, touched, snapshots) }
            let id = try createCommit(
                tree: newTree, parents: parent.map { [$0] } ?? [],
                message: message(changes), author: signature,
                updating: Self.mainReference)
            return (id, touched, snapshots)
        }
        try syncIndex(paths: committedPaths, snapshots: snapshots)
        return commit
    }

    /// The tree updates that make `path` in the tree match the working tree: one file, every
    /// file below a folder, or a removal. What really changes is added to `changes`.
    private func workingTreeUpdates(
        for path: String, baseTree: GitTree?, blobWriter: OpaquePointer,
        snapshots: inout [String: FileSnapshot], changes: inout [EditedPath]
    ) throws(GitError) -> [TreeUpdate] {
        let full = workingDirectory + "/" + path
        let before = try treeEntry(path, in: baseTree)
        var info = stat()
        guard lstat(full, &info) == 0 else {
            // Gone from disk: remove it (file or folder) if main has it.
            guard before != nil else { return [] }
            changes.append(EditedPath(path: path, kind: .deleted))
            return [.remove(path)]
        }
        // As `git add`: what main does not track and the ignore rules exclude stays out.
        if before == nil, try isIgnored(path) { return [] }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            var updates: [TreeUpdate] = []
            for file in try filesBelow(path) {
                updates += try workingTreeUpdates(
                    for: file, baseTree: baseTree, blobWriter: blobWriter,
                    snapshots: &snapshots, changes: &changes)
            }
            return updates
        case S_IFREG, S_IFLNK:
            var oid = git_oid()
            try LibGit2.check(git_blob_create_from_workdir(&oid, blobWriter, path), "store \(path)")
            let mode = IndexView.mode(of: info)
            // If the file did not change while it was hashed, the index can take this id
            // with these stat data; otherwise it must hash the file again itself.
            var after = stat()
            if lstat(full, &after) == 0, FileSnapshot(info) == FileSnapshot(after) {
                snapshots[path] = FileSnapshot(after, id: ObjectID(oid), mode: mode)
            }
            let id = ObjectID(oid)
            if before?.id != id || before?.mode != mode {
                changes.append(EditedPath(path: path, kind: before == nil ? .added : .modified))
            }
            return [.upsert(path, id, mode)]
        default:
            return []  // sockets, fifos and devices are not memory
        }
    }

    /// Every non-ignored file below a folder of the working tree, never entering `.git`.
    private func filesBelow(_ folder: String) throws(GitError) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: workingDirectory + "/" + folder)) ?? []
        return names.sorted().filter { $0 != ".git" }.map { "\(folder)/\($0)" }
    }

    /// Brings `.git/index` in step with the working tree for `paths` only.
    ///
    /// Reading the index from disk first keeps what the person staged meanwhile; a whole
    /// `read_tree` would throw it away.
    func syncIndex(paths: [String], snapshots: [String: FileSnapshot] = [:]) throws(GitError) {
        guard !paths.isEmpty else { return }
        try index().sync(paths: paths, snapshots: snapshots, retryPolicy: retryPolicy)
    }
}
