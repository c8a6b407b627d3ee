import Foundation
import Git
import Memory

/// What a person does with a dream: approve it (all or chosen changes), reject it, roll it
/// back, or restore memory as of a date. Every move of main goes through `MainGuard`.
extension DreamBook {
    /// Merges a dream into `main` (a person's unsaved edits in its way committed first), or
    /// only the chosen changes, cherry-picked onto `main` in one commit.
    @discardableResult
    public func approve(_ name: String, only: [Int]? = nil) throws(DreamError) -> ObjectID {
        repository.prefetchIndex()  // read on the other core while the dream is looked up
        let (id, commits) = try openDream(name)
        guard let only else {
            return try merge(id: id, tip: commits.last!.id, summaries: commits.dropFirst().map(\.summary))
        }
        let changes = Array(commits.dropFirst())
        for number in only where !(1...max(1, changes.count)).contains(number) || changes.isEmpty {
            throw .noChange(dream: id, number: number, count: changes.count)
        }
        let chosen = Array(Set(only)).sorted()
        let picks = [commits[0]] + chosen.map { changes[$0 - 1] }
        let message = DreamMessage.merge(dream: id, chosen: chosen, of: changes.map(\.summary))
        return try mainGuard.move(merging: id, before: "approving changes of dream \(id)") {
            () throws(GitError) -> ObjectID in
            try repository.cherryPickOntoMain(picks.map(\.id), message: message, rules: .dream)
        }
    }

    /// Moves a dream's branch under `refs/reverie/rejected/`: gone from `git branch`,
    /// kept for history.
    public func reject(_ name: String) throws(DreamError) {
        let (id, _) = try openDream(name)
        do {
            let tip = try repository.tip(ofReference: DreamRef.branch(id))!
            try repository.setReference(DreamRef.rejected(id), to: tip, message: "reverie reject \(id)")
            try repository.deleteReference(DreamRef.branch(id))
        } catch {
            throw .git(error)
        }
    }

    /// Undoes a merged dream with a new commit on `main`: exactly what reached main, however
    /// it was merged (see `DreamArrival`). `name` may also be the commit of a Claude Code
    /// consolidation, which is undone the same way.
    @discardableResult
    public func rollback(_ name: String) throws(DreamError) -> ObjectID {
        let id: String
        do {
            id = try resolve(name)
        } catch .unknownDream {
            guard let consolidation = consolidation(name) else { throw .unknownDream(name) }
            return try rollback(consolidation: consolidation)
        }
        repository.prefetchIndex()  // read on the other core while the merge is looked up
        try mainGuard.requireMain()
        let arrival: DreamArrival?
        do { arrival = try DreamArrival.find(id, in: repository) } catch { throw .git(error) }
        let from: ObjectID?, to: ObjectID, undone: String
        if let arrival {
            if arrival.rolledBack { throw .notMerged(id + " (it was rolled back already)") }
            (from, to, undone) = (arrival.from, arrival.to, arrival.description)
        } else {
            // Its record is gone from main (a restore to before it, say): its merge by Reverie is undone.
            let events = try mainEvents()
            if events.rolledBack.contains(id) { throw .notMerged(id + " (it was rolled back already)") }
            guard let merge = events.merges[id] else {
                if try state(of: id, events: events, checkingConflicts: false) == .rejected { throw .rejected(id) }
                throw .notMerged(id)
            }
            do { from = try repository.commitInfo(merge).parents.first } catch { throw .git(error) }
            (to, undone) = (merge, "\(merge.short), the merge of dream \(id)")
        }
        let message = DreamMessage.rollback(dream: id, undone: undone)
        // The record stays on main: the dream stays known after its branch is gone.
        return try mainGuard.move(merging: nil, before: "rolling back dream \(id)") { () throws(GitError) -> ObjectID in
            try repository.revertOnMain(to, since: from, message: message, keeping: [SessionLedger.path(forDream: id)])
        }
    }

    /// Commits on `main` the memory as it was at a revision or a date (the last commit on
    /// `main` at or before it). Nil when `main` already has that content.
    @discardableResult
    public func rollback(to target: String) throws(DreamError) -> ObjectID? {
        repository.prefetchIndex()  // read on the other core while the target is looked up
        try mainGuard.requireMain()
        let commit = try revision(target)
        let message = DreamMessage.restore(target, commit: commit)
        return try mainGuard.move(merging: nil, before: "restoring memory as of \(target)") {
            () throws(GitError) -> ObjectID? in
            try repository.restoreOnMain(treeOf: commit, message: message)
        }
    }

    /// Three-way merge of a dream's tip into the current `main`, with a merge commit.
    func merge(id: String, tip: ObjectID, summaries: [String]) throws(DreamError) -> ObjectID {
        let message = DreamMessage.merge(dream: id, summaries: summaries)
        let outcome = try mainGuard.move(merging: id, before: "merging dream \(id)") {
            () throws(GitError) -> MergeOutcome in
            let outcome = try repository.mergeIntoMain(tip, message: message, rules: .dream)
            // Thrown, so that the guard can say whether a person's edits were committed first.
            if case .conflicted(let paths) = outcome { throw .conflict(operation: "merge", paths: paths) }
            return outcome
        }
        switch outcome {
        case .merged(let commit): return commit
        case .alreadyMerged: throw .alreadyMerged(id)
        case .conflicted(let paths): throw .conflict(dream: id, paths: paths)  // thrown in the body already
        }
    }

    /// The id and commits of a dream still waiting for a decision, with `main` checked
    /// out; refuses a dream already merged, rolled back or rejected.
    func openDream(_ name: String) throws(DreamError) -> (id: String, commits: [CommitInfo]) {
        let id = try resolve(name)
        try mainGuard.requireMain()
        let commits = try commits(of: id)
        // Whether it conflicts is for the merge itself to find, not worth a merge beforehand.
        switch try state(of: id, events: try mainEvents(since: commits[0].parents.first), checkingConflicts: false) {
        case .rejected: throw .rejected(id)
        case .merged, .rolledBack: throw .alreadyMerged(id)
        case .review, .conflicted: return (id, commits)
        }
    }

    /// A revision, or the last commit on `main` at or before a date (`HistoryDate`).
    func revision(_ text: String) throws(DreamError) -> ObjectID {
        if let id = try? repository.resolve(text) {
            // Memory as it was means main's own past: another branch (a teammate's, a fetched
            // one, a dream) is not restored under a rollback's looser rules.
            guard let main = try? repository.tip(ofBranch: Repository.mainBranch),
                (try? repository.isAncestor(id, of: main)) == true
            else {
                throw .notOnMain(text)
            }
            return id
        }
        guard let date = HistoryDate.latestInstant(of: text) else { throw .badRevision(text) }
        let commits: [CommitInfo]
        do { commits = try repository.log(firstParentOnly: true) } catch { throw .git(error) }
        if let commit = commits.first(where: { ($0.committer.date ?? .distantPast) <= date }) { return commit.id }
        let oldest = commits.min { ($0.committer.date ?? .distantFuture) < ($1.committer.date ?? .distantFuture) }
        throw .noCommitAtOrBefore(
            date: text, oldest: oldest?.id.short, oldestDate: MemoryRepo.timestamp(oldest?.committer.date))
    }
}
