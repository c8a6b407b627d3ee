import Foundation

/// Polls a condition. Tests wait for what must eventually be true and never assert on
/// how long it took; the limit only keeps a broken build from hanging.
public enum Wait {
    @discardableResult
    public static func until(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }
}
