import Foundation
import Testing
import TestSupport

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
        try FileManager.default.createDirectory(atPath: home.url(".claude/projects/-srv-app"), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures) where name.hasSuffix(".jsonl") {
            try FileManager.default.copyItem(atPath: "\(fixtures)/\(name)", toPath: home.url(".claude/projects/-srv-app/\(name)"))
        }
        #expect(try reverie(["init", repo.path]).status == 0)
        try repo.write(".reverie/config.toml", "[sessions]\nidle_minutes = 0\n")
    }

    func reverie(_ arguments: [String]) throws -> Shell.Result {
        try ReverieBinary.run(arguments + (arguments.first == "init" ? [] : ["-C", repo.path]),
                              environment: ["HOME": home.path])
    }

    @Test func listsEverySessionWithItsCountsAndState() throws {
        let result = try reverie(["sessions"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true && lines.first?.contains("ERRORS") == true)
        let real = try #require(lines.first { $0.hasPrefix("fe5e1c67-53e7-4862-81ae-d0e013e3270b ") })
        #expect(real.contains("claude-code") && real.hasSuffix("new"))
        #expect(result.stdout.contains("5 sessions, 5 new"))

        let json = try reverie(["sessions", "--json", "--new"])
        let rows = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 5)
        let row = try #require(rows.first { ($0["id"] as? String)?.hasPrefix("fe5e1c67") == true })
        #expect(row["source"] as? String == "claude-code" && row["state"] as? String == "new")
        #expect((row["errors"] as? Int ?? 0) > 0 && (row["toolCalls"] as? Int ?? 0) > 0)
        #expect(row["eventsRead"] as? Int == 0)
    }

    @Test func statusNamesTheSourcesAndWarnsWhenATranscriptVanishedUnread() throws {
        var status = try reverie(["status"])
        #expect(status.stdout.contains("Sessions      5 seen, 5 new for the next dream"), "\(status.stdout)")
        #expect(status.stdout.contains("Source        claude-code ~/.claude/projects\n"))
        #expect(status.stdout.contains("Source        codex ~/.codex/sessions  (not found)"))
        try FileManager.default.removeItem(atPath: "\(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl")
        status = try reverie(["status"])
        #expect(status.stdout.contains("Warning       \(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl vanished before a dream read it"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(try reverie(["status", "--json"]).stdout.utf8)) as? [String: Any])
        let sessions = try #require(json["sessions"] as? [String: Any])
        #expect(sessions["vanished"] as? [String] == ["\(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl"])
        #expect(sessions["new"] as? Int == 4)
    }

    @Test func aBrokenSourceSettingIsAClearErrorThatNamesTheLine() throws {
        try repo.write(".reverie/config.toml", "[sessions]\nsources = [{ kind = \"cursor\", path = \"~/x\" }]\n")
        let result = try reverie(["sessions"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("reverie: .reverie/config.toml:2: sessions.sources: source 1: kind must be one of"))
    }
}
