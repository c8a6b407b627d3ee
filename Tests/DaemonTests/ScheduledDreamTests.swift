import Foundation
import TestSupport
import Testing

/// The daemon dreams on its schedule, with the built-in consolidator, over real sessions.
@Suite struct ScheduledDreamTests {
    static func config(minNewSessions: Int) -> String {
        """
        [watch]
        debounce_ms = 50
        [dream]
        schedule = "every 1s"
        min_new_sessions = \(minNewSessions)
        quiet_minutes = 0
        merge = "auto"
        [sessions]
        idle_minutes = 0
        sources = [{ kind = "reverie", path = "\(ReverieBinary.projectRoot)/examples/sessions" }]
        """
    }

    @Test func aDueDreamWithEnoughSessionsIsMadeAndMergedWhileEditsGoOn() async throws {
        let repo = try await WatchedRepo(files: [
            ".reverie/config.toml": Self.config(minNewSessions: 4), "notes.md": "# Notes\n",
        ])
        try repo.dir.write("notes.md", "# Notes\n\n- edited while the daemon dreams\n")
        let merged = try await Wait.until(seconds: 60) {
            try repo.dir.git("log", "--format=%s", "main").contains("Dream ")
        }
        if !merged { Issue.record("no dream merged; daemon said: \(await repo.stop().stderr)") }
        #expect(try repo.show("mistakes.md")?.contains("- `pytest` fails") == true)
        #expect(try repo.show("MEMORY.md")?.contains("[notes.md](notes.md)") == true)
        // The person's edit is on main and on disk.
        #expect(try await Wait.until { try repo.show("notes.md") == "# Notes\n\n- edited while the daemon dreams\n" })
        #expect(try repo.dir.read("notes.md") == "# Notes\n\n- edited while the daemon dreams\n")
        let result = await repo.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try repo.dir.git("for-each-ref", "--format=%(refname)", "refs/heads/dreams").split(separator: "\n").count
                == 1)
        #expect(try repo.dir.git("status", "--porcelain") == "")
        #expect(try repo.dir.git("fsck", "--strict", "--no-dangling") == "")
    }
}
