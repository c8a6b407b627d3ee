import Foundation

/// Lines of a memory file as `cat -n` counts them: split at "\n" (a "\r\n" ends a line too)
/// and no empty line after a final newline, so a file of three lines shows three, and
/// `insert_line` runs from 0 to 3.
struct TextLines {
    let text: String
    let lines: [Substring]

    init(_ text: String) {
        self.text = text
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if text.isEmpty || lines.last?.isEmpty == true { lines.removeLast() }
        self.lines = lines
    }

    var count: Int { lines.count }

    /// Lines `first` through `last` (1-based, inclusive), numbered, in at most `budget`
    /// characters; the number of the last line that fit, and whether it was cut.
    func numbered(from first: Int, through last: Int, budget: Int) -> (text: String, last: Int, cut: Bool) {
        guard first <= last else { return ("", last, false) }
        var out: [String] = []
        var used = 0
        for number in first...last {
            let line = Texts.numbered(number, lines[number - 1])
            if used + line.count + 1 > budget {
                guard out.isEmpty else { return (out.joined(separator: "\n"), number - 1, false) }
                return (String(line.prefix(budget)), number, true)
            }
            out.append(line)
            used += line.count + 1
        }
        return (out.joined(separator: "\n"), last, false)
    }

    /// Line numbers (1-based) of each UTF-8 offset in `offsets`, which must be ascending.
    static func lineNumbers(of offsets: [Int], in bytes: [UInt8]) -> [Int] {
        var numbers: [Int] = []
        var line = 1
        var position = 0
        for offset in offsets {
            while position < offset {
                if bytes[position] == UInt8(ascii: "\n") { line += 1 }
                position += 1
            }
            numbers.append(line)
        }
        return numbers
    }

    /// Where `needle` starts in `haystack`, overlapping matches included: "aa" is twice in
    /// "aaa", which is no unique place to replace. Compared as UTF-8 bytes, as Python's
    /// `str.count` compares code points: verbatim, with no Unicode equivalence.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var found: [Int] = []
        haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let first = pin[0]
                for start in 0...(hay.count - pin.count) where hay[start] == first {
                    if memcmp(hay.baseAddress! + start, pin.baseAddress!, pin.count) == 0 { found.append(start) }
                }
            }
        }
        return found
    }

    /// The UTF-8 offset where line `index + 1` starts (after `index` lines and their line
    /// breaks), and whether a line break must be added first because the file's last line has none.
    static func insertionPoint(afterLine index: Int, in bytes: [UInt8]) -> (offset: Int, needsBreak: Bool) {
        guard index > 0 else { return (0, false) }
        var seen = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            seen += 1
            if seen == index { return (offset + 1, false) }
        }
        return (bytes.count, true)  // after the last line, which has no line break
    }
}
