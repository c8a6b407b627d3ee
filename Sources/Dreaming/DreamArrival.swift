import Git
import Memory

/// How a dream's content reached `main`, found from main's history alone, whoever merged
/// it and however: Reverie's merge or `--only` pick, a person's `git merge` (with or
/// without a merge commit, the branch deleted after), a squash or rebase merge here or on
/// a forge. Every one of them brings the dream's record of sessions read,
/// `.reverie/dreams/<id>.sessions`, so the commit of main's first-parent line where that
/// file appears is where the dream arrived.
struct DreamArrival {
    /// What to undo: the changes from `from` (nil: the empty tree) to `to`.
    let from: ObjectID?
    let to: ObjectID
    /// The commit that brought it (a merge, a squash), or nil when the dream's own commits
    /// are main's (a fast-forward, a rebase).
    let broughtBy: CommitInfo?
    /// Whether a commit since then rolled it back.
    let rolledBack: Bool

    /// Where `id` arrived on `main`, or nil when main's tip does not hold its record.
    static func find(_ id: String, in repository: Repository) throws(GitError) -> DreamArrival? {
        let ledger = SessionLedger.path(forDream: id)
        // Main's first-parent commits holding the record, newest first: everything since it came.
        var chain: [CommitInfo] = []
        var next = try repository.tip(ofBranch: Repository.mainBranch)
        while let commit = next, repository.contains(ledger, at: commit.hex) {
            let info = try repository.commitInfo(commit)
            chain.append(info)
            next = info.parents.first
        }
        guard let arrival = chain.last else { return nil }
        let rolledBack = chain.contains { $0.values(of: .rollback).contains(id) }
        guard isOwnCommit(arrival, of: id) else {
            // A person's own commit may carry the record alone (checked out from the branch
            // so its sessions are not dreamt again): it brought the dream only if it brought
            // some of the dream's content too, when the dream's branch is there to compare.
            var tip = try repository.tip(ofReference: DreamRef.branch(id))
            if tip == nil { tip = try repository.tip(ofReference: DreamRef.rejected(id)) }
            if !arrival.has(.merge), let tip {
                var fromDream = false
                for path in try repository.changedPaths(from: arrival.parents.first, to: arrival.id)
                where path != ledger {
                    let dreams = try repository.readFile(path, at: tip.hex)
                    if dreams != nil, try dreams == repository.readFile(path, at: arrival.id.hex) {
                        fromDream = true
                        break
                    }
                }
                guard fromDream else { return nil }
            }
            return DreamArrival(from: arrival.parents.first, to: arrival.id, broughtBy: arrival, rolledBack: rolledBack)
        }
        // Its own commits, one after the other on main's line, up to the last of them.
        var last = arrival
        for commit in chain.reversed().dropFirst() {
            guard isOwnCommit(commit, of: id) else { break }
            last = commit
        }
        return DreamArrival(from: arrival.parents.first, to: last.id, broughtBy: nil, rolledBack: rolledBack)
    }

    /// The dream's commits as they are in main's history, oldest (the record) first, for a
    /// dream whose branch is gone; empty for a squash, which kept none of them.
    func commits(of id: String, in repository: Repository) throws(GitError) -> [CommitInfo] {
        var commits: [CommitInfo] = []
        var next: ObjectID? = broughtBy.map { $0.parents.count > 1 ? $0.parents[1] : nil } ?? to
        while let current = next {
            let commit = try repository.commitInfo(current)
            guard Self.isOwnCommit(commit, of: id) else { break }
            commits.append(commit)
            next = commit.parents.first
        }
        return commits.reversed()
    }

    /// A commit the dream writer made for `id` (the record or a change), not a merge of it.
    static func isOwnCommit(_ commit: CommitInfo, of id: String) -> Bool {
        commit.values(of: .dream).first == id && !commit.has(.merge)
            && !commit.has(.rollback)
    }

    /// The commits undone, said for a person.
    var description: String {
        if let broughtBy {
            let kind = broughtBy.parents.count > 1 ? "the merge" : "the commit"
            return "\(broughtBy.id.short), \(kind) that brought it"
        }
        return "its commits \(from?.short ?? "root")..\(to.short)"
    }
}
