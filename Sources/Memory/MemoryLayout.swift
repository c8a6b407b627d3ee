/// How a memory folder is laid out, which dreams must keep (`[memory] layout`).
public enum MemoryLayout: String, Sendable, CaseIterable {
    /// Markdown files as a person arranges them.
    case plain
    /// Claude Code's auto memory: a `MEMORY.md` index of which Claude Code loads the first
    /// 200 lines or 25 KB into every conversation, and topic files whose front matter
    /// (`name`, `description`, `type`, …) it reads.
    case claudeCode = "claude-code"

    /// Claude Code loads no more of `MEMORY.md` than this many lines…
    public static let claudeCodeIndexLines = 200
    /// …and bytes.
    public static let claudeCodeIndexBytes = 25_000
}
