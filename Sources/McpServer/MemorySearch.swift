import Memory
import MemoryTool

/// Lines of memory that hold the words of a query, best first: the lines with more of the
/// query's words, then those holding the exact phrase, then by path and line number.
///
/// Words are matched case-insensitively anywhere in a line (`test` finds `pytest`), so an
/// agent finds what a person wrote without knowing its exact spelling.
struct MemorySearch {
    /// One line that matched.
    struct Match: Equatable {
        let path: RepoPath
        /// From 1.
        let line: Int
        let text: String
        /// How many of the query's distinct words the line holds.
        let words: Int
        /// Whether the line holds the whole query as typed (white space folded).
        let phrase: Bool
    }

    /// The most characters of a line shown.
    static let maxLineCharacters = 300
    /// Matches returned when the agent gives no `limit`, and the most it may ask for.
    static let defaultLimit = 20, maxLimit = 200

    /// The query's distinct words, lower-cased, in order.
    let words: [String]
    /// The query with its white space folded, lower-cased.
    let phrase: String

    init(query: String) {
        var words: [String] = []
        for word in query.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
        where !words.contains(word) {
            words.append(word)
        }
        self.words = words
        phrase = query.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The matching lines of `files` (path → text), ranked.
    func matches(in files: [RepoPath: String]) -> [Match] {
        guard !words.isEmpty else { return [] }
        var found: [Match] = []
        for (path, text) in files {
            var number = 0
            for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                number += 1
                let lowered = line.lowercased()
                let count = words.count { lowered.contains($0) }
                guard count > 0 else { continue }
                let folded = lowered.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
                found.append(
                    Match(
                        path: path, line: number, text: Self.shown(line), words: count,
                        phrase: folded.contains(phrase)))
            }
        }
        return found.sorted { a, b in
            if a.words != b.words { return a.words > b.words }
            if a.phrase != b.phrase { return a.phrase }
            if a.path != b.path { return a.path < b.path }
            return a.line < b.line
        }
    }

    /// The answer an agent reads: at most `limit` matches, one a line, as
    /// `/memories/path:line: text`.
    func answer(in files: [RepoPath: String], limit: Int) -> String {
        let all = matches(in: files)
        let query = words.joined(separator: " ")
        guard !all.isEmpty else {
            return "No line of memory holds any of the words of \"\(query)\"."
        }
        let shown = all.prefix(limit)
        let counted = all.count == 1 ? "1 line of memory matches" : "\(all.count) lines of memory match"
        var lines = [
            "\(counted) \"\(query)\", best first "
                + "(most words of the query, then the exact phrase, then by path):"
        ]
        for match in shown {
            lines.append("\(MemoryToolCommand.shown(match.path)):\(match.line): \(match.text)")
        }
        if all.count > shown.count {
            lines.append(
                "[\(all.count - shown.count) more not shown; raise `limit` (at most \(Self.maxLimit)) "
                    + "or use more words to see them.]")
        }
        return lines.joined(separator: "\n")
    }

    /// A line as shown: no carriage return at its end, cut when long.
    private static func shown(_ line: Substring) -> String {
        var text = line
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return text.count > maxLineCharacters ? String(text.prefix(maxLineCharacters)) + "…" : String(text)
    }
}
