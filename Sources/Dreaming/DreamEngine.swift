import Foundation
import Git
import Memory
import Sessions

/// Runs one dream: new sessions and `main`'s memory → the consolidator's plan → path
/// checks, secret redaction, guardrails → the branch `dreams/<id>` → the merge policy.
public final class DreamEngine {
    /// The memory repo dreamt over.
    public let memory: MemoryRepo
    /// Its settings: merge policy, guardrails, layout.
    public let config: ReverieConfig
    /// Where new sessions come from.
    public let catalog: SessionCatalog
    var repository: Repository { memory.repository }

    /// Longest text of a session a consolidator sees whole (tool outputs, pasted files keep
    /// their start and end beyond it): it bounds a dream's memory by the sessions' count.
    public var textLimit = DreamEngine.defaultTextLimit
    /// The `textLimit` a new engine starts with.
    public static let defaultTextLimit = 8192

    /// An engine for `memory` with its settings and session sources.
    public init(memory: MemoryRepo, config: ReverieConfig, catalog: SessionCatalog) {
        self.memory = memory
        self.config = config
        self.catalog = catalog
    }

    /// What one dream did, for people and for `--json`.
    public struct Report: Sendable, Encodable {
        /// How the dream ended.
        public enum Outcome: String, Sendable, Encodable {
            case dryRun = "dry run", nothingNew = "nothing new", review, merged, conflicted
        }

        /// One change of the plan as the report lists it.
        public struct PlannedChange: Sendable, Encodable {
            /// The consolidator's kind: "mistake", "merge", …
            public let kind: String
            /// One line: the commit's subject.
            public let summary: String
            /// Why, in the consolidator's words.
            public let rationale: String
            /// Every path the change touches, sorted.
            public let paths: [String]
            /// Each evidence as `<session>: <quote>`.
            public let evidence: [String]
        }

        /// The dream's id: `dreams/<id>` is its branch.
        public let id: String
        /// How it ended.
        public let outcome: Outcome
        /// How many sessions it read.
        public let sessions: Int
        /// The plan's changes, in commit order.
        public let changes: [PlannedChange]
        /// Every guardrail's verdict on the plan.
        public let guardrails: [GuardrailVerdict]
        /// Why the dream waits for a person, when it does.
        public let waitsBecause: String?
        /// Sources that gave no transcripts as written, and lines or files skipped while reading sessions.
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
        let lock = try lockDreaming()
        defer { withExtendedLifetime(lock) {} }
        try recover()
        if config.dream.merge == .auto { mergeWaitingDreams(progress: progress) }

        let read = try readSessions(redoing: sessionIDs, now: now, progress: progress)
        let id = try newID(now: now)
        progress("Reading memory at main")
        var input = try readMemory(id: id, sessions: read.sessions)
        input.reinforced = read.reinforced

        progress("Consolidating with \(consolidator.name)")
        var plan = try await plan(input, with: consolidator)
        for change in plan.changes { for path in change.paths { try checkPath(path, base: input.memory.commit) } }
        let redacted = Self.redact(&plan, memory: input.memory.texts)
        let verdicts = Guardrails.check(
            before: input.memory.texts, after: redacted.after, redactions: redacted.findings,
            settings: config.guardrails, layout: config.layout)
        let planned = plan.changes.map { change in
            Report.PlannedChange(
                kind: change.kind.rawValue, summary: change.summary, rationale: change.rationale,
                paths: change.paths, evidence: change.evidence.map { "\($0.session): \($0.quote)" })
        }
        func report(_ outcome: Report.Outcome, waits: String? = nil) -> Report {
            Report(
                id: id, outcome: outcome, sessions: read.sessions.count, changes: planned, guardrails: verdicts,
                waitsBecause: waits, warnings: read.warnings, dropped: plan.dropped, tokens: plan.usage)
        }
        if dryRun { return report(.dryRun) }
        if read.sessions.isEmpty && plan.changes.isEmpty { return report(.nothingNew) }
        guard let base = input.memory.commit else { throw .git(.notFound(what: "a commit on main to dream from")) }

        progress("Writing dreams/\(id)")
        let tip = try write(
            plan, id: id, base: base, read: read, redactedPerChange: redacted.perChange,
            reinforced: Self.reinforced(by: plan, memory: input.memory.texts, after: redacted.after),
            consolidator: consolidator.name)

