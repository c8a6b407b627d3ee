import Foundation
import Logging
import MCP
import Memory
import MemoryTool
import TestSupport
import Testing

@testable import McpServer

/// The server's tools called in process: when writes wait or are refused, and what history
/// and search answer.
@Suite struct MemoryServerTests {
    func server(
        _ memory: MemoryFolder, lockWait: Duration = .milliseconds(200),
        clock: any Clock<Duration> = ContinuousClock()
    ) async throws -> MemoryServer {
        let server = try MemoryServer(
            folder: memory.path, logger: Logger(label: "test"), lockWait: lockWait, clock: clock)
        await server.setAgent(clientName: "test-agent")
        return server
    }

    static let create: [String: Value] = ["command": "create", "path": "/memories/new.md", "file_text": "# New\n"]

    @Test func writesWaitWhileAPersonUsesGitAndChangeNothing() async throws {
        let memory = try MemoryFolder()
        let lockWaits = ManualClock()
        let server = try await server(memory, clock: lockWaits)
        let start = try memory.main()

        try memory.git("checkout", "-q", "-b", "experiment")
        var result = await server.call("memory", arguments: Self.create)
        #expect(result.isError && result.text.contains("on experiment, not main"), "\(result)")
        try memory.git("checkout", "-q", "main")

        let head = try memory.main()
        try Data((head + "\n").utf8).write(to: URL(fileURLWithPath: memory.path + "/.git/MERGE_HEAD"))
        result = await server.call("memory", arguments: Self.create)
        #expect(result.isError && result.text.contains("a git merge is in progress"), "\(result)")
        try FileManager.default.removeItem(atPath: memory.path + "/.git/MERGE_HEAD")

        // Another git process's lock: the write looks again every 50 ms, for 200 ms, then gives up.
        _ = FileManager.default.createFile(atPath: memory.path + "/.git/index.lock", contents: Data())
        async let refused = server.call("memory", arguments: Self.create)
        for _ in 1...4 {
            #expect(await Wait.until { lockWaits.sleeping == 1 }, "the write is not waiting for the lock")
            lockWaits.advance(by: .milliseconds(50))
        }
        result = await refused
        #expect(result.isError && result.text.contains("holds .git/index.lock"), "\(result)")
        #expect(result.text.hasPrefix("Error: No change was made:"))

        #expect(!memory.exists("new.md"))
        #expect(try memory.main() == start)
        // Reads go on meanwhile.
        #expect(await !server.call("memory", arguments: ["command": "view", "path": "/memories"]).isError)

        // A lock let go while the write waits: it goes ahead when it looks again.
        async let write = server.call("memory", arguments: Self.create)
        #expect(await Wait.until { lockWaits.sleeping == 1 }, "the write is not waiting for the lock")
        try FileManager.default.removeItem(atPath: memory.path + "/.git/index.lock")
        lockWaits.advance(by: .milliseconds(50))
        result = await write
        #expect(!result.isError, "\(result)")
        #expect(try memory.trailer("Reverie-Agent") == ["test-agent"])
        #expect(try memory.status() == "")
    }

