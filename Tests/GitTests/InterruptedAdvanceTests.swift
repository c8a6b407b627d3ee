import Foundation
import TestSupport
import Testing

@testable import Git

/// A crash between the checkout of a new main and its commit is finished on restart, so
/// the files it wrote are never committed as if a person made them.
@Suite struct InterruptedAdvanceTests {
    func repository() throws -> (Scratch, Repository, ObjectID, ObjectID) {
        let dir = try Scratch()
        try dir.git("init", "-q", "-b", "main")
        try dir.write("a.md", "a\n")
        try dir.write("b.md", "b\n")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Start")
        let repo = try Repository.open(at: dir.path)
        let tip = try repo.tip(ofBranch: "main")!
        let dream = try repo.commit(
            [.write("a.md", "a dreamt\n"), .write("c.md", "c\n")], onBranch: "dreams/x", base: tip,
            message: "Dream")
        return (dir, repo, tip, dream)
    }

    @Test func aMergeCutShortAfterPartOfItsCheckoutIsCompleted() throws {
        let (dir, repo, tip, dream) = try repository()
        guard case .clean(let tree) = try repo.mergeTree(dream, into: tip) else {
            Issue.record("conflict")
            return
        }
        // What a SIGKILL in the middle leaves: the journal, one file of two written, main unmoved.
        try AdvanceJournal(tip: tip, tree: tree, otherParents: [dream], message: "Dream x: 1 change\n").write(
            in: repo.gitDirectory)
        try dir.write("c.md", "c\n")
        try dir.write("a.md", "a d")  // cut short mid-write: the new start, the old rest ("a\n" is shorter)
        let finished = try #require(try repo.finishInterruptedAdvance())
        #expect(try dir.git("rev-parse", "main").hasPrefix(finished.hex))
        #expect(try dir.git("log", "-1", "--format=%s%n%P", "main") == "Dream x: 1 change\n\(tip.hex) \(dream.hex)\n")
        #expect(try dir.read("a.md") == "a dreamt\n" && (try dir.read("c.md")) == "c\n")
        #expect(try dir.git("status", "--porcelain") == "")
        #expect(!FileManager.default.fileExists(atPath: AdvanceJournal.path(in: repo.gitDirectory)))
        #expect(try repo.finishInterruptedAdvance() == nil)
    }

    @Test func aFastForwardCutShortLandsOnTheSameCommit() throws {
        let (dir, repo, tip, teammate) = try repository()
        // A sync's fast-forward killed after writing one file of two: the journal names the commit.
        try AdvanceJournal(
            tip: tip, tree: try repo.treeID(of: teammate), otherParents: [], message: "fast-forward",
            landing: teammate
        ).write(in: repo.gitDirectory)
        #expect(AdvanceJournal.read(in: repo.gitDirectory)?.landing == teammate)
        try dir.write("c.md", "c\n")
        #expect(try repo.finishInterruptedAdvance() == teammate)
        #expect(try dir.git("rev-parse", "main") == teammate.hex + "\n")  // that commit, no new one
        #expect(try dir.read("a.md") == "a dreamt\n" && (try dir.read("c.md")) == "c\n")
        #expect(try dir.git("status", "--porcelain") == "")
        #expect(!FileManager.default.fileExists(atPath: AdvanceJournal.path(in: repo.gitDirectory)))
    }

