import Foundation
import Git
import TestSupport
import Testing

@Suite struct MergeTests {
    /// A dream branch that edits notes.md and adds topics/db.md.
    func dream(_ fixture: GitFixture, name: String = "dreams/1") throws -> ObjectID {
        try fixture.repo.commit(
            [.write("notes.md", "# Notes\n\n- first\n- dreamt\n"), .write("topics/db.md", "# DB\n")],
            onBranch: name, base: fixture.repo.resolve("main"), message: "Dream change")
    }

    @Test func mergesADreamAlongsideAPersonsEditOfAnotherFile() throws {
        let fixture = try GitFixture()
        let tip = try dream(fixture)
        try fixture.dir.write("prefs.md", "# Preferences\n\n- by hand\n")
        try fixture.repo.commitWorkingTree(paths: ["prefs.md"], message: "Update prefs.md")

        let outcome = try fixture.repo.mergeIntoMain(tip, message: "Dream 1: 1 change")
        guard case .merged(let merge) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(
            try fixture.dir.git("rev-list", "--parents", "-n1", "main")
                == "\(merge.hex) \(try fixture.dir.git("rev-parse", "main~1").dropLast()) \(tip.hex)\n")
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- first\n- dreamt\n")
        #expect(try fixture.dir.read("topics/db.md") == "# DB\n")
        #expect(try fixture.dir.read("prefs.md") == "# Preferences\n\n- by hand\n")
        #expect(try fixture.status() == "")
        #expect(try fixture.repo.mergeIntoMain(tip, message: "again") == .alreadyMerged)
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func whatAPersonStagesAfterTheIndexWasReadAheadIsKept() throws {
        let fixture = try GitFixture()
        let tip = try dream(fixture)
        // The index is read on the other core at the start of an approve; a person stages
        // a file after that read and before the merge writes the index.
        fixture.repo.prefetchIndex()
        try fixture.dir.write("prefs.md", "# Preferences\n\n- staged by hand\n")
        try fixture.dir.git("add", "prefs.md")
        let outcome = try fixture.repo.mergeIntoMain(tip, message: "Dream 1: 1 change")
        guard case .merged = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(try fixture.dir.git("diff", "--cached", "--name-only") == "prefs.md\n")
        #expect(try fixture.status() == "M  prefs.md\n")
        #expect(try fixture.dir.git("show", ":prefs.md") == "# Preferences\n\n- staged by hand\n")
        // The merge's own paths are in the index as they are on disk and on main.
        #expect(try fixture.dir.git("diff", "--name-only", "main", "--", "notes.md", "topics/db.md") == "")
        #expect(try fixture.dir.git("diff", "--cached", "--name-only", "main", "--", "notes.md", "topics/db.md") == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func theIndexReadAheadIsUsedForOneMoveAfterAnother() throws {
        let fixture = try GitFixture()
        let tip = try dream(fixture)
        fixture.repo.prefetchIndex()
        guard case .merged(let merge) = try fixture.repo.mergeIntoMain(tip, message: "Dream 1: 1 change") else {
            Issue.record("not merged")
            return
        }
        // A second move on the same handle reads the index the first one wrote.
        fixture.repo.prefetchIndex()
        try fixture.repo.revertOnMain(merge, message: "Roll back dream 1")
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- first\n")
        #expect(!FileManager.default.fileExists(atPath: fixture.dir.url("topics/db.md")))
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.git("ls-files") == "notes.md\nprefs.md\n")
    }

    @Test func aConflictLeavesMainAndTheFilesAlone() throws {
        let fixture = try GitFixture()
        let tip = try dream(fixture)
        try fixture.dir.write("notes.md", "# Notes\n\n- first\n- person\n")
        try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "Update notes.md")
        let before = try fixture.mainTip()

