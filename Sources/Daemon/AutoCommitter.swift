import Foundation
import Git
import Logging
import Memory
import ServiceLifecycle

/// Commits every burst of edits to `main`, and stands aside while a person uses git.
///
/// Bursts are hints; what is committed is the working tree as it is. While HEAD is not on
/// `main`, a git operation is under way, or another process holds the index lock, paths
/// are held back; when git's state changes the daemon looks again, and once it may commit
/// it compares the whole folder with `main`, so nothing done meanwhile is missed.
public actor AutoCommitter: Service {
    private let repository: Repository
    private let bursts: AsyncStream<Burst>
    private let logger: Logger
    private let notifier: SystemdNotifier
    private var held: Set<String> = []
    /// Files the watcher saw created and not yet closed: a rescan leaves them to it.
    private var unsettled: Set<String> = []
    private var needsRescan = false
    /// Why commits wait now, if they do.
    public private(set) var pausedReason: String?
    /// The last commit made, for status lines.
    public private(set) var lastCommit: String?
    /// When an edit was last seen: a scheduled dream waits for memory to be quiet.
    public private(set) var lastActivity = Date()

    public init(root: String, bursts: AsyncStream<Burst>, logger: Logger, notifier: SystemdNotifier) throws(DaemonError) {
        do {
            repository = try Repository.open(at: root)
        } catch {
            throw .watch(path: root, message: error.description)
        }
        self.bursts = bursts
        self.logger = logger
        self.notifier = notifier
    }

    public func run() async throws {
        // The stream ends when the watcher stops, on graceful shutdown (SIGTERM, SIGINT).
        for await burst in bursts {
            process(burst)
        }
        // What the watcher had not delivered yet is still on disk: compare everything with
        // main once more, files it still thought open included.
        notifier.notify("STOPPING=1")
        needsRescan = true
        unsettled = []
        if pauseReason() == nil { commitPending() }
        logger.info("Stopped watching \(repository.workingDirectory)")
        // The group shuts services down one at a time, last first; returning before our
        // turn would count as a failure, so wait for it.
        try? await gracefulShutdown()
    }

    /// Commits whatever differs from `main` (at start, after a crash or power loss).
    public func reconcile() {
        needsRescan = true
        if let reason = pauseReason() {
            pause(reason)
        } else {
            commitPending()
        }
    }

    /// Returns at once unless a commit is under way: the watchdog's proof of life.
    public func heartbeat() {}

    /// One line for `STATUS=` and logs.
    public var statusLine: String {
        if let pausedReason { return "Paused: \(pausedReason)" }
        return "Watching \(repository.workingDirectory)" + (lastCommit.map { "; last commit \($0)" } ?? "")
    }

    /// Commits what is pending now, unless git is busy (a dream is about to start).
    public func flush() {
        needsRescan = true
        unsettled = []
        if pauseReason() == nil { commitPending() }
    }

    func process(_ burst: Burst) {
        if !burst.paths.isEmpty { lastActivity = Date() }
        held.formUnion(burst.paths)
        unsettled = burst.unsettled
        if burst.needsRescan { needsRescan = true }
        if let reason = pauseReason() { return pause(reason) }
        if let was = pausedReason {
            logger.info("Resuming: no longer \(was); looking for edits made meanwhile")
            pausedReason = nil
            needsRescan = true
        }
        // Our own commits rewrite .git/index, which comes back as a git state change:
        // with nothing held and nothing to rescan there is nothing to do.
        guard !held.isEmpty || needsRescan else { return }
        commitPending()
        notifier.notify("STATUS=\(statusLine)")
    }

    private func pause(_ reason: String) {
        needsRescan = true
        guard pausedReason != reason else { return }
        pausedReason = reason
        logger.notice("Paused: \(reason)")
        notifier.notify("STATUS=Paused: \(reason)")
    }

    private func pauseReason() -> String? {
        guard let head = try? repository.head() else { return "HEAD cannot be read" }
        if head.branchName != Repository.mainBranch { return "HEAD is on \(head.description), not main" }
        if let operation = repository.operationInProgress() { return "a git \(operation) is in progress" }
        if repository.isIndexLocked { return "another git process holds .git/index.lock" }
        // The files a dream merge or rollback is writing are not a person's edits.
        if repository.isMovingMain { return "Reverie is moving main (a dream merge or rollback)" }
        return nil
    }

    private func commitPending() {
        var paths = held
        do {
            if needsRescan { paths.formUnion(try repository.pendingPaths().lazy.filter { !self.unsettled.contains($0) }) }
        } catch {
            logger.error("Cannot compare the folder with main: \(error)")
            return
        }
        // Paths git cannot hold (a nested repository's .git, say) would fail the whole commit.
        let committable = paths.filter { path in (try? TreePath.validate(path)) != nil }
        for path in paths.subtracting(committable) { logger.debug("Not committing \(path): not a path git can hold") }
        guard !committable.isEmpty else {
            held = []
            needsRescan = false
            return
        }
        do {
            var subject = ""
            let commit = try repository.commitWorkingTree(paths: committable.sorted()) { changes in
                let message = CommitMessage.forEdits(changes)
                subject = String(message.prefix { $0 != "\n" })
                return message
            }
            if let id = commit {
                lastCommit = "\(id.short) \(subject)"
                logger.info("Committed \(id.short): \(subject)")
            }
            held = []
            needsRescan = false
        } catch {
            // Held back, not dropped: the next burst or git state change tries again.
            switch error {
            case .locked, .headNotMain, .operationInProgress, .referenceMoved:
                logger.notice("Commit waits: \(error)")
            default:
                logger.error("Commit failed, will retry on the next change: \(error)")
            }
            held = committable
            needsRescan = true
        }
    }
}
