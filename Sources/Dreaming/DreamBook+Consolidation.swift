import Git
import Memory

extension DreamBook {
    /// The commit `name` names, when it is a Claude Code consolidation in main's history.
    func consolidation(_ name: String) -> CommitInfo? {
        guard let id = try? repository.resolve(name), let main = try? repository.tip(ofBranch: Repository.mainBranch),
            (try? repository.isAncestor(id, of: main)) == true,
            let commit = try? repository.commitInfo(id),
            commit.has(.consolidation)
        else { return nil }
        return commit
    }

    /// Undoes a Claude Code consolidation with a new commit on `main`; edits made since
    /// stay (a three-way revert), and a conflict with them changes nothing.
    func rollback(consolidation commit: CommitInfo) throws(DreamError) -> ObjectID {
        repository.prefetchIndex()  // read on the other core while main's history is looked through
        try mainGuard.requireMain()
        let undone: Bool
        do {
            undone = try repository.log(firstParentOnly: true).contains {
                $0.values(of: .rollbackOf).contains(commit.id.hex)
            }
        } catch {
            throw .git(error)
        }
        if undone { throw .notMerged("Claude Code's consolidation \(commit.id.short) (it was rolled back already)") }
        let message = DreamMessage.rollback(consolidation: commit)
        return try mainGuard.move(merging: nil, before: "rolling back consolidation \(commit.id.short)") {
            () throws(GitError) -> ObjectID in
            try repository.revertOnMain(commit.id, message: message)
        }
    }
}
