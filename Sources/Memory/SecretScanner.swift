import Foundation

/// Finds credentials in text before it enters git history, where it would stay forever
/// (DESIGN.md, invariant 6), and replaces them with a marker that names their kind.
public enum SecretScanner {
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public let kind: String
        /// 1-based line of the text it was found in.
        public let line: Int
        public var description: String { "\(kind) on line \(line)" }

        public init(kind: String, line: Int) {
            self.kind = kind
            self.line = line
        }
    }

    struct Pattern: @unchecked Sendable {
        let kind: String
        let regex: NSRegularExpression
        /// The capture group holding the secret itself (0: the whole match).
        let group: Int
        /// Only matches whose secret looks random enough count (for generic assignments).
        let minimumEntropy: Double
    }

    static let patterns: [Pattern] = [
        ("private key", #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\z)"#, 0, 0),
        ("AWS access key", #"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"#, 0, 0),
        ("AWS secret key", #"(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})"#, 1, 0),
        ("GitHub token", #"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"#, 0, 0),
        ("GitLab token", #"\bglpat-[A-Za-z0-9_\-]{20,}"#, 0, 0),
        ("Slack token", #"\bxox[abposr]-[A-Za-z0-9\-]{10,}"#, 0, 0),
        ("Anthropic key", #"\bsk-ant-[A-Za-z0-9_\-]{20,}"#, 0, 0),
        ("OpenAI key", #"\bsk-(?!ant-)(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}"#, 0, 0),
        ("JSON Web Token", #"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"#, 0, 0),
        ("password in URL", #"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s/:@]+:([^\s/@]+)@"#, 1, 0),
        ("secret value", #"(?i)\b[a-z0-9_\-]*(?:api_?key|token|secret|passw(?:or)?d|pwd|access_?key)[a-z0-9_\-]*["']?\s*[:=]\s*["']?([^\s"',;]{12,})"#, 1, 3.5),
    ].map { kind, pattern, group, entropy in
        // The patterns are constants checked by the tests; a typo is a programming error.
        Pattern(kind: kind, regex: try! NSRegularExpression(pattern: pattern), group: group, minimumEntropy: entropy)
    }

    /// The text with every secret replaced by `[REDACTED <kind>]`, and what was found.
    public static func redact(_ text: String) -> (text: String, findings: [Finding]) {
        let result = NSMutableString(string: text)
        var findings: [Finding] = []
        for pattern in patterns {
            let current = result as String
            let matches = pattern.regex.matches(in: current, range: NSRange(location: 0, length: result.length))
            for match in matches.reversed() {
                let range = match.range(at: pattern.group)
                guard range.location != NSNotFound else { continue }
                let secret = result.substring(with: range)
                guard !secret.hasPrefix("[REDACTED"), entropy(secret) >= pattern.minimumEntropy else { continue }
                let line = result.substring(to: range.location).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                findings.append(Finding(kind: pattern.kind, line: line))
                result.replaceCharacters(in: range, with: "[REDACTED \(pattern.kind)]")
            }
        }
        return (result as String, findings.sorted { ($0.line, $0.kind) < ($1.line, $1.kind) })
    }

    /// Shannon entropy in bits per character: high for random keys, low for words.
    static func entropy(_ text: String) -> Double {
        var counts: [Character: Int] = [:]
        for character in text { counts[character, default: 0] += 1 }
        let total = Double(text.count)
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / total
            return sum - p * log2(p)
        }
    }
}
