import Foundation
import Git
import Memory
import Sessions

/// Runs one dream: new sessions and `main`'s memory → the consolidator's plan → path
/// checks, secret redaction, guardrails → the branch `dreams/<id>` → the merge policy.
public final class DreamEngine {
    public let memory: MemoryRepo
    public let config: ReverieConfig
    public let catalog: SessionCatalog
    var repository: Repository { memory.repository }

    /// Longest text of a session a consolidator sees whole (tool outputs, pasted files keep
    /// their start and end beyond it): it bounds a dream's memory by the sessions' count.
    public var textLimit = DreamEngine.defaultTextLimit
    public static let defaultTextLimit = 8192

    public init(memory: MemoryRepo, config: ReverieConfig, catalog: SessionCatalog) {
        self.memory = memory
        self.config = config
        self.catalog = catalog
    }

    public struct Report: Sendable, Encodable {
        public enum Outcome: String, Sendable, Encodable {
            case dryRun = "dry run", nothingNew = "nothing new", review, merged, conflicted
        }

        public struct PlannedChange: Sendable, Encodable {
            public let kind: String
            public let summary: String
            public let rationale: String
            public let paths: [String]
            public let evidence: [String]
        }

        public let id: String
        public let outcome: Outcome
        public let sessions: Int
        public let changes: [PlannedChange]
        public let guardrails: [GuardrailVerdict]
        /// Why the dream waits for a person, when it does.
        public let waitsBecause: String?
        public let warnings: [String]
        /// Changes the consolidator left out, and why.
        public let dropped: [DroppedChange]
        /// What a model's dream cost.
        public let tokens: TokenUsage?
    }

