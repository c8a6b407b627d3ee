import Foundation
import Memory
import TestSupport
import Testing

/// Claude Code's auto memory as a memory repo, on a fake `~/.claude` laid out as Claude Code
/// lays it out: an index, topic files with front matter, and the project's transcripts beside them.
@Suite struct ClaudeCodeMemoryTests {
    static let index = """
        # Memory Index

        - [Testing conventions](feedback_testing.md) — run the suite with `make test`
        - [Deploys](project_deploy.md) — staging deploys go through the release branch

        """
    static let testing = """
        ---
        name: Testing conventions
        description: How this project runs its tests
        type: feedback
        ---

        Run the whole suite with `make test`; it sets up the database first.
        **Why:** pytest alone skips the fixtures.

        """
    static let deploy = """
        ---
        name: Deploys
        description: How staging deploys happen
        type: project
        ---

        Staging deploys go through the release branch, never from main.

        """

    /// A home folder with Claude Code's tree for one project, and that project.
    struct ClaudeHome {
        let home: Scratch
        let project: Scratch
        let projectFolder: String
        var memory: String { projectFolder + "/memory" }
        var environment: [String: String] { ["HOME": home.path] }

        init() throws {
            home = try Scratch("claude-home")
            project = try Scratch("shop")
            try project.git("init", "-q", "-b", "main")
            projectFolder = home.path + "/.claude/projects/" + AutoMemoryLocation.key(for: project.path)
            for (name, text) in ["MEMORY.md": index, "feedback_testing.md": testing, "project_deploy.md": deploy] {
                try write(memory + "/" + name, text)
            }
            // The project's sessions, and a subagent's transcript below them that is not one.
            let fixtures = ReverieBinary.projectRoot + "/Tests/SessionsTests/Fixtures/claude-code-viewer/"
            for name in [
                "1af7fc5e-8455-4414-9ccd-011d40f70b2a", "5c0375b4-57a5-4f26-b12d-d022ee4e51b7",
                "fe5e1c67-53e7-4862-81ae-d0e013e3270b",
            ] {
                try write(
                    projectFolder + "/\(name).jsonl",
                    String(contentsOfFile: fixtures + name + ".jsonl", encoding: .utf8))
            }
            try write(
                projectFolder + "/fe5e1c67-53e7-4862-81ae-d0e013e3270b/subagents/agent-a1.jsonl",
                String(contentsOfFile: fixtures + "agent-test-hash-123.jsonl", encoding: .utf8))
            // Finished long ago: a transcript is read once it has been idle.
            _ = try Shell.check(
                "find", [projectFolder, "-name", "*.jsonl", "-exec", "touch", "-d", "2 days ago", "{}", ";"])
        }

        func write(_ path: String, _ text: String) throws {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }

        func reverie(_ arguments: String..., in folder: String? = nil) throws -> Shell.Result {
            try ReverieBinary.run(arguments, in: folder, environment: environment)
        }

        /// `reverie watch` on the memory folder, ready, with the socket it tells systemd through.
        func watch() throws -> (NotifySocket, RunningProcess) {
            let notify = try NotifySocket(in: memory + "/.git")
            let daemon = try Shell.start(
                ReverieBinary.path, ["watch", "-C", memory],
                environment: environment.merging(["NOTIFY_SOCKET": notify.path]) { $1 })
            guard notify.wait(for: "READY=1") else {
                daemon.signal(SIGKILL)
                throw Shell.Failure(command: "reverie watch (never ready)", result: daemon.wait())
            }
            return (notify, daemon)
        }

        func git(_ arguments: String...) throws -> String {
            try Shell.check("git", ["-C", memory] + arguments)
        }
    }

