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
    /// For a rule whose every match starts at one of its keywords (or a few bytes before) and
    /// is shorter than this many bytes: it runs only that far around each keyword.
    let reach: Int?

    enum Check: Sendable {
        /// A provider's token, whose shape says enough.
        case token
        /// A value merely named like a secret: it must look random, and not be code or a placeholder.
        case randomValue(minimumEntropy: Double)
        /// A password, which may be short: not a placeholder or a path; a bare word only where
        /// `words`, digits alone (a port) only where `numbers`. In an `assignment`, code
        /// (unquoted `a.b`, `f(`) and phrases ("Password is required") are not passwords.
        case password(words: Bool, numbers: Bool, assignment: Bool)
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
                          wholeText: row.wholeText, reach: row.reach)
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
        let reach: Int?
        init(_ kind: String, _ pattern: String, _ keywords: [String], _ check: Check = .token, wholeText: Bool = false,
             reach: Int? = nil) {
            self.kind = kind
            self.pattern = pattern
            self.keywords = keywords
            self.check = check
            self.wholeText = wholeText
            self.reach = reach
        }
    }

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
        Row("Stripe key", #"\b[rs]k_(?:live|test|prod)_[A-Za-z0-9]{10,}"#,
            ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"]),
        Row("Stripe webhook secret", #"\bwhsec_[A-Za-z0-9+/=]{20,}"#, ["whsec_"]),
        Row("Anthropic key", #"\bsk-ant-[A-Za-z0-9_\-]{20,}"#, ["sk-ant-"]),
        Row("OpenAI key", #"\bsk-(?!ant-)(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}"#, ["sk-"]),
        Row("JSON Web Token", #"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"#, ["eyj"]),

        // A URL's password runs to the last `@` before a host, so it may hold `/` and `@`; a
        // port followed by a path (`localhost:5173/@vite/client`) is not one.
        Row("password in URL",
            #"(?<=[A-Za-z0-9])://[^\s/:@"'<>`]{0,128}:(?![0-9]{1,5}(?:[/?#]|$))([^\s"'<>`\\]{1,256})@[A-Za-z0-9._\-]+(?![^\s/:?#"'<>`)\],;])"#,
            ["://"], .password(words: true, numbers: true, assignment: false)),

        // Passwords on command lines. `-p` means a password only after the commands below
        // (it is a port for docker, ssh and psql, `--parents` for mkdir).
        Row("password argument",
            #"(?<![\w\-])--(?:[A-Za-z0-9]+[\-_])*(?:password|passwd|passphrase|pass)(?:=|[ \t]+)(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["pass"], .password(words: false, numbers: true, assignment: false)),
        // mysql reads a word glued to -p as the password, but `-p word` as a password
        // prompt and a database name: there only a value with a digit or symbol counts.
        Row("password argument",
            #"\b(?:mysql|mariadb|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlsh|mysqlpump|mariadb-dump|mariadb-admin)\b[^\n|;&]{0,200}?[ \t]-p(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["mysql", "mariadb"], .password(words: true, numbers: false, assignment: false)),
        Row("password argument",
            #"\b(?:mysql|mariadb|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlsh|mysqlpump|mariadb-dump|mariadb-admin|mongo|mongosh)\b[^\n|;&]{0,200}?[ \t]-p[ \t]+(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["mysql", "mariadb", "mongo"], .password(words: false, numbers: false, assignment: false)),
        Row("password argument",
            #"\bsshpass\b[^\n|;&]{0,100}?[ \t]-p[ \t]*(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["sshpass"], .password(words: true, numbers: true, assignment: false)),
        Row("password argument",
            #"\b7z[ar]?\b[^\n|;&]{0,200}?[ \t]-p(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["7z"], .password(words: true, numbers: true, assignment: false)),
        Row("password argument",
            #"\b(?:zip|unzip|zipcloak|sqlcmd|bcp|osql)\b[^\n|;&]{0,200}?[ \t]-P[ \t]*(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["zip", "sqlcmd", "bcp", "osql"], .password(words: true, numbers: true, assignment: false)),
        Row("password argument",
            #"\bredis-cli\b[^\n|;&]{0,200}?[ \t]-a[ \t]+(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["redis-cli"], .password(words: true, numbers: true, assignment: false)),
        Row("password argument", #"(?<![\w\-])-pass(?:in|out)?[ \t]+["']?pass:([^\s"'`;&|]{1,200})"#,
            ["-pass"], .password(words: true, numbers: true, assignment: false)),
        Row("password argument",
            #"\bcurl\b[^\n|;&]{0,300}?[ \t](?:-u|--user)(?:[ \t]+|=)?(?:\\?["'])?[^\s:"'`\\]{1,100}:([^\s"'`\\;&|]{1,200})"#,
            ["curl"], .password(words: true, numbers: true, assignment: false)),

        // `password = …` with any value a person could type, short ones included. Unquoted
        // after `:` or a spaced `=`, the value must end its line or field, or it is prose
        // ("password: see the vault"); glued to `=` (shell, .env, URL queries) it need not.
        Row("password",
            #"(?im)(?:passw(?:or)?d|passphrase|(?<![a-z])pwd)(?:\\?["'])?\]?(?:[ \t]{0,8}(?::=|=>|==|[:=])[ \t]{0,8}(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`,;&|()\[\]{}<>\\]{1,200})(?=[ \t]*(?:[,;})\]\\]|#|//|$)))|=([^\s"'`,;&|()\[\]{}<>\\]{1,200}))"#,
            ["passw", "passphrase", "pwd"], .password(words: false, numbers: true, assignment: true), reach: 400),
        Row("password", #"(?i)\b(?:identified[ \t]+by|with[ \t]+(?:encrypted[ \t]+)?password)[ \t]+'([^'\n]{1,200})'"#,
            ["identified", "password"], .password(words: true, numbers: true, assignment: false)),
        Row("password", #"\bmachine[ \t]+\S+[ \t]+login[ \t]+\S+[ \t]+password[ \t]+(\S+)"#,
            ["machine"], .password(words: true, numbers: true, assignment: false)),

        // Anything else named like a secret, when its value looks random. (The names' alternatives
        // share first letters: ICU tries fewer of them per position.)
        Row("secret value",
            #"(?i)(?:a(?:pi_?key|pikey|ccess_?key|uth_?key)|token|secret|p(?:assw(?:or)?d|wd)|credential)[a-z0-9_.\-]{0,20}(?:\\?["'])?\]?[ \t]{0,8}(?::=|=>|[:=])[ \t]{0,8}(?:\\?["'`])?([^\s"'`,;\\()\[\]{}<>]{12,200})"#,
            ["key", "token", "secret", "passw", "pwd", "credential"], .randomValue(minimumEntropy: 3.5), reach: 300),
    ]
}

// MARK: - The prefilter

extension SecretRule {
    /// Where each keyword occurs in one text (ASCII case ignored), found in one pass over its
    /// bytes: each byte pair is looked up among the keywords' first two bytes.
    struct Keywords {
        /// Where each line starts, in bytes.
        private var lineStarts: [Int] = [0]
        private let length: Int
        /// For each keyword, where it occurs (byte offsets, in order) and on which lines.
        private var offsets: [[Int]]
        private var lines: [[Int32]]

        init(in text: String) {
            var text = text
            length = text.utf8.count
            offsets = [[Int]](repeating: [], count: keywords.count)
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
                        for slot in first..<end {
                            let id = Int(byPair[slot])
                            guard occurs(keywords[id], in: bytes, at: index - 1) else { continue }
                            offsets[id].append(index - 1)
                            lines[id].append(Int32(lineStarts.count - 1))
                        }
                    }
                }
            }
        }

        enum Scope: Equatable {
            case nowhere
            case wholeText
            /// Byte ranges within lines, in order, apart.
            case windows([Range<Int>])
        }

        /// Where `rule` can match: around its keywords, or the whole text when the rule needs
        /// it or the windows are most of it (one regex call is then cheaper).
        func scope(of rule: SecretRule) -> Scope {
            let held = rule.keywordIDs.filter { !offsets[$0].isEmpty }
            if held.isEmpty { return .nowhere }
            if rule.wholeText { return .wholeText }
            var hits = held.flatMap { id in zip(offsets[id], lines[id]) }
            if held.count > 1 { hits.sort { $0.0 < $1.0 } }
            var windows: [Range<Int>] = []
            var covered = 0
            for (offset, line) in hits {
                let lineStart = lineStarts[Int(line)]
                let lineEnd = Int(line) + 1 < lineStarts.count ? lineStarts[Int(line) + 1] - 1 : length
                // A match may start a few bytes before its keyword (`api_key` for "key").
                let window = rule.reach.map { max(lineStart, offset - 16)..<min(lineEnd, offset + $0) } ?? lineStart..<lineEnd
                if let last = windows.last, window.lowerBound <= last.upperBound + 1 {
                    covered += max(0, window.upperBound - last.upperBound)
                    windows[windows.count - 1] = last.lowerBound..<max(last.upperBound, window.upperBound)
                } else {
                    covered += window.count
                    windows.append(window)
                }
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
    /// Whether `secret`, as matched, counts; `quoted` when it stood inside quotes (a literal,
    /// not code).
    func accepts(_ secret: Substring, quoted: Bool) -> Bool {
        if secret.hasPrefix("[REDACTED") { return false }
        switch self {
        case .token:
            return true
        case .randomValue(let minimum):
            if Self.isPlaceholder(secret) || Self.isPath(secret) || secret.contains("://") { return false }
            if !quoted && Self.isCode(secret) { return false }
            // A bare identifier (OPENAI_API_KEY, hashedPassword) names a secret, it is not one.
            if secret.allSatisfy({ $0.isLetter || $0 == "_" }) && (secret.count < 20 || Self.entropy(secret) < 3.9) {
                return false
            }
            return Self.entropy(secret) >= minimum
        case .password(let words, let numbers, let assignment):
            guard secret.count >= 4, !(assignment && secret.contains(" ")) else { return false }
            if Self.isPlaceholder(secret) || Self.isPath(secret) { return false }
            // A bare word is a type (`str`, GraphQL's `String!`), a variable or a translation.
            let word = secret.last == "!" || secret.last == "?" ? secret.dropLast() : secret
            if !words && word.allSatisfy({ $0.isLetter || $0 == "_" }) { return false }
            if !numbers && secret.allSatisfy(\.isASCIIDigit) { return false }
            if assignment && !quoted && Self.isCode(secret) { return false }
            return true
        }
    }

    /// Template syntax where a value should be: `${VAR}`, `<your-password>`, `%s`, `{{ x }}`.
    static func isTemplate(_ value: Substring) -> Bool {
        guard let first = value.first else { return true }
        return "$<{%[".contains(first) || value.contains("{{") || value.contains("${")
    }

    /// A value standing in for a password: a template, `xxxx`, `****`, `your_password`, `None`…
    static func isPlaceholder(_ value: Substring) -> Bool {
        guard let first = value.first, !isTemplate(value), !value.allSatisfy({ $0 == first }) else { return true }
        let lower = value.lowercased()
        if lower.contains("xxxx") || lower.contains("***") || lower.contains("...") { return true }
        return placeholders.contains(lower)
    }

    /// Words written where a value goes, and names like `your_password`, `db-pass`, `secret_here`.
    private static let placeholders: Set<String> = {
        var names: Set<String> = [
            "none", "null", "nil", "undefined", "true", "false", "empty", "required", "optional", "string", "str",
            "hidden", "redacted", "masked", "example", "sample", "dummy", "placeholder", "unknown", "unset", "notset",
            "not-set", "todo",
        ]
        let owners = ["", "your", "my", "the", "some", "db", "user", "admin", "root", "new", "old", "example", "sample",
                      "dummy", "fake", "default"]
        let words = ["password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "key", "value"]
        for owner in owners {
            for separator in owner.isEmpty ? [""] : ["", "-", "_"] {
                for word in words {
                    for ending in ["", "s", "-here", "_here", "here"] { names.insert(owner + separator + word + ending) }
                }
            }
        }
        return names
    }()

    /// `/etc/x`, `~/x`, `./x`, `../x`, `C:\x`: a path, as `PWD=` holds.
    static func isPath(_ value: Substring) -> Bool {
        if value.hasPrefix("/") || value.hasPrefix("~/") || value.hasPrefix("./") || value.hasPrefix("../") { return true }
        return value.count >= 3 && value.first?.isLetter == true && value.dropFirst().hasPrefix(":\\")
    }

    /// `process.env.X`, `settings.DB_PASSWORD`, `os.environ[`, `get_password(`: code that
    /// fetches a secret, not the secret.
    static func isCode(_ value: Substring) -> Bool {
        // Python ends a condition with `:` (`if password == user.password:`).
        let value = value.hasSuffix(":") ? value.dropLast() : value
        let head = value.prefix { $0 != "(" && $0 != "[" }
        let parts = head.split(separator: ".", omittingEmptySubsequences: false)
        let identifiers = parts.allSatisfy { part in
            guard let first = part.first, first.isLetter || first == "_" || first == "$" else { return false }
            return part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        }
        guard identifiers else { return false }
        return head.count < value.count || parts.count >= 2
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

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
