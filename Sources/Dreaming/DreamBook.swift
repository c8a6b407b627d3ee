import Foundation
import Git
import Memory

/// Every dream of a memory repo and what a person does with them: list, show, approve
/// (all or chosen changes), reject, roll back. Everything is read from refs and commit
/// trailers, so `git` alone tells the same story.
public final class DreamBook {
    public let memory: MemoryRepo
    var repository: Repository { memory.repository }

    public init(memory: MemoryRepo) {
        self.memory = memory
    }

    static let branchPrefix = "refs/heads/dreams/"
    static let rejectedPrefix = "refs/reverie/rejected/"

    // MARK: - Reading

    public struct Summary: Sendable, Encodable {
        public let id: String
        public let state: DreamState
        public let changes: Int
        public let created: String
        public let consolidator: String
        public let branch: String
    }

    /// One change of a dream, numbered from 1 as `approve --only` takes it.
    public struct Change: Sendable, Encodable {
        public let number: Int
        public let kind: String
        public let summary: String
        /// The commit message without its subject and trailers.
        public let rationale: String
        public let evidence: [String]
        public let commit: String
        public let patch: String
    }

    public struct Details: Sendable, Encodable {
        public let dream: Summary
        public let changes: [Change]
        public let guardrails: [GuardrailVerdict]
        public let sessions: Int
    }

    /// Every dream, oldest first.
    public func list() throws(DreamError) -> [Summary] {
        let events = try mainEvents()
        return try ids().map { id throws(DreamError) in try summary(of: id, events: events) }
    }

    /// Every dream's id, oldest first, from the refs alone.
    public func ids() throws(DreamError) -> [String] {
        var ids = Set<String>()
        do {
            for prefix in [Self.branchPrefix, Self.rejectedPrefix] {
                for reference in try repository.references(under: prefix) { ids.insert(String(reference.name.dropFirst(prefix.count))) }
            }
        } catch { throw .git(error) }
        return ids.sorted()
    }

    /// The id named by `name`: an id, `dreams/<id>`, or `latest`.
    public func resolve(_ name: String) throws(DreamError) -> String {
        var id = name.hasPrefix("dreams/") ? String(name.dropFirst("dreams/".count)) : name
        if name == "latest" {
            guard let last = try ids().last else { throw .unknownDream(name) }
            id = last
        }
        guard (try? reference(of: id)) != nil else { throw .unknownDream(name) }
        return id
    }

    public func show(_ name: String) throws(DreamError) -> Details {
        let id = try resolve(name)
        let summary = try summary(of: id, events: try mainEvents(since: try base(of: id)))
        let commits = try self.commits(of: id)
        do {
            var changes: [Change] = []
            var redactions: [String] = []
            var after: [String: String?] = [:]
            let tip = commits.last!.id
            for (index, commit) in commits.dropFirst().enumerated() {
                let body = commit.message.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                    .prefix { !$0.hasPrefix("Reverie-") }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                changes.append(Change(
                    number: index + 1, kind: commit.trailer("Reverie-Change").first ?? "", summary: commit.summary,
                    rationale: body, evidence: commit.trailer("Reverie-Evidence"), commit: commit.id.hex,
                    patch: try repository.patch(from: commit.parents.first, to: commit.id)))
                if let count = commit.trailer("Reverie-Redacted").first.flatMap(Int.init), count > 0 {
                    redactions.append("\(count) in change \(index + 1)")
                }
                for path in try repository.changedPaths(from: commit.parents.first, to: commit.id) where after[path] == nil {
                    after[path] = .some(try repository.readFile(path, at: tip.hex).map { String(decoding: $0, as: UTF8.self) })
                }
            }
            let base = commits[0].parents.first
            let verdicts = Guardrails.check(before: try texts(at: base), after: after, redactions: redactions,
                                            settings: try memory.config().guardrails)
            let ledger = try repository.readFile(SessionLedger.path(forDream: id), at: commits[0].id.hex)
            let sessions = ledger.map { SessionLedger.parse(String(decoding: $0, as: UTF8.self)).count } ?? 0
            return Details(dream: summary, changes: changes, guardrails: verdicts, sessions: sessions)
        } catch let error as MemoryError {
            throw .memory(error)
        } catch {
            throw .git(error as! GitError)  // the only other error the calls above throw
        }
    }

