import Foundation

/// When the daemon dreams on its own.
public enum DreamSchedule: Sendable, Equatable, CustomStringConvertible {
    /// Never; only `reverie dream` starts one.
    case off
    /// Once a day at this local time.
    case daily(hour: Int, minute: Int)
    /// Every so many seconds.
    case every(seconds: Int)

    /// Parses `"daily 03:00"`, `"every 6h"`, `"every 30m"`, `"every 45s"` or `"off"`; nil for anything else.
    public init?(_ text: String) {
        let words = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        switch words.first {
        case "off" where words.count == 1:
            self = .off
        case "daily" where words.count == 2:
            let parts = words[1].split(separator: ":")
            guard parts.count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
                (0..<24).contains(hour), (0..<60).contains(minute)
            else { return nil }
            self = .daily(hour: hour, minute: minute)
        case "every" where words.count == 2:
            let spec = words[1]
            guard let unit = spec.last, let count = Int(spec.dropLast()), count > 0 else { return nil }
            switch unit {
            case "s": self = .every(seconds: count)
            case "m": self = .every(seconds: count * 60)
            case "h": self = .every(seconds: count * 3600)
            case "d": self = .every(seconds: count * 86400)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The schedule as the settings write it: `off`, `daily 03:00`, `every 6h`.
    public var description: String {
        switch self {
        case .off: "off"
        case .daily(let hour, let minute): "daily \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
        case .every(let seconds) where seconds % 86400 == 0: "every \(seconds / 86400)d"
        case .every(let seconds) where seconds % 3600 == 0: "every \(seconds / 3600)h"
        case .every(let seconds) where seconds % 60 == 0: "every \(seconds / 60)m"
        case .every(let seconds): "every \(seconds)s"
        }
    }

    /// When the next dream is due after `now`; nil when off. `last` is when the last dream
    /// was made: an interval counts from it, so a restart does not reset the clock.
    public func next(after now: Date, last: Date?, calendar: Calendar = .current) -> Date? {
        switch self {
        case .off:
            return nil
        case .every(let seconds):
            guard let last else { return now }
            return max(now, last.addingTimeInterval(TimeInterval(seconds)))
        case .daily(let hour, let minute):
            return calendar.nextDate(
                after: now, matching: DateComponents(hour: hour, minute: minute, second: 0),
                matchingPolicy: .nextTime)
        }
    }
}
