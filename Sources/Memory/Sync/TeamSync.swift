import Foundation
import Git

/// Sync with the team's remote: fetch its `main` (and the dream and sync branches),
/// bring it into this `main`, push. Git is the only server: a forge, a bare repository on
/// a server, a folder.
///
/// - `main` only moves forward and only through `advanceMain`, so a teammate's files pass
///   the same entry rules as a dream's and a person's unsaved edit is committed, never
///   overwritten; a fast-forward when possible, else a merge commit made in memory.
/// - Same lines changed on both sides: `main` keeps this clone's, a branch `sync/<id>`
///   (a child of the merge) the other's; no conflict marker reaches a file.
/// - Never a force-push; a remote whose `main` lost what this clone saw there is refused.
///
/// Each step takes the repository to work on, so the daemon can fetch and push on a
/// handle of its own while moving `main` between its commits.
public struct TeamSync: Sendable {
    /// `[remote]`: where, and how often.
    public let settings: ReverieConfig.Remote
    /// This clone's state folder (`.git/reverie/`), where `sync.json` is kept.
    public let stateDirectory: String
    /// How to authenticate to the remote.
    public let credentials: RemoteCredentials

    /// A sync with explicit settings, state folder and credentials.
    public init(settings: ReverieConfig.Remote, stateDirectory: String, credentials: RemoteCredentials) {
        self.settings = settings
        self.stateDirectory = stateDirectory
        self.credentials = credentials
    }

    /// The sync of `memory` as its settings say; `SyncError.notConfigured` without a remote.
    public init(memory: MemoryRepo, credentials: RemoteCredentials = .forCommand) throws(SyncError) {
        let config: ReverieConfig
        do { config = try memory.config() } catch { throw .memory(error) }
        guard config.remote.isConfigured else { throw .notConfigured }
        self.init(settings: config.remote, stateDirectory: memory.stateDirectory, credentials: credentials)
    }

    var trackingPrefix: String { "refs/remotes/\(settings.name)/" }
    var trackingMain: String { trackingPrefix + "main" }
    /// The branch families that travel besides main.
    static let sharedFamilies = [DreamRef.family, "sync/"]
    /// Where the other side of a conflict is kept: `sync/<id>`.
    public static let conflictPrefix = "refs/heads/sync/"
    static let resolvedPrefix = "refs/reverie/resolved/"

    // MARK: - A whole round

    /// One round: fetch, merge into main, push; again when the remote moved meanwhile.
    /// Never throws: the report says what happened and what stopped it, and the state
    /// (`SyncState`) records it for `reverie status`.
    public func round(in repository: Repository, now: Date = Date()) -> SyncReport {
        var report = SyncReport(remote: settings.name)
        let lock: ProcessLock
        do {
            switch try ProcessLock.acquire(stateDirectory + "/sync.lock") {
            case .success(let held): lock = held
            case .failure(let other): return finish(report, error: .busy(pid: other.pid), now: now)
            }
        } catch {
            return finish(report, error: .memory(error), now: now)
        }
        defer { withExtendedLifetime(lock) {} }
        for attempt in 1...3 {
            do {
                try fetch(in: repository)
                do {
                    try integrate(in: repository, now: now, into: &report)
                } catch .waits(let reason) {
                    report.error = SyncError.waits(reason: reason).description  // push what can be pushed
                }
                try push(in: repository, into: &report)
                return finish(report, error: nil, now: now)
            } catch .git(.pushRejected) where attempt < 3 {
                continue  // the remote moved between fetch and push: fetch and merge again
            } catch {
                return finish(report, error: error, now: now)
            }
        }
        return report
    }

    /// Records the round's outcome in the machine-local state.
    public func finish(_ report: SyncReport, error: SyncError?, now: Date) -> SyncReport {
        var report = report
        var state = SyncState.load(from: stateDirectory)
        state.lastAttempt = now
        if let error {
            report.error = error.description
        }
        if report.error == nil {
            state.lastSuccess = now
            state.lastError = nil
        } else {
            state.lastError = report.error
        }
        let pushed = report.dreamsPushed.map(\.branch) + report.pushed.filter { $0.hasPrefix("sync/") }
        state.pushedBranches += pushed.filter { !state.pushedBranches.contains($0) }
        state.save(in: stateDirectory)
        return report
    }

    // MARK: - Fetch

