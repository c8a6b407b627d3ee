import CLibGit2
import Foundation

extension Repository {
    // MARK: - Merging in memory

    /// Three-way merge of `theirs` into `ours`, in memory.
    public func mergeTree(_ theirs: ObjectID, into ours: ObjectID) throws(GitError) -> TreeMerge {
        let our = try lookupCommit(ours), their = try lookupCommit(theirs)
        if let base = try mergeBase(ours, theirs),
           let tree = try applyWithoutConflict(from: try tree(of: lookupCommit(base)), to: try tree(of: their), onto: try tree(of: our)) {
            return .clean(tree: tree)
        }
        return try withMergeOptions { (options) throws(GitError) in
            var out: OpaquePointer?
            try LibGit2.check(git_merge_commits(&out, pointer, our.pointer, their.pointer, options),
                              "merge \(theirs.short) into \(ours.short)")
            return try result(of: GitIndex(out!))
        }
    }

    /// The changes of `commit` applied on top of `onto`, in memory.
    public func cherryPickTree(_ commit: ObjectID, onto: ObjectID) throws(GitError) -> TreeMerge {
        let picked = try lookupCommit(commit), base = try lookupCommit(onto)
        if git_commit_parentcount(picked.pointer) == 1,
           let tree = try applyWithoutConflict(from: try tree(of: parent(of: picked, number: 0)), to: try tree(of: picked),
                                               onto: try tree(of: base)) {
            return .clean(tree: tree)
        }
        return try withMergeOptions { (options) throws(GitError) in
            var out: OpaquePointer?
            try LibGit2.check(git_cherrypick_commit(&out, pointer, picked.pointer, base.pointer, 0, options),
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
                current = try createCommit(tree: next, parents: [try lookupCommit(current)], message: "cherry-pick step",
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
            try LibGit2.check(git_merge_trees(&out, pointer, new.pointer, base.pointer, old?.pointer, options),
                              "undo \(from?.short ?? "the root")..\(to.short)")
            return try result(of: GitIndex(out!))
        }
    }

    private func withMergeOptions<T>(
        _ body: (UnsafePointer<git_merge_options>) throws(GitError) -> T
    ) throws(GitError) -> T {
        var options = git_merge_options()
        try LibGit2.check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "prepare merge")
        return try body(&options)
    }

    /// Conflicting paths of a merged index, or its tree written to the object database.
    private func result(of index: GitIndex) throws(GitError) -> TreeMerge {
        if git_index_has_conflicts(index.pointer) != 0 {
            var iterator: OpaquePointer?
            try LibGit2.check(git_index_conflict_iterator_new(&iterator, index.pointer), "list conflicts")
            defer { git_index_conflict_iterator_free(iterator) }
            var paths = Set<String>()
            var ancestor: UnsafePointer<git_index_entry>?
            var ours: UnsafePointer<git_index_entry>?
            var theirs: UnsafePointer<git_index_entry>?
            while git_index_conflict_next(&ancestor, &ours, &theirs, iterator) == 0 {
                for entry in [ancestor, ours, theirs] {
                    if let path = entry?.pointee.path { paths.insert(String(cString: path)) }
                }
            }
            return .conflicted(paths: paths.sorted())
        }
        var tree = git_oid()
        try LibGit2.check(git_index_write_tree_to(&tree, index.pointer, pointer), "write merged tree")
        return .clean(tree: ObjectID(tree))
    }

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
        guard let ours = try entryChanges(from: a, to: b, atMost: theirs.count) else { return try apply(theirs, onto: b) }
        return try apply(ours, onto: c)
    }