    /// One dream now.
    ///
    /// - Parameters:
    ///   - sessionIDs: redo these sessions (all their events), read or not; nil: the new ones.
    ///   - dryRun: plan and check, write nothing.
    ///   - progress: told each step, for a person watching a long dream.
    public func dream(
        with consolidator: some Consolidator, sessionIDs: [String]? = nil, dryRun: Bool = false,
        now: Date = Date(), progress: (String) -> Void = { _ in }
    ) async throws(DreamError) -> Report {
        // One dream at a time per repo; holding this lock also makes whatever an earlier
        // dream left unfinished (refs, their lock files) certainly stale.
        let lock: ProcessLock
        do {
            switch try ProcessLock.acquire(memory.stateDirectory + "/dream.lock") {
            case .success(let held): lock = held
            case .failure(let other): throw DreamError.dreaming(pid: other.pid)
            }
        } catch let error as DreamError {
            throw error
        } catch {
            throw .memory(error as! MemoryError)
        }
        defer { withExtendedLifetime(lock) {} }
        // Memory read while Claude Code rewrites it would be half old, half new.
        if let holder = ConsolidationLock.holder(root: memory.root) { throw .memoryBusy(holder: holder) }
        do {
            try DreamWriter.removeUnfinished(in: repository, holdingDreamLock: true)
            try repository.finishInterruptedAdvance()
        } catch where Self.waitsForPerson(error) {
            // HEAD elsewhere or git busy: the merge step finishes it, or says why it cannot.
        } catch {
            throw .git(error)
        }
        if config.dream.merge == .auto { mergeWaitingDreams(progress: progress) }
        progress("Reading session sources")
        let consumed = try sessionsRead()
        let scan: SessionCatalog.Scan
        do { scan = try catalog.scan(consumed: consumed, now: now) } catch { throw .sessions(error) }
        var entries = scan.new
        if let sessionIDs {
            entries = []
            for id in sessionIDs {
                guard var entry = scan.entries.first(where: { $0.summary.id == id }) else {
                    throw .sessions(.unknownSession(id: id))
                }
                entry.consumed = 0
                entries.append(entry)
            }
        }
        progress("Parsing \(entries.count) session\(entries.count == 1 ? "" : "s")")
        let (sessions, parseWarnings) = catalog.load(entries, textLimit: textLimit)
        let warnings = scan.sourceProblems.map(\.description) + (scan.warnings + parseWarnings).map(\.description)
        let id = try newID(now: now)

        progress("Reading memory at main")
        let base: ObjectID?
        let texts: [String: String]
        let humanEdits: [String]
        do {
            base = try repository.tip(ofBranch: Repository.mainBranch)
            texts = try DreamBook(memory: memory).texts(at: base)
            humanEdits = try self.humanEdits()
        } catch {
            throw .git(error)
        }
        let files = texts.keys.sorted().compactMap { path -> MemoryFile? in
            guard path.hasSuffix(".md"), !path.hasPrefix(".reverie/"), let repoPath = try? RepoPath(path) else { return nil }
            return try? MemoryFile.parse(path: repoPath, text: texts[path]!)
        }
        let input = DreamInput(id: id, memory: MemorySnapshot(commit: base, files: files, texts: texts),
                               sessions: sessions, humanEdits: humanEdits)

        progress("Consolidating with \(consolidator.name)")
        var plan: DreamPlan
        do {
            plan = try await consolidator.plan(input)
        } catch let error as DreamError {
            throw error
        } catch {
            throw .consolidator(name: consolidator.name, message: "\(error)")
        }
        for change in plan.changes { for path in change.paths { try checkPath(path, base: base) } }

        // Redact secrets from the lines the dream adds, before anything is written.
        var redactions: [String] = []
        var redactedPerChange: [Int: Int] = [:]
        var after: [String: String?] = [:]
        for index in plan.changes.indices {
            for path in plan.changes[index].writes.keys.sorted() {
                let old = Set(((after[path] ?? nil) ?? texts[path] ?? "").split(separator: "\n", omittingEmptySubsequences: false))
                let (clean, found) = SecretScanner.redactAddedLines(plan.changes[index].writes[path]!, keeping: old)
                plan.changes[index].writes[path] = clean
                redactions += found.map { "\($0.kind) in \(path):\($0.line)" }
                redactedPerChange[index, default: 0] += found.count
                after[path] = clean
            }
            for path in plan.changes[index].deletes { after[path] = .some(nil) }
            // Its subject, rationale and evidence become the commit message, printed and kept forever too.
            let found = Self.redactMessage(of: &plan.changes[index])
            redactions += found.map { "\($0) in the message of change \(index + 1)" }
            redactedPerChange[index, default: 0] += found.count
        }
        let verdicts = Guardrails.check(before: texts, after: after, redactions: redactions, settings: config.guardrails,
                                        layout: config.layout)
        let failed = verdicts.filter { !$0.passed }.map(\.name)
        let planned = plan.changes.map { change in
            Report.PlannedChange(kind: change.kind.rawValue, summary: change.summary, rationale: change.rationale,
                                 paths: change.paths, evidence: change.evidence.map { "\($0.session): \($0.quote)" })
        }
        func report(_ outcome: Report.Outcome, waits: String? = nil) -> Report {
            Report(id: id, outcome: outcome, sessions: sessions.count, changes: planned, guardrails: verdicts,
                   waitsBecause: waits, warnings: warnings, dropped: plan.dropped, tokens: plan.usage)
        }
        if dryRun { return report(.dryRun) }
        if sessions.isEmpty && plan.changes.isEmpty { return report(.nothingNew) }
        guard let base else { throw .git(.notFound(what: "a commit on main to dream from")) }

        progress("Writing dreams/\(id)")
        let ledger = SessionLedger.text(dream: id, read: sessions.map { session in
            let entry = entries.first { $0.summary.id == session.id }
            return (session.id, entry?.summary.events ?? session.events.count)
        }, machine: machine)
        // Recorded before the branch appears: a dream killed right after it is still this machine's.
        recordMadeHere(id)
        let tip: ObjectID
        do {
            tip = try DreamWriter(repository: repository, consolidator: consolidator.name, trailers: plan.trailers)
                .write(id: id, base: base, ledger: ledger, sessions: sessions.count, changes: plan.changes,
                       redactions: redactedPerChange, dropped: plan.dropped, usage: plan.usage)
        } catch {
            throw .git(error)
        }

        // A dream with nothing to change only records what it read: no person needs to see it.
        let automatic = config.dream.merge == .auto || plan.changes.isEmpty
        guard automatic else { return report(.review, waits: "the merge policy is manual: `reverie approve \(id)`") }
        guard failed.isEmpty else {
            return report(.review, waits: "guardrails failed: \(failed.joined(separator: ", ")); `reverie show \(id)`")
        }
        progress("Merging dreams/\(id) into main")
        let book = DreamBook(memory: memory)
        do {
            try book.requireMain()
            repository.prefetchIndex()  // read on the other core while pending edits are looked for
            // With no daemon running, a person's edits anywhere would stay uncommitted beside
            // the dream's merge: commit them all first, so main has both.
            try book.commitPendingEdits(nil, before: "merging dream \(id)")
            _ = try book.merge(id: id, tip: tip, summaries: plan.changes.map(\.summary))
            return report(.merged)
        } catch .conflict(_, let paths, _) {
            return report(.conflicted, waits: "it conflicts with edits on main in \(paths.joined(separator: ", "))")
        } catch .git(let error) where Self.waitsForPerson(error) {
            return report(.review, waits: "\(error); merge it later with `reverie approve \(id)`")
        } catch .memoryBusy(let holder) {
            return report(.review, waits: "\(holder); merge it later with `reverie approve \(id)`")
        }
    }

