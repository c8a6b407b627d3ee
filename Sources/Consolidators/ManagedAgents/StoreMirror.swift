import Foundation
import Git
import Memory

/// Mirrors a Managed Agents memory store into the memory repo and back (docs/memory-stores.md).
///
/// The store's history is kept as commits on `refs/reverie/store/<id>` (one per run of
/// versions by the same session, API key or person, authored by it, the version ids in
/// trailers), whose trees hold exactly what the store holds. A pull merges that ref into
/// `main` through the same checked funnel as a dream (`mergeIntoMain`: entry rules, safe
/// checkout, a person's unsaved edits committed first), so edits on both sides meet in a
/// three-way merge. A push writes what `main` changed since with the `content_sha256`
/// precondition: a store change made meanwhile is answered 409 and never overwritten.
public final class StoreMirror {
    /// The memory repo the store is mirrored into.
    public let memory: MemoryRepo
    /// The client that talks to the store.
    public let client: MemoryStoreClient
    /// The `memstore_…` id, checked to be an id before any call.
    public let storeID: String
    var repository: Repository { memory.repository }

    /// A mirror of store `storeID` in `memory`; throws when `storeID` is not a store id.
    public init(memory: MemoryRepo, client: MemoryStoreClient, storeID: String) throws(StoreError) {
        self.memory = memory
        self.client = client
        self.storeID = try MemoryStoreClient.checked(storeID)
    }

    /// The ref whose commits mirror the store.
    public var trackingReference: String { "refs/reverie/store/\(storeID)" }
    var cursorPath: String { memory.stateDirectory + "/store-\(storeID).json" }

    /// What one pull did.
    public struct PullReport: Sendable {
        /// Versions read that were new.
        public var versions = 0
        /// Commits added to the mirror of the store.
        public var commits = 0
        /// The merge into main, when there was something to merge.
        public var merge: ObjectID?
        /// Paths both sides changed differently: main did not move.
        public var conflicts: [String] = []
        /// Memories not mirrored, and why.
        public var refused: [StoreRefusal] = []
    }

    /// What one push did.
    public struct PushReport: Sendable {
        /// Files on `main` new to the store, as repo paths.
        public var created: [String] = []
        /// Files whose content changed on `main`, as repo paths.
        public var updated: [String] = []
        /// Files gone from `main`, deleted in the store too, as repo paths.
        public var deleted: [String] = []
        /// Files left out: not UTF-8 text, or larger than the store takes.
        public var skipped: [String] = []
        /// The merge into main of the mirror commit recording the push, when there was one.
        public var merge: ObjectID?
        /// How many memories the push wrote or deleted.
        public var count: Int { created.count + updated.count + deleted.count }
    }

    // MARK: - Pull

