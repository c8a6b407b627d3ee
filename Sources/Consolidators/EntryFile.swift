import Foundation

/// A memory file the built-in consolidator keeps: entries are lines that end with a
/// marker (`<!-- reverie:mistake:1a2b… -->`) so a later dream finds and reinforces them;
/// everything else in the file is a person's and stays as it is, code blocks above all.
struct EntryFile {
    let path: String
    var text: String

    /// - Parameter type: Claude Code's memory type (`feedback`, `project`…) when memory is its
    ///   auto memory: a new file then starts with the front matter Claude Code writes.
    init(path: String, existing: String?, title: String, description: String, type: String? = nil) {
        self.path = path
        let keys = type.map { "name: \(title)\ndescription: \(description)\ntype: \($0)\n" } ?? "description: \(description)\n"
        text = existing ?? "---\n\(keys)---\n# \(title)\n\n"
    }

    static func marker(_ kind: String, _ hash: String) -> String { "<!-- reverie:\(kind):\(hash) -->" }

    /// The line holding an entry, if the file has it (in prose: an example in a code block is not it).
    func line(with marker: String) -> String? {
        index(of: marker).map { MarkdownLines(text).lines[$0] }
    }

    /// Replaces the entry's line, or appends it at the end.
    mutating func upsert(_ line: String, marker: String) {
        if let index = index(of: marker) {
            var lines = MarkdownLines(text).lines
            lines[index] = line
            text = lines.joined(separator: "\n")
        } else {
            if !text.hasSuffix("\n") { text += "\n" }
            text += line + "\n"
        }
    }

    mutating func remove(lineWith marker: String) {
        guard let index = index(of: marker) else { return }
        var lines = MarkdownLines(text).lines
        lines.remove(at: index)
        text = lines.joined(separator: "\n")
    }

    /// The first line in prose that holds the marker.
    func index(of marker: String) -> Int? {
        let markdown = MarkdownLines(text)
        return markdown.lines.indices.first { markdown.isProse($0) && markdown.lines[$0].contains(marker) }
    }

    /// "(3 times in 2 sessions, …" or "(seen in 2 sessions" read back from an entry line.
    static func counts(in line: String?) -> (times: Int, sessions: Int) {
        guard let line else { return (0, 0) }
        if let match = line.firstMatch(of: /\((\d+) times? in (\d+) sessions?/) { return (Int(match.1) ?? 0, Int(match.2) ?? 0) }
        if let match = line.firstMatch(of: /\(seen in (\d+) sessions?/) { return (0, Int(match.1) ?? 0) }
        return (0, 0)
    }

    static func day(_ date: Date?) -> String {
        guard let date else { return "unknown date" }
        return String(date.formatted(.iso8601).prefix(10))
    }

    static func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
}
