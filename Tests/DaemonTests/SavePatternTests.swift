import Foundation
import TestSupport
import Testing

/// Each way editors save a file gives exactly one commit holding the final content, and
/// no temp file ever reaches history.
@Suite struct SavePatternTests {
    func expectOneCommit(
        _ repo: WatchedRepo, content: String, file: String = "notes.md",
        _ save: () async throws -> Void
    ) async throws {
        let before = try repo.commitCount()
        try await save()
        #expect(try await repo.waitForCommits(before + 1))
        #expect(try await Wait.until { try repo.show(file) == content }, "main holds the final content")
        // A stopped daemon has committed all it saw: a save split in two shows as a second commit.
        try await repo.restart()
        #expect(try repo.commitCount() == before + 1, "exactly one commit for one save")
        #expect(try repo.trackedFiles().allSatisfy { !$0.contains("~") && !$0.contains(".swp") && !$0.contains(".#") })
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    @Test func everyEditorsSavePattern() async throws {
        let repo = try await WatchedRepo(files: ["notes.md": "# Notes\n"])
        let path = repo.dir.url("notes.md")

        // In place, written in two parts with a pause longer than the debounce: MODIFY
        // events alone never commit a half-written file.
        try await expectOneCommit(repo, content: "part one\npart two\n") {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("part one\n".utf8))
            try await Task.sleep(for: .milliseconds(300))
            try handle.write(contentsOf: Data("part two\n".utf8))
            try handle.close()
        }
        // Truncate, close, then write again.
        try await expectOneCommit(repo, content: "truncated then written\n") {
            try Shell.check(
                "sh", ["-c", ": > notes.md; printf 'truncated then written\\n' > notes.md"], in: repo.dir.path)
        }
        // A temp file renamed over the original (many editors, atomic writes).
        try await expectOneCommit(repo, content: "renamed over\n") {
            try repo.dir.write(".notes.md.tmp.1234", "renamed over\n")
            rename(repo.dir.url(".notes.md.tmp.1234"), path)
        }
        // vim: swap file churn, a 4913 probe, a backup, then the write.
        try await expectOneCommit(repo, content: "vim wrote this\n") {
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
        try await expectOneCommit(repo, content: "emacs wrote this\n") {
            try FileManager.default.createSymbolicLink(
                atPath: repo.dir.url(".#notes.md"), withDestinationPath: "ana@host.4242:1700000000")
            try repo.dir.write("notes.md~", try repo.dir.read("notes.md"))
            try repo.dir.write("notes.md", "emacs wrote this\n")
            try repo.dir.remove(".#notes.md")
        }
        // sed -i writes a temp file in the folder and renames it.
        try await expectOneCommit(repo, content: "sed wrote this\n") {
            try Shell.check("sed", ["-i", "s/emacs/sed/", "notes.md"], in: repo.dir.path)
        }
        #expect(try repo.dir.subjects().prefix(6).allSatisfy { $0 == "Update notes.md" })
        #expect(try repo.dir.fsck() == "")
    }

    @Test func aTrackedFileThatTheIgnoreRulesMatchIsStillCommitted() async throws {
        // A team ignores drafts but force-added one; git itself keeps tracking it.
        let repo = try await WatchedRepo(files: ["drafts/keep.md": "v1\n", ".gitignore": "drafts/\n"])
        try repo.dir.git("add", "-f", "drafts/keep.md")
        try repo.dir.git("commit", "-qm", "Keep one draft")
        try repo.dir.write("drafts/keep.md", "v2\n")
        #expect(try await Wait.until { try repo.show("drafts/keep.md") == "v2\n" })
        try repo.dir.write("drafts/other.md", "stays out\n")
        await repo.stop()
        #expect(try repo.show("drafts/other.md") == nil)
    }

    @Test func foldersMadeRenamedAndDeleted() async throws {
        let repo = try await WatchedRepo(files: ["old/a.md": "a\n", "old/deep/b.md": "b\n", "gone/c.md": "c\n"])
        // Nested folders made in one go, with files, faster than any watch can be added.
        try Shell.check(
            "sh", ["-c", "mkdir -p x/y/z && echo 1 > x/y/z/one.md && echo 2 > x/two.md"], in: repo.dir.path)
        #expect(try await Wait.until { try repo.show("x/y/z/one.md") == "1\n" && repo.show("x/two.md") == "2\n" })
        // A folder renamed, then a file edited at its new place (its watches must follow).
        try FileManager.default.moveItem(atPath: repo.dir.url("old"), toPath: repo.dir.url("new"))
        #expect(try await Wait.until { try repo.show("new/deep/b.md") == "b\n" && repo.show("old/a.md") == nil })
        try repo.dir.write("new/deep/b.md", "b edited after the move\n")
        #expect(try await Wait.until { try repo.show("new/deep/b.md") == "b edited after the move\n" })
        // A folder deleted.
        try FileManager.default.removeItem(atPath: repo.dir.url("gone"))
        #expect(try await Wait.until { try repo.show("gone/c.md") == nil })
        await repo.stop()
        #expect(
            try repo.trackedFiles().filter { $0.hasSuffix(".md") }
                == ["new/a.md", "new/deep/b.md", "x/two.md", "x/y/z/one.md"])
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.dir.fsck() == "")
    }

    @Test func tenThousandFilesAtOnceNoneMissed() async throws {
        let repo = try await WatchedRepo(debounceMilliseconds: 100)
        let script =
            "for d in $(seq 0 49); do mkdir -p t$d; for f in $(seq 0 199); do echo \"note $d $f\" > t$d/n$f.md; done; done"
        let folder = repo.dir.path
        _ = try await offThePool { Result { try Shell.check("sh", ["-c", script], in: folder) } }.get()
        #expect(
            try await Wait.until(seconds: 120) { try repo.trackedFiles().filter { $0.hasPrefix("t") }.count == 10_000 })
        #expect(try repo.show("t49/n199.md") == "note 49 199\n")
        await repo.stop()
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.dir.fsck() == "")
    }
}
