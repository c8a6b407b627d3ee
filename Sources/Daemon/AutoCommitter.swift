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
///
/// A huge burst (or the rescan after an inotify overflow) is committed in batches of at
/// most `batchLimit` paths, one commit each, so the first commit comes after one batch's
/// work rather than the whole burst's, and the watchdog is answered between batches.
///
/// It runs on a thread of its own, and waits for another process's lock by sleeping on its
/// clock, not in libgit2's call: the watchdog's heartbeat is answered while it waits.
public actor AutoCommitter: Service {
    /// From `scripts/bench burst` (2 cores, 100,000 new files): in batches of 5,000 the first
    /// commit took 0.5 s and none over 0.9 s (well under `max_wait_ms`), 13.7 s in all, against
    /// 8.8 s for one commit of everything. Each commit rewrites the whole index: batches of
    /// 1,000 took 28 s in all; 10,000 saved 1 s in all but made the first wait 1.2 s.
    public static let defaultBatchLimit = 5_000

    private let repository: Repository
    private let bursts: AsyncStream<Burst>
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let batchLimit: Int
    private let clock: any Clock<Duration>
    /// How long to wait before trying again when another process holds a lock.
    private let retryPolicy: RetryPolicy
    /// Consecutive commits that found a lock or a moving main; the next wait grows with it.
    private var retryAttempt = 0
    private var retryTask: Task<Void, Never>?
    private let thread = DedicatedThread(name: "reverie-commit")
    private var held = HeldPaths()
    /// Files the watcher saw created and not yet closed: a rescan leaves them to it.
    private var unsettled: Set<String> = []
    private var needsRescan = false
    /// Files not committed for their non-UTF-8 names that the log named already: once each.
    private var namedNotUTF8: Set<String> = []
    /// Claude Code held its consolidation lock: what is committed next is its consolidation,
    /// said so in one commit.
    private var afterConsolidation = false
    /// Looks again once Claude Code's lock may have stopped holding: no file event says so.
    private var lockRecheck: Task<Void, Never>?
    /// Wall-clock time, for the lock's age and the folder's quiet (file times are wall-clock),
    /// and for when an edit was last seen (a scheduled dream compares it with its own time).
    private let now: @Sendable () -> Date
    /// Why commits wait now, if they do.
    public private(set) var pausedReason: String?
    /// The last commit made, for status lines.
    public private(set) var lastCommit: String?
    /// When an edit was last seen: a scheduled dream waits for memory to be quiet.
    public private(set) var lastActivity: Date

    /// `clock` times the waits for other processes' locks, `retryPolicy` says how long each is;
    /// `now` tells the wall-clock time.
    public init(
        root: String, bursts: AsyncStream<Burst>, logger: Logger, notifier: SystemdNotifier,
        batchLimit: Int = AutoCommitter.defaultBatchLimit, clock: any Clock<Duration> = ContinuousClock(),
        retryPolicy: RetryPolicy = .standard, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(DaemonError) {
        do {
            repository = try Repository.open(at: root)
        } catch {
            throw .watch(path: root, message: error.description)
        }
        // A lock makes a commit fail at once; the wait is `scheduleRetry`'s, off this thread.
        repository.retryPolicy = .never
        self.bursts = bursts
        self.logger = logger
        self.notifier = notifier
        self.batchLimit = max(1, batchLimit)
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.now = now
        lastActivity = now()
    }

    deinit {
        thread.stop()
    }

    /// The committer's thread: its blocking git work never holds a thread of the shared pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    /// Commits each burst the watcher hands over until the daemon stops.
    public func run() async throws {
        // The stream ends when the watcher stops, on graceful shutdown (SIGTERM, SIGINT).
        for await burst in bursts {
            await process(burst)
        }
        // What the watcher had not delivered yet is still on disk: compare everything with
        // main once more, files it still thought open included.
        notifier.notify("STOPPING=1")
        retryTask?.cancel()
        lockRecheck?.cancel()
        needsRescan = true
        unsettled = []
        if pauseReason() == nil { await commitPending() }
        logger.info("Stopped watching \(repository.workingDirectory)")
        // The group shuts services down one at a time, last first; returning before our
        // turn would count as a failure, so wait for it.
        try? await gracefulShutdown()
    }

    /// Commits whatever differs from `main` (at start, after a crash or power loss).
    public func reconcile() async {
        needsRescan = true
        if let reason = pauseReason() {
            pause(reason)
        } else {
            await commitPending()
        }
    }

    /// Returns at once unless a commit is under way (between the batches of a long burst
    /// it gets its turn): the watchdog's proof of life.
    public func heartbeat() {}

    /// One line for `STATUS=` and logs.
    public var statusLine: String {
        if let pausedReason { return "Paused: \(pausedReason)" }
        return "Watching \(repository.workingDirectory)" + (lastCommit.map { "; last commit \($0)" } ?? "")
    }

    /// Commits what is pending now, unless git is busy (a dream is about to start).
    public func flush() async {
        needsRescan = true
        unsettled = []
        if pauseReason() == nil { await commitPending() }
    }

    /// Runs `body` on this committer's repository after committing what is pending, with
    /// no commit of edits in between: how the daemon's sync moves main.
    public func exclusively<T: Sendable>(_ body: @Sendable (Repository) -> T) async -> T {
        await flush()
        return body(repository)
    }

    func process(_ burst: Burst) async {
        // Every burst handled is told, paused or not: the status is current, and whoever
        // watches the daemon (its tests too) knows it has looked.
        defer { notifier.notify("STATUS=\(statusLine)") }
        if !burst.paths.isEmpty { lastActivity = now() }
        held.insert(contentsOf: burst.paths)
        unsettled = burst.unsettled
        if burst.consolidationLockChanged { afterConsolidation = true }
        if burst.needsRescan { needsRescan = true }
        if let reason = pauseReason() { return pause(reason) }
        resume()
        // Our own commits rewrite .git/index, which comes back as a git state change:
        // with nothing held and nothing to rescan there is nothing to do.
        guard !held.isEmpty || needsRescan else { return }
        await commitPending()
    }

    private func resume() {
        guard let was = pausedReason else { return }
        logger.info("Resuming: no longer \(was); looking for edits made meanwhile")
        pausedReason = nil
        needsRescan = true
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
        if let holder = ConsolidationLock.holder(root: repository.workingDirectory, now: now()) {
            afterConsolidation = true
            scheduleLockRecheck()
            return holder
        }
        return nil
    }

    /// While Claude Code's lock holds, looks again every `quietAfter`: the lock stops holding
    /// when the folder goes quiet or its process exits, and neither makes a file event.
    private func scheduleLockRecheck() {
        guard lockRecheck == nil else { return }
        let clock = self.clock
        lockRecheck = Task {
            do { try await clock.sleep(for: .seconds(ConsolidationLock.quietAfter)) } catch { return }
            lockRecheck = nil
            if let reason = pauseReason() { return pause(reason) }
            resume()
            await commitPending()
            notifier.notify("STATUS=\(statusLine)")
        }
    }

    /// Commits what is held (and, after lost events, whatever differs from main), one batch
    /// of at most `batchLimit` paths at a time. What cannot be committed now stays held.
    private func commitPending() async {
        if needsRescan {
            do {
                let pending = try repository.pending()
                held.insert(contentsOf: pending.paths.lazy.filter { !self.unsettled.contains($0) })
                for name in pending.notUTF8 where namedNotUTF8.insert(name).inserted {
                    logger.warning("\(PendingPaths.notCommittedReason(name))")
                }
            } catch {
                logger.error("Cannot compare the folder with main: \(error)")
                return
            }
            needsRescan = false
        }
        while let batch = held.nextBatch(limit: batchLimit) {
            guard commit(batch) else { return }
            guard !held.isEmpty else { break }
            // Between batches: the watchdog's heartbeat (or a dream's flush) gets its turn, and
            // a git operation a person started meanwhile is stood aside for.
            await Task.yield()
            if let reason = pauseReason() { return pause(reason) }
        }
        if afterConsolidation { ConsolidationLock.markFinished(root: repository.workingDirectory) }
        afterConsolidation = false
    }

    /// Tries the held paths again after the policy's next delay, while other calls (the
    /// heartbeat, bursts) go on; once the policy is spent, the next change tries again.
    private func scheduleRetry() {
        guard retryTask == nil else { return }
        guard retryAttempt < retryPolicy.delaysMilliseconds.count else {
            logger.notice("Commit still waits for another git process; trying again on the next change")
            retryAttempt = 0
            return
        }
        let delay = Duration.milliseconds(retryPolicy.delaysMilliseconds[retryAttempt])
        retryAttempt += 1
        let clock = self.clock
        retryTask = Task {
            do { try await clock.sleep(for: delay) } catch { return }
            retryTask = nil
            if let reason = pauseReason() { return pause(reason) }
            await commitPending()
        }
    }

    /// Commits one batch; false when it has to wait (its paths are held again).
    private func commit(_ paths: [String]) -> Bool {
        // Paths git cannot hold (a nested repository's .git, say) would fail the whole commit.
        let committable = paths.filter { path in (try? TreePath.validate(path)) != nil }
        if committable.count != paths.count {
            for path in Set(paths).subtracting(committable) {
                logger.debug("Not committing \(path): not a path git can hold")
            }
        }
        guard !committable.isEmpty else { return true }
        do {
            var subject = ""
            let consolidation = afterConsolidation
            let commit = try repository.commitWorkingTree(paths: committable) { changes in
                let message = consolidation ? CommitMessage.forConsolidation(changes) : CommitMessage.forEdits(changes)
                subject = String(message.prefix { $0 != "\n" })
                return message
            }
            retryAttempt = 0
            if let id = commit {
                lastCommit = "\(id.short) \(subject)"
                let rest = held.isEmpty ? "" : " (\(held.count) more paths to commit)"
                logger.info("Committed \(id.short): \(subject)\(rest)")
            }
            return true
        } catch {
            // Held back, not dropped: the next burst or git state change tries again.
            switch error {
            case .locked, .referenceMoved:
                if retryAttempt == 0 { logger.notice("Commit waits: \(error)") }
                scheduleRetry()
            case .headNotMain, .operationInProgress:
                logger.notice("Commit waits: \(error)")
            default:
                logger.error("Commit failed, will retry on the next change: \(error)")
            }
            held.insert(contentsOf: committable)
            needsRescan = true
            return false
        }
    }
}
