import Foundation

/// Reading values that every transcript format writes the same way.
enum TranscriptValues {
    /// An ISO 8601 time, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }

    /// Message content as text: a string, or the `text` of each part of a list.
    static func text(of content: Any?) -> String {
        if let text = content as? String { return text }
        if let parts = content as? [Any] {
            return parts.compactMap { ($0 as? [String: Any])?["text"] as? String }.joined(separator: "\n")
        }
        return ""
    }
}
