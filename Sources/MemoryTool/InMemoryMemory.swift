import Memory

/// Memory held as text, not on disk: the copy a dream's model edits through the memory
/// tool, so nothing reaches the working tree or git until the dream writer commits a plan
/// (docs/architecture.md).
///
/// A value type: a copy is independent and it is `Sendable`, so a consolidator may keep it
/// in one task and hand the result to another. It logs every write and delete, and tells
/// what changed since a `Mark`, so a caller can close one change (one commit) at a time.
public struct InMemoryMemory: MemoryStorage, Sendable {
    /// The memory as it was at one moment, to compare with later.
    public struct Mark: Sendable, Equatable {
        fileprivate let files: [String: String]
    }

    /// What differs between a mark and now: files to write, files to delete. A rename is
    /// a delete of the old path plus a write of the new one.
    public struct Changes: Sendable, Equatable {
        /// Repo-relative path → the file's whole new text.
        public var writes: [String: String]
        /// Repo-relative paths that are gone, sorted.
        public var deletes: [String]

        /// Changes of these writes and deletes.
        public init(writes: [String: String] = [:], deletes: [String] = []) {
            self.writes = writes
            self.deletes = deletes
        }

        /// Whether memory is as it was at the mark.
        public var isEmpty: Bool { writes.isEmpty && deletes.isEmpty }
    }

    /// One write or delete, in the order the memory tool made them.
    public enum Mutation: Sendable, Equatable {
        /// The file at `path` was created or replaced.
        case write(path: String)
        /// The file at `path` was removed.
        case delete(path: String)
    }

    /// Repo-relative path → text, as it is now.
    public private(set) var files: [String: String]
    /// Every write and delete so far, oldest first.
    public private(set) var log: [Mutation] = []
    /// The memory as it was given.
    public let original: Mark
    /// The memory as it was at the last `closeChange()`, or as it was given.
    public private(set) var lastClose: Mark

    /// - Parameter files: repo-relative path → text, e.g. every file of `main`'s tree.
    ///   Paths `RepoPath` refuses are kept as they are but never listed or written.
    public init(files: [String: String]) {
        self.files = files
        original = Mark(files: files)
        lastClose = original
    }

    /// Memory made of parsed files (a snapshot of `main`); a later file of the same path wins.
    public init(_ files: [MemoryFile]) {
        self.init(files: Dictionary(files.map { ($0.path.value, $0.text) }, uniquingKeysWith: { $1 }))
    }

    /// The memory as it is now.
    public func mark() -> Mark { Mark(files: files) }

    /// What changed since `mark`, judged by content: a file edited and edited back is no change.
    public func changes(since mark: Mark) -> Changes {
        var writes: [String: String] = [:]
        for (path, text) in files where mark.files[path] != text {
            writes[path] = text
        }
        let deletes = mark.files.keys.filter { files[$0] == nil }.sorted()
        return Changes(writes: writes, deletes: deletes)
    }

    /// What changed since the last `closeChange()` (or since the start).
    public var pendingChanges: Changes { changes(since: lastClose) }

    /// Ends one change: returns what changed since the last close, and starts the next
    /// change from memory as it is now.
    @discardableResult
    public mutating func closeChange() -> Changes {
        let changes = pendingChanges
        lastClose = mark()
        return changes
    }

    /// Undoes what changed since the last `closeChange()`: a change that was refused
    /// (its evidence did not hold) leaves memory as it was before it began.
    public mutating func discardChange() {
        files = lastClose.files
    }

    /// The file's text, or nil.
    public func read(_ path: RepoPath) -> String? { files[path.value] }

    /// Creates or replaces the file, and logs it.
    public mutating func write(_ text: String, to path: RepoPath) {
        files[path.value] = text
        log.append(.write(path: path.value))
    }

    /// Removes the file, and logs it when there was one.
    public mutating func delete(_ path: RepoPath) {
        guard files.removeValue(forKey: path.value) != nil else { return }
        log.append(.delete(path: path.value))
    }

    /// Every file below `folder` (all when nil) whose path `RepoPath` accepts, with its size.
    public func list(under folder: RepoPath?) -> [RepoPath: Int] {
        let prefix = folder.map { $0.value + "/" } ?? ""
        var found: [RepoPath: Int] = [:]
        for (path, text) in files where path.hasPrefix(prefix) {
            guard let checked = try? RepoPath(path) else { continue }
            found[checked] = text.utf8.count
        }
        return found
    }
}
