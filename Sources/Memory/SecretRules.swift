import Foundation

/// One shape of secret the scanner looks for: a regex, the literals that must occur in a
/// text for it to match at all, and what a match must also pass to count.
///
/// The secret is the first capture group that took part in the match, or the whole match
/// when none did; the rest of a match (a key name, a command) stays in the text.
struct SecretRule: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe
    /// What a person is told was found: `[REDACTED <kind>]`.
    let kind: String
    let regex: NSRegularExpression
    /// Indices into `SecretRule.keywords`; the rule runs only on a text holding one of them.
    let keywordIDs: [Int]
    let check: Check
    /// Whether a match may span lines, or needs a word found elsewhere in the text; other
    /// rules run only on the lines holding their keywords.
    let wholeText: Bool

    enum Check: Sendable {
        /// A provider's token, whose shape says enough.
        case token
        /// A value merely named like a secret: it must look random.
        case randomValue(minimumEntropy: Double)
    }

    /// The range of the secret in a match.
    func secretRange(of match: NSTextCheckingResult) -> NSRange {
        for group in stride(from: 1, to: match.numberOfRanges, by: 1) where match.range(at: group).location != NSNotFound {
            return match.range(at: group)
        }
        return match.range
    }
}

// MARK: - The table

extension SecretRule {
    /// Every rule, most specific first: where two matches overlap, the earlier rule's wins,
    /// so a Stripe key in `api_key = "…"` is named for Stripe, not as a generic secret.
    static let all: [SecretRule] = table.map { row in
        // The patterns are constants checked by the tests; a typo is a programming error.
        let regex = try! NSRegularExpression(pattern: row.pattern)
        return SecretRule(kind: row.kind, regex: regex,
                          keywordIDs: row.keywords.map { keywords.firstIndex(of: Array($0.utf8))! }, check: row.check,
                          wholeText: row.wholeText)
    }

    /// Every keyword of the table once, lowercased (the prefilter compares lowercased text).
    static let keywords: [[UInt8]] = {
        var seen: [[UInt8]] = []
        for row in table {
            for word in row.keywords where !seen.contains(Array(word.utf8)) { seen.append(Array(word.utf8)) }
        }
        return seen
    }()

    private struct Row {
        let kind: String
        let pattern: String
        let keywords: [String]
        let check: Check
        let wholeText: Bool
        init(_ kind: String, _ pattern: String, _ keywords: [String], _ check: Check = .token, wholeText: Bool = false) {
            self.kind = kind
            self.pattern = pattern
            self.keywords = keywords
            self.check = check
            self.wholeText = wholeText
        }
    }