    @Test func initFindsTheAutoMemoryFolderAndSetsItUpForClaudeCode() throws {
        let claude = try ClaudeHome()
        let made = try claude.reverie("init", "--claude-code", in: claude.project.path)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains(claude.memory) && made.stdout.contains("Claude Code's default"), "\(made.stdout)")
        #expect(
            try claude.git("ls-tree", "--name-only", "main").split(separator: "\n")
                == [".gitignore", ".reverie", "MEMORY.md", "feedback_testing.md", "project_deploy.md"])
        let config = try String(contentsOfFile: claude.memory + "/.reverie/config.toml", encoding: .utf8)
        #expect(config.contains("\nlayout = \"claude-code\"\n"))
        let key = AutoMemoryLocation.key(for: claude.project.path)
        #expect(
            config.contains("\nsources = [{ kind = \"claude-code\", glob = \"~/.claude/projects/\(key)/*.jsonl\" }]\n"))
        #expect(
            try String(contentsOfFile: claude.memory + "/.gitignore", encoding: .utf8).contains("\n.consolidate-lock\n")
        )

        // The project's three sessions, not the subagent's transcript below them.
        let sessions = try claude.reverie("-C", claude.memory, "sessions", "--json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) as? [[String: Any]])
        let files = Set(rows.compactMap { $0["file"] as? String })
        #expect(files.count == 3 && files.allSatisfy { !$0.contains("/subagents/") }, "\(files)")

        // Claude Code loads its auto memory by itself: connect adds the MCP server, no import.
        let connected = try claude.reverie(
            "-C", claude.memory, "connect", "claude-code", "--project", claude.project.path)
        #expect(
            connected.status == 0 && connected.stdout.contains("CLAUDE.md needs no import"),
            "\(connected.stdout)\(connected.stderr)")
        #expect(try !claude.project.exists("CLAUDE.md") && claude.project.read(".mcp.json").contains("\"reverie\""))
        let other = try Scratch("other-project")
        #expect(try claude.reverie("-C", claude.memory, "connect", "claude-code", "--project", other.path).status == 0)
        #expect(
            try other.read("CLAUDE.md").contains("@\(claude.memory)/MEMORY.md"),
            "another project's Claude Code needs the import")

        let again = try claude.reverie("init", "--claude-code", claude.project.path)
        #expect(again.status == 0 && again.stdout.contains("nothing to do"), "\(again.stdout)")
        #expect(try claude.git("rev-list", "--count", "main") == "1\n")
    }

    @Test func editsAreCommittedAndAConsolidationUnderTheLockBecomesOneCommitThatRollsBack() throws {
        let claude = try ClaudeHome()
        #expect(try claude.reverie("init", "--claude-code", claude.project.path).status == 0)
        let (notify, daemon) = try claude.watch()
        defer {
            daemon.signal(SIGKILL)
            _ = daemon.wait(seconds: 10)
        }
        func show(_ path: String) -> String? { try? claude.git("show", "main:" + path) }

        // An edit as Claude Code makes it: a topic file and its index line.
        try claude.write(
            claude.memory + "/feedback_style.md",
            "---\nname: Style\ndescription: Code style\ntype: feedback\n---\n\nUse tabs in Makefiles only.\n")
        try claude.write(
            claude.memory + "/MEMORY.md", Self.index + "- [Style](feedback_style.md) — tabs in Makefiles only\n")
        #expect(
            Wait.until { show("feedback_style.md") != nil && show("MEMORY.md")?.contains("feedback_style.md") == true })
        let before = try claude.git("rev-parse", "main").trimmingCharacters(in: .newlines)

        // Its background consolidation, under the lock: nothing is committed or moved meanwhile.
        try claude.write(claude.memory + "/.consolidate-lock", "\(getpid())")
        #expect(notify.wait(for: "STATUS=Paused: Claude Code is consolidating"))
        try claude.write(
            claude.memory + "/project_deploy.md",
            Self.deploy.replacingOccurrences(of: "never from main", with: "tagged vX.Y"))
        try FileManager.default.removeItem(atPath: claude.memory + "/feedback_style.md")
        try claude.write(claude.memory + "/feedback_testing.md", Self.testing + "Use tabs in Makefiles only.\n")
        try claude.write(claude.memory + "/MEMORY.md", Self.index)
        #expect(try claude.reverie("-C", claude.memory, "status").stdout.contains("Claude Code is consolidating"))
        let refused = try claude.reverie("-C", claude.memory, "dream")
        #expect(refused.status != 0 && refused.stderr.contains("Claude Code is consolidating"), "\(refused.stderr)")
        #expect(try claude.git("rev-parse", "main").trimmingCharacters(in: .newlines) == before)
        try FileManager.default.removeItem(atPath: claude.memory + "/.consolidate-lock")

        #expect(Wait.until { show("feedback_style.md") == nil })
        #expect(
            try claude.git("rev-list", "--count", "\(before)..main") == "1\n", "one commit for the whole consolidation")
        let message = try claude.git("log", "-1", "--format=%B", "main")
        #expect(
            message.hasPrefix("Claude Code consolidated memory")
                && message.contains("Reverie-Consolidation: claude-code"), "\(message)")
        #expect(
            try claude.git("diff", "--name-only", before, "main")
                == "MEMORY.md\nfeedback_style.md\nfeedback_testing.md\nproject_deploy.md\n")
        let consolidation = try claude.git("rev-parse", "main").trimmingCharacters(in: .newlines)

        // A consolidation over before the debounce ends is still one, said so.
        try claude.write(claude.memory + "/.consolidate-lock", "\(getpid())")
        try claude.write(claude.memory + "/notes.md", "Short note.\n")
        try FileManager.default.removeItem(atPath: claude.memory + "/.consolidate-lock")
        #expect(Wait.until { show("notes.md") != nil })
        #expect(
            try claude.git("log", "-1", "--format=%s", "main").hasPrefix(
                "Claude Code consolidated memory: add notes.md"))
        #expect(show(".consolidate-lock") == nil)

        // A dream over the project's transcripts, judged by Claude Code's format too.
        let dream = try claude.reverie("-C", claude.memory, "dream", "--json")
        #expect(dream.status == 0, "\(dream.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(dream.stdout.utf8)) as? [String: Any])
        let guardrails = try #require(report["guardrails"] as? [[String: Any]])
        #expect(
            guardrails.contains { $0["name"] as? String == "Claude Code format" && $0["passed"] as? Bool == true },
            "\(guardrails)")
        // What it writes looks like Claude Code's own: a topic file with its front matter, one
        // line in its index in its style, no second index.
        let branch = try claude.git("for-each-ref", "--format=%(refname:short)", "refs/heads/dreams/")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let mistakes = try claude.git("show", "\(branch):mistakes.md")
        #expect(
            mistakes.hasPrefix("---\nname: Recurring mistakes\ndescription: ")
                && mistakes.contains("\ntype: feedback\n---\n"), "\(mistakes)")
        let index = try claude.git("show", "\(branch):MEMORY.md"), mainIndex = try claude.git("show", "main:MEMORY.md")
        #expect(index.hasPrefix(mainIndex) && !index.contains("reverie:index"), "\(index)")
        #expect(
            index.dropFirst(mainIndex.count).split(separator: "\n").allSatisfy {
                $0.hasPrefix("- [") && $0.contains("](") && $0.contains(" — ")
            })
        #expect(index.contains("- [Recurring mistakes](mistakes.md) — "), "\(index)")

        // The consolidation rolls back while the daemon runs; edits since stay.
        let rollback = try claude.reverie("-C", claude.memory, "rollback", String(consolidation.prefix(9)))
        #expect(rollback.status == 0 && rollback.stdout.contains("Claude Code's consolidation"), "\(rollback.stderr)")
        #expect(show("feedback_style.md") != nil && show("project_deploy.md") == Self.deploy && show("notes.md") != nil)
        #expect(try claude.git("diff", "--name-only", before, "main", "--", "MEMORY.md", "feedback_testing.md") == "")
        #expect(try String(contentsOfFile: claude.memory + "/project_deploy.md", encoding: .utf8) == Self.deploy)
        let twice = try claude.reverie("-C", claude.memory, "rollback", consolidation)
        #expect(twice.status != 0 && twice.stderr.contains("rolled back already"), "\(twice.stderr)")
        #expect(try claude.git("status", "--porcelain") == "")
        #expect(try Shell.run("git", ["-C", claude.memory, "fsck", "--strict", "--no-dangling"]).status == 0)
    }

    /// Claude Code never deletes its lock: after every consolidation the file stays, its mtime
    /// the time of that consolidation and its body the PID of the Claude Code that ran it
    /// (emptied when one fails). Once that process is gone nothing holds the folder: edits are
    /// committed and dreams made, not refused for the rest of the hour.
    @Test func aLockLeftByAClaudeCodeThatHasExitedHoldsNothing() throws {
        let claude = try ClaudeHome()
        #expect(try claude.reverie("init", "--claude-code", claude.project.path).status == 0)
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let lock = claude.memory + "/.consolidate-lock"
        for body in ["\(exited.processIdentifier)\n", ""] {
            try claude.write(lock, body)
            let status = try claude.reverie("-C", claude.memory, "status")
            #expect(status.status == 0 && !status.stdout.contains("consolidating"), "\(status.stdout)")
        }
        let dream = try claude.reverie("-C", claude.memory, "dream")
        #expect(dream.status == 0, "\(dream.stderr)")

        let (_, daemon) = try claude.watch()
        defer {
            daemon.signal(SIGKILL)
            _ = daemon.wait(seconds: 10)
        }
        try claude.write(lock, "\(exited.processIdentifier)")
        try claude.write(claude.memory + "/notes.md", "A note after the consolidation.\n")
        #expect(Wait.until { (try? claude.git("show", "main:notes.md")) != nil })

        // Held by a process that runs (this one), the lock still holds.
        try claude.write(lock, "\(getpid())")
        #expect(try claude.reverie("-C", claude.memory, "status").stdout.contains("Claude Code is consolidating"))
    }

    /// The sessions glob must match this project's transcripts only, whatever the home
    /// folder is called: `[1]` in its name is not a character class, so `ana1`'s are not read.
    @Test func aHomeFolderWithGlobCharactersStillFindsItsOwnTranscripts() throws {
        let base = try Scratch("homes")
        let home = base.path + "/ana [1] *"
        let project = try Scratch("shop")
        try project.git("init", "-q", "-b", "main")
        let key = AutoMemoryLocation.key(for: project.path)
        let transcript = try String(
            contentsOfFile: ReverieBinary.projectRoot
                + "/Tests/SessionsTests/Fixtures/claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl",
            encoding: .utf8)
        for folder in [home, base.path + "/ana 1 x"] {
            try FileManager.default.createDirectory(
                atPath: folder + "/.claude/projects/" + key + "/memory",
                withIntermediateDirectories: true)
            try Data(transcript.utf8).write(
                to: URL(fileURLWithPath: folder + "/.claude/projects/\(key)/\(folder.count).jsonl"))
        }
        _ = try Shell.check("find", [base.path, "-name", "*.jsonl", "-exec", "touch", "-d", "2 days ago", "{}", ";"])
        let memory = home + "/.claude/projects/" + key + "/memory"
        let made = try ReverieBinary.run(["init", "--claude-code", project.path], environment: ["HOME": home])
        #expect(made.status == 0, "\(made.stderr)")
        let sessions = try ReverieBinary.run(["-C", memory, "sessions", "--json"], environment: ["HOME": home])
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) as? [[String: Any]], "\(sessions.stderr)"
        )
        let files = rows.compactMap { $0["file"] as? String }
        #expect(
            files.count == 1 && files[0].hasSuffix("/ana [1] */.claude/projects/\(key)/\(home.count).jsonl"), "\(files)"
        )
    }
}