        // A dream with nothing to change only records what it read: no person needs to see it.
        let automatic = config.dream.merge == .auto || plan.changes.isEmpty
        guard automatic else { return report(.review, waits: "the merge policy is manual: `reverie approve \(id)`") }
        let failed = verdicts.filter { !$0.passed }.map(\.name)
        guard failed.isEmpty else {
            return report(.review, waits: "guardrails failed: \(failed.joined(separator: ", ")); `reverie show \(id)`")
        }
        progress("Merging dreams/\(id) into main")
        switch try merge(id: id, tip: tip, summaries: plan.changes.map(\.summary)) {
        case .merged: return report(.merged)
        case .conflicted(let paths):
            return report(.conflicted, waits: "it conflicts with edits on main in \(paths.joined(separator: ", "))")
        case .waits(let reason): return report(.review, waits: "\(reason); merge it later with `reverie approve \(id)`")
        }
    }

    // MARK: - The phases of a dream

    func lockDreaming() throws(DreamError) -> ProcessLock {
        let attempt: Result<ProcessLock, ProcessLock.Held>
        do { attempt = try ProcessLock.acquire(memory.stateDirectory + "/dream.lock") } catch { throw .memory(error) }
        switch attempt {
        case .success(let held): return held
        case .failure(let other): throw .dreaming(pid: other.pid)
        }
    }

    /// Memory not being rewritten, and nothing a crash left half done.
    func recover() throws(DreamError) {
        // Memory read while Claude Code rewrites it would be half old, half new.
        if let holder = ConsolidationLock.holder(root: memory.root) { throw .memoryBusy(holder: holder) }
        do {
            try DreamWriter.removeUnfinished(in: repository, holdingDreamLock: true)
            try repository.finishInterruptedAdvance()
        } catch let error where Self.waitsForPerson(error) {
            // HEAD elsewhere or git busy: the merge step finishes it, or says why it cannot.
        } catch {
            throw .git(error)
        }
    }

    /// What the dream reads: the sessions, how many of each one's events, and what went wrong reading them.
    struct SessionsRead {
        var entries: [SessionCatalog.Entry]
        var sessions: [Session]
        var warnings: [String]
        /// When main's dream records say sessions last bore out each entry (`DreamInput.reinforced`).
        var reinforced: [String: Date]
    }

    /// The new sessions, or those named (all their events, read before or not).
    func readSessions(
        redoing sessionIDs: [String]?, now: Date, progress: (String) -> Void
    ) throws(DreamError) -> SessionsRead {
        progress("Reading session sources")
        let records: SessionLedger.Records
        do { records = try memory.sessionRecords() } catch { throw .memory(error) }
        let consumed = records.read
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
        return SessionsRead(entries: entries, sessions: sessions, warnings: warnings, reinforced: records.reinforced)
    }

    /// Memory as main has it, and which files people changed since the last dream.
    func readMemory(id: String, sessions: [Session]) throws(DreamError) -> DreamInput {
        let base: ObjectID?
        let texts: [String: String]
        let humanEdits: [String]
        do {
            base = try repository.tip(ofBranch: Repository.mainBranch)
            texts = try repository.texts(at: base)
            humanEdits = try self.humanEdits()
        } catch {
            throw .git(error)
        }
        let files = texts.keys.sorted().compactMap { path -> MemoryFile? in
            guard path.hasSuffix(".md"), !path.hasPrefix(".reverie/"), let repoPath = try? RepoPath(path) else {
                return nil
            }
            return try? MemoryFile.parse(path: repoPath, text: texts[path]!)
        }
        return DreamInput(
            id: id, memory: MemorySnapshot(commit: base, files: files, texts: texts),
            sessions: sessions, humanEdits: humanEdits)
    }

    func plan(_ input: DreamInput, with consolidator: some Consolidator) async throws(DreamError) -> DreamPlan {
        do {
            return try await consolidator.plan(input)
        } catch let error as DreamError {
            throw error
        } catch {
            throw .consolidator(name: consolidator.name, message: "\(error)")
        }
    }

    /// What redaction found: each file's text after the plan, the findings for the guardrail,
    /// and how many per change (for its `Reverie-Redacted`).
    struct Redaction {
        var after: [String: String?] = [:]
        var findings: [String] = []
        var perChange: [Int: Int] = [:]
    }

