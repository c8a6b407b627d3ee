import Foundation

/// Substring search over UTF-8 bytes. Tool outputs are long and are searched for a few
/// fixed markers each; Foundation's `contains` goes through UTF-16 and costs more than
/// parsing the transcript did.
public enum TextSearch {
    /// Where `needle` starts in `text`, as a UTF-8 offset: memmem over the bytes, since tool
    /// outputs are long and are searched once per result.
    public static func offset(of needle: String, in text: String) -> Int? {
        var text = text
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern -> Int? in
                guard let base = haystack.baseAddress, let first = pattern.first, haystack.count >= pattern.count else {
                    return nil
                }
                // memchr for the first byte, memcmp for the rest (Glibc's memmem is not exported).
                var offset = 0
                let last = haystack.count - pattern.count
                while offset <= last, let found = memchr(base + offset, Int32(first), last - offset + 1) {
                    offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                    if memcmp(base + offset, pattern.baseAddress!, pattern.count) == 0 { return offset }
                    offset += 1
                }
                return nil
            }
        }
    }

    /// Whether `needle` occurs in `text`, by the same byte search as `offset(of:in:)`.
    public static func contains(_ needle: String, in text: String) -> Bool {
        offset(of: needle, in: text) != nil
    }
}
