import Foundation
import Testing
import TestSupport

/// Each way editors save a file gives exactly one commit holding the final content, and
/// no temp file ever reaches history.
@Suite struct SavePatternTests {
    func expectOneCommit(_ repo: WatchedRepo, content: String, file: String = "notes.md",
                         _ save: () throws -> Void) throws {
        let before = try repo.commitCount()
        try save()
        #expect(try repo.waitForCommits(before + 1))
        #expect(try Wait.until { try repo.show(file) == content }, "main holds the final content")
        repo.settle()
        #expect(try repo.commitCount() == before + 1, "exactly one commit for one save")
        #expect(try repo.trackedFiles().allSatisfy { !$0.contains("~") && !$0.contains(".swp") && !$0.contains(".#") })
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    @Test func everyEditorsSavePattern() throws {
        let repo = try WatchedRepo(files: ["notes.md": "# Notes\n"])
        let path = repo.dir.url("notes.md")

        // In place, written in two parts with a pause longer than the debounce: MODIFY
        // events alone never commit a half-written file.
        try expectOneCommit(repo, content: "part one\npart two\n") {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("part one\n".utf8))
            usleep(300_000)
            try handle.write(contentsOf: Data("part two\n".utf8))
            try handle.close()
        }
        // Truncate, close, then write again.
        try expectOneCommit(repo, content: "truncated then written\n") {
            try Shell.check("sh", ["-c", ": > notes.md; printf 'truncated then written\\n' > notes.md"], in: repo.dir.path)
        }
        // A temp file renamed over the original (many editors, atomic writes).
        try expectOneCommit(repo, content: "renamed over\n") {
            try repo.dir.write(".notes.md.tmp.1234", "renamed over\n")
            rename(repo.dir.url(".notes.md.tmp.1234"), path)
        }
        // vim: swap file churn, a 4913 probe, a backup, then the write.
        try expectOneCommit(repo, content: "vim wrote this\n") {
            try repo.dir.write(".notes.md.swp", "swap")
            try repo.dir.write(".notes.md.swx", "swap")
            try repo.dir.remove(".notes.md.swx")
            try repo.dir.write("4913", "")
            try repo.dir.remove("4913")
            try repo.dir.write("notes.md~", try repo.dir.read("notes.md"))
            try repo.dir.write("notes.md", "vim wrote this\n")
            try repo.dir.remove("notes.md~")
            try repo.dir.write(".notes.md.swp", "swap again")
            try repo.dir.remove(".notes.md.swp")
        }
        // emacs: a lock symlink .#name, a backup name~, then the write.
        try expectOneCommit(repo, content: "emacs wrote this\n") {
            try FileManager.default.createSymbolicLink(atPath: repo.dir.url(".#notes.md"), withDestinationPath: "ana@host.4242:1700000000")
            try repo.dir.write("notes.md~", try repo.dir.read("notes.md"))
            try repo.dir.write("notes.md", "emacs wrote this\n")
            try repo.dir.remove(".#notes.md")
        }
        // sed -i writes a temp file in the folder and renames it.
        try expectOneCommit(repo, content: "sed wrote this\n") {
            try Shell.check("sed", ["-i", "s/emacs/sed/", "notes.md"], in: repo.dir.path)
        }
        #expect(try repo.dir.subjects().prefix(6).allSatisfy { $0 == "Update notes.md" })
        #expect(try repo.dir.fsck() == "")
    }

    @Test func aTrackedFileThatTheIgnoreRulesMatchIsStillCommitted() throws {
        // A team ignores drafts but force-added one; git itself keeps tracking it.
        let repo = try WatchedRepo(files: ["drafts/keep.md": "v1\n", ".gitignore": "drafts/\n"])
        try repo.dir.git("add", "-f", "drafts/keep.md")
        try repo.dir.git("commit", "-qm", "Keep one draft")
        try repo.dir.write("drafts/keep.md", "v2\n")
        #expect(try Wait.until { try repo.show("drafts/keep.md") == "v2\n" })
        try repo.dir.write("drafts/other.md", "stays out\n")
        repo.settle()
        #expect(try repo.show("drafts/other.md") == nil)
    }

    @Test func foldersMadeRenamedAndDeleted() throws {
        let repo = try WatchedRepo(files: ["old/a.md": "a\n", "old/deep/b.md": "b\n", "gone/c.md": "c\n"])
        // Nested folders made in one go, with files, faster than any watch can be added.
        try Shell.check("sh", ["-c", "mkdir -p x/y/z && echo 1 > x/y/z/one.md && echo 2 > x/two.md"], in: repo.dir.path)
        #expect(try Wait.until { try repo.show("x/y/z/one.md") == "1\n" && repo.show("x/two.md") == "2\n" })
        // A folder renamed, then a file edited at its new place (its watches must follow).
        try FileManager.default.moveItem(atPath: repo.dir.url("old"), toPath: repo.dir.url("new"))
        #expect(try Wait.until { try repo.show("new/deep/b.md") == "b\n" && repo.show("old/a.md") == nil })
        repo.settle()
        try repo.dir.write("new/deep/b.md", "b edited after the move\n")
        #expect(try Wait.until { try repo.show("new/deep/b.md") == "b edited after the move\n" })
        // A folder deleted.
        try FileManager.default.removeItem(atPath: repo.dir.url("gone"))
        #expect(try Wait.until { try repo.show("gone/c.md") == nil })
        repo.settle()
        #expect(try repo.trackedFiles().filter { $0.hasSuffix(".md") }
                == ["new/a.md", "new/deep/b.md", "x/two.md", "x/y/z/one.md"])
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.dir.fsck() == "")
    }

    @Test func tenThousandFilesAtOnceNoneMissed() throws {
        let repo = try WatchedRepo(debounceMilliseconds: 100)
        let script = "for d in $(seq 0 49); do mkdir -p t$d; for f in $(seq 0 199); do echo \"note $d $f\" > t$d/n$f.md; done; done"
        try Shell.check("sh", ["-c", script], in: repo.dir.path)
        #expect(try Wait.until(seconds: 120) { try repo.trackedFiles().filter { $0.hasPrefix("t") }.count == 10_000 })
        #expect(try repo.show("t49/n199.md") == "note 49 199\n")
        repo.settle()
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.dir.fsck() == "")
    }
}
