import Foundation
import Git

extension MemoryRepo {
    /// Makes a project's Claude Code auto memory folder a memory repo: its layout kept by
    /// dreams, the project's transcripts as the session source, and Claude Code's
    /// consolidation lock out of git. Running it again changes nothing.
    public static func initializeClaudeCode(
        project: String, environment: [String: String], managedSettings: String = AutoMemoryLocation.managedSettings,
        author: Signature? = nil
    ) throws(MemoryError) -> (MemoryRepo, InitReport, AutoMemoryLocation) {
        let location = try AutoMemoryLocation.find(
            project: project, environment: environment, managedSettings: managedSettings)
        let home = environment["HOME"] ?? ""
        // Only the project's own sessions: subagents' transcripts lie in folders below, and
        // the memory folder (with its .git) may be beside them.
        let pattern = globEscaped(tildeForm(location.projectFolder, home: home)) + "/*.jsonl"
        let settings = [
            "memory.layout": "\"\(MemoryLayout.claudeCode.rawValue)\"",
            "sessions.sources": "[{ kind = \"claude-code\", glob = \(tomlString(pattern)) }]",
        ]
        let (memory, report) = try initialize(
            at: location.memoryFolder, author: author, settings: settings,
            ignoring: (
                comment: "Claude Code's lock while it consolidates this memory (added by reverie init --claude-code).",
                lines: [ConsolidationLock.name]
            ))
        return (memory, report, location)
    }

    private static func globEscaped(_ path: String) -> String {
        var escaped = ""
        for character in path {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// `~/…` for a path in the home folder, so the setting reads as a person would write it;
    /// not when the home folder's name holds glob characters, which `~` would bring in unescaped.
    private static func tildeForm(_ path: String, home: String) -> String {
        guard !home.isEmpty, home != "/", path.hasPrefix(home + "/"), !home.contains(where: { "*?[]\\".contains($0) })
        else { return path }
        return "~" + path.dropFirst(home.count)
    }

    private static func tomlString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
