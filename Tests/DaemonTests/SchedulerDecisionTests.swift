@testable import Daemon
import Dreaming
import Foundation
import Memory
import Testing
import TestSupport

/// When a due dream runs, decided in process: no time has to pass for these.
@Suite struct SchedulerDecisionTests {
    static func memory(minNewSessions: Int) throws -> (Scratch, MemoryRepo) {
        let dir = try Scratch("scheduler")
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        try dir.write(".reverie/config.toml", """
            [dream]
            schedule = "every 1s"
            min_new_sessions = \(minNewSessions)
            quiet_minutes = 0
            merge = "auto"
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "reverie", path = "\(ReverieBinary.projectRoot)/examples/sessions" }]
            """)
        try dir.git("commit", "-qam", "Dream on schedule")
        try SettingsTrust(memory: memory).accept(try memory.config())
        return (dir, memory)
    }

    static func scheduler(_ dir: Scratch, _ memory: MemoryRepo, log: LogRecorder) throws -> DreamScheduler {
        let (bursts, _) = AsyncStream.makeStream(of: Burst.self)
        let committer = try AutoCommitter(root: dir.path, bursts: bursts, logger: log.logger,
                                          notifier: SystemdNotifier(environment: [:]))
        return DreamScheduler(root: dir.path, config: try memory.config(), consolidator: BuiltinStandIn(),
                              committer: committer, logger: log.logger)
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
            _ = try Shell.check("sh", ["-c", "echo '# From the store' > store.md && git add store.md && git commit -qm Pulled"],
                                in: folder)
            return "pulled 1 new version"
        }
        #expect(await scheduler.dreamIfReady(), "\(log.all)")
        #expect(log.messages(at: .info).contains("Before the dream: pulled 1 new version"), "\(log.all)")
        let dream = try dir.git("for-each-ref", "--format=%(refname)", "refs/heads/dreams").trimmingCharacters(in: .newlines)
        #expect(try dir.git("show", "\(dream):store.md") == "# From the store\n", "the dream was made over the pulled memory")
    }

    @Test func aFailureBeforeTheDreamIsLoggedAndTheDreamGoesOn() async throws {
        let (dir, memory) = try Self.memory(minNewSessions: 1)
        let log = LogRecorder()
        var scheduler = try Self.scheduler(dir, memory, log: log)
        scheduler.beforeDream = { _, _ in throw StoreDown() }
        #expect(await scheduler.dreamIfReady(), "\(log.all)")
        #expect(log.messages(at: .warning).contains { $0.hasPrefix("The dream goes on over what is here") }, "\(log.all)")
        #expect(try dir.git("for-each-ref", "refs/heads/dreams") != "")
    }
}

private struct StoreDown: Error {}

/// Proposes nothing: the scheduler's decisions are under test, not what a dream holds.
private struct BuiltinStandIn: Consolidator {
    var name: String { "test/nothing" }
    func plan(_ input: DreamInput) async throws -> DreamPlan { DreamPlan(changes: []) }
}
