import Foundation

/// Finds credentials in text before it enters git history, where it would stay forever
/// (docs/architecture.md), and replaces them with a marker that names their kind.
/// The shapes it knows are in `SecretRule.all`.
public enum SecretScanner {
    /// One secret found: its kind and the line it is on, never the secret itself.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// What kind of secret, as the redaction marker names it.
        public let kind: String
        /// 1-based line of the text it was found in.
        public let line: Int
        /// `<kind> on line <n>`.
        public var description: String { "\(kind) on line \(line)" }

        /// A finding of `kind` on 1-based `line`.
        public init(kind: String, line: Int) {
            self.kind = kind
            self.line = line
        }
    }

    /// The text with every secret replaced by `[REDACTED <kind>]`, and what was found.
    /// Redacting the result again changes nothing: no rule takes a marker for a secret.
    public static func redact(_ text: String) -> (text: String, findings: [Finding]) {
        guard !text.isEmpty else { return (text, []) }
        var text = text
        text.makeContiguousUTF8()  // byte offsets become indices in constant time
        // Most rules need a literal (`ghp_`, `password`) that most texts lack, and a regex
        // call costs a pass over what it is given: each rule runs only on the lines (or the
        // stretch after) that hold one of its literals, found for all rules in one pass.
        let keywords = SecretRule.Keywords(in: text)
        var taken = Redactions()
        for rule in SecretRule.all {
            switch keywords.scope(of: rule) {
            case .nowhere:
                continue
            case .wholeText:
                find(rule, in: text, at: text.startIndex, of: text, into: &taken)
            case .windows(let windows):
                for window in windows {
                    let start = scalarStart(atOrBefore: window.lowerBound, in: text)
                    let end = scalarStart(atOrBefore: window.upperBound, in: text)
                    find(
                        rule, in: String(decoding: text.utf8[start..<end], as: UTF8.self), at: start, of: text,
                        into: &taken)
                }
            }
        }
        guard !taken.ranges.isEmpty else { return (text, []) }

        var result = ""
        result.reserveCapacity(text.utf8.count)
        var findings: [Finding] = []
        var cursor = text.startIndex
        var line = 1
        for (range, kind) in zip(taken.ranges, taken.kinds) {
            line += text.utf8[cursor..<range.lowerBound].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            findings.append(Finding(kind: kind, line: line))
            result += text[cursor..<range.lowerBound]
            result += "[REDACTED \(kind)]"
            // The marker is one line: a block's lines are counted, not kept.
            line += text.utf8[range].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            cursor = range.upperBound
        }
        result += text[cursor...]
        return (result, findings.sorted { ($0.line, $0.kind) < ($1.line, $1.kind) })
    }

    /// The index of the byte at `offset`, moved back to the start of its character's scalar,
    /// so that a window cut there decodes as the text does.
    private static func scalarStart(atOrBefore offset: Int, in text: String) -> String.Index {
        var index = text.utf8.index(text.startIndex, offsetBy: offset)
        while index > text.startIndex && index < text.endIndex && text.utf8[index] & 0xC0 == 0x80 {
            index = text.utf8.index(before: index)
        }
        return index
    }

    /// Adds the secrets `rule` finds in `piece`, a part of `text` starting at `offset`.
    private static func find(
        _ rule: SecretRule, in piece: String, at offset: String.Index, of text: String,
        into taken: inout Redactions
    ) {
        let base = text.utf8.distance(from: text.startIndex, to: offset)
        for match in rule.regex.matches(in: piece, range: NSRange(location: 0, length: piece.utf16.count)) {
            guard let found = Range(rule.secretRange(of: match), in: piece), !found.isEmpty else { continue }
            let lower = text.utf8.index(
                text.startIndex, offsetBy: base + piece.utf8.distance(from: piece.startIndex, to: found.lowerBound))
            let upper = text.utf8.index(
                lower, offsetBy: piece.utf8.distance(from: found.lowerBound, to: found.upperBound))
            let range = lower..<upper
            let before = lower > text.startIndex ? text[text.index(before: lower)] : " "
            guard rule.check.accepts(text[range], quoted: "\"'`".contains(before)) else { continue }
            taken.insert(range, kind: rule.kind)
        }
    }

    /// The secrets chosen so far, in text order, none overlapping another: a later rule's
    /// match that overlaps an earlier rule's is the same secret seen less precisely.
    struct Redactions {
        private(set) var ranges: [Range<String.Index>] = []
        private(set) var kinds: [String] = []

        mutating func insert(_ range: Range<String.Index>, kind: String) {
            // The first range starting at or after this one; only it and the one before can overlap.
            var low = 0, high = ranges.count
            while low < high {
                let middle = (low + high) / 2
                if ranges[middle].lowerBound < range.lowerBound { low = middle + 1 } else { high = middle }
            }
            if low < ranges.count && ranges[low].overlaps(range) { return }
            if low > 0 && ranges[low - 1].overlaps(range) { return }
            ranges.insert(range, at: low)
            kinds.insert(kind, at: low)
        }
    }

    /// `text` with secrets redacted only in the lines `old` does not hold: a line already in
    /// memory is a person's, and a dream or an agent does not rewrite it.
    public static func redactAddedLines(_ text: String, keeping old: Set<Substring>) -> (String, [Finding]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let added = lines.enumerated().filter { !old.contains($0.element) }
        guard !added.isEmpty else { return (text, []) }
        // Scan the added lines together, so a multi-line key block is seen whole.
        let (redacted, findings) = redact(added.map { String($0.element) }.joined(separator: "\n"))
        guard !findings.isEmpty else { return (text, []) }
        var result = lines.map(String.init)
        var replacement = redacted.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A redacted key block becomes one line; the lines it spanned stay empty.
        while replacement.count < added.count { replacement.append("") }
        for (slot, line) in zip(added, replacement) { result[slot.offset] = line }
        let mapped = findings.map { Finding(kind: $0.kind, line: added[min($0.line, added.count) - 1].offset + 1) }
        return (result.joined(separator: "\n"), mapped)
    }
}
