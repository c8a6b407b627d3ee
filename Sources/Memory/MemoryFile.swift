/// One Markdown file of memory: optional front matter, then the body.
public struct MemoryFile: Sendable, Equatable {
    /// Where the file is in the memory repo.
    public let path: RepoPath
    /// The block at its top, if it has one.
    public let frontMatter: FrontMatter?
    /// The Markdown after the front matter.
    public let body: String

    /// A file at `path` of `frontMatter` and `body`.
    public init(path: RepoPath, frontMatter: FrontMatter?, body: String) {
        self.path = path
        self.frontMatter = frontMatter
        self.body = body
    }

    /// Whether a person pinned this file: dreams never change it.
    public var isPinned: Bool { frontMatter?.pinned ?? false }

    /// Marks an entry (a line) a person pinned: dreams and the memory tool leave it as it is.
    /// Kept here, below both, so the guardrails and the memory tool read the same mark.
    public static let pinMarker = "<!-- pinned -->"

    /// Reads a memory file's text.
    ///
    /// Front matter is a block that opens with `---` on the first line and closes with
    /// `---` or `...` on a line of its own. Without a closing line the `---` is Markdown
    /// (a thematic break), and the whole text is body.
    public static func parse(path: RepoPath, text: String) throws(MemoryError) -> MemoryFile {
        let lines = Self.lines(of: text)
        guard lines.count > 1, lines[0].text == "---",
            let close = lines.dropFirst().firstIndex(where: { $0.text == "---" || $0.text == "..." })
        else {
            return MemoryFile(path: path, frontMatter: nil, body: text)
        }
        let yaml = lines[1..<close].map(\.text).joined(separator: "\n")
        let frontMatter = try FrontMatter.parse(yaml, file: path.value, firstLine: 2)
        return MemoryFile(path: path, frontMatter: frontMatter, body: String(text[lines[close].next...]))
    }

    /// Each line's text and where the next line starts. Swift reads "\r\n" as one
    /// character, so both line endings are looked for.
    private static func lines(of text: String) -> [(text: Substring, next: String.Index)] {
        var lines: [(text: Substring, next: String.Index)] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == "\n" || text[index] == "\r\n" {
                lines.append((text[start..<index], next))
                start = next
            }
            index = next
        }
        lines.append((text[start...], text.endIndex))
        return lines
    }

    /// The file's text: front matter (as written) and body.
    public var text: String {
        guard let frontMatter else { return body }
        let yaml =
            frontMatter.yaml.isEmpty || frontMatter.yaml.hasSuffix("\n") ? frontMatter.yaml : frontMatter.yaml + "\n"
        return "---\n\(yaml)---\n\(body)"
    }
}
