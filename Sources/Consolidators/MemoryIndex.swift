import Foundation
import Memory

/// `MEMORY.md`: every memory file outside `archive/` with a one-line description, at most
/// 200 lines, kept between markers so what a person wrote around it stays.
enum MemoryIndex {
    static let start = "<!-- reverie:index -->", end = "<!-- /reverie:index -->"
    static let maximumLines = 200

    static func text(for texts: [String: String], existing: String?) -> String? {
        // archive/ keeps what left memory; an agent that follows the index must not read it as memory.
        let paths = texts.keys.filter {
            $0.hasSuffix(".md") && $0 != BuiltinConsolidator.indexPath && !$0.hasPrefix(".reverie/")
                && !$0.hasPrefix(Restructuring.archiveFolder)
        }.sorted()
        guard !paths.isEmpty else { return nil }
        var lines = paths.map { "- [\($0)](\($0)): \(description(of: $0, text: texts[$0]!))" }
        if lines.count > maximumLines - 4 {
            let more = lines.count - (maximumLines - 5)
            lines = Array(lines.prefix(maximumLines - 5)) + ["- … and \(more) more files"]
        }
        let block = ([start] + lines + [end]).joined(separator: "\n")
        guard let existing, let open = existing.range(of: start) else {
            return (existing.map { $0 + ($0.hasSuffix("\n") ? "\n" : "\n\n") } ?? "# Memory\n\n") + block + "\n"
        }
        let close = existing.range(of: end, range: open.upperBound..<existing.endIndex)?.upperBound ?? existing.endIndex
        return existing.replacingCharacters(in: open.lowerBound..<close, with: block)
    }

    /// The front matter's description, else the first heading, else the first line.
    static func description(of path: String, text: String) -> String {
        if let repoPath = try? RepoPath(path), let file = try? MemoryFile.parse(path: repoPath, text: text),
            let description = file.frontMatter?.description, !description.isEmpty
        {
            return String(description.prefix(100))
        }
        let body = text.hasPrefix("---") ? text.components(separatedBy: "\n---").dropFirst().joined() : text
        let lines = body.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty && $0 != "---"
        }
        let line = lines.first { $0.hasPrefix("#") } ?? lines.first ?? "(empty)"
        return String(line.trimmingCharacters(in: CharacterSet(charactersIn: "# ")).prefix(100))
    }
}
