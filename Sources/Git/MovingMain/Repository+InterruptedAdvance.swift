import Foundation

extension Repository {
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
        AdvanceJournal.removeIfLeftByTheMove(
            gitDirectory + "/refs/heads/main.lock", in: gitDirectory,
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
            return try advanceMain(
                from: journal.tip, to: journal.tree, message: journal.message,
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
    func putBack(_ changes: [EntryDiff]) -> Bool {
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
                if let oldBytes, change.new == nil, (try? oldBytes.write(to: URL(fileURLWithPath: file))) == nil {
                    complete = false
                }
                continue
            }
            guard let entry = change.new, let target = try? readBlob(entry.id) else { continue }
            let common = zip(onDisk, target).prefix { $0 == $1 }.count
            // A person's edit.
            guard onDisk.dropFirst(common) == (oldBytes ?? Data()).dropFirst(common) else { continue }
            if let oldBytes {
                if oldBytes != onDisk, (try? oldBytes.write(to: URL(fileURLWithPath: file))) == nil { complete = false }
            } else {
                unlink(file)
                removeEmptyFolders(above: change.path)
            }
        }
        return complete
    }
}
