import Daemon
import Foundation
import Logging
import Memory
import TestSupport
import Testing

/// Stopping, crashing and systemd: edits survive every way the daemon can end.
@Suite struct LifecycleTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func aStopSignalCommitsPendingEditsThenExitsZero(signal: Int32) async throws {
        // The longest debounce (a minute) keeps the edit pending when the signal arrives.
        // Whether inotify had read it yet makes no difference: stopping compares the folder with main.
        let repo = try await WatchedRepo(debounceMilliseconds: 60_000, maxWaitMilliseconds: 120_000)
        let before = try repo.commitCount()
        try repo.dir.write("late.md", "written just before stopping\n")
        #expect(try repo.commitCount() == before, "committed before the signal: nothing was pending")
        let result = await repo.stop(signal)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try repo.commitCount() == before + 1)
        #expect(try repo.show("late.md") == "written just before stopping\n")
        #expect(repo.notify.messages().contains("STOPPING=1"))
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    /// systemd may stop the daemon the moment it says READY=1: by then the signal must be
    /// the daemon's to handle, or it dies without its final commit.
    @Test func aStopSignalTheMomentItIsReadyStopsItCleanly() async throws {
        let dir = try Scratch("ready")
        _ = try MemoryRepo.initialize(at: dir.path)
        let notify = try NotifySocket(in: dir.url(".git"))
        let daemon = try Shell.start(
            ReverieBinary.path, ["watch", "-C", dir.path],
            environment: ["NOTIFY_SOCKET": notify.path, "HOME": ReverieBinary.emptyHome])
        // On a thread of its own, so no hop through the pool delays the signal.
        let ready = await offThePool {
            defer { daemon.signal(SIGTERM) }
            return notify.receive("READY=1")
        }
        let result = await offThePool { daemon.wait(seconds: 30) }
        #expect(ready)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(notify.messages().contains("STOPPING=1"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func anIdleDaemonStopsCleanly(signal: Int32) async throws {
        let repo = try await WatchedRepo()
        let result = await repo.stop(signal)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("Error"), "\(result.stderr)")
    }

    @Test func sigkillDuringABurstLosesNothingAfterARestart() async throws {
        // The longest debounce (a minute): the burst is not committed before the kill.
        let repo = try await WatchedRepo(debounceMilliseconds: 60_000, maxWaitMilliseconds: 120_000)
        let script = "for i in $(seq 1 200); do echo \"edit $i\" > burst-$i.md; done"
        let writer = try Shell.start("sh", ["-c", script], in: repo.dir.path)
        // Killed once the burst has begun, while it is still written or waits to be committed.
        #expect(await offThePool { Wait.until(every: 0.001) { repo.dir.exists("burst-1.md") } })
        await repo.stop(SIGKILL)
        #expect(
            try repo.trackedFiles().filter { $0.hasPrefix("burst-") }.isEmpty, "the burst was committed before the kill"
        )
        _ = await offThePool { writer.wait(seconds: 60) }
        #expect(repo.dir.exists(".git/reverie/watch.lock"), "the lock file stays; its flock went with the process")
        try await repo.start()  // a stale lock would make this fail
        #expect(try await Wait.until { try repo.trackedFiles().filter { $0.hasPrefix("burst-") }.count == 200 })
        #expect(try repo.show("burst-200.md") == "edit 200\n")
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.dir.fsck() == "")
    }

    @Test func tellsSystemdReadyStatusAndWatchdog() async throws {
        let repo = try await WatchedRepo(environment: ["WATCHDOG_USEC": "200000"])
        #expect(repo.notify.messages().contains("READY=1"))
        #expect(repo.notify.messages().contains { $0.hasPrefix("STATUS=Watching \(repo.dir.path)") })
        #expect(await repo.notify.wait(for: "WATCHDOG=1"))
        try repo.dir.write("a.md", "a\n")
        #expect(await repo.notify.wait(for: "STATUS=Watching \(repo.dir.path); last commit"))
        try repo.dir.git("checkout", "-q", "-b", "elsewhere")
        #expect(await repo.notify.wait(for: "STATUS=Paused: HEAD is on elsewhere, not main"))
        await repo.stop()
        #expect(repo.notify.messages().last == "STOPPING=1" || repo.notify.messages().contains("STOPPING=1"))
    }

    @Test func anOverflowAsksForAFullRescan() async throws {
        let dir = try Scratch()
        try Shell.check("git", ["init", "-q", "-b", "main"], in: dir.path)
        let watcher = try InotifyWatcher(
            root: dir.path, gitDirectory: dir.path + "/.git", debounce: .milliseconds(10),
            maxWait: .milliseconds(100), logger: Logger(label: "test"))
        watcher.start()
        defer { watcher.stop() }
        watcher.simulateOverflow()
        var iterator = watcher.bursts.makeAsyncIterator()
        let burst = await iterator.next()
        #expect(burst?.needsRescan == true)
        try dir.write("a.md", "x")
        var seen = await iterator.next()
        while let current = seen, !current.paths.contains("a.md") { seen = await iterator.next() }
        #expect(seen?.paths.contains("a.md") == true)
    }
}
