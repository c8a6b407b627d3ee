import Foundation

/// The file Claude Code holds in its auto memory folder while it consolidates that memory
/// in the background. While it is held Reverie commits nothing and moves nothing in the
/// folder, so a half-rewritten memory is never committed nor merged into.
///
/// Claude Code never deletes the file: its mtime records the last consolidation and its
/// body the PID of the Claude Code that made it. As for Claude Code itself, the lock holds
/// only while it is younger than an hour and that process still runs; and since the file
/// cannot tell a consolidation under way from one finished a minute ago, Reverie takes it
/// as over once the folder has been quiet for `quietAfter`.
public enum ConsolidationLock {
    /// The lock's name, at the top of the memory folder.
    public static let name = ".consolidate-lock"

    /// A lock untouched this long was left by a Claude Code that stopped midway: waiting on
    /// it would stop every commit until Claude Code consolidates again.
    public static let abandonedAfter: TimeInterval = 3600

    /// A consolidation writes memory every few model turns; this long without a change in
    /// the folder (or to the lock) means it is done.
    public static let quietAfter: TimeInterval = 120

    /// What holds the folder, as a person reads it in logs and errors; nil when nothing
    /// does (no lock, one abandoned before `now`, or one whose process has exited).
    public static func holder(root: String, now: Date = Date()) -> String? {
        guard let modified = modification(root: root), now.timeIntervalSince(modified) < abandonedAfter,
            finished(root: root) != stamp(modified),
            let pid = holderPID(root: root), isRunning(pid)
        else { return nil }
        // Seen quiet once, that consolidation is over: a person's edit later must not look like it.
        guard now.timeIntervalSince(max(modified, latestChange(in: root) ?? modified)) < quietAfter else {
            markFinished(root: root)
            return nil
        }
        return "Claude Code is consolidating this memory (\(name) is present, held by pid \(pid))"
    }

    /// Records that the consolidation which last touched the lock is over and committed: the
    /// lock stays, but until Claude Code touches it again a person's edits are their own.
    public static func markFinished(root: String) {
        guard let modified = modification(root: root) else { return }
        let folder = root + "/.git/reverie"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? Data(stamp(modified).utf8).write(
            to: URL(fileURLWithPath: folder + "/consolidation-finished"), options: .atomic)
    }

    private static func finished(root: String) -> String? {
        (try? String(contentsOfFile: root + "/.git/reverie/consolidation-finished", encoding: .utf8))
    }

    private static func stamp(_ date: Date) -> String { String(date.timeIntervalSince1970) }

    /// The newest modification of anything in the folder, `.git` aside (an auto memory
    /// folder holds tens of files; the walk stops after a few thousand).
    static func latestChange(in root: String) -> Date? {
        guard
            let walker = FileManager.default.enumerator(
                at: URL(fileURLWithPath: root), includingPropertiesForKeys: [.contentModificationDateKey], options: [])
        else { return nil }
        var latest: Date?
        var seen = 0
        for case let url as URL in walker {
            seen += 1
            if seen > 5_000 { break }
            if url.lastPathComponent == ".git" {
                walker.skipDescendants()
                continue
            }
            if let date = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate,
                date > (latest ?? .distantPast)
            {
                latest = date
            }
        }
        return latest
    }

    private static func modification(root: String) -> Date? {
        var info = stat()
        // lstat: a link named like the lock is never followed.
        guard lstat(root + "/" + name, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
    }

    /// The PID in the lock's body; nil when it is not a regular file holding one (Claude Code
    /// then takes the lock over, so nothing is consolidating under it).
    private static func holderPID(root: String) -> pid_t? {
        // O_NOFOLLOW and O_NONBLOCK: a link is not followed, a FIFO does not block the read.
        let descriptor = open(root + "/" + name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = read(descriptor, &bytes, bytes.count)
        guard count > 0 else { return nil }
        let text = String(decoding: bytes.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text), pid > 1 else { return nil }
        return pid
    }

    /// Whether a process with this PID exists (one of another user's counts).
    private static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
