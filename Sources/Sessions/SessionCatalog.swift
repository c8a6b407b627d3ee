import Foundation
import Memory

/// Every session the configured sources hold, which of them are new to dreams, and which
/// transcripts vanished before a dream read them.
///
/// Each transcript file is parsed when it is new or changed since the cursor saw it, never
/// again to be listed; a file the agent is still writing (changed within the idle time)
/// is listed but not yet new. What a dream has read comes from the caller (`consumed`:
/// events read per session id), because that record lives in git, not here.
public struct SessionCatalog: Sendable {
    /// One session as the catalog lists it, with how much of it dreams have read.
    public struct Entry: Sendable, Equatable {
        /// What the transcript held when last parsed.
        public var summary: SessionSummary
        /// Events of this session dreams have read already.
        public var consumed: Int
        /// The file changed within the idle time: the agent may still be writing it.
        public var active: Bool

        /// Where a session stands for dreams, as `reverie sessions` shows and counts it.
        public enum State: String, Sendable, CaseIterable {
            /// Idle, with events, none read by a dream yet.
            case new
            /// A dream read some of its events; the agent wrote more since.
            case newEvents = "new events"
            /// Every event read by a dream.
            case read
            /// Its file changed within the idle time: the agent may still be writing it.
            case active
            /// No events at all (a header alone): nothing for a dream to read.
            case empty
        }

        /// Events no dream has read yet.
        public var unread: Int { max(0, summary.events - consumed) }

        /// Where the session stands for dreams; activity first, then emptiness, then what was read.
        public var state: State {
            if active { return .active }
            if summary.events == 0 { return .empty }
            if consumed == 0 { return .new }
            return unread > 0 ? .newEvents : .read
        }

        /// Ready for the next dream. Derived from `state`, so a list of sessions and its
        /// count of new ones can never disagree.
        public var isNew: Bool { state == .new || state == .newEvents }
    }

    /// What one scan of the sources found.
    public struct Scan: Sendable {
        /// Every session of every source, oldest first.
        public var entries: [Entry]
        /// Lines and files that were skipped, so a person can look.
        public var warnings: [ParseWarning]
        /// Sources whose folder, file or pattern matched nothing.
        public var missingSources: [SessionSourceSpec]
        /// Sources that cannot give transcripts as written, each with what to change.
        public var sourceProblems: [SourceProblem] = []
        /// Transcripts that were seen once and are gone with events no dream read (Claude
        /// Code deletes transcripts after 30 days unless told otherwise).
        public var vanished: [String]

        /// The sessions ready for the next dream.
        public var new: [Entry] { entries.filter(\.isNew) }
    }

    /// The configured sources, in the order they are scanned.
    public let sources: [SessionSourceSpec]
    /// A transcript changed more recently than this is still being written: listed, not yet new.
    public let idleSeconds: TimeInterval
    /// The home folder `~` in a source's path stands for.
    public let home: String
    /// Where the source cursor is kept (machine-local, under `.git/reverie/`).
    public let cursorPath: String
    /// The memory repo's folder: relative source paths are read from it, wherever Reverie
    /// runs (the daemon under systemd runs in /), as the settings file beside them is.
    public let repoRoot: String?
    /// The memory repo's `.git`: never a source of transcripts.
    public let gitDirectory: String?
    /// Set when the sources come from settings this machine has not accepted: `scan` refuses.
    public let untrusted: UntrustedSettings?

    /// A catalog of explicit sources; relative paths are read from `repoRoot` when one is given.
    public init(
        sources: [SessionSourceSpec], idleMinutes: Int, home: String, cursorPath: String,
        repoRoot: String? = nil, gitDirectory: String? = nil, untrusted: UntrustedSettings? = nil
    ) {
        self.sources = sources
        self.idleSeconds = TimeInterval(idleMinutes * 60)
        self.home = home
        self.cursorPath = cursorPath
        self.repoRoot = repoRoot
        self.gitDirectory = gitDirectory
        self.untrusted = untrusted
    }

    /// The catalog of a memory repo: its configured sources, its cursor under `.git/reverie/`.
    public init(memory: MemoryRepo, config: ReverieConfig, home: String = Self.homeFolder) {
        self.init(
            sources: config.sessions.sources, idleMinutes: config.sessions.idleMinutes, home: home,
            cursorPath: memory.stateDirectory + "/sources.json", repoRoot: memory.root,
            gitDirectory: memory.repository.gitDirectory,
            untrusted: SettingsTrust(memory: memory).untrusted(["sessions.sources"], in: config))
    }

