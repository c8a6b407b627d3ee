import Dreaming
import Foundation
import Memory
import TestSupport
import Testing

@testable import Daemon

/// When a due dream runs, decided in process: the schedule's time is a test clock, moved by
/// hand, and the tests wait for the scheduler to be asleep on it, never for time to pass.
@Suite struct SchedulerDecisionTests {
    static let examples = "\(ReverieBinary.projectRoot)/examples/sessions"

    static func memory(
        minNewSessions: Int, schedule: String = "every 1s", quietMinutes: Int = 0,
        sessions: String = examples
    ) throws -> (Scratch, MemoryRepo) {
        let dir = try Scratch("scheduler")
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        try dir.write(
            ".reverie/config.toml",
            """
            [dream]
            schedule = "\(schedule)"
            min_new_sessions = \(minNewSessions)
            quiet_minutes = \(quietMinutes)
            merge = "auto"
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "reverie", path = "\(sessions)" }]
            """)
        try dir.git("commit", "-qam", "Dream on schedule")
        try SettingsTrust(memory: memory).accept(try memory.config())
        return (dir, memory)
    }

    /// A scheduler and its committer; with `clock`, both read their time from it.
    static func scheduler(
        _ dir: Scratch, _ memory: MemoryRepo, log: LogRecorder, clock: ManualClock? = nil,
        consolidator: any Consolidator = BuiltinStandIn()
    ) throws -> DreamScheduler {
        let (bursts, _) = AsyncStream.makeStream(of: Burst.self)
        let now: @Sendable () -> Date
        if let clock { now = { clock.date } } else { now = { Date() } }
        let committer = try AutoCommitter(
            root: dir.path, bursts: bursts, logger: log.logger,
            notifier: SystemdNotifier(environment: [:]), now: now)
        var scheduler = DreamScheduler(
            root: dir.path, config: try memory.config(), consolidator: consolidator,
            committer: committer, logger: log.logger)
        if let clock {
            scheduler.clock = clock
            scheduler.now = now
        }
        return scheduler
    }

    /// A folder of sessions holding the first `count` of the examples.
    static func sessions(_ count: Int) throws -> Scratch {
        let folder = try Scratch("sessions")
        for name in try examples(count) {
            try FileManager.default.copyItem(atPath: "\(examples)/\(name)", toPath: folder.url(name))
        }
        return folder
    }

