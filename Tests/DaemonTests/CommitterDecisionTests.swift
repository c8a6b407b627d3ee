import Foundation
import Git
import TestSupport
import Testing

@testable import Daemon

/// The committer's pause, hold and rescan decisions, in process: each burst is handed to it
/// directly and handled by the time `process` returns, so nothing waits for time to pass.
@Suite struct CommitterDecisionTests {
    let dir: Scratch
    let log = LogRecorder()
    let lockWaits = ManualClock()
    let committer: AutoCommitter

    init() throws {
        dir = try Scratch("committer")
        try dir.git("init", "-q", "-b", "main")
        try dir.write("notes.md", "# Notes\n")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Test setup")
        let (bursts, _) = AsyncStream.makeStream(of: Burst.self)
        committer = try AutoCommitter(
            root: dir.path, bursts: bursts, logger: log.logger,
            notifier: SystemdNotifier(environment: [:]), clock: lockWaits)
    }

    func main(_ path: String) throws -> String? {
        let result = try dir.gitResult("show", "main:\(path)")
        return result.status == 0 ? result.stdout : nil
    }

    @Test func anEditOnAnotherBranchIsHeldAndCommittedOnMainWhenHeadComesBack() async throws {
        try dir.git("checkout", "-q", "-b", "x")
        try dir.write("notes.md", "# Notes\n\n- typed on x\n")
        await committer.process(Burst(paths: ["notes.md"]))
        #expect(await committer.pausedReason == "HEAD is on x, not main")
        #expect(try dir.subjects() == ["Test setup"])
        try dir.git("checkout", "-q", "main")
        await committer.process(Burst(gitStateChanged: true))
        #expect(await committer.pausedReason == nil)
        #expect(try main("notes.md") == "# Notes\n\n- typed on x\n")
        #expect(try dir.git("rev-list", "--count", "x") == "1\n", "nothing committed on x")
    }

    @Test func anotherProcesssIndexLockPausesUntilItGoes() async throws {
        try dir.write(".git/index.lock", "")
        try dir.write("notes.md", "# Notes\n\n- while git is busy\n")
        await committer.process(Burst(paths: ["notes.md"]))
        #expect(await committer.pausedReason == "another git process holds .git/index.lock")
        #expect(try dir.subjects() == ["Test setup"])
        try dir.remove(".git/index.lock")
        await committer.process(Burst(gitStateChanged: true))
        #expect(try main("notes.md") == "# Notes\n\n- while git is busy\n")
        #expect(try dir.git("status", "--porcelain") == "")
    }

    /// Events were lost: the rescan finds what no burst named, and leaves files still being
    /// written to the burst that brings them complete.
    @Test func aRescanCommitsWhatNoEventNamedButNotWhatIsStillWritten() async throws {
        try dir.write("unseen.md", "made while events were lost\n")
        try dir.write("half.md", "half writ")
        await committer.process(Burst(needsRescan: true, unsettled: ["half.md"]))
        #expect(try main("unseen.md") == "made while events were lost\n")
        #expect(try main("half.md") == nil)
        try dir.write("half.md", "half written, now whole\n")
        await committer.process(Burst(paths: ["half.md"]))
        #expect(try main("half.md") == "half written, now whole\n")
    }

    /// A lock the index check cannot see (main's own) fails the commit at once; it is tried
    /// again on the committer's clock, with no further event.
    @Test func aLockedMainIsRetriedOnTheClock() async throws {
        try dir.write(".git/refs/heads/main.lock", "")
        try dir.write("notes.md", "# Notes\n\n- waits for main's lock\n")
        await committer.process(Burst(paths: ["notes.md"]))
        #expect(await Wait.until { lockWaits.sleeping == 1 })
        #expect(log.messages(at: .notice).contains { $0.hasPrefix("Commit waits:") })
        // Still locked when the first wait ends: it waits again.
        lockWaits.advance(by: .seconds(1))
        #expect(await Wait.until { lockWaits.sleeping == 1 })
        #expect(try dir.subjects() == ["Test setup"])
        try dir.remove(".git/refs/heads/main.lock")
        lockWaits.advance(by: .seconds(1))
        #expect(await Wait.until { (try? main("notes.md")) == "# Notes\n\n- waits for main's lock\n" })
        // The index is written after main moves, on the committer's thread: wait for it too.
        #expect(await Wait.until { (try? dir.git("status", "--porcelain")) == "" })
    }
}