    /// The home folder of the user running Reverie: `$HOME`, else the account's.
    public static var homeFolder: String {
        ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    }

    /// Looks at every source, parses what is new or changed, and saves the cursor.
    public func scan(consumed: [String: Int], now: Date = Date()) throws(SessionsError) -> Scan {
        if let untrusted { throw .untrusted(untrusted) }
        let saved = SourceCursor.load(from: cursorPath)
        var cursor = saved
        var scan = Scan(entries: [], warnings: [], missingSources: [], vanished: [])
        var seen = Set<String>()
        var listed: [(file: String, kind: SessionSourceSpec.Kind, stamp: (size: Int64, modified: Int64))] = []
        for source in sources {
            if let problem = problem(with: source) {
                scan.sourceProblems.append(problem)
                if !exists(source) { scan.missingSources.append(source) }
                continue
            }
            guard let files = files(of: source) else {
                scan.missingSources.append(source)
                continue
            }
            for file in files where seen.insert(file).inserted {
                guard let stamp = Self.stamp(of: file) else { continue }
                listed.append((file, source.kind, stamp))
            }
        }
        // New and changed files are parsed on every core; the rest comes from the cursor.
        let stale = listed.filter { item in
            guard let known = cursor.files[item.file] else { return true }
            return known.size != item.stamp.size || known.modified != item.stamp.modified
                || known.kind != item.kind.rawValue
        }
        let parsed = Self.parseInParallel(stale.map { ($0.file, $0.kind) })
        for (item, result) in zip(stale, parsed) {
            scan.warnings += result.warnings
            cursor.files[item.file] = SourceCursor.File(
                kind: item.kind.rawValue, size: item.stamp.size, modified: item.stamp.modified,
                sessions: result.sessions.map(SessionSummary.init), vanished: false)
        }
        for item in listed {
            let active = now.timeIntervalSince1970 - Double(item.stamp.modified) / 1e9 < idleSeconds
            for summary in cursor.files[item.file]!.sessions {
                scan.entries.append(Entry(summary: summary, consumed: consumed[summary.id] ?? 0, active: active))
            }
        }
        for (file, known) in cursor.files where !seen.contains(file) {
            guard Self.stamp(of: file) == nil else { continue }  // no longer a source, but still there
            cursor.files[file]?.vanished = true
            if known.sessions.contains(where: { $0.events > consumed[$0.id] ?? 0 }) { scan.vanished.append(file) }
        }
        scan.vanished.sort()
        scan.entries.sort {
            ($0.summary.started ?? .distantPast, $0.summary.id) < ($1.summary.started ?? .distantPast, $1.summary.id)
        }
        // `reverie status` scans too: write only when something changed.
        if cursor != saved { try cursor.save(to: cursorPath) }
        return scan
    }

    /// The full sessions of `entries`, each with only the events no dream has read.
    ///
    /// - Parameter textLimit: texts longer than this (tool outputs, pasted files) keep
    ///   their start and end only, so a thousand sessions fit in memory; nil keeps all.
    public func load(_ entries: [Entry], textLimit: Int? = nil) -> (sessions: [Session], warnings: [ParseWarning]) {
        var byFile: [String: [Entry]] = [:]
        for entry in entries { byFile[entry.summary.file, default: []].append(entry) }
        var sessions: [Session] = []
        var warnings: [ParseWarning] = []
        let files = byFile.keys.sorted()
        let parsed = Self.parseInParallel(
            files.map { file in
                (file, SessionSourceSpec.Kind(rawValue: byFile[file]![0].summary.source) ?? .reverie)
            })
        for (file, result) in zip(files, parsed) {
            let wanted = Dictionary(byFile[file]!.map { ($0.summary.id, $0.consumed) }) { first, _ in first }
            warnings += result.warnings
            for var session in result.sessions {
                guard let consumed = wanted[session.id] else { continue }
                session.events.removeFirst(min(consumed, session.events.count))
                if let textLimit { session.shortenTexts(to: textLimit) }
                sessions.append(session)
            }
        }
        return (sessions, warnings)
    }