    /// Redacts secrets from the lines the plan adds and from its messages, before anything is written.
    static func redact(_ plan: inout DreamPlan, memory texts: [String: String]) -> Redaction {
        var redaction = Redaction()
        for index in plan.changes.indices {
            for path in plan.changes[index].writes.keys.sorted() {
                let old = Set(
                    ((redaction.after[path] ?? nil) ?? texts[path] ?? "").split(
                        separator: "\n", omittingEmptySubsequences: false))
                let (clean, found) = SecretScanner.redactAddedLines(plan.changes[index].writes[path]!, keeping: old)
                plan.changes[index].writes[path] = clean
                redaction.findings += found.map { "\($0.kind) in \(path):\($0.line)" }
                redaction.perChange[index, default: 0] += found.count
                redaction.after[path] = clean
            }
            for path in plan.changes[index].deletes { redaction.after[path] = .some(nil) }
            // Its subject, rationale and evidence become the commit message, printed and kept forever too.
            let found = redactMessage(of: &plan.changes[index])
            redaction.findings += found.map { "\($0) in the message of change \(index + 1)" }
            redaction.perChange[index, default: 0] += found.count
        }
        return redaction
    }

    /// The branch `dreams/<id>`, recorded as this machine's before it appears.
    func write(
        _ plan: DreamPlan, id: String, base: ObjectID, read: SessionsRead, redactedPerChange: [Int: Int],
        reinforced: [String], consolidator: String
    ) throws(DreamError) -> ObjectID {
        let ledger = SessionLedger.text(
            dream: id,
            read: read.sessions.map { session in
                let entry = read.entries.first { $0.summary.id == session.id && $0.summary.file == session.file }
                return (session.id, entry?.summary.events ?? session.events.count)
            }, machine: machine, reinforced: reinforced, day: read.sessions.compactMap { $0.ended ?? $0.started }.max())
        // Recorded before the branch appears: a dream killed right after it is still this machine's.
        recordMadeHere(id)
        do {
            return try DreamWriter(repository: repository, consolidator: consolidator, trailers: plan.trailers)
                .write(
                    id: id, base: base, ledger: ledger, sessions: read.sessions.count, changes: plan.changes,
                    redactions: redactedPerChange, dropped: plan.dropped, usage: plan.usage)
        } catch {
            throw .git(error)
        }
    }

    /// The entries the plan says its sessions bore out that memory holds once the dream is
    /// merged (redacted, as written): nothing else reaches the record.
    static func reinforced(by plan: DreamPlan, memory: [String: String], after: [String: String?]) -> [String] {
        guard !plan.reinforced.isEmpty else { return [] }
        var final = memory
        for (path, text) in after { final[path] = text }
        let lines = Set(
            final.values.flatMap { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } })
        return plan.reinforced.map { $0.trimmingCharacters(in: .whitespaces) }.filter(lines.contains)
    }

    enum MergeResult {
        case merged
        case conflicted([String])
        case waits(String)
    }

    /// The automatic merge of a dream just written; it waits when a person is busy with git.
    func merge(id: String, tip: ObjectID, summaries: [String]) throws(DreamError) -> MergeResult {
        let book = DreamBook(memory: memory)
        do throws(DreamError) {
            try book.mainGuard.requireMain()
            repository.prefetchIndex()  // read on the other core while pending edits are looked for
            // With no daemon running, a person's edits anywhere would stay uncommitted beside
            // the dream's merge: commit them all first, so main has both.
            try book.mainGuard.commitPendingEdits(nil, before: "merging dream \(id)")
            _ = try book.merge(id: id, tip: tip, summaries: summaries)
            return .merged
        } catch .conflict(_, let paths, _) {
            return .conflicted(paths)
        } catch .git(let error) where Self.waitsForPerson(error) {
            return .waits("\(error)")
        } catch .memoryBusy(let holder) {
            return .waits("\(holder)")
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
        guard
            let handle = FileHandle(forWritingAtPath: madeHerePath)
                ?? {
                    _ = FileManager.default.createFile(atPath: madeHerePath, contents: nil)
                    return FileHandle(forWritingAtPath: madeHerePath)
                }()
        else { return }
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
            if commit.has(.merge) { break }
            guard !commit.has(.dream), !commit.has(.rollback) else { continue }
            for path in try repository.changedPaths(from: commit.parents.first, to: commit.id)
            where !paths.contains(path) {
                paths.append(path)
            }
        }
        return paths
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
            let taken = [DreamRef.branchPrefix, DreamRef.rejectedPrefix].contains { prefix in
                ((try? repository.tip(ofReference: prefix + id)) ?? nil) != nil
            }
            if !taken { return id }
            id = "\(stamp)-\(suffix)"
            suffix += 1
        }
    }
}
