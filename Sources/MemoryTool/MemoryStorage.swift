import Memory

/// Where the memory tool's files live: an in-memory copy for a dream (`InMemoryMemory`),
/// the memory repo's working tree for an agent later on.
///
/// Paths are repo-relative and already checked (`RepoPath`); the memory tool decides what
/// may be read or written, a storage only stores. Folders are implied by the files in them,
/// as in git: a folder exists while a file is inside it.
public protocol MemoryStorage {
    /// The text of the file at `path`, or nil when no file is there (a folder is not a file).
    func read(_ path: RepoPath) throws(MemoryError) -> String?
    /// Creates or replaces the file at `path`.
    mutating func write(_ text: String, to path: RepoPath) throws(MemoryError)
    /// Removes the file at `path`; nothing happens when no file is there.
    mutating func delete(_ path: RepoPath) throws(MemoryError)
    /// Every file below `folder` (the whole memory when nil), hidden ones too, with its
    /// size in UTF-8 bytes.
    func list(under folder: RepoPath?) throws(MemoryError) -> [RepoPath: Int]
}