    @Test func historyMarksDreamMergesRollbacksRestoresAndAgents() async throws {
        let memory = try MemoryFolder()
        try memory.git("checkout", "-q", "-b", "dreams/20261125-030000")
        try memory.write("python.md", "# Python\n- dreamt\n")
        try memory.git("commit", "-qam", "Merge two entries\n\nReverie-Dream: 20261125-030000\nReverie-Change: merge")
        try memory.git("checkout", "-q", "main")
        try memory.git(
            "merge", "-q", "--no-ff", "dreams/20261125-030000", "-m",
            "Dream 20261125-030000: 1 change\n\n- Merge two entries\n\nReverie-Dream: 20261125-030000\nReverie-Merge: all"
        )
        try memory.git("revert", "--no-edit", "-m", "1", "HEAD")
        try memory.git(
            "commit", "-q", "--amend", "-m", "Roll back dream 20261125-030000\n\nReverie-Rollback: 20261125-030000")
        try memory.write("python.md", "# Python\n- restored\n")
        try memory.git("commit", "-qam", "Restore memory as of 2026-11-20 (abc1234)\n\nReverie-Restore: abc1234def")
        try memory.write("notes.md", "# Notes elsewhere\n- The CI runs on two cores. <!-- pinned -->\n")
        try memory.git("commit", "-qam", "Touch another file")
        let server = try await server(memory)
        _ = await server.call(
            "memory",
            arguments: [
                "command": "str_replace", "path": "/memories/python.md",
                "old_str": "restored", "new_str": "by an agent",
            ])

        let answer = await server.call("history", arguments: ["path": "/memories/python.md"])
        #expect(!answer.isError)
        let lines = answer.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "Commits on main that changed /memories/python.md, newest first:")
        let rest = lines.dropFirst().map { $0.split(separator: "  ", maxSplits: 3).map(String.init) }
        #expect(
            rest.map { $0.last ?? "" } == [
                "[agent test-agent] Update python.md",
                "[restore of abc1234] Restore memory as of 2026-11-20 (abc1234)",
                "[rollback of dream 20261125-030000] Roll back dream 20261125-030000",
                "[dream merge 20261125-030000] Dream 20261125-030000: 1 change",
                "Test setup",
            ])
        for fields in rest {
            #expect(fields.count == 4)
            #expect(fields[0].count == 7)
            #expect(fields[1].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(fields)")
        }
        // The agent's commit is authored from git config; the git CLI's here from the test's environment.
        #expect(
            rest.map { $0.count > 2 ? $0[2] : "" } == [MemoryFolder.author] + Array(repeating: "Test Person", count: 4))
        let limited = await server.call("history", arguments: ["path": "/memories/python.md", "limit": 2])
        #expect(limited.text.split(separator: "\n").count == 4)
        #expect(limited.text.contains("ask with a larger `limit`"))
        let none = await server.call("history", arguments: ["path": "/memories/never.md"])
        #expect(none == ToolResult(text: "No commit on main changed /memories/never.md.", isError: false))
        let all = await server.call("history", arguments: ["path": "/memories", "limit": "50"])
        #expect(all.text.contains("Touch another file") && all.text.contains("Start memory repo"))
    }

    @Test func aFileChangedWhileACommandRanIsNotWritten() throws {
        let memory = try MemoryFolder()
        let repo = try MemoryRepo.open(discoveringFrom: memory.path)
        let session = AgentWrite(repository: repo.repository, agent: AgentName(clientName: "a"))
        let path = try RepoPath("python.md")
        session.noteRead(path, "# Python\n")
        #expect(throws: MemoryError.self) { try session.willChange(path, now: "# Python, as a person saved it\n") }
        try session.willChange(path, now: "# Python\n")
    }

    @Test func searchRanksByWordsThenPhraseThenPath() {
        let files: [RepoPath: String] = [
            try! RepoPath("b.md"): "deploy to staging\nstaging deploy\nnothing here\n",
            try! RepoPath("a.md"): "Staging first, then DEPLOY\r\nonly deploy\n",
            try! RepoPath("c/d.md"): "deploy to staging today\n",
        ]
        let search = MemorySearch(query: "  deploy   TO staging ")
        #expect(search.words == ["deploy", "to", "staging"])
        let ranked = search.matches(in: files).map { "\($0.path):\($0.line)" }
        #expect(ranked == ["b.md:1", "c/d.md:1", "a.md:1", "b.md:2", "a.md:2"])
        let answer = search.answer(in: files, limit: 2)
        #expect(
            answer == """
                5 lines of memory match "deploy to staging", best first (most words of the query, then the exact phrase, then by path):
                /memories/b.md:1: deploy to staging
                /memories/c/d.md:1: deploy to staging today
                [3 more not shown; raise `limit` (at most 200) or use more words to see them.]
                """)
        #expect(
            MemorySearch(query: "absent").answer(in: files, limit: 5)
                == "No line of memory holds any of the words of \"absent\".")
    }

    @Test func clientNamesBecomeOneSafeLine() {
        #expect(AgentName(clientName: "claude-code").value == "claude-code")
        #expect(AgentName(clientName: "  a\nb\r\n\tc\u{2028}d\u{202E}e  ").value == "a b c d e")
        #expect(AgentName(clientName: "\n\t ").value == AgentName.unknown.value)
        #expect(AgentName(clientName: String(repeating: "x", count: 500)).value.count == AgentName.maxLength)
        let secret = AgentName(clientName: "bot ghp_abcdefghijklmnopqrstuvwxyz0123456789")
        #expect(!secret.value.contains("ghp_") && secret.value.hasPrefix("bot [REDACTED"))
    }

    @Test func theAgentsCommitMessageIsTheDaemonsWithATrailer() {
        let one = AgentWrite.message(for: [.init(path: "a.md", kind: .modified)], agent: AgentName(clientName: "x"))
        #expect(one == "Update a.md\n\nReverie-Agent: x\n")
        let many = AgentWrite.message(
            for: (1...4).map { .init(path: "f\($0).md", kind: .added) }, agent: AgentName(clientName: "x"))
        #expect(many == "Add 4 files\n\nA f1.md\nA f2.md\nA f3.md\nA f4.md\n\nReverie-Agent: x\n")
    }
}
