import Foundation
import Git

/// A `WaitClock` whose sleeps move its time forward at once: a wait of seconds for a lock
/// takes no real time, and the test reads how long the code under test waited.
final class VirtualWaitClock: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var elapsed: Duration = .zero

    init() {}

    /// The time slept so far.
    var slept: Duration { lock.withLock { elapsed } }

    /// The clock to hand to a `RetryPolicy`.
    var clock: WaitClock {
        WaitClock(
            now: { [self] in
                lock.withLock {
                    start.addingTimeInterval(
                        Double(elapsed.components.seconds)
                            + Double(elapsed.components.attoseconds) / 1e18)
                }
            },
            sleep: { [self] duration in
                lock.withLock { elapsed += duration }
            })
    }
}
