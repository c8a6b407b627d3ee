import Foundation
import Git
import Memory

/// Every dream of a memory repo, read from refs, main's history and commit trailers, so
/// `git` alone tells the same story: list, show, state. What a person does with a dream
/// is in `DreamBook+Review.swift`.
public final class DreamBook {
    /// The memory repo whose dreams these are.
    public let memory: MemoryRepo
    var repository: Repository { memory.repository }

    /// The dreams of `memory`; nothing is read until asked.
    public init(memory: MemoryRepo) {
        self.memory = memory
    }

    var mainGuard: MainGuard { MainGuard(memory: memory) }

    /// Finishes or drops what a crash interrupted (`MainGuard.recover`).
    public func recover() throws(GitError) { try mainGuard.recover() }

    // MARK: - Reading

    /// One dream as `reverie dreams` lists it.
    public struct Summary: Sendable, Encodable {
        /// The dream's id.
        public let id: String
        /// Where it stands: waiting, merged, rejected, rolled back, …
        public let state: DreamState
        /// How many changes it holds (its record of sessions read aside).
        public let changes: Int
        /// When its first commit was made, ISO 8601.
        public let created: String
        /// Who dreamt it, from its `Reverie-Consolidator` trailer: "builtin/1", "anthropic/…".
        public let consolidator: String
        /// The ref holding it (`refs/heads/dreams/<id>` or the rejected ref); empty when only main's history has it.
        public let branch: String
        /// What a model's dream cost (its first commit's `Reverie-Tokens`).
        public let tokens: TokenUsage?
        /// Who merged it, for a merged dream: the author of Reverie's merge or of a merge
        /// commit, the committer of a squash or rebase (a forge's web merge: its author).
        public var mergedBy: String? = nil
    }

    /// One change of a dream, numbered from 1 as `approve --only` takes it.
    public struct CommittedChange: Sendable, Encodable {
        /// Its number, from 1.
        public let number: Int
        /// The consolidator's kind, from the `Reverie-Change` trailer.
        public let kind: String
        /// The commit's subject.
        public let summary: String
        /// The commit message without its subject and trailers.
        public let rationale: String
        /// The `Reverie-Evidence` trailers, each `<session>: <quote>`.
        public let evidence: [String]
        /// The commit's id, in hex.
        public let commit: String
        /// What it changes, as a unified diff.
        public let patch: String
    }

