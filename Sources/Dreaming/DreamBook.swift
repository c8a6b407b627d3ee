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
        /// What a model's dream cost (its first commit's `Reverie-Tokens`).
        public let tokens: TokenUsage?
        /// Who merged it, for a merged dream: the author of Reverie's merge or of a merge
        /// commit, the committer of a squash or rebase (a forge's web merge: its author).
        public var mergedBy: String? = nil
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
        /// Changes the consolidator began and left out, with why.
        public let dropped: [DroppedChange]
    }

    /// Every dream, oldest first: those with a ref, and those main's history alone knows
    /// (merged with git and the branch deleted, rolled back since).
    public func list() throws(DreamError) -> [Summary] {
        let events = try mainEvents()
        let all = Set(try ids()).union(events.merges.keys).union(events.rolledBack)
        var summaries: [Summary] = []
        for id in all.sorted() {
            do {
                summaries.append(try summary(of: id, events: events))
            } catch .unknownDream {
                continue  // a trailer naming a dream none of whose commits is left
            }
        }
        return summaries
    }

    /// Every dream's id, oldest first: from the refs and from the records of sessions read
    /// on main (a dream merged with git, its branch deleted).
    public func ids() throws(DreamError) -> [String] {
        var ids = Set<String>()
        do {
            for prefix in [Self.branchPrefix, Self.rejectedPrefix] {
                for reference in try repository.references(under: prefix) { ids.insert(String(reference.name.dropFirst(prefix.count))) }
            }
            ids.formUnion(try mergedIDs())
        } catch { throw .git(error) }
        return ids.sorted()
    }

    /// The ids whose record of sessions read is on main: every dream whose content reached it.
    func mergedIDs() throws(GitError) -> [String] {
        guard try repository.tip(ofBranch: Repository.mainBranch) != nil else { return [] }
        return try repository.files(in: SessionLedger.folder, at: Repository.mainBranch)
            .map(\.name).filter { $0.hasSuffix(".sessions") }.map { String($0.dropLast(".sessions".count)) }
    }

    /// The id named by `name`: an id, `dreams/<id>`, or `latest`.
    public func resolve(_ name: String) throws(DreamError) -> String {
        var id = name.hasPrefix("dreams/") ? String(name.dropFirst("dreams/".count)) : name
        if name == "latest" {
            guard let last = try ids().last else { throw .unknownDream(name) }
            id = last
        }
        if (try? reference(of: id)) != nil { return id }
        if (try? mergedIDs().contains(id)) == true { return id }
        if (try? mainEvents()).map({ $0.merges[id] != nil || $0.rolledBack.contains(id) }) == true { return id }
        throw .unknownDream(name)
    }

    public func show(_ name: String) throws(DreamError) -> Details {
        let id = try resolve(name)
        let summary = try summary(of: id, events: try mainEvents(since: try base(of: id)))
        let commits = try self.commits(of: id)
        do {
            var changes: [Change] = []
            var redactions: [String] = []
            var after: [String: String?] = [:]
            var links: [String] = []
            let tip = commits.last!.id
            // The first commit is the record of sessions read: anything else it changes (a
            // branch made outside Reverie) is judged with the rest.
            for path in try repository.changedPaths(from: commits[0].parents.first, to: commits[0].id)
            where path != SessionLedger.path(forDream: id) {
                after[path] = .some(try repository.readFile(path, at: tip.hex).map { String(decoding: $0, as: UTF8.self) })
            }
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
                    if try repository.symbolicLink(along: path, at: tip.hex) == path { links.append(path) }
                }
            }
            let base = commits[0].parents.first
            let config = try memory.config()
            let verdicts = Guardrails.check(before: try texts(at: base), after: after, redactions: redactions,
                                            links: links, settings: config.guardrails, layout: config.layout)
            let ledger = try repository.readFile(SessionLedger.path(forDream: id), at: commits[0].id.hex)
            let sessions = ledger.map { SessionLedger.parse(String(decoding: $0, as: UTF8.self)).count } ?? 0
            return Details(dream: summary, changes: changes, guardrails: verdicts, sessions: sessions,
                           dropped: DreamWriter.dropped(inMessage: commits[0].message))
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
        try requireMain()
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
        let message = """
            Roll back dream \(id)

            Reverts \(undone), with a new commit: history keeps both.
            The record of the sessions it read stays, so they are not dreamt again.

            Reverie-Rollback: \(id)
            """
        // The record stays on main: the dream stays known after its branch is gone.
        return try onMain(merging: nil, before: "rolling back dream \(id)") { () throws(GitError) -> ObjectID in
            try repository.revertOnMain(to, since: from, message: message, keeping: [SessionLedger.path(forDream: id)])
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
        // Claude Code rewriting the folder: a move now would merge into a half-written memory.
        if let holder = ConsolidationLock.holder(root: memory.root) { throw .memoryBusy(holder: holder) }
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

    func state(of id: String, events: MainEvents, checkingConflicts: Bool = true) throws(DreamError) -> DreamState {
        if events.rolledBack.contains(id) { return .rolledBack }
        if events.merges[id] != nil { return .merged }
        do {
            if try DreamArrival.find(id, in: repository) != nil { return .merged }  // merged with git, maybe squashed
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
        let state = try state(of: id, events: events)
        var summary = Summary(id: id, state: state, changes: commits.count - 1,
                              created: MemoryRepo.timestamp(first.committer.date),
                              consolidator: first.trailer("Reverie-Consolidator").first ?? "",
                              branch: (try? reference(of: id)) ?? "",
                              tokens: first.trailer("Reverie-Tokens").first.flatMap(TokenUsage.init(trailer:)))
        if state == .merged { summary.mergedBy = try? mergedBy(id, events: events) }
        return summary
    }

    /// Who merged a dream that is on main: Reverie's merge names its author; a merge made
    /// with git or on a forge, a squash or a rebase, found by `DreamArrival`, its person.
    func mergedBy(_ id: String, events: MainEvents) throws(GitError) -> String? {
        if let merge = events.merges[id] { return try repository.commitInfo(merge).author.name }
        guard let arrival = try DreamArrival.find(id, in: repository) else { return nil }
        guard let commit = arrival.broughtBy else { return try repository.commitInfo(arrival.to).committer.name }
        if commit.isMerge { return commit.author.name }
        // A forge's web merge commits as the forge itself; its author is the person.
        let forges = ["GitHub", "GitLab", "Gitea", "Forgejo", "Bitbucket"]
        return forges.contains(commit.committer.name) ? commit.author.name : commit.committer.name
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

    /// A dream's commits, oldest (the ledger) first: from its ref, else from main's history.
    /// A squash merge whose branch is gone kept none: then the commit that brought it stands
    /// for them.
    func commits(of id: String) throws(DreamError) -> [CommitInfo] {
        var commits: [CommitInfo] = []
        do {
            if let name = try? reference(of: id) {
                for commit in try repository.log(from: name, firstParentOnly: true) {
                    guard commit.trailer("Reverie-Dream").first == id else { break }
                    commits.append(commit)
                }
                commits.reverse()
            } else if let arrival = try DreamArrival.find(id, in: repository) {
                commits = try arrival.commits(of: id, in: repository)
                if commits.isEmpty, let broughtBy = arrival.broughtBy { commits = [broughtBy] }
            } else if let merge = try? mainEvents().merges[id], let second = try repository.commitInfo(merge).parents.dropFirst().first {
                // Rolled back, its record gone with it: its commits are behind Reverie's merge.
                var next: ObjectID? = second
                while let current = next, case let commit = try repository.commitInfo(current), DreamArrival.isOwnCommit(commit, of: id) {
                    commits.insert(commit, at: 0)
                    next = commit.parents.first
                }
            }
        } catch {
            throw .git(error)
        }
        guard !commits.isEmpty else { throw .unknownDream(id) }
        return commits
    }

    /// A revision, or the last commit on `main` at or before a date (`HistoryDate`).
    func revision(_ text: String) throws(DreamError) -> ObjectID {
        if let id = try? repository.resolve(text) {
            // Memory as it was means main's own past: another branch (a teammate's, a fetched
            // one, a dream) is not restored under a rollback's looser rules.
            guard let main = try? repository.tip(ofBranch: Repository.mainBranch),
                  (try? repository.isAncestor(id, of: main)) == true else {
                throw .notOnMain(text)
            }
            return id
        }
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
        if case .invalidPath(let path, let reason) = error { return .refusedEntry(dream: dream, path: path, reason: reason) }
        guard case .conflict(let operation, let paths) = error else { return .git(error) }
        guard let dream else { return .git(.conflict(operation: operation, paths: paths)) }
        return .conflict(dream: dream, paths: paths, editsCommitted: edits?.short)
    }
}
