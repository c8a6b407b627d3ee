import Foundation
import Git
import Logging
import Memory
import ServiceLifecycle

/// Keeps memory in step with the team's remote while the daemon runs (`sync = "auto"`):
/// a round on start, on the fetch interval and soon after commits; offline, commits go on
/// and rounds are retried with backoff (`SyncSchedule`).
///
/// Fetch and push talk to the network on a thread of their own, with a repository handle
/// of their own, so commits go on meanwhile; the merge into main runs inside the
/// committer, between two of its commits.
struct SyncService<C: Clock>: Service where C.Duration == Duration {
    let root: String
    let sync: TeamSync
    let committer: AutoCommitter
    let logger: Logger
    let clock: C

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var schedule = SyncSchedule(
                fetchInterval: .seconds(sync.settings.fetchSeconds),
                pushDelay: .milliseconds(sync.settings.pushDelayMilliseconds))
            let start = clock.now
            let tick = max(Duration.milliseconds(50), min(schedule.pushDelay, .seconds(1)) / 4)
            while !Task.isCancelled {
                if schedule.isDue(at: start.duration(to: clock.now), mainAhead: await mainAhead()) {
                    let succeeded = await round()
                    schedule.finished(at: start.duration(to: clock.now), succeeded: succeeded)
                    if !succeeded { logger.debug("Next sync attempt in \(schedule.backoff)") }
                }
                do { try await clock.sleep(for: tick) } catch { return }
            }
        }
    }

    /// Whether main has commits the remote's main (as last fetched or pushed) has not.
    private func mainAhead() async -> Bool {
        let sync = self.sync, root = self.root
        return await Self.offThread {
            guard let repository = try? Repository.open(at: root),
                let local = try? repository.tip(ofBranch: Repository.mainBranch)
            else { return false }
            return (try? repository.tip(ofReference: "refs/remotes/\(sync.settings.name)/main")) != local
        }
    }

    /// One round; true when it finished without error.
    func round() async -> Bool {
        let lock: ProcessLock
        switch try? ProcessLock.acquire(sync.stateDirectory + "/sync.lock") {
        case .success(let held): lock = held
        default: return false  // a `reverie sync` runs: it does this round's work
        }
        defer { withExtendedLifetime(lock) {} }
        let now = Date()
        var report = SyncReport(remote: sync.settings.name)
        var failure: SyncError?
        let sync = self.sync
        for attempt in 1...3 {
            let fetched = await network { (repository: Repository) throws(SyncError) in try sync.fetch(in: repository) }
            if case .failure(let error) = fetched {
                failure = error
                break
            }
            let before = report
            (report, failure) = await committer.exclusively { repository -> (SyncReport, SyncError?) in
                var report = before
                do throws(SyncError) {
                    try sync.integrate(in: repository, now: now, into: &report)
                    return (report, nil)
                } catch {
                    return (report, error)
                }
            }
            if let waiting = failure, case .waits = waiting {
                report.error = waiting.description  // push what can be pushed
                failure = nil
            } else if failure != nil {
                break
            }
            let integrated = report
            let pushed = await network { (repository: Repository) throws(SyncError) -> SyncReport in
                var report = integrated
                try sync.push(in: repository, into: &report)
                return report
            }
            switch pushed {
            case .success(let after): report = after
            case .failure(let error): failure = error
            }
            if case .git(.pushRejected)? = failure, attempt < 3 { continue }
            break
        }
        report = sync.finish(report, error: failure, now: now)
        log(report, failure: failure)
        return report.error == nil
    }

    private func log(_ report: SyncReport, failure: SyncError?) {
        if let failure {
            if failure.isTransient {
                logger.notice("Sync waits, commits go on locally: \(failure)")
            } else {
                logger.error("Sync failed: \(failure)")
            }
            return
        }
        if report.integration != .upToDate || !report.pushed.isEmpty {
            let moved =
                report.mainBefore != report.mainAfter
                ? ", main \(report.mainBefore ?? "none") → \(report.mainAfter ?? "none")" : ""
            let pushed = report.pushed.isEmpty ? "" : "; pushed \(report.pushed.joined(separator: ", "))"
            logger.info("Synced with \(report.remote): \(report.integration.rawValue)\(moved)\(pushed)")
        }
        if let branch = report.conflictBranch {
            logger.warning(
                """
                Both sides changed the same lines of \(report.conflictPaths.joined(separator: ", ")): main keeps this \
                clone's, the other side's are on \(branch); `reverie sync resolve` finishes it
                """)
        }
        for dream in report.dreamsPushed {
            logger.info("Pushed \(dream.branch)\(dream.compareURL.map { "; open a pull request: \($0)" } ?? "")")
        }
        if !report.untrustedSettings.isEmpty {
            logger.warning(
                """
                The team changed settings that choose what runs or where keys go \
                (\(report.untrustedSettings.joined(separator: ", "))): this machine does not use them until someone \
                here reviews them (`reverie trust --show`), runs `reverie trust` and restarts the daemon
                """)
        } else if report.settingsChanged {
            logger.warning("The team changed .reverie/config.toml; restart the daemon to use it")
        }
        if let error = report.error { logger.notice("Sync: \(error)") }
    }

    /// Runs a network step on a thread of its own with a fresh repository handle: a
    /// fetch or push that waits on the network never holds one of the few threads the
    /// daemon's tasks share.
    private func network<T: Sendable>(
        _ step: @escaping @Sendable (Repository) throws(SyncError) -> T
    ) async -> Result<T, SyncError> {
        let root = self.root
        return await Self.offThread { () -> Result<T, SyncError> in
            let repository: Repository
            do throws(GitError) { repository = try Repository.open(at: root) } catch { return .failure(.git(error)) }
            do throws(SyncError) { return .success(try step(repository)) } catch { return .failure(error) }
        }
    }

    static func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
