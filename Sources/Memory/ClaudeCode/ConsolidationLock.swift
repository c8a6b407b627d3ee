import Foundation

/// The file Claude Code holds in its auto memory folder while it consolidates that memory
/// in the background. While it is there Reverie commits nothing and moves nothing in the
/// folder, so a half-rewritten memory is never committed nor merged into.
public enum ConsolidationLock {
    /// The lock's name, at the top of the memory folder.
    public static let name = ".consolidate-lock"

    /// A lock untouched this long was left by a Claude Code that stopped midway: waiting on
    /// it would stop every commit until Claude Code consolidates again.
    public static let abandonedAfter: TimeInterval = 3600

    /// What holds the folder, as a person reads it in logs and errors; nil when nothing
    /// does (no lock, or one abandoned before `now`).
    public static func holder(root: String, now: Date = Date()) -> String? {
        guard let modified = modification(root: root) else { return nil }
        guard now.timeIntervalSince(modified) < abandonedAfter else { return nil }
        return "Claude Code is consolidating this memory (\(name) is present)"
    }

    /// Whether a lock is there but old enough to be ignored, for a log line that says so.
    public static func isAbandoned(root: String, now: Date = Date()) -> Bool {
        guard let modified = modification(root: root) else { return false }
        return now.timeIntervalSince(modified) >= abandonedAfter
    }

    private static func modification(root: String) -> Date? {
        var info = stat()
        // lstat: a link named like the lock is still a lock, and is never followed.
        guard lstat(root + "/" + name, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
    }
}
