/// A Markdown file's lines, each marked with what it is as far as a dream's edits care:
/// front matter, code and HTML comments are never entries and never change; headings
/// bound sections; list items are the entries a dream may merge, move or rewrite.
struct MarkdownLines {
    enum Kind: Equatable {
        /// The YAML block between the `---` lines at the top.
        case frontMatter
        /// A fence line (```` ``` ````, `~~~`, any length or indentation) or a line inside one.
        case code
        /// A line of an HTML comment that spans lines.
        case comment
        case heading(level: Int)
        case blank
        case text
    }

    let lines: [String]
    let kinds: [Kind]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var kinds: [Kind] = []
        kinds.reserveCapacity(lines.count)
        var index = 0
        if lines.first == "---", let close = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) {
            kinds += Array(repeating: .frontMatter, count: close + 1)
            index = close + 1
        }
        var fence: (character: Character, count: Int)?
        var inComment = false
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if let open = fence {
                kinds.append(.code)
                // A closing fence: the opening character only, at least as many, nothing else.
                let stripped = trimmed.drop { $0 == open.character }
                if trimmed.count - stripped.count >= open.count, stripped.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    fence = nil
                }
            } else if inComment {
                kinds.append(.comment)
                if line.contains("-->") { inComment = false }
            } else if let opening = Self.fence(trimmed) {
                // An unclosed fence runs to the end of the file, as CommonMark reads it.
                fence = opening
                kinds.append(.code)
            } else if trimmed.isEmpty {
                kinds.append(.blank)
            } else if let level = Self.headingLevel(trimmed) {
                kinds.append(.heading(level: level))
            } else {
                kinds.append(.text)
                if let open = line.range(of: "<!--"), !line[open.upperBound...].contains("-->") { inComment = true }
            }
            index += 1
        }
        self.kinds = kinds
    }

    /// Whether the line is text a dream may read as an entry (not front matter, code or a comment).
    func isProse(_ index: Int) -> Bool { kinds[index] == .text }

    /// The fence a line opens: three or more backticks or tildes; a backtick fence's info
    /// string holds no backtick (```` ```x``` ```` is inline code).
    static func fence(_ trimmed: Substring) -> (character: Character, count: Int)? {
        guard let first = trimmed.first, first == "`" || first == "~" else { return nil }
        let count = trimmed.prefix { $0 == first }.count
        guard count >= 3 else { return nil }
        if first == "`" && trimmed.dropFirst(count).contains("`") { return nil }
        return (first, count)
    }

    /// `#` to `######` followed by a space or the end of the line.
    static func headingLevel(_ trimmed: Substring) -> Int? {
        let level = trimmed.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let rest = trimmed.dropFirst(level)
        return rest.isEmpty || rest.first == " " || rest.first == "\t" ? level : nil
    }

    /// The list marker a line starts with after its indentation: `-`, `*`, `+` or a number
    /// with `.` or `)`, then a space. Nil for any other line.
    static func listMarker(_ line: String) -> (indent: Int, numbered: Bool, body: Substring)? {
        let indent = line.prefix { $0 == " " || $0 == "\t" }.count
        let trimmed = line.dropFirst(indent)
        if let first = trimmed.first, first == "-" || first == "*" || first == "+", trimmed.dropFirst().first == " " {
            return (indent, false, trimmed.dropFirst(2))
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }.count
        let rest = trimmed.dropFirst(digits)
        if (1...9).contains(digits), let mark = rest.first, mark == "." || mark == ")", rest.dropFirst().first == " " {
            return (indent, true, rest.dropFirst(2))
        }
        return nil
    }
}