    /// Downloads the remote's main, dream and sync branches and moves the remote-tracking
    /// references (`refs/remotes/<name>/…`) to them, after checking that the remote's
    /// main still holds everything this clone saw there before.
    public func fetch(in repository: Repository) throws(SyncError) {
        try requireTrustedURL(in: repository)
        let refspecs =
            ["refs/heads/main:\(trackingMain)"]
            + Self.sharedFamilies.map { "refs/heads/\($0)*:\(trackingPrefix)\($0)*" }
        let heads: [String: ObjectID]
        do { heads = try repository.fetch(from: settings.url, refspecs: refspecs, credentials: credentials) } catch {
            throw .git(error)
        }
        let problem: SyncError?
        do { problem = try rewriteProblem(heads, in: repository) } catch { throw .git(error) }
        if let problem { throw problem }
        do { try moveTrackingReferences(to: heads, in: repository) } catch { throw .git(error) }
    }

    /// Why the remote's advertised main must not be believed: it lost what this clone saw
    /// there (a force-push, a deleted main), or it shares no history with this main.
    private func rewriteProblem(_ heads: [String: ObjectID], in repository: Repository) throws(GitError) -> SyncError? {
        let now = heads[Repository.mainReference]
        if let known = try repository.tip(ofReference: trackingMain) {
            guard let now else { return .rewritten(remote: settings.name, known: known.short, now: nil) }
            if try !repository.isAncestor(known, of: now) {
                return .rewritten(remote: settings.name, known: known.short, now: now.short)
            }
        } else if let now, let local = try repository.tip(ofBranch: Repository.mainBranch),
            try repository.mergeBase(local, now) == nil
        {
            return .unrelated(remote: settings.name, url: RemoteURL.displayed(settings.url))
        }
        return nil
    }

    /// Moves the remote-tracking references to what the remote advertised; those of
    /// branches deleted there (a dream merged or rejected) go.
    private func moveTrackingReferences(to heads: [String: ObjectID], in repository: Repository) throws(GitError) {
        if let now = heads[Repository.mainReference] {
            try repository.setReference(trackingMain, to: now, message: "reverie sync: fetch")
        }
        for family in Self.sharedFamilies {
            let local = trackingPrefix + family
            var stale = Set(try repository.references(under: local).map(\.name))
            for (name, tip) in heads where name.hasPrefix("refs/heads/" + family) {
                let tracking = local + name.dropFirst(("refs/heads/" + family).count)
                stale.remove(tracking)
                if try repository.tip(ofReference: tracking) != tip {
                    try repository.setReference(tracking, to: tip, message: "reverie sync: fetch")
                }
            }
            for name in stale { try repository.deleteReference(name) }
        }
    }

    // MARK: - Integrate

    /// Brings the fetched main into this one: nothing, a fast-forward, a merge commit, or
    /// on a conflict a merge keeping this clone's lines plus a `sync/<id>` branch.
    public func integrate(in repository: Repository, now: Date, into report: inout SyncReport) throws(SyncError) {
        let remote: ObjectID?
        do { remote = try repository.tip(ofReference: trackingMain) } catch { throw .git(error) }
        guard let remote else {
            report.integration = .upToDate  // an empty remote: the push gives it main
            return
        }
        if let reason = waitReason(repository) { throw .waits(reason: reason) }
        do {
            try integrateRetrying(remote, in: repository, now: now, report: &report)
        } catch {
            throw .git(error)
        }
        if report.settingsChanged, let config = try? ReverieConfig.load(fromRepo: repository.workingDirectory) {
            report.untrustedSettings =
                SettingsTrust(stateDirectory: stateDirectory, gitDirectory: repository.gitDirectory)
                .untrusted(in: config)?.keys ?? []
        }
    }

    /// Refuses to talk to a remote URL this machine has not accepted: the settings are
    /// shared, and a teammate's new URL would receive memory and git's credentials.
    private func requireTrustedURL(in repository: Repository) throws(SyncError) {
        var config = ReverieConfig()
        config.remote = settings
        do {
            try SettingsTrust(stateDirectory: stateDirectory, gitDirectory: repository.gitDirectory).require(
                ["remote.url"], in: config)
        } catch {
            throw .untrusted(error)
        }
    }

