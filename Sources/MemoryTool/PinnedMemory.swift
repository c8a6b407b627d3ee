import Memory

/// What a person pinned, and the check every change passes: a pinned file (front matter
/// `pinned: true`) is never changed, moved or deleted; a line carrying `MemoryFile.pinMarker`
/// is never changed or removed; and only a person pins, so a change may not add either
/// (docs/architecture.md). The guardrails judge a dream by the same marks.
enum PinnedMemory {
    /// Throws when turning `old` (nil: no file) into `new` (nil: deleted or moved away) at
    /// `path` would touch pinned memory.
    static func check(_ path: MemoryToolPath, old: String?, new: String?) throws(ToolFailure) {
        guard let repoPath = path.repoPath else { return }
        if let old {
            switch isPinned(old, at: repoPath) {
            case .failure(let problem): throw ToolFailure(Texts.unreadablePin(path.shown, problem.description))
            case .success(true): throw ToolFailure(Texts.pinnedFile(path.shown))
            case .success(false): break
            }
        }
        if let new {
            switch isPinned(new, at: repoPath) {
            case .failure(let problem):
                throw ToolFailure(Texts.unreadableNewFrontMatter(path.shown, problem.description))
            case .success(true): throw ToolFailure(Texts.forgedPinnedFile(path.shown))
            case .success(false): break
            }
        }
        // The pinned lines must stay, each as often as before, and no new one may appear.
        var remaining: [Substring: Int] = [:]
        for line in TextLines(new ?? "").lines where line.contains(MemoryFile.pinMarker) {
            remaining[line, default: 0] += 1
        }
        for (index, line) in TextLines(old ?? "").lines.enumerated() where line.contains(MemoryFile.pinMarker) {
            guard let count = remaining[line], count > 0 else {
                throw ToolFailure(Texts.pinnedLine(index + 1, of: path.shown, line: line))
            }
            remaining[line] = count - 1
        }
        if remaining.values.contains(where: { $0 > 0 }) {
            throw ToolFailure(Texts.forgedPinnedLine(path.shown))
        }
    }

    /// Whether the front matter of `text` pins it; a front matter Reverie cannot read is a
    /// failure, since a person's word may be in it.
    private static func isPinned(_ text: String, at path: RepoPath) -> Result<Bool, MemoryError> {
        do throws(MemoryError) {
            return .success(try MemoryFile.parse(path: path, text: text).isPinned)
        } catch {
            return .failure(error)
        }
    }
}
