import Foundation
import Memory
import TestSupport
import Testing

@Suite struct RepoPathTests {
    @Test func acceptsPlainRelativePaths() throws {
        #expect(try RepoPath("topics/db.md").value == "topics/db.md")
        #expect(try RepoPath("a.md").name == "a.md")
        #expect(try RepoPath(".reverie/config.toml").value == ".reverie/config.toml")
    }

    @Test func refusesPathsThatEscapeOrReachGit() {
        for raw in ["../x.md", "/etc/passwd", ".git/config", "a/../../x", "a//b", "", "./a.md", "x/.Git/HEAD", "a/"] {
            #expect(throws: MemoryError.self, "\(raw)") { try RepoPath(raw) }
        }
    }

    /// What git itself refuses with core.protectNTFS and core.protectHFS: names Windows
    /// or macOS would take for `.git` in a clone there.
    @Test func refusesEverySpellingOfGitThatAFileSystemFolds() {
        for raw in [
            "GIT~1/config", "git~1", ".git.", ".git ", ".git. . ", "a/.GIT./hooks", ".git::$INDEX_ALLOCATION/x",
            ".git\\hooks", ".g\u{200C}it/config", "\u{FEFF}.git", ".G\u{200D}IT", "a\u{0}b",
        ] {
            #expect(throws: MemoryError.self, "\(raw)") { try RepoPath(raw) }
        }
        for raw in [
            ".gitignore", ".github/workflows/x.yml", "git~2.md", ".gitx", "git.md", "a.git", ".g\u{200C}itignore",
            "notes/git~1x.md", "x..md", "..x.md",
        ] {
            #expect(throws: Never.self, "\(raw)") { try RepoPath(raw) }
        }
    }

    @Test func refusesSymbolicLinksThatLeaveTheRepo() throws {
        let dir = try Scratch()
        let outside = try Scratch("outside")
        try dir.write("inside/real.md", "x")
        try FileManager.default.createSymbolicLink(atPath: dir.url("out"), withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: dir.url("hooks"), withDestinationPath: dir.url(".git"))
        try FileManager.default.createSymbolicLink(atPath: dir.url("alias"), withDestinationPath: "inside")
        try FileManager.default.createSymbolicLink(atPath: dir.url("dangling"), withDestinationPath: "/nonexistent/x")
        try FileManager.default.createDirectory(atPath: dir.url(".git"), withIntermediateDirectories: true)

        #expect(
            throws: MemoryError.invalidPath(
                path: "out/x.md", reason: "'out' is a symbolic link that leaves the memory repo")
        ) {
            try RepoPath.resolve("out/x.md", in: dir.path)
        }
        #expect(
            throws: MemoryError.invalidPath(path: "hooks/pre-commit", reason: "'hooks' is a symbolic link into .git")
        ) {
            try RepoPath.resolve("hooks/pre-commit", in: dir.path)
        }
        #expect(throws: MemoryError.self) { try RepoPath.resolve("dangling", in: dir.path) }
        #expect(try RepoPath.resolve("alias/real.md", in: dir.path).value == "alias/real.md")
        #expect(try RepoPath.resolve("new/folder/file.md", in: dir.path).value == "new/folder/file.md")
    }
}