    /// Reads the store's new versions into the mirror ref, then merges it into main.
    public func pull() async throws(StoreError) -> PullReport {
        let info = try await client.activeStore(storeID)
        var cursor = StoreCursor.load(from: cursorPath)
        var report = PullReport()
        let seen = Set(cursor.seenAtThrough)
        let versions = try await client.versions(in: storeID, since: cursor.through)
            .filter { !seen.contains($0.id) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        report.versions = versions.count
        var tip = try git { () throws(GitError) in try repository.tip(ofReference: trackingReference) }
        var state = try git { () throws(GitError) in try texts(at: tip) }

        for batch in Self.batches(versions) {
            var next = state
            var ids: [String] = []
            for version in batch {
                guard MemoryStoreClient.isID(version.id) else {
                    report.refused.append(
                        StoreRefusal(
                            path: version.path.map(MemoryStoreClient.printable) ?? "?",
                            reason: "its version id is not an id"))
                    continue
                }
                ids.append(version.id)
                guard version.redactedAt == nil, let path = version.path else { continue }  // the listing settles it
                let file: String
                switch StorePath.file(for: path) {
                case .success(let mapped): file = mapped
                case .failure(let refusal):
                    report.refused.append(refusal)
                    continue
                }
                let old = cursor.files[version.memoryId]
                if version.operation == "deleted" {
                    next[old ?? file] = nil
                    cursor.files[version.memoryId] = nil
                    cursor.hashes[old ?? file] = nil
                    continue
                }
                guard let content = version.content else { continue }
                if let problem = Self.problem(with: content, sha: version.contentSha256) {
                    report.refused.append(StoreRefusal(path: MemoryStoreClient.printable(path), reason: problem))
                    continue
                }
                if let old, old != file {
                    next[old] = nil
                    cursor.hashes[old] = nil
                }
                next[file] = SecretScanner.redact(content).text
                cursor.files[version.memoryId] = file
                cursor.hashes[file] = version.contentSha256 ?? StorePath.sha256(content)
            }
            if next != state {
                tip = try commit(
                    from: state, to: next, base: tip, message: pullMessage(batch, ids: ids, store: info),
                    author: Self.author(of: batch.first?.createdBy, at: batch.first?.createdAt))
                report.commits += 1
                state = next
            }
        }
        cursor.advance(past: versions)

        // The store as it is now settles what versions could not say (redacted, refused,
        // older than the cursor): one commit by Reverie when they disagree.
        let listing = try await client.memories(in: storeID)
        var now: [String: String] = [:]
        var files: [String: String] = [:]
        var hashes: [String: String] = [:]
        for item in listing {
            let file: String
            switch StorePath.file(for: item.path) {
            case .success(let mapped): file = mapped
            case .failure(let refusal):
                if !report.refused.contains(refusal) { report.refused.append(refusal) }
                continue
            }
            files[item.id] = file
            hashes[file] = item.contentSha256
            if let known = cursor.hashes[file], known == item.contentSha256, let text = state[file] {
                now[file] = text
            } else if let text = state[file], StorePath.sha256(text) == item.contentSha256 {
                now[file] = text
            } else {
                let full = try await client.memory(item.id, in: storeID)
                guard let content = full.content else {
                    throw .malformed(message: "memory \(item.id) came without its content")
                }
                if let problem = Self.problem(with: content, sha: full.contentSha256) {
                    report.refused.append(StoreRefusal(path: MemoryStoreClient.printable(item.path), reason: problem))
                    continue
                }
                now[file] = SecretScanner.redact(content).text
            }
        }
        cursor.files = files
        cursor.hashes = hashes
        if now != state {
            tip = try commit(
                from: state, to: now, base: tip,
                message: "Match memory store \(Self.oneLine(info.name)) as it is now\n\n"
                    + "What its versions did not show (redacted or older versions).\n\n"
                    + ReverieTrailer.store.line(storeID),
                author: nil)
            report.commits += 1
        }
        try cursor.save(to: cursorPath)

        guard let tip else { return report }
        switch try mergeIntoMain(
            tip,
            message: "Pull memory store \(Self.oneLine(info.name))\n\n"
                + "\(report.versions) new version\(report.versions == 1 ? "" : "s") from the store.\n\n"
                + ReverieTrailer.store.line(storeID))
        {
        case .merged(let commit): report.merge = commit
        case .alreadyMerged: break
        case .conflicted(let paths): report.conflicts = paths
        }
        return report
    }

    /// Versions grouped into runs by the same writer.
    static func batches(_ versions: [MemoryVersion]) -> [[MemoryVersion]] {
        var batches: [[MemoryVersion]] = []
        for version in versions {
            if let last = batches.last?.last, last.createdBy == version.createdBy {
                batches[batches.count - 1].append(version)
            } else {
                batches.append([version])
            }
        }
        return batches
    }

    /// Why content from the store is not written, or nil.
    static func problem(with content: String, sha: String?) -> String? {
        if content.utf8.count > MemoryStoreClient.maxContentBytes {
            return "its content is larger than the \(MemoryStoreClient.maxContentBytes) bytes a memory may hold"
        }
        if let sha, StorePath.sha256(content) != sha { return "its content does not match its content_sha256" }
        if content.utf8.contains(0) { return "its content holds a NUL byte" }
        return nil
    }

    func pullMessage(_ batch: [MemoryVersion], ids: [String], store: MemoryStoreInfo) -> String {
        let paths = Array(Set(batch.compactMap { $0.path.map(MemoryStoreClient.printable) })).sorted()
        let verb =
            batch.allSatisfy { $0.operation == "deleted" }
            ? "Delete"
            : batch.allSatisfy { $0.operation == "created" } ? "Add" : "Update"
        let subject = paths.count == 1 ? "\(verb) \(paths[0].dropFirst())" : "\(verb) \(paths.count) memories"
        var text =
            "\(subject)\n\nFrom memory store \(Self.oneLine(store.name)) by \(Self.writer(batch.first?.createdBy)).\n\n"
            + ReverieTrailer.store.line(storeID)
        for id in ids { text += "\n" + ReverieTrailer.storeVersion.line(id) }
        return SecretScanner.redact(text).text
    }

    // MARK: - Push

    /// Writes what main changed since the last pull (or only `paths`) to the store, each
    /// with the store's last known `content_sha256` as precondition.
    public func push(only paths: [String]? = nil) async throws(StoreError) -> PushReport {
        let info = try await client.activeStore(storeID)
        var cursor = StoreCursor.load(from: cursorPath)
        guard let tracked = try git({ () throws(GitError) in try repository.tip(ofReference: trackingReference) })
        else {
            throw .repository(message: "nothing pulled from \(storeID) yet: run `reverie store pull` (or sync) first")
        }
        try prepareMain(before: "pushing to memory store \(storeID)")
        let main = try git { () throws(GitError) in try repository.tip(ofBranch: Repository.mainBranch) }
        guard let main else { throw .repository(message: "main has no commit yet") }
        if try !git({ () throws(GitError) in try repository.isAncestor(tracked, of: main) }) {
            let waiting = try git { () throws(GitError) in try repository.mergeTree(tracked, into: main) }
            if case .conflicted(let paths) = waiting { throw .unmerged(paths: paths) }
            throw .unmerged(paths: ["(the last pull's merge; run `reverie store pull`)"])
        }
        let old = try git { () throws(GitError) in try texts(at: tracked) }
        var new = try git { () throws(GitError) in try texts(at: main, mirroredOnly: true) }
        var report = PushReport()
        for file in Set(new.keys).subtracting(old.keys) where new[file]!.utf8.count > MemoryStoreClient.maxContentBytes
        {
            report.skipped.append(file)
            new[file] = nil
        }
        var changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
        if let paths { changed = changed.filter { paths.contains($0) } }
        guard !changed.isEmpty else { return report }

        let listing = Dictionary(
            try await client.memories(in: storeID).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var after = old
        var versionIDs: [String] = []
        var failure: StoreError?
        for file in changed {
            let storePath = StorePath.storePath(for: file)
            let expected = cursor.hashes[file] ?? old[file].map(StorePath.sha256)
            do throws(StoreError) {
                switch (old[file], new[file]) {
                case (nil, let content?):
                    if listing[storePath] != nil {
                        throw .preconditionFailed(path: file, message: "created in the store meanwhile")
                    }
                    let made = try await client.create(path: storePath, content: content, in: storeID)
                    record(made, file: file, into: &cursor, versions: &versionIDs)
                    report.created.append(file)
                    after[file] = content
                case (_?, let content?):
                    guard let memory = listing[storePath], let expected else {
                        throw .preconditionFailed(path: file, message: "deleted or moved in the store meanwhile")
                    }
                    let made = try await client.update(
                        memory.id, path: file, content: content, expectedSHA: expected, in: storeID)
                    record(made, file: file, into: &cursor, versions: &versionIDs)
                    report.updated.append(file)
                    after[file] = content
                case (_?, nil):
                    guard let memory = listing[storePath], let expected else {
                        throw .preconditionFailed(path: file, message: "deleted or moved in the store meanwhile")
                    }
                    try await client.delete(memory.id, path: file, expectedSHA: expected, in: storeID)
                    cursor.files[memory.id] = nil
                    cursor.hashes[file] = nil
                    report.deleted.append(file)
                    after[file] = nil
                case (nil, nil):
                    continue
                }
            } catch {
                failure = error
                break
            }
        }
        // What was written is the store's now, even when a 409 stopped the rest.
        if after != old {
            var text =
                "Push \(report.count) change\(report.count == 1 ? "" : "s") to memory store \(Self.oneLine(info.name))\n\n"
                + (report.created.map { "- add \($0)" } + report.updated.map { "- update \($0)" }
                + report.deleted.map { "- delete \($0)" }).joined(separator: "\n")
                + "\n\n" + ReverieTrailer.store.line(storeID)
            for id in versionIDs { text += "\n" + ReverieTrailer.storeVersion.line(id) }
            let tip = try commit(
                from: old, to: after, base: tracked, message: SecretScanner.redact(text).text, author: nil)
            try cursor.save(to: cursorPath)
            if case .merged(let commit) = try mergeIntoMain(tip, message: text) { report.merge = commit }
        }
        if let failure { throw failure }
        return report
    }

    private func record(_ made: StoreMemory, file: String, into cursor: inout StoreCursor, versions: inout [String]) {
        cursor.files[made.id] = file
        cursor.hashes[file] = made.contentSha256
        if let id = made.memoryVersionId, MemoryStoreClient.isID(id) { versions.append(id) }
    }

    // MARK: - Sync

    /// Pull, then push; a 409 on the push pulls, merges and pushes again, a few times.
    public func sync(rounds: Int = 3) async throws(StoreError) -> (pull: PullReport, push: PushReport) {
        var round = 0
        while true {
            round += 1
            let pulled = try await pull()
            if !pulled.conflicts.isEmpty { throw .unmerged(paths: pulled.conflicts) }
            do {
                return (pulled, try await push())
            } catch .preconditionFailed(let path, let message) {
                if round >= rounds { throw .preconditionFailed(path: path, message: message) }
            }
        }
    }

    /// What `[store] sync` asks for before each dream: nothing, a pull, or a pull and a
    /// push. Returns a line for the log, or nil when nothing was asked.
    public static func beforeDream(
        memory: MemoryRepo, config: ReverieConfig, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(StoreError) -> String? {
        let settings = config.store
        guard settings.sync != .manual, !settings.id.isEmpty else { return nil }
        let trust = SettingsTrust(memory: memory)
        do { try trust.require(["store.id"], in: config) } catch { throw .untrusted(error) }
        let mirror = try StoreMirror(
            memory: memory,
            client: try MemoryStoreClient.make(
                settings: settings, trust: trust,
                environment: environment),
            storeID: settings.id)
        if settings.sync == .pull {
            let pulled = try await mirror.pull()
            if !pulled.conflicts.isEmpty { throw .unmerged(paths: pulled.conflicts) }
            return "pulled \(pulled.versions) new version\(pulled.versions == 1 ? "" : "s") of \(settings.id)"
        }
        let (pulled, pushed) = try await mirror.sync()
        return "pulled \(pulled.versions) new version\(pulled.versions == 1 ? "" : "s") of \(settings.id), "
            + "pushed \(pushed.count) change\(pushed.count == 1 ? "" : "s")"
    }

    // MARK: - Git

    /// Every mirrored file's text at `commit`.
    func texts(at commit: ObjectID?, mirroredOnly: Bool = false) throws(GitError) -> [String: String] {
        try repository.texts(at: commit) { !mirroredOnly || StorePath.isMirrored($0) }
    }

    private func commit(
        from old: [String: String], to new: [String: String], base: ObjectID?, message: String,
        author: Git.Signature?
    ) throws(StoreError) -> ObjectID {
        var changes: [TreeEdit] = []
        for file in Set(old.keys).union(new.keys).sorted() where old[file] != new[file] {
            if let text = new[file] { changes.append(.write(file, text)) } else { changes.append(.delete(path: file)) }
        }
        return try git { () throws(GitError) in
            try repository.commit(changes, onReference: trackingReference, base: base, message: message, author: author)
        }
    }

    /// Main checked out, nothing half done, Claude Code not rewriting memory, and a
    /// person's unsaved edits committed first (as the daemon would).
    func prepareMain(before action: String) throws(StoreError) {
        if let holder = ConsolidationLock.holder(root: memory.root) {
            throw .repository(message: "memory is busy: \(holder); try again once it is done")
        }
        try git { () throws(GitError) in
            try repository.requireMainCheckedOut()
            try repository.finishInterruptedAdvance()
            let pending = try repository.pendingPaths()
            if !pending.isEmpty {
                try repository.commitWorkingTree(paths: pending) { changes in
                    CommitMessage.forEdits(changes) + "\n\nCommitted before \(action)."
                }
            }
        }
    }

    private func mergeIntoMain(_ tip: ObjectID, message: String) throws(StoreError) -> MergeOutcome {
        try prepareMain(before: "merging memory store \(storeID)")
        return try git { () throws(GitError) in try repository.mergeIntoMain(tip, message: message, rules: .dream) }
    }

    private func git<T>(_ body: () throws(GitError) -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw .repository(message: error.description) }
    }

    // MARK: - Text

    static func author(of actor: MemoryVersion.Actor?, at time: String?) -> Git.Signature? {
        guard let actor else { return nil }
        let id = MemoryStoreClient.isID(actor.id) ? actor.id : "unknown"
        let (name, domain) =
            switch actor.type {
            case "session_actor": ("session \(id)", "sessions")
            case "api_actor": ("API key \(id)", "api-keys")
            case "user_actor": ("user \(id)", "users")
            default: ("\(id)", "actors")
            }
        return Git.Signature(name: name, email: "\(id)@\(domain).managed-agents.invalid", date: time.flatMap(date))
    }

    static func writer(_ actor: MemoryVersion.Actor?) -> String {
        author(of: actor, at: nil)?.name ?? "an unknown writer"
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func oneLine(_ text: String) -> String {
        MemoryStoreClient.printable(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    }
}
