import Foundation
import TestSupport
import Testing

/// `reverie sessions` and the sources part of `reverie status`, on the real Claude Code
/// fixtures placed where Claude Code keeps transcripts.
@Suite struct SessionsCommandTests {
    let home: Scratch
    let repo: Scratch
    var project: String { home.url(".claude/projects/-srv-app") }

    init() throws {
        home = try Scratch("home")
        repo = try Scratch("memory")
        let fixtures = ReverieBinary.projectRoot + "/Tests/SessionsTests/Fixtures/claude-code-viewer"
        try FileManager.default.createDirectory(
            atPath: home.url(".claude/projects/-srv-app"), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures) where name.hasSuffix(".jsonl") {
            try FileManager.default.copyItem(
                atPath: "\(fixtures)/\(name)", toPath: home.url(".claude/projects/-srv-app/\(name)"))
        }
        #expect(try reverie(["init", repo.path]).status == 0)
        try repo.write(".reverie/config.toml", "[sessions]\nidle_minutes = 0\n")
    }

    func reverie(_ arguments: [String]) throws -> Shell.Result {
        try ReverieBinary.run(
            arguments + (arguments.first == "init" ? [] : ["-C", repo.path]),
            environment: ["HOME": home.path])
    }

    @Test func listsEverySessionWithItsCountsAndState() throws {
        let result = try reverie(["sessions"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true && lines.first?.contains("ERRORS") == true)
        let real = try #require(lines.first { $0.hasPrefix("fe5e1c67-53e7-4862-81ae-d0e013e3270b ") })
        #expect(real.contains("claude-code") && real.hasSuffix("new"))
        #expect(result.stdout.hasSuffix("\n\n5 sessions: 5 new; 5 for the next dream\n"))

        let json = try reverie(["sessions", "--json", "--new"])
        let rows = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 5)
        let row = try #require(rows.first { ($0["id"] as? String)?.hasPrefix("fe5e1c67") == true })
        #expect(row["source"] as? String == "claude-code" && row["state"] as? String == "new")
        #expect((row["errors"] as? Int ?? 0) > 0 && (row["toolCalls"] as? Int ?? 0) > 0)
        #expect(row["eventsRead"] as? Int == 0)
    }

    /// A Reverie-format transcript: the header and `events` user lines.
    func writeSession(_ id: String, events: Int, to file: String, in folder: Scratch? = nil) throws {
        let lines =
            ["{\"v\":1,\"type\":\"session\",\"id\":\"\(id)\",\"started\":\"2026-11-24T09:00:00Z\"}"]
            + (0..<events).map {
                "{\"v\":1,\"type\":\"user\",\"time\":\"2026-11-24T09:00:0\($0)Z\",\"text\":\"Step \($0).\"}"
            }
        try (folder ?? home).write(file, lines.joined(separator: "\n") + "\n")
    }

    @Test func theTotalCountsTheRowsByTheStateTheyShow() throws {
        try repo.write(
            ".reverie/config.toml",
            """
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "claude-code", path = "~/.claude/projects" }, { kind = "reverie", path = "~/logs" }]
            """)
        try ReverieBinary.trust(repo.path)
        try writeSession("grows", events: 2, to: "logs/grows.jsonl")
        try writeSession("empty", events: 0, to: "logs/empty.jsonl")
        let dream = try reverie(["dream"])
        #expect(dream.status == 0, "\(dream.stderr)")
        try writeSession("grows", events: 4, to: "logs/grows.jsonl")  // the agent went on
        try writeSession("fresh", events: 1, to: "logs/fresh.jsonl")

        let result = try reverie(["sessions"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix {
            !$0.isEmpty
        }
        let states = rows.map { row in
            ["new events", "new", "read", "active", "empty"].first { row.hasSuffix("  " + $0) } ?? "?"
        }
        func count(_ state: String) -> Int { states.filter { $0 == state }.count }
        #expect(
            states.count == 8 && count("new") == 1 && count("new events") == 1 && count("read") == 5
                && count("empty") == 1, "\(states)")
        // Each state in the total is the number of rows showing it; the next dream reads the new and the grown.
        #expect(result.stdout.hasSuffix("\n\n8 sessions: 1 new, 1 new events, 5 read, 1 empty; 2 for the next dream\n"))
        let new = try reverie(["sessions", "--new"])
        #expect(new.stdout.hasSuffix("\n\n2 sessions: 1 new, 1 new events; 2 for the next dream\n"), "\(new.stdout)")
        #expect(try reverie(["status"]).stdout.contains("Sessions      8 seen, 2 new for the next dream"))
    }

    @Test func sessionDatesInJSONAreISO8601() throws {
        let json = try reverie(["sessions", "--json"])
        let rows = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first { ($0["id"] as? String) == "1af7fc5e-8455-4414-9ccd-011d40f70b2a" })
        #expect(row["started"] as? String == "2025-09-03T00:47:19Z", "\(row)")
        #expect(row["ended"] as? String == "2025-09-03T00:47:52Z", "\(row)")
    }