    /// Parses files on every core; results in the order of `files`.
    static func parseInParallel(
        _ files: [(String, SessionSourceSpec.Kind)]
    ) -> [(sessions: [Session], warnings: [ParseWarning])] {
        let results = ParsedFiles(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            results.store(parse(files[index].0, kind: files[index].1), at: index)
        }
        return results.all
    }

    /// Parses one transcript with the parser of its kind.
    public static func parse(
        _ file: String, kind: SessionSourceSpec.Kind
    ) -> (sessions: [Session], warnings: [ParseWarning]) {
        switch kind {
        case .claudeCode: ClaudeCodeParser.parse(file: file)
        case .codex: CodexParser.parse(file: file)
        case .reverie: ReverieFormatParser.parse(file: file)
        }
    }

    // MARK: - Files

    /// The transcript files of a source, sorted; nil when its folder, file or pattern
    /// matches nothing.
    func files(of source: SessionSourceSpec) -> [String]? {
        if let pattern = source.glob {
            var matches = glob_t()
            defer { globfree(&matches) }
            guard Glibc.glob(expand(pattern), 0, nil, &matches) == 0 else { return nil }
            let found = (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }
            return found.filter { Self.stamp(of: $0) != nil }.sorted()
        }
        let path = expand(source.path ?? "")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { return [path] }
        return Self.transcripts(under: path)
    }

    /// The `*.jsonl` files below a folder, at any depth, sorted; nil when it cannot be read.
    static func transcripts(under folder: String) -> [String]? {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return nil }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".jsonl") { found.append(folder + "/" + relative) }
        }
        return found.sorted()
    }

    /// What in a source's setting would give no transcripts, or the wrong files, though
    /// it looks fine: nil for a folder, a `*.jsonl` file, a pattern, or an absolute path
    /// that is simply absent (an agent not installed on this machine).
    func problem(with source: SessionSourceSpec) -> SourceProblem? {
        let written = source.path ?? source.glob ?? ""
        let resolved = expand(written)
        if let gitDirectory, source.path != nil, Self.isInside(resolved, gitDirectory) {
            return .gitDirectory(source, resolved: resolved)
        }
        if let repoRoot, Self.isRelative(written), !exists(source) {
            return .missingRelative(source, resolved: resolved, root: repoRoot)
        }
        var isFolder: ObjCBool = false
        if source.path != nil, FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder),
            !isFolder.boolValue, !resolved.hasSuffix(".jsonl")
        {
            return .notAFolder(source, resolved: resolved)
        }
        return nil
    }

    /// Whether a source's path is there, or its pattern matches something.
    private func exists(_ source: SessionSourceSpec) -> Bool {
        guard let path = source.path else { return files(of: source) != nil }
        return FileManager.default.fileExists(atPath: expand(path))
    }

    /// `~` is the home folder; a relative path is the memory repo's (when there is one).
    private func expand(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        if let repoRoot, Self.isRelative(path) {
            return URL(fileURLWithPath: repoRoot + "/" + path).standardized.path  // `../logs` without its `..`
        }
        return path
    }

    private static func isRelative(_ path: String) -> Bool {
        !path.hasPrefix("/") && path != "~" && !path.hasPrefix("~/")
    }

    /// Whether `path` is `folder` or below it, symbolic links and `..` resolved.
    private static func isInside(_ path: String, _ folder: String) -> Bool {
        func real(_ path: String) -> String {
            guard let resolved = realpath(path, nil) else { return (path as NSString).standardizingPath }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let path = real(path), folder = real(folder)
        return path == folder || path.hasPrefix(folder + "/")
    }

    private static func stamp(of file: String) -> (size: Int64, modified: Int64)? {
        var info = stat()
        guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}

/// Results written by parallel parsers, each into its own slot.
private final class ParsedFiles: @unchecked Sendable {
    private var results: [(sessions: [Session], warnings: [ParseWarning])]
    private let lock = NSLock()

    init(count: Int) {
        results = Array(repeating: ([], []), count: count)
    }

    func store(_ result: (sessions: [Session], warnings: [ParseWarning]), at index: Int) {
        lock.withLock { results[index] = result }
    }

    var all: [(sessions: [Session], warnings: [ParseWarning])] { lock.withLock { results } }
}