    /// With automatic merges, a dream that was written but not merged (a crash between the
    /// two, or it waited for git or for a conflict that is gone now) is merged when its
    /// guardrails pass today. One that still cannot be merged keeps waiting, silently.
    func mergeWaitingDreams(progress: (String) -> Void) {
        let book = DreamBook(memory: memory)
        guard let dreams = try? book.list() else { return }
        // Only dreams this machine wrote: a branch anyone pushed or fetched waits for a person.
        let made = Set(madeHere())
        for dream in dreams where dream.state == .review && made.contains(dream.id) {
            guard let details = try? book.show(dream.id), details.guardrails.allSatisfy(\.passed) else { continue }
            progress("Merging waiting dream \(dream.id)")
            _ = try? book.approve(dream.id)
        }
    }

    /// The ids of the dreams this machine's engine wrote, one a line (machine-local state).
    var madeHerePath: String { memory.stateDirectory + "/dreams-made" }

    func madeHere() -> [String] {
        ((try? String(contentsOfFile: madeHerePath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func recordMadeHere(_ id: String) {
        guard let handle = FileHandle(forWritingAtPath: madeHerePath) ?? {
            _ = FileManager.default.createFile(atPath: madeHerePath, contents: nil)
            return FileHandle(forWritingAtPath: madeHerePath)
        }() else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((id + "\n").utf8))
    }

    /// HEAD elsewhere, a git operation, a lock, a file that changed under the checkout:
    /// the person is busy, the dream waits.
    static func waitsForPerson(_ error: GitError) -> Bool {
        switch error {
        case .headNotMain, .operationInProgress, .locked, .conflict, .workingTreeChanged: true
        default: false
        }
    }

    /// Redacts the texts of `change` that go into its commit message; the kinds found.
    static func redactMessage(of change: inout MemoryChange) -> [String] {
        var kinds: [String] = []
        func clean(_ text: String) -> String {
            let (redacted, findings) = SecretScanner.redact(text)
            kinds += findings.map(\.kind)
            return redacted
        }
        change.summary = clean(change.summary)
        change.rationale = clean(change.rationale)
        for index in change.evidence.indices {
            change.evidence[index].quote = clean(change.evidence[index].quote)
            change.evidence[index].session = clean(change.evidence[index].session)
        }
        return kinds
    }

    /// Refuses a path that is not a plain path inside the memory, reaches Reverie's own
    /// folder, or passes through a symbolic link (in git or on disk) that could lead out.
    func checkPath(_ path: String, base: ObjectID?) throws(DreamError) {
        do {
            _ = try RepoPath(path)
        } catch {
            throw .badPath(path: path, reason: error.description)
        }
        if path == ".reverie" || path.hasPrefix(".reverie/") {
            throw .badPath(path: path, reason: "Reverie's own settings and records are not memory")
        }
        if let base, let link = try? repository.symbolicLink(along: path, at: base.hex) {
            throw .badPath(path: path, reason: "\(link) is a symbolic link in git")
        }
        do {
            _ = try RepoPath.resolve(path, in: memory.root)
        } catch {
            throw .badPath(path: path, reason: error.description)
        }
    }

    /// Files people changed on `main` since the last dream merged (commits without
    /// Reverie's trailers), newest first.
    func humanEdits() throws(GitError) -> [String] {
        var paths: [String] = []
        for commit in try repository.log(firstParentOnly: true, limit: 1000) {
            if !commit.trailer("Reverie-Merge").isEmpty { break }
            guard commit.trailer("Reverie-Dream").isEmpty, commit.trailer("Reverie-Rollback").isEmpty else { continue }
            for path in try repository.changedPaths(from: commit.parents.first, to: commit.id) where !paths.contains(path) {
                paths.append(path)
            }
        }
        return paths
    }

    func sessionsRead() throws(DreamError) -> [String: Int] {
        do { return try memory.sessionsRead() } catch { throw .memory(error) }
    }

    /// This clone's machine id when memory is shared through a remote, else nil.
    var machine: String? {
        config.remote.isConfigured ? MachineID.of(stateDirectory: memory.stateDirectory) : nil
    }

    /// A UTC timestamp (with a remote, and the machine's id: teammates dream in the same
    /// second too); a second dream in the same second gets a suffix, never the same id.
    func newID(now: Date) throws(DreamError) -> String {
        let stamp = DreamID.stamp(for: now) + (machine.map { "-\($0)" } ?? "")
        var id = stamp
        var suffix = 2
        while true {
            let taken = [DreamBook.branchPrefix, DreamBook.rejectedPrefix].contains { prefix in
                ((try? repository.tip(ofReference: prefix + id)) ?? nil) != nil
            }
            if !taken { return id }
            id = "\(stamp)-\(suffix)"
            suffix += 1
        }
    }
}