    @Test func aFastForwardNeverOverwritesAPersonsUnsavedEdit() throws {
        let (dir, repo, tip, teammate) = try repository()
        try dir.write("a.md", "a, as the person is writing it\n")
        #expect(throws: GitError.workingTreeChanged(paths: ["a.md"])) {
            try repo.fastForwardMain(from: tip, to: teammate)
        }
        #expect(try repo.tip(ofBranch: "main") == tip)
        #expect(try dir.read("a.md") == "a, as the person is writing it\n" && !dir.exists("c.md"))
        #expect(!FileManager.default.fileExists(atPath: AdvanceJournal.path(in: repo.gitDirectory)))
    }

    @Test func aFileCutShortOverItsOldContentIsRecognisedAsTheMovesOwn() throws {
        let dir = try Scratch()
        try dir.git("init", "-q", "-b", "main")
        try dir.write("a.md", "hello world, how are you\n")
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Start")
        let repo = try Repository.open(at: dir.path)
        let tip = try repo.tip(ofBranch: "main")!
        let dream = try repo.commit(
            [.write("a.md", "HELLO there\n")], onBranch: "dreams/x", base: tip, message: "Dream")
        guard case .clean(let tree) = try repo.mergeTree(dream, into: tip) else {
            Issue.record("conflict")
            return
        }
        try AdvanceJournal(tip: tip, tree: tree, otherParents: [dream], message: "Dream x\n").write(
            in: repo.gitDirectory)
        // Written in place from the start, killed before the cut to length.
        try dir.write("a.md", "HELLO there\n how are you\n")
        #expect(try repo.finishInterruptedAdvance() != nil)
        #expect(try dir.read("a.md") == "HELLO there\n")
        #expect(try dir.git("status", "--porcelain") == "")
    }

    @Test func aLockTheKilledMoveLeftIsRemovedAndAnOlderOneIsNot() throws {
        let (dir, repo, tip, dream) = try repository()
        guard case .clean(let tree) = try repo.mergeTree(dream, into: tip) else {
            Issue.record("conflict")
            return
        }
        // A lock from before the move is someone else's: it stays, and the move waits for it.
        try dir.write(".git/index.lock", "")
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: dir.url(".git/index.lock"))
        try AdvanceJournal(tip: tip, tree: tree, otherParents: [dream], message: "Dream x\n").write(
            in: repo.gitDirectory)
        // The move's own: made after the journal, killed with it.
        try dir.write(".git/refs/heads/main.lock", "")
        let time = VirtualWaitClock()
        repo.retryPolicy.clock = time.clock
        #expect(throws: GitError.self) { try repo.finishInterruptedAdvance() }  // waits for index.lock, in vain
        // Removed only once it had been left for the whole wait, never before.
        #expect(!dir.exists(".git/refs/heads/main.lock") && time.slept >= .seconds(5))
        #expect(dir.exists(".git/index.lock"))
    }

    @Test func aJournalWhoseCommitWasMadeIsDropped() throws {
        let (dir, repo, tip, dream) = try repository()
        guard case .merged = try repo.mergeIntoMain(dream, message: "Merge") else {
            Issue.record("no merge")
            return
        }
        try AdvanceJournal(tip: tip, tree: try repo.treeID(of: dream), otherParents: [], message: "x\n").write(
            in: repo.gitDirectory)
        #expect(try repo.finishInterruptedAdvance() == nil)
        #expect(try dir.git("log", "-1", "--format=%s", "main") == "Merge\n")
        #expect(!FileManager.default.fileExists(atPath: AdvanceJournal.path(in: repo.gitDirectory)))
    }

    @Test func aMoveKilledAfterItsCommitButBeforeTheIndexGetsTheIndexInStep() throws {
        let (dir, repo, tip, dream) = try repository()
        guard case .merged = try repo.mergeIntoMain(dream, message: "Merge") else {
            Issue.record("no merge")
            return
        }
        // What a kill before the index update leaves: main and the files moved, the index not.
        try dir.git("read-tree", tip.hex)
        let merged = try repo.tip(ofBranch: "main")!
        try AdvanceJournal(tip: tip, tree: try repo.treeID(of: merged), otherParents: [dream], message: "Merge\n")
            .write(in: repo.gitDirectory)
        #expect(try dir.git("status", "--porcelain") != "")
        #expect(try repo.finishInterruptedAdvance() == nil)
        #expect(try dir.git("status", "--porcelain") == "")
        #expect(!FileManager.default.fileExists(atPath: AdvanceJournal.path(in: repo.gitDirectory)))
    }

    @Test func aPersonsEditMadeSinceWinsOverTheUnfinishedMove() throws {
        let (dir, repo, tip, dream) = try repository()
        guard case .clean(let tree) = try repo.mergeTree(dream, into: tip) else {
            Issue.record("conflict")
            return
        }
        try AdvanceJournal(tip: tip, tree: tree, otherParents: [dream], message: "Dream\n").write(in: repo.gitDirectory)
        try dir.write("a.md", "a, by a person\n")
        #expect(throws: GitError.self) { try repo.finishInterruptedAdvance() }
        #expect(try dir.read("a.md") == "a, by a person\n")
        #expect(try dir.git("rev-parse", "main").hasPrefix(tip.hex))
    }
}
