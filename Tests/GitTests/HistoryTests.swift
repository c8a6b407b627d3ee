import Foundation
import Git
import TestSupport
import Testing

@Suite struct HistoryTests {
    @Test func logParsesTrailersAndFollowsFirstParents() throws {
        let fixture = try GitFixture()
        let base = try fixture.repo.resolve("main")
        let message = """
            Merge duplicate preferences

            Two entries said the same thing.

            Reverie-Dream: 20261125-030000
            Reverie-Change: merge
            Reverie-Evidence: s1, s2
            """
        let change = try fixture.repo.commit(
            [.write("prefs.md", "# Preferences\n\n- one\n")],
            onBranch: "dreams/20261125-030000", base: base, message: message)
        _ = try fixture.repo.mergeIntoMain(
            change, message: "Dream 20261125-030000: 1 change\n\nReverie-Dream: 20261125-030000")

        let full = try fixture.repo.log()
        #expect(
            full.map(\.summary) == ["Dream 20261125-030000: 1 change", "Merge duplicate preferences", "Initial memory"])
        let first = try fixture.repo.log(firstParentOnly: true)
        #expect(first.map(\.summary) == ["Dream 20261125-030000: 1 change", "Initial memory"])
        #expect(first[0].isMerge && first[0].parents.count == 2)
        #expect(full[1].trailer("Reverie-Change") == ["merge"])
        #expect(full[1].trailer("reverie-evidence") == ["s1, s2"])
        #expect(full[1].trailers.count == 3)
        #expect(try fixture.repo.log(limit: 1).count == 1)
        #expect(try fixture.repo.commitCount() == Int(fixture.dir.git("rev-list", "--count", "main").dropLast()))
        #expect(
            try fixture.repo.commitCount(firstParentOnly: true)
                == Int(fixture.dir.git("rev-list", "--count", "--first-parent", "main").dropLast()))
        // git's own trailer parser agrees.
        #expect(
            try fixture.dir.git("log", "-1", "--format=%(trailers:key=Reverie-Dream,valueonly)", change.hex)
                == "20261125-030000\n\n")
    }

    @Test func historyOfAPathIsTheFirstParentCommitsThatChangedItAsGitLogSays() throws {
        let fixture = try GitFixture()
        try fixture.dir.write("notes.md", "# Notes\n\n- second\n")
        try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "Edit notes")
        try fixture.dir.write("prefs.md", "# Preferences\n\n- tabs\n")
        try fixture.repo.commitWorkingTree(paths: ["prefs.md"], message: "Edit prefs")
        let base = try fixture.repo.resolve("main")
        let change = try fixture.repo.commit(
            [.write("notes.md", "# Notes\n\n- dreamt\n")],
            onBranch: "dreams/20261125-030000", base: base, message: "Dream change")
        _ = try fixture.repo.mergeIntoMain(change, message: "Dream 20261125-030000: 1 change")

        let notes = try fixture.repo.history(of: "notes.md")
        #expect(notes.map(\.summary) == ["Dream 20261125-030000: 1 change", "Edit notes", "Initial memory"])
        #expect(
            notes.map(\.id.hex).joined(separator: "\n") + "\n"
                == (try fixture.dir.git("log", "--first-parent", "--format=%H", "main", "--", "notes.md")))
        #expect(try fixture.repo.history(of: "prefs.md").map(\.summary) == ["Edit prefs", "Initial memory"])
        #expect(
            try fixture.repo.history(of: "notes.md", limit: 1).map(\.summary) == ["Dream 20261125-030000: 1 change"])
        #expect(try fixture.repo.history(of: "").count == fixture.repo.commitCount(firstParentOnly: true))
        #expect(try fixture.repo.history(of: "missing.md").isEmpty)
        #expect(throws: GitError.self) { try fixture.repo.history(of: "../x.md") }
    }

    @Test func changesCountLinesLikeGitDiffNumstat() throws {
        let fixture = try GitFixture()
        let before = try fixture.repo.resolve("main")
        try fixture.dir.write("notes.md", "# Notes\n\n- second\n- third\n")
        try fixture.dir.write("new.md", "1\n2\n3\n")
        try fixture.dir.remove("prefs.md")
        let after = try #require(
            try fixture.repo.commitWorkingTree(paths: ["notes.md", "new.md", "prefs.md"], message: "x"))
        let changes = try fixture.repo.changes(from: before, to: after)
        let numstat = try fixture.dir.git("diff", "--numstat", "--no-renames", before.hex, after.hex)
        let ours = changes.map { "\($0.linesAdded)\t\($0.linesRemoved)\t\($0.path)" }.joined(separator: "\n") + "\n"
        #expect(ours == numstat)
        #expect(changes.map(\.status) == [.added, .modified, .deleted])
        #expect(try fixture.repo.changes(from: nil, to: before).map(\.path) == ["notes.md", "prefs.md"])
    }

    @Test func renamesAreReportedAsRenames() throws {
        let fixture = try GitFixture(files: ["long.md": (1...40).map { "line \($0)\n" }.joined()])
        let base = try fixture.repo.resolve("main")
        let moved = try fixture.repo.commit(
            [.rename(from: "long.md", to: "archive/long.md")],
            onBranch: "dreams/r", base: base, message: "Archive")
        #expect(
            try fixture.repo.changes(from: base, to: moved)
                == [
                    FileDiff(
                        status: .renamed, path: "archive/long.md", oldPath: "long.md", linesAdded: 0, linesRemoved: 0)
                ])
    }

    @Test func readsFilesAtARevision() throws {
        let fixture = try GitFixture()
        let first = try fixture.repo.resolve("main")
        try fixture.dir.write("notes.md", "v2\n")
        try fixture.repo.commitWorkingTree(paths: ["notes.md"], message: "v2")
        #expect(try fixture.repo.readFile("notes.md", at: first.hex) == Data("# Notes\n\n- first\n".utf8))
        #expect(try fixture.repo.readFile("notes.md") == Data("v2\n".utf8))
        #expect(try fixture.repo.readFile("absent.md") == nil)
        #expect(throws: GitError.self) { try fixture.repo.readFile("../etc/passwd") }
        #expect(try fixture.repo.files() == ["notes.md", "prefs.md"])
    }
}
