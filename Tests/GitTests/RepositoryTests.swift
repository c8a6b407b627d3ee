import Foundation
import Git
import TestSupport
import Testing

@Suite struct RepositoryTests {
    @Test func createStartsOnAnUnbornMain() throws {
        let dir = try Scratch()
        let repo = try Repository.create(at: dir.url("memory"))
        #expect(try repo.head() == .unborn("main"))
        #expect(try Shell.check("git", ["symbolic-ref", "HEAD"], in: dir.url("memory")) == "refs/heads/main\n")
        #expect(repo.workingDirectory == dir.url("memory"))
        #expect(repo.gitDirectory == dir.url("memory/.git"))
    }

    @Test func openRequiresTheExactFolderAndDiscoverSearchesUpwards() throws {
        let fixture = try GitFixture()
        try FileManager.default.createDirectory(atPath: fixture.dir.url("topics/db"), withIntermediateDirectories: true)
        #expect(throws: GitError.notARepository(path: fixture.dir.url("topics/db"))) {
            try Repository.open(at: fixture.dir.url("topics/db"))
        }
        let found = try Repository.discover(from: fixture.dir.url("topics/db"))
        #expect(found.workingDirectory == fixture.dir.path)
        #expect(try Repository.open(at: fixture.dir.path).head().branchName == "main")
    }

    @Test func discoverOutsideAnyRepositorySaysSo() throws {
        let dir = try Scratch()
        #expect(throws: GitError.notARepository(path: dir.path)) { try Repository.discover(from: dir.path) }
    }

    @Test func resolveNamesMissingRevisions() throws {
        let fixture = try GitFixture()
        #expect(throws: GitError.notFound(what: "revision 'no-such-branch'")) {
            try fixture.repo.resolve("no-such-branch")
        }
        #expect(try fixture.repo.resolve("main").hex == fixture.mainTip())
    }

    @Test func headAndOperationStateFollowTheGitCLI() throws {
        let fixture = try GitFixture()
        try fixture.dir.git("checkout", "-q", "-b", "x")
        #expect(try fixture.repo.head().branchName == "x")
        #expect(throws: GitError.headNotMain(head: "x")) { try fixture.repo.requireMainCheckedOut() }
        try fixture.dir.git("checkout", "-q", "--detach")
        if case .detached = try fixture.repo.head() {} else { Issue.record("expected a detached HEAD") }
        try fixture.dir.git("checkout", "-q", "main")

        // A conflicting merge left half done by a person.
        try fixture.dir.git("checkout", "-q", "-b", "side")
        try fixture.dir.write("notes.md", "side\n")
        try fixture.dir.git("commit", "-qam", "side")
        try fixture.dir.git("checkout", "-q", "main")
        try fixture.dir.write("notes.md", "main\n")
        try fixture.dir.git("commit", "-qam", "main")
        _ = try fixture.dir.gitResult("merge", "side")
        #expect(fixture.repo.operationInProgress() == "merge")
        #expect(throws: GitError.operationInProgress(state: "merge")) {
            try fixture.repo.commitWorkingTree(paths: ["prefs.md"], message: "x")
        }
        try fixture.dir.git("merge", "--abort")
        #expect(fixture.repo.operationInProgress() == nil)
    }

    @Test func referencesOtherThanMainCanBeSetAndDeleted() throws {
        let fixture = try GitFixture()
        let tip = try fixture.repo.resolve("main")
        try fixture.repo.setReference("refs/reverie/rejected/1", to: tip, message: "keep")
        #expect(try fixture.repo.references(under: "refs/reverie/").map(\.name) == ["refs/reverie/rejected/1"])
        #expect(
            throws: GitError.invalidReference(
                name: "refs/heads/main", reason: "main only moves forward through commits")
        ) {
            try fixture.repo.setReference("refs/heads/main", to: tip, message: "x")
        }
        #expect(throws: GitError.invalidReference(name: "refs/bad..name", reason: "git does not allow this name")) {
            try fixture.repo.setReference("refs/bad..name", to: tip, message: "x")
        }
        try fixture.repo.deleteReference("refs/reverie/rejected/1")
        #expect(try fixture.repo.references(under: "refs/reverie/").isEmpty)
    }

    @Test func aBareRepositoryIsRefusedAsSuch() throws {
        let dir = try Scratch()
        try Shell.check("git", ["init", "-q", "--bare", dir.path])
        #expect(throws: GitError.bareRepository(path: dir.path)) { try Repository.open(at: dir.path) }
    }

    @Test func aCommitGitWouldNotWriteIsMalformedNotALibgit2Failure() throws {
        let fixture = try GitFixture()
        try fixture.dir.write("bad-commit", "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nno author\n")
        let hex = try fixture.dir.git("hash-object", "-t", "commit", "-w", "--literally", "bad-commit")
        let id = try #require(ObjectID(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(throws: GitError.malformedCommit(commit: id.short, problem: "it has no author or committer")) {
            try fixture.repo.commitInfo(id)
        }
    }
}
