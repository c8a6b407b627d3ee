import Git
import Testing

@Suite struct GitErrorTextTests {
    /// The Git layer knows git, not the command line above it: its remedies are git's.
    @Test func gitErrorsNameNoReverieCommandOrFlag() {
        let errors: [GitError] = [
            .notARepository(path: "/m"), .bareRepository(path: "/b"), .notFound(what: "x"),
            .malformedCommit(commit: "abc1234", problem: "it has no author or committer"),
            .locked(operation: "commit to main", message: "index.lock exists"),
            .referenceMoved(reference: "refs/heads/main"),
            .conflict(operation: "merge", paths: ["a.md"]), .workingTreeChanged(paths: ["a.md"]),
            .headNotMain(head: "x"),
            .operationInProgress(state: "merge"), .invalidPath(path: "../a", reason: "'.' and '..' are not allowed"),
            .invalidReference(name: "refs/heads/main", reason: "main is never deleted"), .invalidRemoteURL(url: ""),
            .notOwned(path: "/m"), .io(path: "/m/a.md", message: "No space left on device"),
            .authentication(url: "https://h/r", detail: "refused"),
            .unreachable(url: "https://h/r", message: "offline"),
            .pushRejected(reference: "refs/heads/main", reason: "stale"),
            .libgit2(operation: "x", code: -1, message: "y"),
        ]
        for error in errors {
            #expect(!error.description.contains("reverie "), "\(error)")
            #expect(!error.description.contains("-C DIR"), "\(error)")
        }
        #expect(GitError.notARepository(path: "/m").description.contains("git init"))
    }
}