    @Test func aSourceThatCannotHoldTranscriptsIsAWarningThatSaysWhatToChange() throws {
        let root = try Scratch("place")
        let memory = root.url("memory")
        #expect(try ReverieBinary.run(["init", memory]).status == 0)
        try writeSession("beside", events: 1, to: "transcripts/beside.jsonl", in: root)
        try root.write("notes.txt", "not a transcript\n")
        try root.write(
            "memory/.reverie/config.toml",
            """
            [sessions]
            idle_minutes = 0
            sources = [
              { kind = "reverie", path = "../transcripts" },
              { kind = "reverie", path = "../notes.txt" },
              { kind = "claude-code", path = ".git" },
              { kind = "reverie", path = "logs" },
            ]
            """)
        try ReverieBinary.trust(memory)
        // Run from elsewhere: relative paths are the memory repo's, not the current folder's.
        let run = { (arguments: [String]) throws -> Shell.Result in
            try ReverieBinary.run(arguments + ["-C", memory], in: "/", environment: ["HOME": self.home.path])
        }
        let warnings = [
            "session source reverie ../notes.txt: \(root.url("notes.txt")) is a file, not a folder of transcripts; "
                + "set path to the folder that holds the *.jsonl transcripts, or use glob to name files",
            "session source claude-code .git: \(memory)/.git is the memory repo's .git, which holds git's own files, "
                + "not transcripts; set path to where the agent writes them (Claude Code: ~/.claude/projects)",
            "session source reverie logs: \(memory)/logs does not exist (a relative path is read from the memory repo, "
                + "\(memory)); correct the path, or give it from / or ~",
        ]
        let sessions = try run(["sessions"])
        #expect(sessions.status == 0, "\(sessions.stderr)")
        #expect(sessions.stdout.contains("\nbeside "))
        #expect(sessions.stdout.hasSuffix("1 session: 1 new; 1 for the next dream\n"), "\(sessions.stdout)")
        for warning in warnings { #expect(sessions.stderr.contains("warning: \(warning)\n"), "\(sessions.stderr)") }

        let status = try run(["status"])
        for warning in warnings { #expect(status.stdout.contains("Warning       \(warning)\n"), "\(status.stdout)") }
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(try run(["status", "--json"]).stdout.utf8)) as? [String: Any])
        #expect((json["sessions"] as? [String: Any])?["warnings"] as? [String] == warnings)

        let dream = try run(["dream", "--dry-run"])
        #expect(
            dream.status == 0 && dream.stdout.hasPrefix("Dry run: the dream would read 1 session "),
            "\(dream.stdout)\(dream.stderr)")
        for warning in warnings { #expect(dream.stderr.contains("warning: \(warning)\n"), "\(dream.stderr)") }
        let report = try #require(
            JSONSerialization.jsonObject(with: Data(try run(["dream", "--dry-run", "--json"]).stdout.utf8))
                as? [String: Any])
        #expect(report["warnings"] as? [String] == warnings)
    }

    @Test func statusNamesTheSourcesAndWarnsWhenATranscriptVanishedUnread() throws {
        var status = try reverie(["status"])
        #expect(status.stdout.contains("Sessions      5 seen, 5 new for the next dream"), "\(status.stdout)")
        #expect(status.stdout.contains("Source        claude-code ~/.claude/projects\n"))
        #expect(status.stdout.contains("Source        codex ~/.codex/sessions  (not found)"))
        try FileManager.default.removeItem(atPath: "\(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl")
        status = try reverie(["status"])
        #expect(
            status.stdout.contains(
                "Warning       \(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl vanished before a dream read it"))
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(try reverie(["status", "--json"]).stdout.utf8)) as? [String: Any])
        let sessions = try #require(json["sessions"] as? [String: Any])
        #expect(sessions["vanished"] as? [String] == ["\(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl"])
        #expect(sessions["new"] as? Int == 4)
    }

    @Test func aBrokenSourceSettingIsAClearErrorThatNamesTheLine() throws {
        try repo.write(".reverie/config.toml", "[sessions]\nsources = [{ kind = \"cursor\", path = \"~/x\" }]\n")
        let result = try reverie(["sessions"])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix("reverie: .reverie/config.toml:2: sessions.sources: source 1: kind must be one of"))
    }
}
