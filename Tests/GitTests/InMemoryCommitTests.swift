import Foundation
import Git
import TestSupport
import Testing

@Suite struct InMemoryCommitTests {
    @Test func commitsOnABranchWithoutTouchingTheIndexOrTheWorkingTree() throws {
        let fixture = try GitFixture()
        try fixture.dir.write("notes.md", "# Notes\n\n- unsaved person edit\n")
        let before = try fixture.status()
        let base = try fixture.repo.resolve("main")
        let first = try fixture.repo.commit(
            [.write("topics/db.md", "# DB\n"), .rename(from: "prefs.md", to: "preferences.md")],
            onBranch: "dreams/1", base: base, message: "Add topics/db.md", author: fixture.author)
        let second = try fixture.repo.commit(
            [.delete(path: "topics/db.md"), .write("notes.md", "# Notes\n\n- dreamt\n")],
            onBranch: "dreams/1", base: first, message: "Second change", author: fixture.author)

        #expect(try fixture.dir.git("rev-parse", "dreams/1") == second.hex + "\n")
        #expect(
            try fixture.dir.git("ls-tree", "-r", "--name-only", first.hex) == "notes.md\npreferences.md\ntopics/db.md\n"
        )
        #expect(try fixture.dir.git("show", "dreams/1:notes.md") == "# Notes\n\n- dreamt\n")
        #expect(
            try fixture.dir.git("diff", "--name-status", "-M", "main", first.hex)
                == "R100\tprefs.md\tpreferences.md\nA\ttopics/db.md\n")
        // Nothing on disk or in the index moved; main did not either.
        #expect(try fixture.status() == before)
        #expect(try fixture.dir.read("notes.md") == "# Notes\n\n- unsaved person edit\n")
        #expect(try fixture.repo.resolve("main") == base)
        #expect(try fixture.dir.fsck() == "")
    }

    @Test func theBranchMustStillPointAtTheBase() throws {
        let fixture = try GitFixture()
        let base = try fixture.repo.resolve("main")
        try fixture.repo.commit([.write("a.md", "a\n")], onBranch: "dreams/1", base: base, message: "a")
        #expect(throws: GitError.referenceMoved(reference: "commit to refs/heads/dreams/1")) {
            try fixture.repo.commit([.write("b.md", "b\n")], onBranch: "dreams/1", base: base, message: "b")
        }
        #expect(try fixture.dir.subjects("dreams/1") == ["a", "Initial memory"])
    }

    @Test func refusesMainBadPathsAndMissingFiles() throws {
        let fixture = try GitFixture()
        let base = try fixture.repo.resolve("main")
        #expect(throws: GitError.self) {
            try fixture.repo.commit([.write("x.md", "x")], onBranch: "main", base: base, message: "x")
        }
        for path in ["../x", "/etc/x", ".git/config", "a/../../b", "x/.git/hooks/pre-commit"] {
            #expect(throws: GitError.self, "\(path)") {
                try fixture.repo.commit([.write(path, "x")], onBranch: "dreams/bad", base: base, message: "x")
            }
        }
        #expect(throws: GitError.notFound(what: "file nope.md")) {
            try fixture.repo.commit([.delete(path: "nope.md")], onBranch: "dreams/bad", base: base, message: "x")
        }
        #expect(try fixture.repo.tip(ofBranch: "dreams/bad") == nil)
        #expect(throws: GitError.self) {
            try fixture.repo.commit([], onBranch: "bad..name", base: base, message: "x")
        }
    }
}
