import Foundation

/// A moment a person names on the command line (`reverie rollback --to DATE`), read as
/// the latest instant it stands for, so that "memory as it was then" holds every commit
/// made within it.
///
/// Accepted: a day (`2026-11-24`, the whole day), a time to the minute or the second with
/// `T` or a space (`2026-11-24T15:00`, `2026-11-24 15:00:30`), and full ISO 8601 with a
/// fraction of a second and a zone (`2026-12-01T13:09:18Z`, `2026-12-01T15:09:18.25+02:00`).
/// Without a zone the local time zone counts (`TZ`), as a person reading a clock means it.
enum HistoryDate {
    static func latestInstant(of text: String, timeZone local: TimeZone = .current) -> Date? {
        let pattern =
            /(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        let (_, year, month, day, hour, minute, second, fraction, zone) = match.output
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = local
        if let zone {
            guard let given = Self.timeZone(zone) else { return nil }
            calendar.timeZone = given
        }
        let clock = [hour, minute, second].map { $0.flatMap { Int($0) } ?? 0 }
        guard clock[0] <= 23, clock[1] <= 59, clock[2] <= 59 else { return nil }
        let parts = DateComponents(
            year: Int(year), month: Int(month), day: Int(day),
            hour: clock[0], minute: clock[1], second: clock[2])
        guard let start = calendar.date(from: parts) else { return nil }
        // The calendar rolls 2026-02-30 over into March: a day that does not come back as
        // written does not exist. (A time in a DST gap moves on by the gap, as clocks did.)
        let back = calendar.dateComponents([.year, .month, .day], from: start)
        guard back.year == parts.year, back.month == parts.month, back.day == parts.day else { return nil }
        guard hour != nil else {
            // The day as a whole: up to its last second, however long the day is (DST).
            return calendar.date(byAdding: .day, value: 1, to: start)?.addingTimeInterval(-1)
        }
        return start.addingTimeInterval(fraction.flatMap { Double("0." + $0) } ?? 0)
    }

    /// `Z`, `+02:00`, `+0200` or `-05`.
    private static func timeZone(_ text: Substring) -> TimeZone? {
        guard text.uppercased() != "Z" else { return TimeZone(secondsFromGMT: 0) }
        let digits = text.dropFirst().filter(\.isNumber)
        guard let hours = Int(digits.prefix(2)),
            let minutes = Int(digits.dropFirst(2).isEmpty ? "0" : digits.dropFirst(2)),
            hours <= 23, minutes <= 59
        else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (text.first == "-" ? -1 : 1)
        return TimeZone(secondsFromGMT: seconds)
    }
}