    // The rules the first scanner had, unchanged.
    private static let table: [Row] = [
        // A block's lines and `\s` around `:` may span lines: those rules see the whole text.
        Row("private key", #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\z)"#, ["private key"],
            wholeText: true),
        Row("AWS access key", #"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"#, ["akia", "asia", "agpa", "aida", "aroa"]),
        Row("AWS secret key", #"(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})"#, ["secret"], wholeText: true),
        Row("GitHub token", #"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"#,
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        Row("GitLab token", #"\bglpat-[A-Za-z0-9_\-]{20,}"#, ["glpat-"]),
        Row("Slack token", #"\bxox[abposr]-[A-Za-z0-9\-]{10,}"#, ["xox"]),
        Row("Anthropic key", #"\bsk-ant-[A-Za-z0-9_\-]{20,}"#, ["sk-ant-"]),
        Row("OpenAI key", #"\bsk-(?!ant-)(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}"#, ["sk-"]),
        Row("JSON Web Token", #"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"#, ["eyj"]),
        Row("password in URL", #"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s/:@]+:([^\s/@]+)@"#, ["://"]),
        Row("secret value",
            #"(?i)\b[a-z0-9_\-]*(?:api_?key|token|secret|passw(?:or)?d|pwd|access_?key)[a-z0-9_\-]*["']?\s*[:=]\s*["']?([^\s"',;]{12,})"#,
            ["key", "token", "secret", "passw", "pwd"], .randomValue(minimumEntropy: 3.5), wholeText: true),
    ]
}

// MARK: - The prefilter

extension SecretRule {
    /// The lines of one text that hold each keyword (ASCII case ignored), found in one pass
    /// over its bytes: each byte pair is looked up among the keywords' first two bytes.
    struct Keywords {
        /// Where each line starts, in bytes.
        private var lineStarts: [Int] = [0]
        private let length: Int
        /// For each keyword, the lines holding it (indices into `lineStarts`), each once, in order.
        private var lines: [[Int32]]

        init(in text: String) {
            var text = text
            length = text.utf8.count
            lines = [[Int32]](repeating: [], count: keywords.count)
            text.withUTF8 { bytes in
                guard bytes.count >= 2 else { return }
                starts.withUnsafeBufferPointer { starts in
                    var previous = lowercased(bytes[0])
                    for index in 1..<bytes.count {
                        if previous == UInt8(ascii: "\n") { lineStarts.append(index) }
                        let current = lowercased(bytes[index])
                        let pair = Int(previous) << 8 | Int(current)
                        previous = current
                        let first = Int(starts[pair]), end = Int(starts[pair + 1])
                        guard first != end else { continue }
                        let line = Int32(lineStarts.count - 1)
                        for slot in first..<end {
                            let id = Int(byPair[slot])
                            guard lines[id].last != line, occurs(keywords[id], in: bytes, at: index - 1) else { continue }
                            lines[id].append(line)
                        }
                    }
                }
            }
        }

        enum Scope: Equatable {
            case nowhere
            case wholeText
            /// Byte ranges of whole lines, without their line breaks, in order, apart.
            case windows([Range<Int>])
        }

        /// Where `rule` can match: the lines holding its keywords, or the whole text when the
        /// rule needs it or those lines are most of it (one regex call is then cheaper).
        func scope(of rule: SecretRule) -> Scope {
            let held = rule.keywordIDs.filter { !lines[$0].isEmpty }
            if held.isEmpty { return .nowhere }
            if rule.wholeText { return .wholeText }
            let numbers = held.count == 1 ? lines[held[0]] : Array(Set(held.flatMap { lines[$0] })).sorted()
            var windows: [Range<Int>] = []
            var covered = 0
            for line in numbers.map(Int.init) {
                let start = lineStarts[line]
                let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : length
                // Neighbouring lines share one window: fewer regex calls.
                if let last = windows.last, last.upperBound + 1 == start {
                    windows[windows.count - 1] = last.lowerBound..<end
                } else {
                    windows.append(start..<end)
                }
                covered += end - start
            }
            return covered * 2 > length ? .wholeText : .windows(windows)
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    private static func occurs(_ word: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + word.count <= bytes.count else { return false }
        for offset in 2..<max(word.count, 2) where lowercased(bytes[start + offset]) != word[offset] { return false }
        return true
    }

    /// Keyword ids grouped by their first two bytes: those for pair `p` are
    /// `byPair[starts[p]..<starts[p + 1]]`.
    private static let (starts, byPair): ([Int32], [Int32]) = {
        var groups = [[Int32]](repeating: [], count: 1 << 16)
        for (id, word) in keywords.enumerated() {
            precondition(word.count >= 2 && word == word.map(lowercased), "keywords are lowercase, two bytes or more")
            groups[Int(word[0]) << 8 | Int(word[1])].append(Int32(id))
        }
        var starts: [Int32] = [0]
        var byPair: [Int32] = []
        for group in groups {
            byPair += group
            starts.append(Int32(byPair.count))
        }
        return (starts, byPair)
    }()
}

// MARK: - Checks

extension SecretRule.Check {
    /// Whether `secret`, as matched, counts; `quoted` when it stood inside quotes.
    func accepts(_ secret: Substring, quoted: Bool) -> Bool {
        if secret.hasPrefix("[REDACTED") { return false }
        switch self {
        case .token:
            return true
        case .randomValue(let minimum):
            return Self.entropy(secret) >= minimum
        }
    }

    /// Shannon entropy in bits per character: high for random keys, low for words and `xxxx`.
    static func entropy(_ text: Substring) -> Double {
        var counts: [Character: Int] = [:]
        for character in text { counts[character, default: 0] += 1 }
        let total = Double(text.count)
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / total
            return sum - p * log2(p)
        }
    }
}
