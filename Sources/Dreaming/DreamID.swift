import Foundation

/// A dream's id: the UTC time it was made, `20261125-030000` (a suffix `-2`, `-3` when two
/// dreams share a second). One format, read and written here only.
public enum DreamID {
    /// The id for a dream made at `date`, before any suffix: `yyyyMMdd-HHmmss` in UTC.
    public static func stamp(for date: Date) -> String {
        formatter().string(from: date)
    }

    /// When the dream named `id` was made; nil for a name not in this form.
    public static func date(of id: String) -> Date? {
        formatter().date(from: String(id.prefix(15)))
    }

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter
    }
}
