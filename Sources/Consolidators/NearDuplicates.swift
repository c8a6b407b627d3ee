/// Entries across memory that say the same thing: they differ only in case, punctuation,
/// whitespace, Markdown emphasis, links' brackets, contractions (`don't`, `do not`),
/// articles and fillers (`too`, `also`, `please`), or the order of whole phrases ("Before
/// committing, run tests" and "Run tests before committing"). Any other difference (a
/// noun, a number, a negation, a name, a version, a word added) makes them distinct facts:
/// a reviewer must be able to see at a glance that a merge loses nothing. Entries are
/// grouped by a canonical key, so the cost grows with the number of entries.
struct NearDuplicates {
    struct Entry: Hashable {
        let path: String
        /// 0-based line in the file.
        let line: Int
        let text: String
        /// What the entry's statement depends on (see `Restructuring.context`): entries in
        /// different contexts are not the same statement.
        var context = ""
    }

    /// Groups of two or more entries with the same key, each sorted by path and line.
    func groups(in entries: [Entry]) -> [[Entry]] {
        var groups: [[String]: [Entry]] = [:]
        for entry in entries {
            guard let key = Self.key(of: entry.text) else { continue }
            let context = entry.context.isEmpty ? [] : (Self.key(of: entry.context) ?? []).map { "^" + $0 }
            groups[context + key, default: []].append(entry)
        }
        return groups.values.filter { $0.count > 1 }
            .map { $0.sorted { ($0.path, $0.line) < ($1.path, $1.line) } }
            .sorted { ($0[0].path, $0[0].line) < ($1[0].path, $1[0].line) }
    }

    /// Words that add nothing to a statement on their own.
    static let fillers: Set<String> = ["a", "an", "the", "too", "also", "please"]

    /// Words that start a phrase which may stand anywhere in a statement without changing
    /// it ("run tests before committing"); word order inside a phrase is kept, so "use X
    /// instead of Y" and "use Y instead of X" stay apart.
    static let phraseStarts: Set<String> = [
        "about", "above", "after", "against", "along", "among", "around", "as", "at", "because", "before", "behind",
        "below", "beside", "between", "beyond", "by", "despite", "during", "except", "finally", "first", "for", "from",
        "if", "in", "inside", "instead", "into", "like", "near", "next", "of", "on", "once", "onto", "outside", "over",
        "per", "rather", "since", "so", "than", "then", "through", "to", "toward", "towards", "under", "unless",
        "unlike",
        "until", "upon", "via", "when", "whenever", "where", "whether", "while", "with", "within", "without",
    ]

    /// Words that stay with the phrase after them: "not in Postgres" is one phrase.
    static let modifiers: Set<String> = [
        "not", "never", "no", "only", "always", "do", "does", "must", "should", "nor", "but", "and", "or", "even",
        "just",
    ]

    /// Contractions written out, so `don't` and `do not` read the same.
    static let contractions: [(String, [String])] = [
        ("can't", ["can", "not"]), ("cannot", ["can", "not"]), ("won't", ["will", "not"]),
        ("shan't", ["shall", "not"]),
    ]
    static let suffixes: [(String, String)] = [
        ("n't", "not"), ("'re", "are"), ("'ll", "will"), ("'ve", "have"), ("'m", "am"),
    ]

    /// Characters that frame a word without being part of it: punctuation and emphasis.
    static let framing = Set(".,;:!?\"'()[]{}*_`~“”‘’…")
    /// Characters that end a clause: a phrase never spans them.
    static let clauseEnds = Set(".,;:!?()")
    static let dashes = Set("-–—")

    /// The statement an entry makes, canonically: its phrases, sorted, each its words
    /// joined by spaces. Nil when it has no words.
    static func key(of entry: String) -> [String]? {
        var line = String(MarkdownLines.listMarker(entry)?.body ?? Substring(entry))
        // A task's box says whether it is done: it is part of the statement.
        if line.hasPrefix("[ ] ") { line = "☐ " + line.dropFirst(4) }
        if line.lowercased().hasPrefix("[x] ") { line = "☑ " + line.dropFirst(4) }
        // Regexes only where they can match: they cost more than the rest of the key.
        if line.contains("<!--") { line = line.replacing(/<!--.*?-->/, with: "") }
        // A link reads as its text and its target.
        if line.contains("](") { line = line.replacing(/!?\[([^\]]*)\]\(([^)\s]*)\)/) { "\($0.1) \($0.2)" } }
        line = line.lowercased().replacingOccurrences(of: "’", with: "'")

        var phrases: [String] = []
        var phrase: [String] = []
        func close() {
            if !phrase.isEmpty { phrases.append(phrase.joined(separator: " ")) }
            phrase = []
        }
        for raw in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if raw.first == "(" { close() }
            let word = String(raw.drop { framing.contains($0) }.reversed().drop { framing.contains($0) }.reversed())
            if word.allSatisfy({ dashes.contains($0) }) {
                // A dash standing alone separates clauses; emphasis alone is nothing.
                if !word.isEmpty { close() }
                continue
            }
            for word in words(word) where !fillers.contains(word) {
                if phraseStarts.contains(word), !phrase.allSatisfy(modifiers.contains) { close() }
                phrase.append(word)
            }
            if let last = raw.reversed().first(where: { !"*_`~\"'”’".contains($0) }), clauseEnds.contains(last) {
                close()
            }
        }
        close()
        return phrases.isEmpty ? nil : phrases.sorted()
    }

    /// A word with its contraction written out, `&` as "and".
    static func words(_ word: String) -> [String] {
        if word == "&" { return ["and"] }
        if let long = contractions.first(where: { $0.0 == word }) { return long.1 }
        for (suffix, long) in suffixes where word.hasSuffix(suffix) && word.count > suffix.count {
            return [String(word.dropLast(suffix.count)), long]
        }
        return [word]
    }
}
