import Foundation
import TestSupport
import Testing

/// File names git stores as bytes, which Reverie does not commit: said once, never pending.
@Suite struct FileNameTests {
    /// Runs a shell line in the repo and returns what it printed.
    @discardableResult
    func sh(_ line: String, in repo: WatchedRepo) throws -> String {
        try Shell.check("sh", ["-c", line], in: repo.dir.path)
    }

    @Test func aFileWhoseNameIsNotUTF8IsNamedOnceAndNeverPending() async throws {
        let repo = try await WatchedRepo(files: ["notes.md": "# Notes\n"])
        let commits = try repo.commitCount()
        try sh("printf 'odd\\n' > \"$(printf '\\377\\376.md')\"", in: repo)
        try repo.dir.write("notes.md", "# Notes\n\n- edited beside it\n")
        #expect(try await Wait.until { try repo.show("notes.md") == "# Notes\n\n- edited beside it\n" })
        try sh("printf 'odder\\n' >> \"$(printf '\\377\\376.md')\"", in: repo)  // a second event, a second look
        #expect(await repo.settle())
        #expect(try repo.commitCount() == commits + 1)
        // git sees the file untracked, byte for byte; main does not hold it.
        #expect(
            try sh("git status --porcelain -z | od -An -c | tr -s ' \\n' ' '", in: repo) == " ? ? 377 376 . m d \\0 ")
        #expect(try sh("git ls-files -z | od -An -c | tr -s ' \\n' ' '", in: repo).contains("377") == false)

        let warning =
            "\\xff\\xfe.md is not committed: its name is not UTF-8, which Reverie cannot commit; "
            + "rename it, for instance: mv $'\\xff\\xfe.md' new-name.md"
        let status = try ReverieBinary.run(["status", "-C", repo.dir.path])
        #expect(status.stdout.contains("Pending       nothing uncommitted\n"), "\(status.stdout)")
        #expect(status.stdout.contains("Warning       \(warning)\n"), "\(status.stdout)")
        let json = try #require(
            JSONSerialization.jsonObject(
                with: Data(try ReverieBinary.run(["status", "--json", "-C", repo.dir.path]).stdout.utf8))
                as? [String: Any])
        #expect(json["pending"] as? [String] == [] && json["notUTF8"] as? [String] == ["\\xff\\xfe.md"])

        let log = await repo.stop().stderr
        #expect(log.components(separatedBy: warning).count == 2, "said once: \(log)")
    }
}
