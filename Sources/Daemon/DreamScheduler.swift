import Dreaming
import Foundation
import Logging
import Memory
import ServiceLifecycle
import Sessions

/// Dreams on the schedule of `[dream]`: when a dream is due, enough new sessions have
/// arrived (`min_new_sessions`) and nobody has edited memory for `quiet_minutes`. A dream
/// that cannot run yet, or fails (it is logged), is tried again after `retry`; the daemon
/// goes on committing edits meanwhile.
///
/// Time is read from `now` and waited for on `clock`, so tests move both by hand.
struct DreamScheduler: Service {
    let root: String
    let config: ReverieConfig
    let consolidator: any Consolidator
    /// What runs before each dream (a memory store's pull, `[store] sync`); a line for the log.
    var beforeDream: @Sendable (MemoryRepo, ReverieConfig) async throws -> String? = { _, _ in nil }
    let committer: AutoCommitter
    let logger: Logger
    /// What the waits for the due time and between tries sleep on.
    var clock: any Clock<Duration> = ContinuousClock()
    /// Wall-clock time: schedules name times of day, and dream ids and the committer's last
    /// activity are dates. It moves with `clock`.
    var now: @Sendable () -> Date = { Date() }
    /// How long to wait before looking again when a due dream had to wait or failed.
    var retry: Duration { .seconds(min(60, max(1, Self.seconds(of: config.dream.schedule)))) }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var last = lastDreamDate()
            while !Task.isCancelled {
                guard let due = config.dream.schedule.next(after: now(), last: last) else { return }
                let wait = due.timeIntervalSince(now())
                if wait > 0 {
                    do { try await clock.sleep(for: .seconds(wait)) } catch { return }
                }
                if await dreamIfReady() {
                    last = now()
                } else {
                    do { try await clock.sleep(for: retry) } catch { return }
                }
            }
        }
    }

    /// One scheduled dream, if the conditions hold; true when it ran. Its blocking work
    /// (libgit2, waits for locks, a consolidator's computing) runs on a thread of its own.
    func dreamIfReady() async -> Bool {
        let thread = DedicatedThread(name: "reverie-dream")
        defer { thread.stop() }
        return await withTaskExecutorPreference(thread) { await dreamIfReadyHere() }
    }

    private func dreamIfReadyHere() async -> Bool {
        let quiet = TimeInterval(config.dream.quietMinutes * 60)
        let idle = now().timeIntervalSince(await committer.lastActivity)
        guard idle >= quiet else {
            logger.debug("Dream due; waiting until memory has been quiet for \(config.dream.quietMinutes) min")
            return false
        }
        do {
            let memory = try MemoryRepo.open(discoveringFrom: root)
            let catalog = SessionCatalog(memory: memory, config: config)
            let fresh = try catalog.scan(consumed: try memory.sessionsRead(), now: now()).new.count
            guard fresh >= max(1, config.dream.minNewSessions) else {
                logger.debug("Dream due; \(fresh) new sessions of the \(config.dream.minNewSessions) it waits for")
                return false
            }
            await committer.flush()
            do {
                if let done = try await beforeDream(memory, config) { logger.info("Before the dream: \(done)") }
            } catch {
                logger.warning("The dream goes on over what is here; syncing before it failed: \(error)")
            }
            let engine = DreamEngine(memory: memory, config: config, catalog: catalog)
            let report = try await engine.dream(with: consolidator, now: now())
            let waits = report.waitsBecause.map { "; waits: \($0)" } ?? ""
            logger.info(
                "Dream \(report.id): \(report.changes.count) changes from \(report.sessions) sessions, \(report.outcome.rawValue)\(waits)"
            )
            return true
        } catch {
            logger.error("Scheduled dream failed, will try again when next due: \(error)")
            return false
        }
    }

    /// When the last dream was made, from git: the newest dream's id is its UTC time.
    func lastDreamDate() -> Date? {
        guard let memory = try? MemoryRepo.open(discoveringFrom: root),
            let last = try? DreamBook(memory: memory).ids().last
        else { return nil }
        return DreamID.date(of: last)
    }

    static func seconds(of schedule: DreamSchedule) -> Int {
        if case .every(let seconds) = schedule { return seconds }
        return 60
    }
}
