import Dreaming
import Foundation
import Memory

/// `MEMORY.md` in Claude Code's auto memory: Claude Code's own index, one line a topic
/// file (`- [Title](file.md) — hook`), of which it loads only the head. A dream adds a line
/// in that style for a file it wrote that the index does not link yet, drops the line of a
/// file of Reverie's own it deleted, and never grows the index past what Claude Code loads.
enum ClaudeCodeIndex {
    /// The dream's change to the index, if it needs one. `written`: the files the dream
    /// writes or deletes; `texts`: memory once they are.
    static func change(written: Set<String>, texts: [String: String]) -> MemoryChange? {
        let path = BuiltinConsolidator.indexPath
        guard let (index, left) = text(written: written, texts: texts, existing: texts[path]) else { return nil }
        var rationale =
            "MEMORY.md is Claude Code's index, loaded into every conversation: a line in its style "
            + "leads Claude Code to each file this dream wrote, and none to a file it deleted."
        if !left.isEmpty {
            rationale +=
                " No line for \(left.joined(separator: ", ")): the index would pass the "
                + "\(MemoryLayout.claudeCodeIndexLines) lines or \(MemoryLayout.claudeCodeIndexBytes) bytes Claude Code loads."
        }
        return MemoryChange(
            kind: .index, writes: [path: index], summary: "Link the dream's files from MEMORY.md", rationale: rationale)
    }

    /// The new index, and the files whose line did not fit; nil when nothing changes.
    /// - Parameters:
    ///   - written: the files the dream wrote or deleted.
    ///   - texts: memory once the dream's other changes are applied.
    static func text(
        written: Set<String>, texts: [String: String], existing: String?
    ) -> (text: String, left: [String])? {
        var lines = (existing ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // A file of Reverie's own the dream deleted: its line would lead nowhere.
        let gone = written.filter { texts[$0] == nil && Restructuring.ownFiles.contains($0) }
        lines.removeAll { line in line.hasPrefix("- ") && gone.contains { links(line, $0) } }
        var left: [String] = []
        for path in written.sorted() where Restructuring.isMemory(path) && !path.contains("/") {
            guard let text = texts[path], !lines.contains(where: { links($0, path) }) else { continue }
            let candidate = lines + [line(for: path, text: text)]
            let joined = candidate.joined(separator: "\n") + "\n"
            guard joined.split(separator: "\n").count <= MemoryLayout.claudeCodeIndexLines,
                joined.utf8.count <= MemoryLayout.claudeCodeIndexBytes
            else {
                left.append(path)
                continue
            }
            lines = candidate
        }
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        return text == (existing ?? "") ? nil : (text, left)
    }

    /// Whether a line of the index links `path` (`](path)`, `](./path)` or `](<path>)`).
    static func links(_ line: String, _ path: String) -> Bool {
        ["](\(path))", "](./\(path))", "](<\(path)>)"].contains { line.contains($0) }
    }

    /// `- [Title](file.md) — hook`: the title is the front matter's `name` (else the file's
    /// name), the hook its description.
    static func line(for path: String, text: String) -> String {
        let file = (try? RepoPath(path)).flatMap { try? MemoryFile.parse(path: $0, text: text) }
        let name = file?.frontMatter?.yaml.split(separator: "\n")
            .first { $0.hasPrefix("name:") }
            .map { $0.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: " \"'")) }
        let title = name.flatMap { $0.isEmpty ? nil : $0 } ?? String(path.dropLast(3))
        let hook = file?.frontMatter?.description.map { " — " + String($0.prefix(150)) } ?? ""
        return "- [\(title.replacingOccurrences(of: "]", with: ")"))](\(path))\(hook)"
    }
}