    static func examples(_ count: Int) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: examples).filter { $0.hasSuffix(".jsonl") }
            .sorted()
        #expect(names.count >= count, "examples/sessions has \(names.count) sessions")
        return Array(names.prefix(count))
    }

    static func dreams(_ dir: Scratch) throws -> [String] {
        try dir.git("for-each-ref", "--format=%(refname:strip=3)", "refs/heads/dreams").split(separator: "\n").map(
            String.init)
    }

    /// A test clock starting a day ahead of the wall clock: files written during the test
    /// (sessions, edits) are in its past, however slowly the test runs, and a time read
    /// from anything but this clock looks long past.
    static func clock() -> ManualClock {
        ManualClock(start: Date().addingTimeInterval(86_400))
    }

    static func running(_ scheduler: DreamScheduler) -> RunningScheduler {
        RunningScheduler(scheduler)
    }

    static func stop(_ running: RunningScheduler) async {
        await running.stop()
    }

    @Test func tooFewNewSessionsMeansNoDream() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 5)
        let log = LogRecorder()
        let scheduler = try Self.scheduler(dir, memory, log: log)
        #expect(await !scheduler.dreamIfReady())
        #expect(log.messages(at: .debug).contains { $0.contains("4 new sessions of the 5 it waits for") }, "\(log.all)")
        #expect(try dir.git("for-each-ref", "refs/heads/dreams") == "")
    }

    /// Dreamt once: the sessions are read, so the next due time finds nothing new.
    @Test func aDreamConsumesItsSessionsAndTheNextDueTimeWaits() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 4)
        let log = LogRecorder()
        let scheduler = try Self.scheduler(dir, memory, log: log)
        #expect(await scheduler.dreamIfReady(), "\(log.all)")
        #expect(await !scheduler.dreamIfReady())
        #expect(log.messages(at: .debug).contains { $0.contains("0 new sessions of the 4 it waits for") }, "\(log.all)")
    }

    /// `[store] sync` runs before the dream reads memory, and its failure costs no dream.
    @Test func whatRunsBeforeADreamRunsFirstAndItsFailureDoesNotStopTheDream() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 1)
        let log = LogRecorder()
        var scheduler = try Self.scheduler(dir, memory, log: log)
        let folder = dir.path
        scheduler.beforeDream = { _, _ in
            // As a pull would: memory on main changes before the dream starts.
            _ = try Shell.check(
                "sh", ["-c", "echo '# From the store' > store.md && git add store.md && git commit -qm Pulled"],
                in: folder)
            return "pulled 1 new version"
        }
        #expect(await scheduler.dreamIfReady(), "\(log.all)")
        #expect(log.messages(at: .info).contains("Before the dream: pulled 1 new version"), "\(log.all)")
        let dream = try dir.git("for-each-ref", "--format=%(refname)", "refs/heads/dreams").trimmingCharacters(
            in: .newlines)
        #expect(
            try dir.git("show", "\(dream):store.md") == "# From the store\n",
            "the dream was made over the pulled memory")
    }

    @Test func aFailureBeforeTheDreamIsLoggedAndTheDreamGoesOn() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 1)
        let log = LogRecorder()
        var scheduler = try Self.scheduler(dir, memory, log: log)
        scheduler.beforeDream = { _, _ in throw StoreDown() }
        #expect(await scheduler.dreamIfReady(), "\(log.all)")
        #expect(
            log.messages(at: .warning).contains { $0.hasPrefix("The dream goes on over what is here") }, "\(log.all)")
        #expect(try dir.git("for-each-ref", "refs/heads/dreams") != "")
    }

    /// Nothing happens before the due time, and the dream made when the clock reaches it
    /// bears that time.
    @Test func aDreamDueLaterRunsWhenTheClockReachesIt() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 1, schedule: "daily 03:00")
        let log = LogRecorder()
        // A day ahead, as `clock()`: the sessions were written before, so they count as finished.
        func next(_ hour: Int, after date: Date) throws -> Date {
            try #require(
                Calendar.current.nextDate(
                    after: date, matching: DateComponents(hour: hour, minute: 0, second: 0),
                    matchingPolicy: .nextTime))
        }
        let twoAM = try next(2, after: Date().addingTimeInterval(86_400))
        let due = try next(3, after: twoAM)
        let clock = ManualClock(start: twoAM)
        let scheduler = try Self.scheduler(dir, memory, log: log, clock: clock)
        let running = Self.running(scheduler)

        #expect(await Wait.until { clock.sleeping == 1 }, "\(log.all)")
        #expect(clock.wakeUps == [.seconds(due.timeIntervalSince(twoAM))], "asleep until 03:00")
        clock.advance(by: .seconds(due.timeIntervalSince(twoAM) - 60))
        #expect(clock.wakeUps == [.seconds(60)], "woke before the due time")
        #expect(try Self.dreams(dir) == [])
        clock.advance(by: .seconds(60))
        #expect(try await Wait.until { try !Self.dreams(dir).isEmpty }, "\(log.all)")
        // Asleep again, until 03:00 the next day.
        #expect(await Wait.until { clock.sleeping == 1 }, "\(log.all)")
        #expect(clock.wakeUps == [.seconds(try next(3, after: due).timeIntervalSince(due))])
        #expect(try Self.dreams(dir) == [DreamID.stamp(for: due)])
        #expect(log.messages(at: .info).contains { $0.hasPrefix("Dream ") }, "\(log.all)")
        await Self.stop(running)
    }

    /// Too few sessions when due: no dream; once enough have arrived, the next try (after
    /// `retry`) makes it.
    @Test func aDueDreamWithTooFewNewSessionsIsTriedAgainAfterRetry() async throws {
        let sessions = try Self.sessions(3)
        let (dir, memory) = try Self.memory(minNewSessions: 4, schedule: "every 30s", sessions: sessions.path)
        let log = LogRecorder()
        let clock = Self.clock()
        let scheduler = try Self.scheduler(dir, memory, log: log, clock: clock)
        #expect(scheduler.retry == .seconds(30))
        let running = Self.running(scheduler)

        #expect(await Wait.until { clock.sleeping == 1 }, "\(log.all)")
        #expect(log.messages(at: .debug).contains { $0.contains("3 new sessions of the 4 it waits for") }, "\(log.all)")
        #expect(clock.wakeUps == [scheduler.retry])
        #expect(try Self.dreams(dir) == [])
        let fourth = try #require(Self.examples(4).last)
        try FileManager.default.copyItem(atPath: "\(Self.examples)/\(fourth)", toPath: sessions.url(fourth))
        clock.advance(by: scheduler.retry)
        #expect(try await Wait.until { try Self.dreams(dir).count == 1 }, "\(log.all)")
        await Self.stop(running)
    }

    /// Memory edited less than `quiet_minutes` ago: the dream waits, and every edit starts
    /// the quiet over; the edits are committed before the dream reads main.
    @Test func aDueDreamWaitsUntilMemoryHasBeenQuietLongEnough() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 1, schedule: "every 30s", quietMinutes: 1)
        let log = LogRecorder()
        let clock = Self.clock()
        let scheduler = try Self.scheduler(dir, memory, log: log, clock: clock)
        let running = Self.running(scheduler)
        func waits() -> Int {
            log.messages(at: .debug).filter { $0.contains("waiting until memory has been quiet for 1 min") }.count
        }

        #expect(await Wait.until { clock.sleeping == 1 && waits() == 1 }, "\(log.all)")
        clock.advance(by: .seconds(30))
        #expect(await Wait.until { clock.sleeping == 1 && waits() == 2 }, "\(log.all)")
        // An edit at 30 s: quiet again only at 90 s.
        try dir.write("notes.md", "# Notes\n\n- written while a dream is due\n")
        await scheduler.committer.process(Burst(paths: ["notes.md"]))
        clock.advance(by: .seconds(30))
        #expect(await Wait.until { clock.sleeping == 1 && waits() == 3 }, "\(log.all)")
        #expect(try Self.dreams(dir) == [])
        clock.advance(by: .seconds(30))
        #expect(try await Wait.until { try Self.dreams(dir).count == 1 }, "\(log.all)")
        #expect(try dir.git("show", "main:notes.md") == "# Notes\n\n- written while a dream is due\n")
        #expect(waits() == 3)
        await Self.stop(running)
    }

    /// A dream that fails is logged, leaves no branch, and the schedule goes on: the next
    /// try dreams.
    @Test func aFailedDreamIsLoggedAndTheScheduleGoesOn() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 1, schedule: "every 30s")
        let log = LogRecorder()
        let clock = Self.clock()
        let consolidator = FailsOnce()
        let scheduler = try Self.scheduler(dir, memory, log: log, clock: clock, consolidator: consolidator)
        let running = Self.running(scheduler)

        #expect(await Wait.until { clock.sleeping == 1 && consolidator.calls == 1 }, "\(log.all)")
        #expect(clock.wakeUps == [scheduler.retry])
        #expect(
            log.messages(at: .error).contains {
                $0.hasPrefix("Scheduled dream failed, will try again") && $0.contains("model unreachable")
            },
            "\(log.all)")
        #expect(try Self.dreams(dir) == [])
        #expect(try dir.git("for-each-ref", "refs/reverie") == "", "a failed dream leaves nothing behind")
        clock.advance(by: scheduler.retry)
        #expect(try await Wait.until { try Self.dreams(dir).count == 1 }, "\(log.all)")
        #expect(consolidator.calls == 2)
        await Self.stop(running)
    }
}