    /// `changes` (from a common ancestor) applied to `c`, or nil when `c` changed one of
    /// their paths too, differently.
    private func apply(_ changes: [EntryChange], onto c: GitTree) throws(GitError) -> ObjectID? {
        var updates: [TreeUpdate] = []
        for change in changes {
            let inC = try treeEntry(change.path, in: c)
            if inC?.mode == GIT_FILEMODE_TREE { return nil }
            if inC == change.new { continue }  // already there
            guard inC == change.old else { return nil }
            if inC == nil, try fileOnTheWay(to: change.path, in: c) { return nil }  // a file where a folder goes
            if let inB = change.new { updates.append(.upsert(change.path, inB.id, inB.mode)) } else { updates.append(.remove(change.path)) }
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

    private func parent(of commit: GitCommit, number: UInt32) throws(GitError) -> GitCommit {
        var out: OpaquePointer?
        try LibGit2.check(git_commit_parent(&out, commit.pointer, number), "read the parent of \(commit.id.short)")
        return GitCommit(out!)
    }

    // MARK: - Moving main with the working tree

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
        let journal = AdvanceJournal(tip: expectedTip, tree: tree, otherParents: otherParents, message: message,
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
            throw .io(path: path, message: message + "; the files written before it were put back and main is unchanged")
        }
        let commit: ObjectID
        if let landing {
            try moveMainReference(from: expectedTip, to: landing)
            commit = landing
        } else {
            commit = try createCommit(tree: tree, parents: parents, message: message,
                                      author: author ?? .default(for: self), updating: Self.mainReference)
        }
        try syncIndex(paths: paths, snapshots: snapshots)
        AdvanceJournal.remove(in: gitDirectory)
        return commit
    }

    /// Completes a move of `main` that a crash interrupted between its checkout and its
    /// commit (see `advanceMain`). Call it before looking at the working tree.
    ///
    /// - Returns: the commit that completed it, or nil when there was nothing to finish.
    @discardableResult
    public func finishInterruptedAdvance() throws(GitError) -> ObjectID? {
        guard let journal = AdvanceJournal.read(in: gitDirectory) else { return nil }
        // The move died holding main's lock (SIGKILL while the ref was written): a lock made
        // after the journal and left for seconds is the move's own, as git holds a ref lock
        // for milliseconds; anything younger is waited for, never removed. (index.lock is
        // never touched: `git commit -e` holds it for as long as its editor is open.)
        AdvanceJournal.removeIfLeftByTheMove(gitDirectory + "/refs/heads/main.lock", in: gitDirectory,
                                              clock: retryPolicy.clock)
        let current = try tip(ofBranch: Self.mainBranch)
        guard current == journal.tip else {
            // The commit was made (or main moved on). If it was ours, the index may still
            // be behind it: bring it in step for the paths the move changed.
            if let current, try treeID(of: current) == journal.tree {
                let oldTree = try journal.tip.map { id throws(GitError) in try tree(of: lookupCommit(id)) }
                try syncIndex(paths: try changedPaths(from: oldTree, to: try lookupTree(journal.tree)))
            }
            AdvanceJournal.remove(in: gitDirectory)
            return nil
        }
        // Files the interrupted move already wrote hold the new content, or its start
        // followed by the rest of the old content (`writeFiles` writes in place, then cuts
        // to length); a safe check would take them for a person's edits. Both contents are
        // in the object database, so putting the old one back loses nothing, and the move
        // writes the new one again.
        let oldTree = try journal.tip.map { id throws(GitError) in try tree(of: lookupCommit(id)) }
        let newTree = try lookupTree(journal.tree)
        _ = putBack(try entryChanges(from: oldTree, to: newTree))
        do {
            return try advanceMain(from: journal.tip, to: journal.tree, message: journal.message,
                                   otherParents: journal.otherParents, landing: journal.landing)
        } catch .workingTreeChanged(let paths) {
            // A person edited a file the move would change: their edit wins.
            AdvanceJournal.remove(in: gitDirectory)
            throw .workingTreeChanged(paths: paths)
        }
    }

    /// Puts back the old content of every file a move of main wrote or deleted, where the
    /// file still holds what the move wrote, or its start followed by the old content's
    /// rest (`write` rewrites in place, then cuts to length); anything else is a person's
    /// edit and stays. Returns false when a file could not be put back.
    func putBack(_ changes: [EntryChange]) -> Bool {
        var complete = true
        for change in changes {
            let file = workingDirectory + "/" + change.path
            let oldBytes: Data?
            do { oldBytes = try change.old.map { entry throws(GitError) in try readBlob(entry.id) } } catch {
                complete = false
                continue
            }
            guard let onDisk = FileManager.default.contents(atPath: file) else {
                // Deleted by the move: the old file comes back.
                if let oldBytes, change.new == nil, (try? oldBytes.write(to: URL(fileURLWithPath: file))) == nil { complete = false }
                continue
            }
            guard let entry = change.new, let target = try? readBlob(entry.id) else { continue }
            let common = zip(onDisk, target).prefix { $0 == $1 }.count
            guard onDisk.dropFirst(common) == (oldBytes ?? Data()).dropFirst(common) else { continue }  // a person's edit
            if let oldBytes {
                if oldBytes != onDisk, (try? oldBytes.write(to: URL(fileURLWithPath: file))) == nil { complete = false }
            } else {
                unlink(file)
                removeEmptyFolders(above: change.path)
            }
        }
        return complete
    }

    /// Merges `commit` (a dream's tip) into `main` with a merge commit, even when a
    /// fast-forward were possible, so the merge can later be reverted as one.
    public func mergeIntoMain(
        _ commit: ObjectID, message: String, author: Signature? = nil, rules: EntryRules = .dream
    ) throws(GitError) -> MergeOutcome {
        try retryPolicy.run(retryingMovedReferences: true) { () throws(GitError) -> MergeOutcome in
            guard let tip = try tip(ofBranch: Self.mainBranch) else {
                throw .notFound(what: "a commit on main to merge into")
            }
            if try isAncestor(commit, of: tip) { return .alreadyMerged }
            switch try mergeTree(commit, into: tip) {
            case .conflicted(let paths):
                return .conflicted(paths: paths)
            case .clean(let tree):
                return .merged(commit: try advanceMain(from: tip, to: tree, message: message,
                                                       author: author, otherParents: [commit], rules: rules))
            }
        }
    }

    /// Undoes `commit` (for a merge: everything it brought in; with `since`, every commit
    /// after that one up to `commit`) with a new commit on `main`. The files `keeping`
    /// names stay as main has them.
    @discardableResult
    public func revertOnMain(
        _ commit: ObjectID, since base: ObjectID? = nil, message: String, author: Signature? = nil,
        keeping kept: [String] = []
    ) throws(GitError) -> ObjectID {
        try retryPolicy.run(retryingMovedReferences: true) { () throws(GitError) -> ObjectID in
            guard let tip = try tip(ofBranch: Self.mainBranch) else {
                throw .notFound(what: "a commit on main to revert on")
            }
            var from = base
            if from == nil { from = try commitInfo(commit).parents.first }
            switch try revertTree(from: from, to: commit, onto: tip) {
            case .conflicted(let paths):
                throw .conflict(operation: "revert of \(commit.short)", paths: paths)
            case .clean(let reverted):
                let result = try keeping(kept, asIn: tree(of: lookupCommit(tip)), in: reverted)
                return try advanceMain(from: tip, to: result, message: message, author: author)
            }
        }
    }

    /// `tree` with the files `paths` as `source` has them (absent there: absent).
    private func keeping(_ paths: [String], asIn source: GitTree, in tree: ObjectID) throws(GitError) -> ObjectID {
        let target = try lookupTree(tree)
        var updates: [TreeUpdate] = []
        for path in paths {
            let wanted = try treeEntry(path, in: source)
            guard try treeEntry(path, in: target) != wanted else { continue }
            updates.append(wanted.map { .upsert(path, $0.id, $0.mode) } ?? .remove(path))
        }
        return updates.isEmpty ? tree : try buildTree(base: target, updates: updates)
    }

    /// Commits on `main` the tree `commit` had: history stays, the content goes back.
    ///
    /// - Returns: the new commit, or nil when `main` already has that content.
    @discardableResult
    public func restoreOnMain(
        treeOf commit: ObjectID, message: String, author: Signature? = nil
    ) throws(GitError) -> ObjectID? {
        let tree = try treeID(of: commit)
        return try retryPolicy.run(retryingMovedReferences: true) { () throws(GitError) -> ObjectID? in
            let tip = try tip(ofBranch: Self.mainBranch)
            if let tip, try treeID(of: tip) == tree { return nil }
            return try advanceMain(from: tip, to: tree, message: message, author: author)
        }
    }

    /// Brings the changes of `commits` (in order) onto `main` as one new commit, files
    /// included: how a person approves some changes of a dream and not others.
    @discardableResult
    public func cherryPickOntoMain(
        _ commits: [ObjectID], message: String, author: Signature? = nil, rules: EntryRules = .dream
    ) throws(GitError) -> ObjectID {
        try retryPolicy.run(retryingMovedReferences: true) { () throws(GitError) -> ObjectID in
            guard let tip = try tip(ofBranch: Self.mainBranch) else {
                throw .notFound(what: "a commit on main to apply changes to")
            }
            switch try cherryPickTree(commits, onto: tip) {
            case .conflicted(let paths):
                throw .conflict(operation: "cherry-pick", paths: paths)
            case .clean(let tree):
                return try advanceMain(from: tip, to: tree, message: message, author: author, rules: rules)
            }
        }
    }

    // MARK: - Working tree

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
    func entryChanges(from old: GitTree?, to new: GitTree) throws(GitError) -> [EntryChange] {
        try entryChanges(from: old, to: new, atMost: .max)!
    }

    /// The same, or nil as soon as there are more than `limit`: the rest is not read.
    func entryChanges(from old: GitTree?, to new: GitTree, atMost limit: Int) throws(GitError) -> [EntryChange]? {
        var changes: [EntryChange] = []
        try compare(old, new, under: "", into: &changes, limit: limit)
        return changes.count > limit ? nil : changes.sorted { $0.path < $1.path }
    }

    private func compare(
        _ old: GitTree?, _ new: GitTree?, under prefix: String, into changes: inout [EntryChange], limit: Int
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
        _ was: TreeEntry?, _ now: TreeEntry?, at path: String, into changes: inout [EntryChange], limit: Int
    ) throws(GitError) {
        let oldFolder = try was.flatMap { entry throws(GitError) in entry.mode == GIT_FILEMODE_TREE ? try lookupTree(entry.id) : nil }
        let newFolder = try now.flatMap { entry throws(GitError) in entry.mode == GIT_FILEMODE_TREE ? try lookupTree(entry.id) : nil }
        let oldFile = oldFolder == nil ? was : nil, newFile = newFolder == nil ? now : nil
        if oldFolder != nil || newFolder != nil {
            try compare(oldFolder, newFolder, under: path + "/", into: &changes, limit: limit)
        }
        if oldFile != nil || newFile != nil {
            changes.append(EntryChange(path: path, old: oldFile, new: newFile))
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
                throw .invalidPath(path: prefix + name, reason: "its mode \(String(git_tree_entry_filemode_raw(entry).rawValue, radix: 8)) is not one git writes")
            }
            // git sorts a folder as if its name ended in '/'.
            let key = Array(name.utf8) + (git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE ? [UInt8(ascii: "/")] : [])
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
            return (String(cString: git_tree_entry_name(entry)),
                    TreeEntry(id: ObjectID(git_tree_entry_id(entry)), mode: git_tree_entry_filemode(entry)))
        }
    }

    /// Writes `paths` of `tree` to disk with a SAFE checkout: a file that differs from
    /// `HEAD` on disk, or an untracked file in the way, stops it with the paths named.
    private func checkoutSafely(_ tree: GitTree, paths: [String]) throws(GitError) {
        guard !paths.isEmpty else { return }
        var options = git_checkout_options()
        try LibGit2.check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)),
                          "prepare checkout")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
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