    /// Why main cannot be moved now (HEAD elsewhere, a git operation, a lock), after
    /// finishing a move a crash interrupted; nil when it can.
    private func waitReason(_ repository: Repository) -> String? {
        do {
            try repository.finishInterruptedAdvance()
        } catch .workingTreeChanged {
            // A person's edit won over the interrupted move; it is theirs to commit.
        } catch {
            return error.description
        }
        do {
            try repository.requireMainCheckedOut()
        } catch {
            return error.description
        }
        return repository.isIndexLocked ? "another git process holds .git/index.lock" : nil
    }

    private func integrateRetrying(
        _ remote: ObjectID, in repository: Repository, now: Date, report: inout SyncReport
    ) throws(GitError) {
        for _ in 1...4 {
            let local = try repository.tip(ofBranch: Repository.mainBranch)
            report.mainBefore = report.mainBefore ?? local?.short
            do {
                try integrate(remote, into: local, in: repository, now: now, report: &report)
                report.mainAfter = try repository.tip(ofBranch: Repository.mainBranch)?.short
                return
            } catch .workingTreeChanged(let paths) {
                // A person's unsaved edits in the way: committed first, as the daemon would,
                // then merged around.
                let pending = try repository.pendingPaths(only: paths)
                try repository.commitWorkingTree(paths: pending) { changes in
                    CommitMessage.forEdits(changes) + "\n\nCommitted before syncing with \(settings.name)."
                }
            } catch .referenceMoved {
                continue  // a commit landed meanwhile: merge again from the new tip
            }
        }
        throw .referenceMoved(reference: Repository.mainReference)
    }

    private func integrate(
        _ remote: ObjectID, into local: ObjectID?, in repository: Repository, now: Date, report: inout SyncReport
    ) throws(GitError) {
        if let local, try repository.isAncestor(remote, of: local) {
            report.integration = .upToDate
            return
        }
        if try local.map({ local throws(GitError) in try repository.isAncestor(local, of: remote) }) ?? true {
            report.settingsChanged = try touchesSettings(from: local, to: remote, in: repository)
            try repository.fastForwardMain(from: local, to: remote)
            report.integration = .fastForward
            return
        }
        let local = local!
        let merge = try repository.mergeKeepingOurs(remote, into: local)
        let name = settings.name
        guard !merge.conflicted.isEmpty else {
            let merged = try repository.advanceMain(
                from: local, to: merge.tree,
                message: "Merge \(name)/main\n\nThe team's changes, merged by Reverie's sync.",
                otherParents: [remote])
            report.settingsChanged = try touchesSettings(from: local, to: merged, in: repository)
            report.integration = .merged
            return
        }
        let id = Self.stamp(now) + "-" + MachineID.of(stateDirectory: stateDirectory)
        let paths = merge.conflicted
        let merged = try repository.advanceMain(
            from: local, to: merge.tree,
            message: """
                Merge \(name)/main, keeping this clone's lines in \(paths.joined(separator: ", "))

                Both sides changed the same lines. main keeps this clone's; the other side's
                are on sync/\(id). Review with `git diff main sync/\(id)`; finish with
                `reverie sync resolve \(id)` (keep main) or `--theirs` (take theirs).

                \(ReverieTrailer.syncConflict.line(id))
                """,
            otherParents: [remote])
        try repository.commit(
            tree: merge.theirsTree, parents: [merged],
            message: """
                The other side of \(paths.joined(separator: ", ")) from \(name)/main

                Their lines where both sides changed the same ones, kept while main keeps
                this clone's. `reverie sync resolve \(id) --theirs` takes them.

                \(ReverieTrailer.syncConflict.line(id))
                """,
            onReference: Self.conflictPrefix + id)
        report.settingsChanged = try touchesSettings(from: local, to: merged, in: repository)
        report.integration = .conflict
        report.conflictBranch = "sync/\(id)"
        report.conflictPaths = paths
    }