private struct StoreDown: Error {}

/// The scheduler's loop run as the daemon runs it, on a thread of its own: other tests'
/// blocking work on the cooperative pool would only delay it.
final class RunningScheduler: Sendable {
    private let thread = DedicatedThread(name: "test-scheduler")
    private let task: Task<Void, any Error>

    init(_ scheduler: DreamScheduler) {
        task = Task(executorPreference: thread) { try await scheduler.run() }
    }

    /// Ends the loop and waits until it has returned, so nothing runs on after the test.
    func stop() async {
        task.cancel()
        _ = try? await task.value
        thread.stop()
    }
}

/// Fails its first dream, as a model out of reach would, and proposes nothing after.
private final class FailsOnce: Consolidator, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var name: String { "test/fails-once" }
    var calls: Int { lock.withLock { count } }

    func plan(_ input: DreamInput) async throws -> DreamPlan {
        let first = lock.withLock { () -> Bool in
            count += 1
            return count == 1
        }
        if first { throw DreamError.consolidator(name: name, message: "model unreachable") }
        return DreamPlan(changes: [])
    }
}

/// Proposes nothing: the scheduler's decisions are under test, not what a dream holds.
private struct BuiltinStandIn: Consolidator {
    var name: String { "test/nothing" }
    func plan(_ input: DreamInput) async throws -> DreamPlan { DreamPlan(changes: []) }
}
