import Foundation
import TestSupport
import Testing

/// `reverie mcp` as an agent uses it, through the MCP client of the Python `mcp` package,
/// checked afterwards with the git CLI.
@Suite(.serialized) struct McpClientTests {
    @Test func anAgentViewsWritesSearchesAndReadsHistoryAndEveryWriteIsOneCommitNamingIt() throws {
        let memory = try MemoryFolder()
        let start = try memory.commitCount()
        let calls: [[String: Any]] = [
            McpClient.memory(["command": "view", "path": "/memories"]),
            McpClient.memory(["command": "view", "path": "/memories/python.md", "view_range": [2, 3]]),
            McpClient.memory([
                "command": "create", "path": "/memories/topics/db.md",
                "file_text": "# Databases\n- Migrations run with `make migrate`.\n",
            ]),
            McpClient.memory([
                "command": "str_replace", "path": "/memories/python.md",
                "old_str": "- Use uv for packages.", "new_str": "- Use uv for packages, never pip.",
            ]),
            McpClient.memory([
                "command": "insert", "path": "/memories/topics/db.md", "insert_line": 1,
                "insert_text": "- Back up before you migrate.\n",
            ]),
            McpClient.memory([
                "command": "rename", "old_path": "/memories/topics/db.md", "new_path": "/memories/databases.md",
            ]),
            McpClient.memory(["command": "delete", "path": "/memories/topics"]),
            ["tool": "search", "arguments": ["query": "python pytest"]],
            ["tool": "search", "arguments": ["query": "back up", "limit": 1]],
            ["tool": "history", "arguments": ["path": "/memories/python.md"]],
            McpClient.memory(["command": "view", "path": "/memories/databases.md"]),
        ]
        let (report, stderr) = try McpClient.run(repo: memory.path, clientName: "tour-agent", calls: calls)

        #expect(report.server.name == "reverie")
        #expect(report.instructions?.contains("/memories") == true)
        #expect(report.tools.map(\.name) == ["memory", "search", "history"])
        for (index, result) in report.results.enumerated() {
            #expect(!result.isError, "call \(index): \(result.text)")
        }
        let answers = report.results.map(\.text)
        #expect(answers[0].hasPrefix("Here're the files and directories up to 2 levels deep in /memories"))
        #expect(answers[0].contains("/memories/python.md") && answers[0].contains("/memories/topics/deploy.md"))
        #expect(
            answers[1] == "Here's the content of /memories/python.md with line numbers:\n"
                + "     2\t- Run tests with `python -m pytest`, not `pytest`.\n     3\t- Use uv for packages.")
        #expect(answers[2] == "File created successfully at: /memories/topics/db.md")
        #expect(answers[3].hasPrefix("The memory file has been edited."))
        #expect(answers[4] == "The file /memories/topics/db.md has been edited.")
        #expect(answers[5] == "Successfully renamed /memories/topics/db.md to /memories/databases.md")
        #expect(answers[6] == "Successfully deleted /memories/topics")
        // Both words on one line first; the phrase breaks no tie here, the path does.
        let pythonLines = answers[7].split(separator: "\n").dropFirst()
        #expect(pythonLines.first == "/memories/python.md:2: - Run tests with `python -m pytest`, not `pytest`.")
        #expect(answers[8].contains("/memories/databases.md:2: - Back up before you migrate."))
        #expect(answers[9].contains("[agent tour-agent] Update python.md"))
        #expect(answers[9].contains("Test setup"))
        #expect(answers[10].contains("     2\t- Back up before you migrate."))