    /// Everything `reverie show` tells about one dream.
    public struct Details: Sendable, Encodable {
        /// The dream as `list()` sums it up.
        public let dream: Summary
        /// Its changes, numbered from 1.
        public let changes: [CommittedChange]
        /// The guardrails checked again on what the dream's commits hold now.
        public let guardrails: [GuardrailVerdict]
        /// How many sessions its record of sessions read names.
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
            for prefix in [DreamRef.branchPrefix, DreamRef.rejectedPrefix] {
                for reference in try repository.references(under: prefix) {
                    ids.insert(String(reference.name.dropFirst(prefix.count)))
                }
            }
            ids.formUnion(try mergedIDs())
        } catch { throw .git(error) }
        return ids.sorted()
    }

    /// The ids whose record of sessions read is on main: every dream whose content reached it.
    func mergedIDs() throws(GitError) -> [String] {
        guard try repository.tip(ofBranch: Repository.mainBranch) != nil else { return [] }
        return try repository.files(in: SessionLedger.folder, at: Repository.mainBranch)
            .compactMap { SessionLedger.dream(ofRecordNamed: $0.name) }
    }

    /// The id named by `name`: an id, `dreams/<id>`, or `latest`.
    public func resolve(_ name: String) throws(DreamError) -> String {
        var id = DreamRef.id(named: name)
        if name == "latest" {
            guard let last = try ids().last else { throw .unknownDream(name) }
            id = last
        }
        if (try? reference(of: id)) != nil { return id }
        if (try? mergedIDs().contains(id)) == true { return id }
        if (try? mainEvents()).map({ $0.merges[id] != nil || $0.rolledBack.contains(id) }) == true { return id }
        throw .unknownDream(name)
    }

    /// A dream's changes, guardrails and record in full; `name` as `resolve(_:)` takes it.
    public func show(_ name: String) throws(DreamError) -> Details {
        let id = try resolve(name)
        let summary = try summary(of: id, events: try mainEvents(since: try base(of: id)))
        let commits = try self.commits(of: id)
        let config: ReverieConfig
        do { config = try memory.config() } catch { throw .memory(error) }
        do throws(GitError) {
            var changes: [CommittedChange] = []
            var redactions: [String] = []
            var after: [String: String?] = [:]
            var links: [String] = []
            let tip = commits.last!.id
            // The first commit is the record of sessions read: anything else it changes (a
            // branch made outside Reverie) is judged with the rest.
            for path in try repository.changedPaths(from: commits[0].parents.first, to: commits[0].id)
            where path != SessionLedger.path(forDream: id) {
                after[path] = .some(
                    try repository.readFile(path, at: tip.hex).map { String(decoding: $0, as: UTF8.self) })
            }
            for (index, commit) in commits.dropFirst().enumerated() {
                changes.append(
                    CommittedChange(
                        number: index + 1, kind: commit.values(of: .change).first ?? "", summary: commit.summary,
                        rationale: DreamMessage.rationale(of: commit), evidence: commit.values(of: .evidence),
                        commit: commit.id.hex,
                        patch: try repository.patch(from: commit.parents.first, to: commit.id)))
                if let count = commit.values(of: .redacted).first.flatMap(Int.init), count > 0 {
                    redactions.append("\(count) in change \(index + 1)")
                }
                for path in try repository.changedPaths(from: commit.parents.first, to: commit.id)
                where after[path] == nil {
                    after[path] = .some(
                        try repository.readFile(path, at: tip.hex).map { String(decoding: $0, as: UTF8.self) })
                    if try repository.symbolicLink(along: path, at: tip.hex) == path { links.append(path) }
                }
            }
            let base = commits[0].parents.first
            let verdicts = Guardrails.check(
                before: try repository.texts(at: base), after: after, redactions: redactions,
                links: links, settings: config.guardrails, layout: config.layout)
            let ledger = try repository.readFile(SessionLedger.path(forDream: id), at: commits[0].id.hex)
            let sessions = ledger.map { SessionLedger.parse(String(decoding: $0, as: UTF8.self)).count } ?? 0
            return Details(
                dream: summary, changes: changes, guardrails: verdicts, sessions: sessions,
                dropped: DreamMessage.dropped(inRecord: commits[0].message))
        } catch {
            throw .git(error)
        }
    }

    // MARK: - State

    func mainEvents(since base: ObjectID? = nil) throws(DreamError) -> MainEvents {
        do { return try MainEvents.read(in: repository, since: base) } catch { throw .git(error) }
    }

    func state(of id: String, events: MainEvents, checkingConflicts: Bool = true) throws(DreamError) -> DreamState {
        if events.rolledBack.contains(id) { return .rolledBack }
        if events.merges[id] != nil { return .merged }
        do {
            if try DreamArrival.find(id, in: repository) != nil { return .merged }  // merged with git, maybe squashed
            guard let tip = try repository.tip(ofReference: DreamRef.branch(id)) else { return .rejected }
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
        var summary = Summary(
            id: id, state: state, changes: commits.count - 1,
            created: MemoryRepo.timestamp(first.committer.date),
            consolidator: first.values(of: .consolidator).first ?? "",
            branch: (try? reference(of: id)) ?? "",
            tokens: first.values(of: .tokens).first.flatMap(TokenUsage.init(trailer:)))
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
        for prefix in [DreamRef.branchPrefix, DreamRef.rejectedPrefix] {
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
                    guard commit.values(of: .dream).first == id else { break }
                    commits.append(commit)
                }
                commits.reverse()
            } else if let arrival = try DreamArrival.find(id, in: repository) {
                commits = try arrival.commits(of: id, in: repository)
                if commits.isEmpty, let broughtBy = arrival.broughtBy { commits = [broughtBy] }
            } else if let merge = try? mainEvents().merges[id],
                let second = try repository.commitInfo(merge).parents.dropFirst().first
            {
                // Rolled back, its record gone with it: its commits are behind Reverie's merge.
                var next: ObjectID? = second
                while let current = next, case let commit = try repository.commitInfo(current),
                    DreamArrival.isOwnCommit(commit, of: id)
                {
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

}
