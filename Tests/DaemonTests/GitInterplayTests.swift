import Foundation
import TestSupport
import Testing

/// The daemon stands aside while a person uses git, and never loses what they did.
@Suite struct GitInterplayTests {
    @Test func aLockHeldByARunningGitCommitIsWaitedForNeverDeleted() async throws {
        let repo = try await WatchedRepo(files: ["notes.md": "# Notes\n"])
        // The editor says when it starts: by then git has staged with -a and holds index.lock.
        // (Writing earlier races git's own read of the file: "short read while indexing".)
        let person = try Shell.start(
            "git", ["commit", "-q", "--allow-empty", "-a", "-e", "-m", "By hand"],
            in: repo.dir.path,
            environment: [
                // The editor stays open until the test closes it.
                "GIT_EDITOR": "touch .git/editor-open && until [ -e .git/editor-close ]; do sleep 0.01; done; true"
            ])
        #expect(await Wait.until { repo.dir.exists(".git/editor-open") })
        #expect(repo.dir.exists(".git/index.lock"), "git commit -a holds index.lock while its editor runs")
        try repo.dir.write("notes.md", "# Notes\n\n- written while git held the lock\n")
        // The daemon saw the edit and stood aside: the lock is still git's.
        #expect(await repo.settle())
        #expect(repo.dir.exists(".git/index.lock"))
        try repo.dir.write(".git/editor-close", "")
        let result = await offThePool { person.wait(seconds: 60) }
        #expect(result.status == 0, "git's own commit succeeded, so its lock was never taken away: \(result.stderr)")
        #expect(try await Wait.until { try repo.show("notes.md")?.contains("while git held the lock") == true })
        await repo.stop()
        let subjects = try repo.dir.subjects()
        #expect(subjects.prefix(2) == ["Update notes.md", "By hand"], "\(subjects)")
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.dir.fsck() == "")
    }

    @Test func nothingIsCommittedOnAnotherBranchAndEditsMadeThereArriveOnMain() async throws {
        let repo = try await WatchedRepo(files: ["notes.md": "# Notes\n"])
        let mainCount = try repo.commitCount()
        try repo.dir.git("checkout", "-q", "-b", "x")
        #expect(await repo.notify.wait(for: "STATUS=Paused: HEAD is on x, not main"))
        try repo.dir.write("notes.md", "# Notes\n\n- typed while on x\n")
        // The committer says when it looked again after the write, still paused.
        #expect(await repo.settle())
        #expect(try repo.commitCount() == mainCount)
        #expect(try repo.dir.git("rev-list", "--count", "x") == "\(mainCount)\n", "nothing committed on x")
        let status = try ReverieBinary.run(["status", "-C", repo.dir.path])
        #expect(status.stdout.contains("Auto-commit   paused: HEAD is on x, not main"))

        try repo.dir.git("checkout", "-q", "main")
        #expect(try await Wait.until { try repo.show("notes.md") == "# Notes\n\n- typed while on x\n" })
        #expect(try repo.commitCount() == mainCount + 1)
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    /// While `reverie approve` (or a scheduled dream) writes a dream's files, they are not a
    /// person's edits: the daemon waits for the move to end, then commits what is left.
    @Test func filesWrittenWhileReverieMovesMainAreNotCommittedAsEdits() async throws {
        let repo = try await WatchedRepo(files: ["notes.md": "# Notes\n"])
        let mainCount = try repo.commitCount()
        try repo.dir.write(".git/REVERIE_MOVING_MAIN", "tip none\n\nunfinished move\n")
        #expect(await repo.notify.wait(for: "STATUS=Paused: Reverie is moving main"))
        try repo.dir.write("notes.md", "# Notes\n\n- written during the move\n")
        #expect(await repo.settle())
        #expect(try repo.commitCount() == mainCount)
        let status = try ReverieBinary.run(["status", "-C", repo.dir.path])
        #expect(status.stdout.contains("Auto-commit   paused: Reverie is moving main"), "\(status.stdout)")
        try repo.dir.remove(".git/REVERIE_MOVING_MAIN")
        #expect(try await Wait.until { try repo.show("notes.md") == "# Notes\n\n- written during the move\n" })
        #expect(try repo.commitCount() == mainCount + 1)
    }

    @Test func aMergeInProgressPausesAndItsResultIsKept() async throws {
        let repo = try await WatchedRepo(files: ["notes.md": "base\n"])
        try repo.dir.git("checkout", "-q", "-b", "side")
        try repo.dir.write("notes.md", "side\n")
        try repo.dir.git("commit", "-qam", "side")
        try repo.dir.git("checkout", "-q", "main")
        try repo.dir.write("notes.md", "main\n")
        #expect(try await Wait.until { try repo.show("notes.md") == "main\n" })
        _ = try repo.dir.gitResult("merge", "side")  // conflicts: notes.md now has markers
        let during = try repo.commitCount()
        #expect(await repo.notify.wait(for: "STATUS=Paused: a git merge is in progress"))
        #expect(await repo.settle())
        #expect(try repo.commitCount() == during, "no commit in the middle of a merge")
        try repo.dir.write("notes.md", "resolved\n")
        try repo.dir.git("commit", "-qam", "Merge side")
        await repo.stop()
        #expect(try repo.show("notes.md") == "resolved\n")
        #expect(try repo.dir.subjects().first == "Merge side")
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    @Test func aPersonsOwnCommitIsNeitherDuplicatedNorLost() async throws {
        let repo = try await WatchedRepo(debounceMilliseconds: 300, files: ["notes.md": "# Notes\n"])
        let before = try repo.commitCount()
        try repo.dir.write("notes.md", "# Notes\n\n- committed by hand\n")
        try repo.dir.git("commit", "-qam", "By hand")
        await repo.stop()
        #expect(try repo.commitCount() == before + 1, "the daemon adds no duplicate")
        #expect(try repo.dir.subjects().first == "By hand")
        #expect(try repo.show("notes.md") == "# Notes\n\n- committed by hand\n")
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    @Test func aSecondDaemonOnTheSameRepoRefusesClearly() async throws {
        let repo = try await WatchedRepo()
        let second = try ReverieBinary.run(["watch", "-C", repo.dir.path])
        #expect(second.status == 1)
        #expect(second.stderr.contains("is already watching \(repo.dir.path); stop it first"))
        let status = try ReverieBinary.run(["status", "-C", repo.dir.path])
        #expect(status.stdout.contains("Daemon        running (pid"))
    }
}