        // One commit per write, each naming the agent, authored from git config.
        #expect(try memory.commitCount() == start + 5)
        #expect(
            try memory.log("%s", count: 5) == [
                "Delete topics/deploy.md", "Add databases.md, delete topics/db.md", "Update topics/db.md",
                "Update python.md", "Add topics/db.md",
            ])
        #expect(
            try memory.log("%(trailers:key=Reverie-Agent,valueonly,separator=%x2C)", count: 5)
                == Array(repeating: "tour-agent", count: 5))
        #expect(
            try memory.log("%an <%ae>", count: 5)
                == Array(repeating: "\(MemoryFolder.author) <\(MemoryFolder.email)>", count: 5))
        #expect(
            try memory.git("log", "-1", "--format=%B", "main")
                == "Delete topics/deploy.md\n\nReverie-Agent: tour-agent\n\n")
        #expect(try memory.status() == "")
        #expect(
            try memory.read("databases.md")
                == "# Databases\n- Back up before you migrate.\n- Migrations run with `make migrate`.\n")
        #expect(try memory.read("python.md").contains("- Use uv for packages, never pip.\n"))
        #expect(!memory.exists("topics"), "a folder left empty goes, as in git")
        #expect(try memory.git("fsck", "--strict", "--no-dangling") == "")
        // Logs went to stderr: stdout held the protocol, or the client would have failed.
        #expect(stderr.contains("tour-agent: create '/memories/topics/db.md': committed"))
    }

    @Test func aPersonsUncommittedEditIsCommittedOnItsOwnBeforeTheAgentsChange() throws {
        let memory = try MemoryFolder()
        let start = try memory.commitCount()
        try memory.write("python.md", try memory.read("python.md") + "- A person's note, not committed yet.\n")
        let calls = [
            McpClient.memory([
                "command": "str_replace", "path": "/memories/python.md",
                "old_str": "- Use uv for packages.", "new_str": "- Use uv.",
            ])
        ]
        let (report, _) = try McpClient.run(repo: memory.path, clientName: "careful-agent", calls: calls)
        #expect(report.results.map(\.isError) == [false])

        #expect(try memory.commitCount() == start + 2)
        // First the person's edit, as the daemon would have committed it, without the agent's name…
        #expect(try memory.trailer("Reverie-Agent", "main~1") == [])
        #expect(try memory.git("log", "-1", "--format=%s", "main~1") == "Update python.md\n")
        let persons = try memory.git("show", "main~1:python.md")
        #expect(persons.contains("- A person's note, not committed yet.") && persons.contains("- Use uv for packages."))
        // …then only the agent's change, with it.
        #expect(try memory.trailer("Reverie-Agent") == ["careful-agent"])
        #expect(try memory.git("diff", "--numstat", "main~1", "main") == "1\t1\tpython.md\n")
        #expect(try memory.read("python.md").contains("- A person's note, not committed yet.\n"))
        #expect(try memory.status() == "")
    }

    @Test func aClientNameIsOneLineWithItsSecretsRedactedInTheTrailer() throws {
        let memory = try MemoryFolder()
        let name = "evil\nReverie-Rollback: 20990101-000000\tghp_abcdefghijklmnopqrstuvwxyz0123456789"
        let calls = [McpClient.memory(["command": "create", "path": "/memories/x.md", "file_text": "x\n"])]
        let (report, _) = try McpClient.run(repo: memory.path, clientName: name, calls: calls)
        #expect(report.results.map(\.isError) == [false])
        let agent = try memory.trailer("Reverie-Agent")
        #expect(agent.count == 1)
        #expect(agent.first?.hasPrefix("evil Reverie-Rollback: 20990101-000000 [REDACTED") == true, "\(agent)")
        #expect(try memory.trailer("Reverie-Rollback") == [])
        #expect(try !memory.message().contains("ghp_"))
    }

    @Test func aKeyAnAgentWritesIsRedactedBeforeItIsCommitted() throws {
        let memory = try MemoryFolder()
        let token = "ghp_" + SeededRandom.text(SeededRandom.alphanumerics, 36, seed: 21)
        let (report, _) = try McpClient.run(
            repo: memory.path, clientName: "careless-agent",
            calls: [
                McpClient.memory([
                    "command": "create", "path": "/memories/deploy-notes.md",
                    "file_text": "# Deploy\n- push with GITHUB_TOKEN=\(token)\n",
                ])
            ])
        #expect(report.results.first?.isError == false)
        #expect(try memory.read("deploy-notes.md").contains("[REDACTED GitHub token]"))
        let objects = try Shell.check("git", ["cat-file", "--batch-all-objects", "--batch"], in: memory.path)
        #expect(!objects.contains(token))
    }

    @Test func aRunningDaemonDoesNotCommitAnAgentsWriteASecondTime() throws {
        let memory = try MemoryFolder()
        let notify = try NotifySocket(in: memory.path + "/.git")
        let daemon = try Shell.start(
            ReverieBinary.path, ["watch", "-C", memory.path, "--log-level", "debug"],
            environment: ["NOTIFY_SOCKET": notify.path, "HOME": ReverieBinary.emptyHome])
        defer {
            daemon.signal(SIGKILL)
            _ = daemon.wait(seconds: 10)
        }
        #expect(Wait.until { notify.messages().contains("READY=1") }, "the daemon never said READY=1")
        let start = try memory.commitCount()

        let calls: [[String: Any]] = [
            McpClient.memory(["command": "create", "path": "/memories/topics/db.md", "file_text": "# Databases\n"]),
            McpClient.memory([
                "command": "insert", "path": "/memories/topics/db.md", "insert_line": 1,
                "insert_text": "- Back up first.",
            ]),
            McpClient.memory(["command": "rename", "old_path": "/memories/topics", "new_path": "/memories/data"]),
            McpClient.memory(["command": "delete", "path": "/memories/python.md"]),
        ]
        let (report, _) = try McpClient.run(repo: memory.path, clientName: "agent-beside-daemon", calls: calls)
        #expect(report.results.map(\.isError) == [false, false, false, false], "\(report.results.map(\.text))")
        // A person edits too: the daemon commits that one.
        try memory.write("notes.md", try memory.read("notes.md") + "- A person's line.\n")
        #expect(Wait.until { (try? memory.commitCount()) == start + 5 })
        // Stopping, the daemon compares the whole folder with main and commits what differs:
        // an agent's write it had not seen committed would be committed again now.
        daemon.signal(SIGTERM)
        let stopped = daemon.wait(seconds: 30)
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let subjects = try memory.log("%s", count: 8)
        #expect(try memory.commitCount() == start + 5, "\(subjects)")
        let agents = try memory.log("%(trailers:key=Reverie-Agent,valueonly,separator=%x2C)|%s", count: 5)
        #expect(
            agents == [
                "|Update notes.md",
                "agent-beside-daemon|Delete python.md",
                "agent-beside-daemon|Add 2 files, delete 2",  // topics/db.md and topics/deploy.md moved
                "agent-beside-daemon|Update topics/db.md",
                "agent-beside-daemon|Add topics/db.md",
            ], "\(agents)")
        #expect(try memory.status() == "")
    }
}