    /// Whether the team's change touched Reverie's shared settings, worth a person's look
    /// (a consolidator command is code).
    private func touchesSettings(
        from old: ObjectID?, to new: ObjectID, in repository: Repository
    ) throws(GitError) -> Bool {
        try repository.changedPaths(from: old, to: new).contains(ReverieConfig.path)
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    // MARK: - Push

    /// Pushes main when it is ahead of the remote's, the sync branches of conflicts, and
    /// (with `push_dreams`) dream branches not pushed before. Fast-forwards only.
    public func push(in repository: Repository, into report: inout SyncReport) throws(SyncError) {
        try requireTrustedURL(in: repository)
        do {
            var updates: [(commit: ObjectID?, reference: String)] = []
            var dreams: [String] = []
            let local = try repository.tip(ofBranch: Repository.mainBranch)
            let known = try repository.tip(ofReference: trackingMain)
            if let local, local != known {
                // Behind or beside the remote (the merge waited): nothing to push until merged.
                if try known.map({ known throws(GitError) in try repository.isAncestor(known, of: local) }) ?? true {
                    updates.append((local, Repository.mainReference))
                }
            }
            // Each once: one deleted there was resolved on another machine.
            let pushed = Set(SyncState.load(from: stateDirectory).pushedBranches)
            for (name, tip) in try repository.references(under: Self.conflictPrefix)
            where !pushed.contains(String(name.dropFirst("refs/heads/".count))) {
                updates.append((tip, name))
            }
            if settings.pushDreams {
                for (name, tip) in try repository.references(under: DreamRef.branchPrefix) {
                    let branch = String(name.dropFirst("refs/heads/".count))
                    guard !pushed.contains(branch), try repository.tip(ofReference: trackingPrefix + branch) == nil,
                        try !local.map({ local throws(GitError) in try repository.isAncestor(tip, of: local) }).isTrue
                    else { continue }
                    updates.append((tip, name))
                    dreams.append(branch)
                }
            }
            guard !updates.isEmpty else { return }
            try repository.push(to: settings.url, updates: updates, credentials: credentials)
            for update in updates {
                let tracking = trackingPrefix + update.reference.dropFirst("refs/heads/".count)
                if let commit = update.commit {
                    try repository.setReference(tracking, to: commit, message: "reverie sync: push")
                }
                report.pushed.append(String(update.reference.dropFirst("refs/heads/".count)))
            }
            report.dreamsPushed += dreams.map {
                SyncReport.DreamPush(branch: $0, compareURL: RemoteURL.compareURL(settings.url, branch: $0))
            }
        } catch {
            throw .git(error)
        }
    }

    /// Pushes one dream's branch now (a dream just made), when `push_dreams` says so.
    public func publish(dream id: String, in repository: Repository) throws(SyncError) -> SyncReport.DreamPush? {
        guard settings.pushDreams else { return nil }
        try requireTrustedURL(in: repository)
        let branch = DreamRef.shortBranch(id)
        do {
            guard let tip = try repository.tip(ofBranch: branch) else { return nil }
            try repository.push(to: settings.url, updates: [(tip, "refs/heads/" + branch)], credentials: credentials)
            try repository.setReference(trackingPrefix + branch, to: tip, message: "reverie sync: push")
        } catch {
            throw .git(error)
        }
        var state = SyncState.load(from: stateDirectory)
        if !state.pushedBranches.contains(branch) { state.pushedBranches.append(branch) }
        state.save(in: stateDirectory)
        return SyncReport.DreamPush(branch: branch, compareURL: RemoteURL.compareURL(settings.url, branch: branch))
    }

    /// Deletes `branch` (e.g. `dreams/<id>`) on the remote, when it has it; the local
    /// commits stay where the caller keeps them.
    public func deleteRemote(branch: String, in repository: Repository) throws(SyncError) {
        let tracking = trackingPrefix + branch
        let tracked: Bool
        do { tracked = try repository.tip(ofReference: tracking) != nil } catch { throw .git(error) }
        guard tracked else { return }
        try requireTrustedURL(in: repository)
        do {
            try repository.push(to: settings.url, updates: [(nil, "refs/heads/" + branch)], credentials: credentials)
            try repository.deleteReference(tracking)
        } catch {
            throw .git(error)
        }
    }

    // MARK: - Conflicts

    /// A conflict waiting for a person: its branch (here or only on the remote), paths and tip.
    public struct Conflict: Sendable, Encodable, Equatable {
        /// The part of its branch name after `sync/`; `resolve` takes it.
        public let id: String
        /// `sync/<id>`, or `<remote>/sync/<id>` for one another clone made.
        public let branch: String
        /// The paths the other side changed.
        public let paths: [String]
    }

    /// The sync branches whose lines main does not have yet, here or on the remote.
    public func conflicts(in repository: Repository) throws(SyncError) -> [Conflict] {
        do {
            guard let main = try repository.tip(ofBranch: Repository.mainBranch) else { return [] }
            var found: [String: Conflict] = [:]
            let pushed = Set(SyncState.load(from: stateDirectory).pushedBranches)
            for (prefix, shown) in [
                (Self.conflictPrefix, "sync/"), (trackingPrefix + "sync/", "\(settings.name)/sync/"),
            ] {
                for (name, tip) in try repository.references(under: prefix) {
                    let id = String(name.dropFirst(prefix.count))
                    // Pushed from here and gone there: a teammate resolved it.
                    var resolvedElsewhere = false
                    if prefix == Self.conflictPrefix, pushed.contains("sync/" + id) {
                        resolvedElsewhere = try repository.tip(ofReference: trackingPrefix + "sync/" + id) == nil
                    }
                    guard found[id] == nil, !resolvedElsewhere, try !repository.isAncestor(tip, of: main),
                        try repository.tip(ofReference: Self.resolvedPrefix + id) == nil
                    else { continue }
                    let parent = try repository.commitInfo(tip).parents.first
                    found[id] = Conflict(
                        id: id, branch: shown + id, paths: try repository.changedPaths(from: parent, to: tip))
                }
            }
            return found.values.sorted { $0.id < $1.id }
        } catch {
            throw .git(error)
        }
    }

    /// Finishes a conflict: with `takeTheirs`, their lines are merged into main first;
    /// either way the branch is kept under `refs/reverie/resolved/<id>` and deleted here
    /// and on the remote.
    @discardableResult
    public func resolve(_ name: String, takeTheirs: Bool, in repository: Repository) throws(SyncError) -> ObjectID? {
        let id = name.hasPrefix("sync/") ? String(name.dropFirst("sync/".count)) : name
        var merged: ObjectID?
        let local = Self.conflictPrefix + id, tracking = trackingPrefix + "sync/" + id
        let tip: ObjectID?
        do {
            let here = try repository.tip(ofReference: local)
            tip = here == nil ? try repository.tip(ofReference: tracking) : here
        } catch {
            throw .git(error)
        }
        guard let tip else { throw .unknownConflict(name) }
        do {
            if takeTheirs {
                try repository.requireMainCheckedOut()
                merged = try repository.bringIntoMain(
                    tip, message: "Take their lines from sync/\(id)\n\n" + ReverieTrailer.syncResolved.line(id))
            }
            try repository.setReference(Self.resolvedPrefix + id, to: tip, message: "reverie sync resolve \(id)")
            try repository.deleteReference(local)
        } catch {
            throw .git(error)
        }
        try deleteRemote(branch: "sync/" + id, in: repository)
        return merged
    }

    // MARK: - Status

    /// How main stands against the remote's, as last fetched.
    public struct Standing: Sendable, Encodable {
        /// The remote's name in git's config.
        public let remote: String
        /// Its URL, any password in it hidden.
        public let url: String
        /// `auto` or `manual`: who syncs.
        public let mode: String
        /// Commits on main the remote's main lacks; nil until both have a commit (the remote's as fetched).
        public let ahead: Int?
        /// Commits on the remote's main this main lacks; nil as for `ahead`.
        public let behind: Int?
        /// When a round last succeeded.
        public let lastSync: Date?
        /// The last round's error, unless a round succeeded since.
        public let lastError: String?
        /// Conflicts waiting for a person, here or on the remote.
        public let conflicts: [Conflict]
    }

    /// How main stands against the remote's as last fetched; nothing is fetched.
    public func standing(in repository: Repository) throws(SyncError) -> Standing {
        let state = SyncState.load(from: stateDirectory)
        var ahead: Int?, behind: Int?
        do {
            if let local = try repository.tip(ofBranch: Repository.mainBranch),
                let remote = try repository.tip(ofReference: trackingMain)
            {
                (ahead, behind) = try repository.aheadBehind(local, remote)
            }
        } catch {
            throw .git(error)
        }
        return Standing(
            remote: settings.name, url: RemoteURL.displayed(settings.url), mode: settings.sync.rawValue,
            ahead: ahead, behind: behind, lastSync: state.lastSuccess, lastError: state.lastError,
            conflicts: try conflicts(in: repository))
    }
}

private extension Optional where Wrapped == Bool {
    var isTrue: Bool { self == true }
}
