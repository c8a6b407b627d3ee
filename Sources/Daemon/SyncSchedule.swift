/// When the daemon's next round of sync is due: on start, every `fetch` interval, soon
/// after main moved ahead of the remote's (at most one push per `pushDelay`, so a burst
/// of commits goes out as one), and after a failure only once its backoff has passed.
/// Times are offsets from the daemon's start, read from an injected clock.
public struct SyncSchedule: Sendable, Equatable {
    /// How often the remote is fetched when nothing else happens.
    public let fetchInterval: Duration
    /// How long after main moves its push waits, so that a burst of commits goes out as one.
    public let pushDelay: Duration
    /// The longest wait after failures (offline for hours costs one attempt per this).
    public let longestBackoff: Duration
    /// When the next fetch is due.
    public private(set) var nextFetch: Duration = .zero
    /// When the last round ran, whatever came of it.
    public private(set) var lastRound: Duration?
    /// Rounds failed in a row since the last success.
    public private(set) var failures = 0
    /// When a failed round may be tried again, while failures last.
    public private(set) var retryAt: Duration?

    /// A schedule that fetches every `fetchInterval` and pushes at most once per `pushDelay`.
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
