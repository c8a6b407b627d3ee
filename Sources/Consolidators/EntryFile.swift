import Foundation

/// A memory file the built-in consolidator keeps: its entries are the `- ` lines. A later
/// dream finds an entry by what it says (the error it quotes, the steps it names, the
/// wish it states), so entries carry no counts, dates or ids; everything else in the file
/// is a person's and stays as it is, code blocks above all.
struct EntryFile {
    let path: String
    var text: String

    /// - Parameter type: Claude Code's memory type (`feedback`, `project`…) when memory is its
    ///   auto memory: a new file then starts with the front matter Claude Code writes.
    init(path: String, existing: String?, title: String, description: String, type: String? = nil) {
        self.path = path
        let keys =
            type.map { "name: \(title)\ndescription: \(description)\ntype: \($0)\n" } ?? "description: \(description)\n"
        text = existing ?? "---\n\(keys)---\n# \(title)\n\n"
    }

    /// The entry lines, in prose: front matter and code blocks hold none.
    var entries: [String] {
        let markdown = MarkdownLines(text)
        return markdown.lines.indices.filter { markdown.isProse($0) && markdown.lines[$0].hasPrefix("- ") }.map {
            markdown.lines[$0]
        }
    }

    /// The first entry that matches.
    func entry(where matches: (String) -> Bool) -> String? {
        entries.first(where: matches)
    }

    /// Replaces the line `old` (in prose; a copy in a code block is an example), or appends `line` at the end.
    mutating func upsert(_ line: String, replacing old: String?) {
        if let old, let index = index(of: old) {
            var lines = MarkdownLines(text).lines
            lines[index] = line
            text = lines.joined(separator: "\n")
        } else {
            if !text.hasSuffix("\n") { text += "\n" }
            text += line + "\n"
        }
    }

    /// Removes the line in prose that is `line`.
    mutating func remove(_ line: String) {
        guard let index = index(of: line) else { return }
        var lines = MarkdownLines(text).lines
        lines.remove(at: index)
        text = lines.joined(separator: "\n")
    }

    /// The first line in prose that is `line`.
    func index(of line: String) -> Int? {
        let markdown = MarkdownLines(text)
        return markdown.lines.indices.first { markdown.isProse($0) && markdown.lines[$0] == line }
    }

    /// The `code spans` of a line.
    static func codeSpans(in line: String) -> [String] {
        line.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
            String($0.element)
        }
    }

    /// What an entry says, without the bullet, a trailing period, and what older entries
    /// carried after it ("(seen in 2 sessions…) <!-- reverie:… -->").
    static func text(of line: String) -> String {
        var said = line.hasPrefix("- ") ? String(line.dropFirst(2)) : line
        for cut in [" (seen in", " <!--", " ("] {
            if let range = said.range(of: cut) { said = String(said[..<range.lowerBound]) }
        }
        return said.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
    }

    static func day(_ date: Date?) -> String {
        guard let date else { return "unknown date" }
        return String(date.formatted(.iso8601).prefix(10))
    }

    /// "2026-11-02 to 2026-11-24", or one day.
    static func span(_ first: Date?, _ last: Date?) -> String {
        let (from, to) = (day(first), day(last))
        return from == to ? from : "\(from) to \(to)"
    }

    static func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
}
