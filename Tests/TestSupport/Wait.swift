import Foundation

/// Polls a condition. Tests wait for what must eventually be true and never assert on
/// how long it took; the limit only keeps a broken build from hanging.
public enum Wait {
    /// `every`: seconds between looks; a costly look (git over 20,000 files) is taken less often.
    @discardableResult
    public static func until(
        seconds: Double = 20, every interval: Double = 0.02,
        _ condition: () throws -> Bool
    ) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(UInt32(interval * 1_000_000))
        }
        return try condition()
    }

    /// The same from async code: it suspends between looks instead of blocking one of the
    /// few threads that the actors under test need to make progress.
    @discardableResult
    public static func until(
        seconds: Double = 20, every interval: Double = 0.02,
        _ condition: () throws -> Bool
    ) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
        return try condition()
    }
}
