import Foundation
import Logging
import TestSupport
import Testing

/// Huge and long bursts: a real inotify queue overflow is logged and rescanned, commits come
/// in bounded batches, and nothing is lost or committed half-written. One at a time: the
/// daemon runs inside the test process, and thousands of files at once are enough load.
@Suite(.serialized) struct BurstTests {
    /// 20,000 files make 40,000 events (CREATE, CLOSE_WRITE), more than the kernel queues
    /// (16,384 by default). They are written while the watcher thread is not reading yet,
    /// as if it were descheduled, so the queue overflows every time.
    @Test func aRealQueueOverflowIsLoggedOnceAndEveryFileIsCommitted() async throws {
        let folders = (0..<20).map { "t\($0)" }
        let daemon = try InProcessDaemon(folders: folders)
        try await daemon.start {
            try daemon.writeFiles(20_000, in: folders)
            // Made once the queue is full: its event is lost, so only the rescan that follows
            // finds its file, and only watching the tree again sees later edits in it.
            try daemon.dir.write("late/early.md", "written while events were lost\n")
        }
        #expect(
            try await daemon.waitForTracked(20_002), "main holds \((try? daemon.trackedCount()) ?? -1) of 20,002 files")
        let overflows = daemon.log.messages(at: .warning).filter { $0.contains("overflow") }
        #expect(overflows.count == 1, "\(overflows)")
        #expect(
            overflows.first.map { $0.contains("events were lost") && $0.contains("full rescan") } == true,
            "the warning says what an overflow means and what follows: \(overflows)")
        try daemon.dir.write("late/after.md", "written after the rescan\n")
        #expect(try await daemon.waitForTracked(20_003), "an edit in a folder made while events were lost")
        await daemon.stop()
        #expect(try daemon.dir.git("status", "--porcelain") == "")
        #expect(try daemon.dir.git("ls-files").split(separator: "\n").count == 20_003)
        #expect(try daemon.dir.fsck() == "")
    }

    @Test func aBurstLargerThanABatchIsCommittedInBoundedBatches() async throws {
        let folders = (0..<4).map { "b\($0)" }
        let daemon = try InProcessDaemon(folders: folders, batchLimit: 500)
        await daemon.start()
        try daemon.writeFiles(2_000, in: folders)
        #expect(try await daemon.waitForTracked(2_001))
        await daemon.stop()
        let sizes = try daemon.filesPerCommit()
        #expect(sizes.count >= 4, "2,000 files in batches of 500: \(sizes)")
        #expect(sizes.allSatisfy { $0 <= 500 }, "\(sizes)")
        #expect(sizes.reduce(0, +) == 2_000)
        #expect(try daemon.dir.git("status", "--porcelain") == "")
        #expect(try daemon.dir.git("ls-files").split(separator: "\n").count == 2_001)
    }

    /// A burst that goes on past `maxWait` is committed in parts; a file created in it and
    /// still being written is left out of them until it is closed.
    @Test func aFileStillBeingWrittenStaysOutOfTheCommitsOfALongBurst() async throws {
        let daemon = try InProcessDaemon(debounceMilliseconds: 1_500, maxWaitMilliseconds: 1_500)
        await daemon.start()
        // A save every 50 ms keeps the burst going: only maxWait delivers its parts.
        let ticker = Task.detached {
            var tick = 0
            while !Task.isCancelled {
                tick += 1
                try daemon.dir.write("ticker.md", "tick \(tick)\n")
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { ticker.cancel() }
        // Created in place, as a program writing a new file does (FileManager would write a
        // temp file and rename it, a complete file).
        let descriptor = open(daemon.dir.url("slow.md"), O_WRONLY | O_CREAT | O_EXCL, 0o644)
        #expect(descriptor >= 0)
        let slow = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try slow.write(contentsOf: Data("part one\n".utf8))
        try daemon.dir.write("quick.md", "done\n")
        #expect(try await Wait.until { try daemon.dir.git("ls-tree", "--name-only", "main").contains("quick.md") })
        #expect(try daemon.dir.gitResult("show", "main:slow.md").status != 0, "half a file was committed")
        try slow.write(contentsOf: Data("part two\n".utf8))
        try slow.close()
        #expect(
            try await Wait.until { try daemon.dir.gitResult("show", "main:slow.md").stdout == "part one\npart two\n" })
        ticker.cancel()
        _ = await ticker.result
        await daemon.stop()
        #expect(try daemon.dir.git("log", "--format=%h", "main", "--", "slow.md").split(separator: "\n").count == 1)
        #expect(try daemon.dir.git("status", "--porcelain") == "")
    }

    /// Overflows one after another are one episode: one warning, until events go quiet.
    @Test func overflowsAreLoggedOncePerEpisode() async throws {
        let daemon = try InProcessDaemon(debounceMilliseconds: 2_000, maxWaitMilliseconds: 2_000)
        await daemon.start()
        func warnings() -> Int { daemon.log.messages(at: .warning).filter { $0.contains("overflow") }.count }
        daemon.watcher.simulateOverflow()
        #expect(await Wait.until { warnings() == 1 })
        daemon.watcher.simulateOverflow()
        #expect(
            await Wait.until {
                daemon.log.messages(at: .info).contains { $0.contains("caught up: 2 queue overflow(s)") }
            },
            "\(daemon.log.all.map(\.message))")
        #expect(warnings() == 1)
        daemon.watcher.simulateOverflow()
        #expect(await Wait.until { warnings() == 2 })
        await daemon.stop()
    }
}
