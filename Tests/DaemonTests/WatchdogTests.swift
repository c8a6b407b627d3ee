import Dreaming
import Foundation
import Git
import Memory
import TestSupport
import Testing

@testable import Daemon

/// The watchdog is the daemon's proof of life: it must keep answering while the daemon
/// waits, however long, for a lock or a dream.
@Suite struct WatchdogTests {
    /// A dream that computes for long and a commit that waits for another process's lock
    /// each hold a thread; the watchdog still pings, as the pool's threads stay free.
    @Test func theWatchdogAnswersWhileALongDreamAndALockedCommitWait() async throws {
        let dir = try Scratch("watchdog")
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        try dir.write(
            ".reverie/config.toml",
            """
            [dream]
            schedule = "every 1s"
            min_new_sessions = 1
            quiet_minutes = 0
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "reverie", path = "\(ReverieBinary.projectRoot)/examples/sessions" }]
            """)
        try dir.git("commit", "-qam", "Dream on schedule")
        try SettingsTrust(memory: memory).accept(try memory.config())
        let notify = try NotifySocket(in: dir.url(".git"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": notify.path])
        let log = LogRecorder()
        let (bursts, _) = AsyncStream.makeStream(of: Burst.self)
        let lockWaits = ManualClock()
        let committer = try AutoCommitter(
            root: dir.path, bursts: bursts, logger: log.logger, notifier: notifier,
            clock: lockWaits, retryPolicy: RetryPolicy(delaysMilliseconds: Array(repeating: 500, count: 60)))

        // Another git process holds main's lock for as long as this test wants.
        try dir.write(".git/refs/heads/main.lock", "")
        try dir.write("notes.md", "# Notes\n\n- written while git is busy\n")
        // Started on a thread of the test's own: a pool held by other tests' blocking work
        // would only delay them, and it is the daemon's use of the pool that is under test.
        let starter = DedicatedThread(name: "test-starter")
        defer { starter.stop() }
        let flushing = Task(executorPreference: starter) { await committer.flush() }
        // A dream whose consolidator blocks its thread until the test lets it go.
        let gate = Gate()
        let scheduler = DreamScheduler(
            root: dir.path, config: try memory.config(), consolidator: BlockingConsolidator(gate),
            committer: committer, logger: log.logger)
        let dreaming = Task(executorPreference: starter) { await scheduler.dreamIfReady() }
        #expect(await Wait.until { gate.isEntered }, "the dream never reached its consolidator: \(log.all)")
        #expect(await Wait.until { lockWaits.sleeping == 1 }, "the commit is not waiting for the lock")

        let ticks = ManualClock()
        let watchdog = Task {
            try await WatchdogService(interval: .seconds(15), committer: committer, notifier: notifier, clock: ticks)
                .run()
        }
        for ping in 1...3 {
            #expect(await Wait.until { ticks.sleeping == 1 })
            ticks.advance(by: .seconds(15))
            #expect(
                await Wait.until { notify.messages().filter { $0 == "WATCHDOG=1" }.count == ping },
                "ping \(ping) never came while the dream and the commit waited")
        }
        #expect(!gate.isReleased && dir.exists(".git/refs/heads/main.lock"))
        watchdog.cancel()

        // Both go on once let go: the dream ends, the edit is committed.
        try FileManager.default.removeItem(atPath: dir.url(".git/refs/heads/main.lock"))
        gate.release()
        #expect(await dreaming.value)
        await flushing.value
        #expect(await Wait.until { lockWaits.sleeping == 1 })
        lockWaits.advance(by: .milliseconds(500))
        #expect(
            await Wait.until { (try? dir.git("show", "main:notes.md")) == "# Notes\n\n- written while git is busy\n" })
    }
}

/// A consolidator that computes until it is let go: it blocks the thread it runs on.
private struct BlockingConsolidator: Consolidator {
    let gate: Gate
    var name: String { "test/blocking" }

    init(_ gate: Gate) {
        self.gate = gate
    }

    func plan(_ input: DreamInput) async throws -> DreamPlan {
        gate.enterAndWait()
        return DreamPlan(changes: [])
    }
}

/// Where a thread waits until the test releases it.
private final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var entered = false
    private var released = false

    var isEntered: Bool { condition.withLock { entered } }
    var isReleased: Bool { condition.withLock { released } }

    func enterAndWait() {
        condition.withLock {
            entered = true
            while !released { condition.wait() }
        }
    }

    func release() {
        condition.withLock {
            released = true
            condition.broadcast()
        }
    }
}
