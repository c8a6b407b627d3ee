import Foundation

/// How long Reverie waits for another git process to let go of a lock, or for a reference
/// that moved underneath it.
///
/// A person's `git commit` holds `index.lock` for milliseconds, a hook or an open editor for
/// seconds: the default waits about six seconds in growing steps, then gives up with a
/// clear error rather than ever deleting a lock Reverie did not take.
public struct RetryPolicy: Sendable {
    /// The pause before each further attempt, in milliseconds.
    public var delaysMilliseconds: [Int]
    /// What the pauses sleep on, and what a wait for an abandoned lock reads the time from.
    public var clock: WaitClock

    /// Retries after each of `delaysMilliseconds`, waiting on `clock`.
    public init(delaysMilliseconds: [Int], clock: WaitClock = .system) {
        self.delaysMilliseconds = delaysMilliseconds
        self.clock = clock
    }

    /// Short pauses first, then half a second: about 6 s in all before giving up.
    public static let standard = RetryPolicy(
        delaysMilliseconds: [2, 5, 10, 20, 40, 80, 160, 320] + Array(repeating: 500, count: 11))
    /// One attempt only.
    public static let never = RetryPolicy(delaysMilliseconds: [])

    /// Runs `body` until it succeeds, retrying locks and (when `body` recomputes its work
    /// from the current tip) moved references.
    func run<T>(
        retryingMovedReferences: Bool,
        _ body: () throws(GitError) -> T
    ) throws(GitError) -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch {
                let retryable: Bool
                switch error {
                case .locked: retryable = true
                case .referenceMoved: retryable = retryingMovedReferences
                default: retryable = false
                }
                guard retryable, attempt < delaysMilliseconds.count else { throw error }
                clock.sleep(.milliseconds(delaysMilliseconds[attempt]))
                attempt += 1
            }
        }
    }
}