        #expect(try fixture.repo.mergeIntoMain(tip, message: "Dream") == .conflicted(paths: ["notes.md"]))
        #expect(try fixture.repo.mergeTree(tip, into: fixture.repo.resolve("main")) == .conflicted(paths: ["notes.md"]))
        #expect(try fixture.mainTip() == before)
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- first\n- person\n")
        #expect(!fixture.dir.exists("topics/db.md"))
        #expect(try fixture.status() == "")
        // git agrees that this conflicts.
        #expect(try fixture.dir.gitResult("merge-tree", "--write-tree", "main", tip.hex).status == 1)
    }

    /// With the index read (its stat data vouch for files) and while it is still being
    /// read ahead (files are hashed instead).
    @Test(arguments: [false, true])
    func anUncommittedEditInAChangedFileStopsTheMergeAndSurvives(readAhead: Bool) throws {
        let fixture = try GitFixture()
        let tip = try dream(fixture)
        try fixture.dir.write("notes.md", "# Notes\n\n- typed but not yet committed\n")
        let before = try fixture.mainTip()
        if readAhead { fixture.repo.prefetchIndex() }
        #expect(throws: GitError.workingTreeChanged(paths: ["notes.md"])) {
            try fixture.repo.mergeIntoMain(tip, message: "Dream")
        }
        #expect(try fixture.repo.pendingPaths(only: ["notes.md", "topics/db.md"]) == ["notes.md"])
        // Refused, not interrupted: nothing is left for a later command to finish, even
        // once the person puts the file back.
        #expect(!fixture.dir.exists(".git/REVERIE_MOVING_MAIN"))
        try fixture.dir.write("notes.md", "# Notes\n\n- first\n")
        #expect(try fixture.repo.finishInterruptedAdvance() == nil)
        #expect(try fixture.mainTip() == before)
        try fixture.dir.write("notes.md", "# Notes\n\n- typed but not yet committed\n")
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- typed but not yet committed\n")
        #expect(try fixture.mainTip() == before)
        // An untracked file where the dream adds one is not overwritten either.
        try fixture.dir.write("notes.md", "# Notes\n\n- first\n")
        try fixture.dir.write("topics/db.md", "# Mine\n")
        if readAhead { fixture.repo.prefetchIndex() }
        #expect(throws: GitError.workingTreeChanged(paths: ["topics/db.md"])) {
            try fixture.repo.mergeIntoMain(tip, message: "Dream")
        }
        #expect(try fixture.dir.read("topics/db.md") == "# Mine\n")
        #expect(try fixture.dir.fsck() == "")
    }

    /// A dream wide enough for its blobs to be read ahead on the other core: every file is
    /// written as main has it, new, changed and removed ones alike, and a file that
    /// already holds the dream's content is left as it is.
    @Test func aWideMergeWritesEveryFileAsMainHasIt() throws {
        var files: [String: String] = [:]
        for number in 0..<40 { files["notes/\(number).md"] = "# Note \(number)\n" }
        let fixture = try GitFixture(files: files)
        var changes: [TreeEdit] = (0..<30).map { .write("notes/\($0).md", "# Note \($0)\n\n- dreamt\n") }
        changes += (0..<10).map { .write("topics/\($0).md", "# Topic \($0)\n") }
        changes += (30..<35).map { .delete(path: "notes/\($0).md") }
        let tip = try fixture.repo.commit(
            changes, onBranch: "dreams/1", base: fixture.repo.resolve("main"), message: "Wide dream")
        try fixture.dir.write("notes/0.md", "# Note 0\n\n- dreamt\n")  // already there
        guard case .merged = try fixture.repo.mergeIntoMain(tip, message: "Dream 1") else {
            Issue.record("not merged")
            return
        }
        #expect(try fixture.status() == "")
        for number in [0, 7, 29] {
            #expect(try fixture.dir.read("notes/\(number).md") == "# Note \(number)\n\n- dreamt\n")
        }
        #expect(
            try fixture.dir.read("topics/9.md") == "# Topic 9\n" && fixture.dir.read("notes/39.md") == "# Note 39\n")
        #expect(!fixture.dir.exists("notes/30.md") && !fixture.dir.exists("notes/34.md"))
        #expect(try fixture.dir.git("ls-files").split(separator: "\n").count == 45)
        #expect(try fixture.dir.fsck() == "")
    }

    /// A change libgit2's checkout makes (a file becomes a link) refused for a person's
    /// unsaved edit: nothing is written, and nothing is left for a later command to finish.
    @Test func aRefusedCheckoutLeavesNothingToFinish() throws {
        let fixture = try GitFixture()
        try fixture.dir.git("checkout", "-q", "-b", "dreams/1")
        try fixture.dir.remove("prefs.md")
        try Shell.check("ln", ["-s", "notes.md", "prefs.md"], in: fixture.dir.path)
        try fixture.dir.git("commit", "-qam", "Link prefs to notes")
        try fixture.dir.git("checkout", "-q", "main")
        let tip = try fixture.repo.resolve("dreams/1"), before = try fixture.mainTip()
        try fixture.dir.write("prefs.md", "# Preferences\n\n- unsaved\n")
        #expect(throws: GitError.workingTreeChanged(paths: ["prefs.md"])) {
            try fixture.repo.mergeIntoMain(tip, message: "Dream 1", rules: .history)  // a link inside is allowed here
        }
        #expect(try fixture.dir.read("prefs.md") == "# Preferences\n\n- unsaved\n")
        #expect(!fixture.dir.exists(".git/REVERIE_MOVING_MAIN"))
        try fixture.dir.write("prefs.md", "# Preferences\n")
        #expect(try fixture.repo.finishInterruptedAdvance() == nil)
        #expect(try fixture.mainTip() == before && fixture.status() == "")
    }

    /// Files git checks out through a filter (here CRLF line ends) are not main's bytes,
    /// yet unchanged: a merge while the index is read ahead must not take them for edits.
    @Test func filesCheckedOutWithCRLFAreUnchangedForAMergeWhileTheIndexIsReadAhead() throws {
        let fixture = try GitFixture()
        try fixture.dir.write(".gitattributes", "*.md text eol=crlf\n")
        try fixture.dir.git("add", ".gitattributes")
        try fixture.dir.git("commit", "-qm", "Line ends")
        try fixture.dir.git("rm", "-q", "--cached", "-r", ".")
        try fixture.dir.git("reset", "-q", "--hard")
        #expect(try fixture.dir.read("prefs.md") == "# Preferences\r\n")
        let tip = try dream(fixture)
        let repo = try Repository.open(at: fixture.dir.path)  // as a new command would
        repo.prefetchIndex()
        #expect(try repo.pendingPaths(only: ["notes.md", "prefs.md"]) == [])
        repo.prefetchIndex()
        guard case .merged = try repo.mergeIntoMain(tip, message: "Dream 1") else {
            Issue.record("not merged")
            return
        }
        #expect(try fixture.dir.git("show", "main:notes.md") == "# Notes\n\n- first\n- dreamt\n")
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func revertOfAMergeRestoresTheFilesWithANewCommit() throws {
        let fixture = try GitFixture()
        let tip = try dream(fixture)
        guard case .merged(let merge) = try fixture.repo.mergeIntoMain(tip, message: "Dream 1") else {
            Issue.record("merge failed")
            return
        }
        try fixture.dir.write("prefs.md", "# Preferences\n\n- later edit\n")
        try fixture.repo.commitWorkingTree(paths: ["prefs.md"], message: "Update prefs.md")

        try fixture.repo.revertOnMain(merge, message: "Roll back dream 1")
        #expect(try fixture.dir.subjects().prefix(2) == ["Roll back dream 1", "Update prefs.md"])
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- first\n")
        #expect(!fixture.dir.exists("topics/db.md"))
        #expect(try fixture.dir.read("prefs.md") == "# Preferences\n\n- later edit\n")
        #expect(try fixture.status() == "")
        // Same content as git's own `revert -m 1` would give.
        #expect(try fixture.dir.git("diff", "\(merge.hex)^1", "main", "--", "notes.md", "topics") == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func revertOfARangeUndoesEveryCommitInItAndKeepsLaterEditsOfTheSameFiles() throws {
        let fixture = try GitFixture(files: [
            "notes.md": "# Notes\n\n- first\n\n\n\n\n- last\n", "prefs.md": "# Preferences\n",
        ])
        let base = try fixture.repo.resolve("main")
        // Two commits fast-forwarded onto main, then a person's edit of another line of a
        // file they changed: undoing the range takes a real three-way merge.
        let one = try fixture.repo.commit(
            [.write("notes.md", "# Notes\n\n- first, dreamt\n\n\n\n\n- last\n")],
            onBranch: "dreams/1", base: base, message: "One")
        let two = try fixture.repo.commit(
            [.write("topics/db.md", "# DB\n")], onBranch: "dreams/1", base: one, message: "Two")
        try fixture.dir.git("merge", "-q", "--ff-only", "dreams/1")
        try fixture.dir.write("notes.md", "# Notes\n\n- first, dreamt\n\n\n\n\n- last, by hand\n")
        try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "Update notes.md")

        try fixture.repo.revertOnMain(two, since: base, message: "Roll back dream 1")
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- first\n\n\n\n\n- last, by hand\n")
        #expect(!fixture.dir.exists("topics/db.md"))
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
        // Main holds what the files hold.
        #expect(try fixture.dir.git("show", "main:notes.md") == "# Notes\n\n- first\n\n\n\n\n- last, by hand\n")
    }

    @Test func restoreCommitsAnOlderTreeOnTop() throws {
        let fixture = try GitFixture()
        let first = try fixture.repo.resolve("main")
        try fixture.dir.write("notes.md", "changed\n")
        try fixture.dir.write("extra.md", "extra\n")
        try fixture.repo.commitWorkingTree(paths: ["notes.md", "extra.md"], message: "Change")
        try fixture.repo.restoreOnMain(treeOf: first, message: "Restore memory as of \(first.short)")
        #expect(
            try fixture.dir.git("rev-parse", "main^{tree}") == (try fixture.dir.git("rev-parse", "\(first.hex)^{tree}"))
        )
        #expect(try fixture.dir.subjects().count == 3)
        #expect(!fixture.dir.exists("extra.md"))
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- first\n")
        #expect(try fixture.repo.restoreOnMain(treeOf: first, message: "again") == nil)
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func cherryPicksOnlyTheChosenCommits() throws {
        let fixture = try GitFixture()
        let base = try fixture.repo.resolve("main")
        let a = try fixture.repo.commit([.write("a.md", "a\n")], onBranch: "dreams/2", base: base, message: "Add a")
        let b = try fixture.repo.commit([.write("b.md", "b\n")], onBranch: "dreams/2", base: a, message: "Add b")
        let c = try fixture.repo.commit([.write("c.md", "c\n")], onBranch: "dreams/2", base: b, message: "Add c")

        _ = b
        let picked = try fixture.repo.cherryPickOntoMain([a, c], message: "Dream 2: 2 of 3 changes")
        #expect(try fixture.dir.subjects("main") == ["Dream 2: 2 of 3 changes", "Initial memory"])
        #expect(try fixture.dir.git("ls-tree", "--name-only", picked.hex) == "a.md\nc.md\nnotes.md\nprefs.md\n")
        #expect(fixture.dir.exists("a.md") && fixture.dir.exists("c.md") && !fixture.dir.exists("b.md"))
        #expect(try fixture.status() == "")
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func aCherryPickThatConflictsNamesThePaths() throws {
        let fixture = try GitFixture()
        let base = try fixture.repo.resolve("main")
        let change = try fixture.repo.commit(
            [.write("notes.md", "# Notes\n\n- first\n- dream\n")],
            onBranch: "dreams/3", base: base, message: "Edit")
        try fixture.dir.write("notes.md", "# Notes\n\n- first\n- person\n")
        try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "Update notes.md")
        let mainBefore = try fixture.repo.resolve("main")
        #expect(throws: GitError.conflict(operation: "cherry-pick", paths: ["notes.md"])) {
            try fixture.repo.cherryPickOntoMain([change], message: "Dream 3: 1 of 1 change")
        }
        #expect(try fixture.repo.resolve("main") == mainBefore)
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- first\n- person\n")
    }
}
