import Foundation
import Git
import Memory
import TestSupport
import Testing

@testable import Daemon

/// Claude Code leaves its `.consolidate-lock` behind after consolidating: the committer must
/// not wait on it for the hour it stays young, nor need a file event to go on.
@Suite struct ConsolidationPauseTests {
    /// Wall-clock time that moves only by hand, from the moment it is made: file times are
    /// wall-clock, and a slow machine must not make the folder look quiet.
    final class WallTime: @unchecked Sendable {
        private let lock = NSLock()
        private let start = Date()
        private var offset: TimeInterval = 0
        var now: Date { lock.withLock { start.addingTimeInterval(offset) } }
        func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
    }

    /// Dates every file of the folder (the lock too) at `date`: how long the machine took to
    /// write them must not count as time the folder was quiet or busy.
    static func stamp(_ dir: Scratch, at date: Date) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name != ".git" {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: dir.url(name))
        }
    }

    @Test func aLockLeftBehindStopsHoldingOnceTheFolderIsQuietAndTheConsolidationIsOneCommit() async throws {
        let dir = try Scratch("consolidation")
        try dir.git("init", "-q", "-b", "main")
        try dir.write(".gitignore", ".consolidate-lock\n")
        try dir.write("notes.md", "# Notes\n")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Test setup")
        let wall = WallTime(), rechecks = ManualClock(), log = LogRecorder()
        let (bursts, _) = AsyncStream.makeStream(of: Burst.self)
        let committer = try AutoCommitter(
            root: dir.path, bursts: bursts, logger: log.logger,
            notifier: SystemdNotifier(environment: [:]), clock: rechecks, now: { wall.now })

        // Claude Code takes the lock (its pid: a process that runs) and rewrites memory.
        try dir.write(".consolidate-lock", "\(getpid())")
        try dir.write("notes.md", "# Notes\n\n- consolidated\n")
        try dir.write("topic.md", "# Topic\n")
        try Self.stamp(dir, at: wall.now)
        await committer.process(Burst(paths: ["notes.md", "topic.md"], consolidationLockChanged: true))
        #expect(await committer.pausedReason?.hasPrefix("Claude Code is consolidating") == true)

        // Still writing (the folder changed 60 s ago): the look after `quietAfter` finds it held.
        wall.advance(60)
        #expect(await Wait.until { rechecks.sleeping == 1 })
        rechecks.advance(by: .seconds(ConsolidationLock.quietAfter))
        #expect(await Wait.until { rechecks.sleeping == 1 })
        #expect(try dir.subjects() == ["Test setup"])

        // Quiet for longer than `quietAfter`, the lock still there: the next look commits, with no event.
        wall.advance(120)
        rechecks.advance(by: .seconds(ConsolidationLock.quietAfter))
        #expect(await Wait.until { (try? dir.subjects().count) == 2 })
        let message = try dir.git("log", "-1", "--format=%B", "main")
        #expect(
            message.hasPrefix("Claude Code consolidated memory")
                && message.contains("Reverie-Consolidation: claude-code"))
        #expect(try dir.git("diff", "--name-only", "HEAD~1", "main") == "notes.md\ntopic.md\n")
        #expect(await committer.pausedReason == nil)

        // What a person writes next is their own edit again, though the lock stays and the
        // folder just changed: that consolidation is over until Claude Code touches the lock.
        try dir.write("notes.md", "# Notes\n\n- consolidated\n- mine\n")
        try FileManager.default.setAttributes([.modificationDate: wall.now], ofItemAtPath: dir.url("notes.md"))
        await committer.process(Burst(paths: ["notes.md"]))
        #expect(try dir.subjects().first == "Update notes.md")
    }
}
