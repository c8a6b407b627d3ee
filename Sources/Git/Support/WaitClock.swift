import Foundation

/// The time the Git layer's waits read and pass: for another process's lock, and for a
/// lock a killed move left to grow old enough to be its own. Synchronous, as the layer is;
/// tests pass one whose time moves without anyone waiting.
public struct WaitClock: Sendable {
    /// The time now.
    public var now: @Sendable () -> Date
    /// Blocks the calling thread for a while.
    public var sleep: @Sendable (Duration) -> Void

    /// A clock reading the time from `now` and waiting with `sleep`.
    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The wall clock, and `nanosleep`.
    public static let system = WaitClock(
        now: { Date() },
        sleep: { duration in
            let (seconds, attoseconds) = duration.components
            var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
        })
}
