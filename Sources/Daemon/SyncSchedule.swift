/// When the daemon's next round of sync is due: on start, every `fetch` interval, soon
/// after main moved ahead of the remote's (at most one push per `pushDelay`, so a burst
/// of commits goes out as one), and after a failure only once its backoff has passed.
/// Times are offsets from the daemon's start, read from an injected clock.
public struct SyncSchedule: Sendable, Equatable {
    public let fetchInterval: Duration
    public let pushDelay: Duration
    /// The longest wait after failures (offline for hours costs one attempt per this).
    public let longestBackoff: Duration
    public private(set) var nextFetch: Duration = .zero
    public private(set) var lastRound: Duration?
    public private(set) var failures = 0
    public private(set) var retryAt: Duration?

    public init(fetchInterval: Duration, pushDelay: Duration, longestBackoff: Duration = .seconds(300)) {
        self.fetchInterval = fetchInterval
        self.pushDelay = pushDelay
        self.longestBackoff = longestBackoff
    }

    /// Whether a round should run at `now`, `mainAhead` saying whether main has commits
    /// the remote has not.
    public func isDue(at now: Duration, mainAhead: Bool) -> Bool {
        if let retryAt { return now >= retryAt }
        if now >= nextFetch { return true }
        guard mainAhead else { return false }
        return lastRound.map { now >= $0 + pushDelay } ?? true
    }

    /// Records a round that ended at `now`.
    public mutating func finished(at now: Duration, succeeded: Bool) {
        lastRound = now
        if succeeded {
            failures = 0
            retryAt = nil
            nextFetch = now + fetchInterval
        } else {
            failures += 1
            retryAt = now + backoff
        }
    }

    /// One second after the first failure, doubling, at most `longestBackoff` (or the
    /// fetch interval, when that is shorter).
    public var backoff: Duration {
        let ceiling = max(.seconds(1), min(longestBackoff, fetchInterval))
        let doubled = Duration.seconds(1) * (1 << min(failures - 1, 20))
        return failures == 0 ? .zero : min(doubled, ceiling)
    }
}