    // MARK: - Acting

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
        let message = """
            Dream \(id): changes \(chosen.map(String.init).joined(separator: ", ")) of \(changes.count)

            \(chosen.map { "- \(changes[$0 - 1].summary)" }.joined(separator: "\n"))

            Reverie-Dream: \(id)
            Reverie-Merge: \(chosen.map(String.init).joined(separator: ", "))
            """
        return try onMain(merging: id, before: "approving changes of dream \(id)") { () throws(GitError) -> ObjectID in
            try repository.cherryPickOntoMain(picks.map(\.id), message: message)
        }
    }

    /// Moves a dream's branch under `refs/reverie/rejected/`: gone from `git branch`,
    /// kept for history.
    public func reject(_ name: String) throws(DreamError) {
        let (id, _) = try openDream(name)
        do {
            let tip = try repository.tip(ofReference: Self.branchPrefix + id)!
            try repository.setReference(Self.rejectedPrefix + id, to: tip, message: "reverie reject \(id)")
            try repository.deleteReference(Self.branchPrefix + id)
        } catch {
            throw .git(error)
        }
    }

    /// Undoes a merged dream with a new commit on `main` (a revert of its merge).
    @discardableResult
    public func rollback(_ name: String) throws(DreamError) -> ObjectID {
        repository.prefetchIndex()  // read on the other core while the merge is looked up
        let id = try resolve(name)
        try requireMain()
        // Its merge and any rollback are on main above the dream's tip: down to the merge
        // commit when there is one, else all of main's history beyond the dream's own.
        let name = try reference(of: id)
        let dreamTip: ObjectID?
        do { dreamTip = try repository.tip(ofReference: name) } catch { throw .git(error) }
        let events: MainEvents
        if let dreamTip, let found = try mainEvents(downToMergeOf: dreamTip) {
            events = found
        } else {
            events = try mainEvents(since: dreamTip)
        }
        switch try state(of: id, events: events) {
        case .merged: break
        case .rolledBack: throw .notMerged(id + " (it was rolled back already)")
        case .rejected: throw .rejected(id)
        case .review, .conflicted: throw .notMerged(id)
        }
        var merge = events.merges[id]
        if merge == nil { merge = try personMerge(of: id) }
        guard let merge else { throw .notMerged(id) }
        // A person's `git merge` may have fast-forwarded main to the dream: then its commits
        // are main's own, and all of them since the dream's base are undone.
        let base = merge == dreamTip ? try commits(of: id)[0].parents.first : nil
        let undone = base.map { "the commits of dream \(id) (\($0.short)..\(merge.short))" } ?? "\(merge.short), the merge of dream \(id)"
        let message = """
            Roll back dream \(id)

            Reverts \(undone), with a new commit: history keeps both.

            Reverie-Rollback: \(id)
            """
        return try onMain(merging: nil, before: "rolling back dream \(id)") { () throws(GitError) -> ObjectID in
            try repository.revertOnMain(merge, since: base, message: message)
        }
    }

    /// Commits on `main` the memory as it was at a revision or a date (the last commit on
    /// `main` at or before it). Nil when `main` already has that content.
    @discardableResult
    public func rollback(to target: String) throws(DreamError) -> ObjectID? {
        repository.prefetchIndex()  // read on the other core while the target is looked up
        try requireMain()
        let commit = try revision(target)
        let message = """
            Restore memory as of \(target) (\(commit.short))

            The files are as they were then; the history since stays.

            Reverie-Restore: \(commit.hex)
            """
        return try onMain(merging: nil, before: "restoring memory as of \(target)") { () throws(GitError) -> ObjectID? in
            try repository.restoreOnMain(treeOf: commit, message: message)
        }
    }

    // MARK: - Shared with the engine

    /// Three-way merge of a dream's tip into the current `main`, with a merge commit.
    func merge(id: String, tip: ObjectID, summaries: [String]) throws(DreamError) -> ObjectID {
        let message = """
            Dream \(id): \(summaries.count) change\(summaries.count == 1 ? "" : "s")

            \(summaries.map { "- \($0)" }.joined(separator: "\n"))

            Reverie-Dream: \(id)
            Reverie-Merge: all
            """
        let outcome = try onMain(merging: id, before: "merging dream \(id)") { () throws(GitError) -> MergeOutcome in
            let outcome = try repository.mergeIntoMain(tip, message: message)
            // Thrown, so that onMain can say whether a person's edits were committed first.
            if case .conflicted(let paths) = outcome { throw .conflict(operation: "merge", paths: paths) }
            return outcome
        }
        switch outcome {
        case .merged(let commit): return commit
        case .alreadyMerged: throw .alreadyMerged(id)
        case .conflicted(let paths): throw .conflict(dream: id, paths: paths)  // thrown in the body already
        }
    }

    /// Commits those of `paths` (nil: of all files) that hold a person's edits (a file
    /// changed, added or removed, or staged), as the daemon would have. Returns the commit.
    @discardableResult
    func commitPendingEdits(_ paths: [String]?, before action: String) throws(DreamError) -> ObjectID? {
        do {
            let pending = try repository.pendingPaths(only: paths)
            guard !pending.isEmpty else { return nil }
            return try repository.commitWorkingTree(paths: pending) { changes in
                CommitMessage.forEdits(changes) + "\n\nCommitted before \(action)."
            }
        } catch {
            throw .git(error)
        }
    }

    /// The id and commits of a dream still waiting for a decision, with `main` checked
    /// out; refuses a dream already merged, rolled back or rejected.
    func openDream(_ name: String) throws(DreamError) -> (id: String, commits: [CommitInfo]) {
        let id = try resolve(name)
        try requireMain()
        let commits = try commits(of: id)
        // Whether it conflicts is for the merge itself to find, not worth a merge beforehand.
        switch try state(of: id, events: try mainEvents(since: commits[0].parents.first), checkingConflicts: false) {
        case .rejected: throw .rejected(id)
        case .merged, .rolledBack: throw .alreadyMerged(id)
        case .review, .conflicted: return (id, commits)
        }
    }

    func requireMain() throws(DreamError) {
        do {
            try repository.requireMainCheckedOut()
            try recover()
        } catch {
            throw .git(error)
        }
    }

    /// Finishes or drops what a crash interrupted: a move of main between its checkout and
    /// its commit is completed; a dream still being written is dropped.
    public func recover() throws(GitError) {
        // Unfinished dream refs are dropped only when no dream is being made right now.
        if case .success(let lock)? = try? ProcessLock.acquire(memory.stateDirectory + "/dream.lock") {
            try DreamWriter.removeUnfinished(in: repository, holdingDreamLock: true)
            withExtendedLifetime(lock) {}
        }
        do {
            try repository.finishInterruptedAdvance()
        } catch .workingTreeChanged {
            // The person's edits stay; what the move had written is theirs to keep or drop.
        }
    }

    /// Every file's text at a commit (nil: the empty tree).
    func texts(at commit: ObjectID?) throws(GitError) -> [String: String] {
        guard let commit else { return [:] }
        var texts: [String: String] = [:]
        for path in try repository.files(at: commit.hex) {
            if let data = try repository.readFile(path, at: commit.hex), let text = String(data: data, encoding: .utf8) {
                texts[path] = text
            }
        }
        return texts
    }

    // MARK: - State

    /// What `main`'s own history says about dreams: which were merged by Reverie (and by
    /// which commit) and which were rolled back. Newest first, so the latest word wins.
    struct MainEvents {
        var merges: [String: ObjectID] = [:]
        var rolledBack: Set<String> = []
        var tip: ObjectID?

        /// Takes in main's first-parent commits, newest first: the newest decision about a
        /// dream (a merge or a rollback) is the one that stands.
        mutating func record(_ commits: [CommitInfo]) {
            var decided = Set<String>()
            for commit in commits {
                if let id = commit.trailer("Reverie-Rollback").first, decided.insert(id).inserted {
                    rolledBack.insert(id)
                } else if let id = commit.trailer("Reverie-Dream").first, !commit.trailer("Reverie-Merge").isEmpty {
                    if merges[id] == nil { merges[id] = commit.id }
                    decided.insert(id)
                }
            }
        }
    }

    /// - Parameter since: only what happened on main beyond this commit's history (a
    ///   dream's base or tip: nothing about that dream can be older), so one dream's state
    ///   does not cost a walk of main's whole history.
    func mainEvents(since base: ObjectID? = nil) throws(DreamError) -> MainEvents {
        var events = MainEvents()
        do {
            events.tip = try repository.tip(ofBranch: Repository.mainBranch)
            guard events.tip != nil else { return events }
            events.record(try repository.log(firstParentOnly: true, hiding: base))
        } catch {
            throw .git(error)
        }
        return events
    }

    /// Main's events from its tip down to the merge commit that has `dreamTip` as a parent:
    /// all that can concern that dream (its merge, and any rollback after it), read without
    /// the walk through the dream's own commits that `mainEvents(since:)` needs to tell
    /// them apart. Nil when main holds the dream some other way (a fast-forward, a merge of
    /// a branch that held it) or not at all, which `mainEvents(since:)` then finds out.
    func mainEvents(downToMergeOf dreamTip: ObjectID) throws(DreamError) -> MainEvents? {
        var events = MainEvents()
        do {
            events.tip = try repository.tip(ofBranch: Repository.mainBranch)
            // A merge is made after the dream: once main's commits are a day older than the
            // dream's tip (clocks of other machines may be off), it is not coming.
            let oldest = try repository.commitInfo(dreamTip).committer.date.map { $0.addingTimeInterval(-86_400) }
            var commits: [CommitInfo] = []
            var next = events.tip
            while let id = next, id != dreamTip {
                let commit = try repository.commitInfo(id)
                if let oldest, let date = commit.committer.date, date < oldest { return nil }
                commits.append(commit)
                if commit.parents.dropFirst().contains(dreamTip) {
                    events.record(commits)
                    return events
                }
                next = commit.parents.first
            }
            return nil
        } catch {
            throw .git(error)
        }
    }

    func state(of id: String, events: MainEvents, checkingConflicts: Bool = true) throws(DreamError) -> DreamState {
        if events.rolledBack.contains(id) { return .rolledBack }
        if events.merges[id] != nil { return .merged }
        do {
            guard let tip = try repository.tip(ofReference: Self.branchPrefix + id) else { return .rejected }
            guard let main = events.tip else { return .review }
            if try repository.isAncestor(tip, of: main) { return .merged }
            if checkingConflicts, case .conflicted = try repository.mergeTree(tip, into: main) { return .conflicted }
            return .review
        } catch {
            throw .git(error)
        }
    }

    func summary(of id: String, events: MainEvents) throws(DreamError) -> Summary {
        let commits = try commits(of: id)
        let first = commits[0]
        return Summary(id: id, state: try state(of: id, events: events), changes: commits.count - 1,
                       created: MemoryRepo.timestamp(first.committer.date),
                       consolidator: first.trailer("Reverie-Consolidator").first ?? "",
                       branch: (try? reference(of: id)) ?? "")
    }

    /// The commit a dream was made from.
    func base(of id: String) throws(DreamError) -> ObjectID? {
        try commits(of: id)[0].parents.first
    }

    /// The full name of a dream's ref: its branch, or its rejected ref.
    func reference(of id: String) throws(DreamError) -> String {
        for prefix in [Self.branchPrefix, Self.rejectedPrefix] {
            if (try? repository.tip(ofReference: prefix + id)) ?? nil != nil { return prefix + id }
        }
        throw .unknownDream(id)
    }

    /// A dream's commits, oldest (the ledger) first.
    func commits(of id: String) throws(DreamError) -> [CommitInfo] {
        let name = try reference(of: id)
        var commits: [CommitInfo] = []
        do {
            for commit in try repository.log(from: name, firstParentOnly: true) {
                guard commit.trailer("Reverie-Dream").first == id else { break }
                commits.append(commit)
            }
        } catch {
            throw .git(error)
        }
        guard !commits.isEmpty else { throw .git(.notFound(what: "commits of dream \(id)")) }
        return commits.reversed()
    }

    /// The first-parent commit of `main` that brought a dream's tip in, when a person
    /// merged it with git.
    func personMerge(of id: String) throws(DreamError) -> ObjectID? {
        do {
            guard let tip = try repository.tip(ofReference: Self.branchPrefix + id) else { return nil }
            for commit in try repository.log(firstParentOnly: true) {
                guard let parent = commit.parents.first else { return nil }
                if try repository.isAncestor(tip, of: commit.id), try !repository.isAncestor(tip, of: parent) { return commit.id }
            }
            return nil
        } catch {
            throw .git(error)
        }
    }

    /// A revision, or the last commit on `main` at or before a date (`HistoryDate`).
    func revision(_ text: String) throws(DreamError) -> ObjectID {
        if let id = try? repository.resolve(text) { return id }
        guard let date = HistoryDate.latestInstant(of: text) else { throw .badRevision(text) }
        let commits: [CommitInfo]
        do { commits = try repository.log(firstParentOnly: true) } catch { throw .git(error) }
        if let commit = commits.first(where: { ($0.committer.date ?? .distantPast) <= date }) { return commit.id }
        let oldest = commits.min { ($0.committer.date ?? .distantFuture) < ($1.committer.date ?? .distantFuture) }
        throw .noCommitAtOrBefore(date: text, oldest: oldest?.id.short, oldestDate: MemoryRepo.timestamp(oldest?.committer.date))
    }

    /// Runs a move of `main` (the Git layer retries it when a concurrent commit moved
    /// main meanwhile). A conflict while merging `merging` says which dream and how to go on.
    ///
    /// A person's unsaved edits in the move's way are committed (invariant 1: they are
    /// theirs, and the move then merges around them), and the move is tried once more.
    /// The move itself finds them, before writing anything: no separate look beforehand.
    /// Edits elsewhere are not in its way, and the daemon commits them.
    func onMain<T>(merging dream: String?, before action: String, _ body: () throws(GitError) -> T) throws(DreamError) -> T {
        do {
            return try body()
        } catch .workingTreeChanged(let paths) {
            let edits = try commitPendingEdits(paths, before: action)
            do {
                return try body()
            } catch {
                throw Self.describe(error, merging: dream, editsCommitted: edits)
            }
        } catch {
            throw Self.describe(error, merging: dream)
        }
    }

    private static func describe(_ error: GitError, merging dream: String?, editsCommitted edits: ObjectID? = nil) -> DreamError {
        guard case .conflict(let operation, let paths) = error else { return .git(error) }
        guard let dream else { return .git(.conflict(operation: operation, paths: paths)) }
        return .conflict(dream: dream, paths: paths, editsCommitted: edits?.short)
    }
}
