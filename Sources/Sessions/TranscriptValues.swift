import Foundation

/// Reading values that every transcript format writes the same way.
enum TranscriptValues {
    /// An ISO 8601 time, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        utcDate(text)
            ?? (try? Date(text, strategy: .iso8601))
            ?? (try? Date(
                text,
                strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)
                    .timeZone(separator: .colon)))
    }

    /// `2026-11-24T09:00:01.123Z`, the form every agent writes, read without Foundation's
    /// general parser: a transcript has one per line, and the general parser costs more
    /// than the rest of the line.
    static func utcDate(_ text: String) -> Date? {
        var utf8 = text.utf8.makeIterator()
        func number(_ digits: Int) -> Int? {
            var value = 0
            for _ in 0..<digits {
                guard let byte = utf8.next(), byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool { utf8.next() == byte }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2), expect(84),
            let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        var next = utf8.next()
        if next == 46 {  // "."
            var scale = 0.1
            next = utf8.next()
            while let byte = next, byte >= 48, byte <= 57 {
                fraction += Double(byte - 48) * scale
                scale /= 10
                next = utf8.next()
            }
        }
        guard next == 90, utf8.next() == nil else { return nil }  // "Z" and nothing after
        // Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        return Date(timeIntervalSince1970: seconds)
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
