import Memory
import MemoryTool

/// The working tree as the memory tool sees it during one agent's command: `DiskMemory`,
/// with every read noted and every change checked and prepared first by `AgentWrite`.
struct CommittingMemory: MemoryStorage {
    var disk: DiskMemory
    let session: AgentWrite

    func read(_ path: RepoPath) throws(MemoryError) -> String? {
        let text = try disk.read(path)
        session.noteRead(path, text)
        return text
    }

    mutating func write(_ text: String, to path: RepoPath) throws(MemoryError) {
        let now = try disk.read(path)
        try session.willChange(path, now: now)
        // A key an agent pastes would stay in history forever; lines a person wrote stay as they are.
        let kept = Set((now ?? "").split(separator: "\n", omittingEmptySubsequences: false))
        try disk.write(SecretScanner.redactAddedLines(text, keeping: kept).0, to: path)
        session.didChange(path)
    }

    mutating func delete(_ path: RepoPath) throws(MemoryError) {
        try session.willChange(path, now: try disk.read(path))
        try disk.delete(path)
        session.didChange(path)
    }

    func list(under folder: RepoPath?) throws(MemoryError) -> [RepoPath: Int] {
        try disk.list(under: folder)
    }
}
