import Consolidators
import Dreaming
import Foundation
import TestSupport
import Testing

/// `archive_after_days`: an entry Reverie wrote moves to archive/ once no session has borne
/// it out for that long, counted from the last dream whose sessions did; a person's own
/// line never moves.
@Suite struct ArchiveTests {
    func say(_ fixture: DreamFixture, _ id: String, _ user: String, _ text: String, on day: String) throws {
        try fixture.home.write(
            "sessions/\(id).jsonl",
            """
            {"v":1,"type":"session","id":"\(id)","user":"\(user)","agent":"bot","started":"\(day)T09:00:00Z"}
            {"v":1,"type":"user","time":"\(day)T09:00:01Z","text":"\(text)"}

            """)
    }

    @Test func anEntryNoSessionBoreOutForNinetyDaysIsArchivedAndAPersonsLineStays() async throws {
        let fixture = try DreamFixture(files: ["notes.md": "# Notes\n"], sessions: 0)
        let builtin = BuiltinConsolidator(minimumSessions: 2, archiveAfterDays: 90)
        let rule = "Always run the linter before committing"

        try say(fixture, "a1", "ana", "\(rule).", on: "2026-01-05")
        try say(fixture, "a2", "ben", "Please \(rule.lowercased())!", on: "2026-01-06")
        let first = try await fixture.engine().dream(with: builtin)
        #expect(first.changes.contains { $0.kind == "preference" })
        try fixture.book.approve(first.id)
        let written = try fixture.dir.read("preferences.md")
        let entry = try #require(written.split(separator: "\n").first { $0.contains("linter") }.map(String.init))
        // A person adds a rule of their own to the same file.
        try fixture.dir.write("preferences.md", written + "- Keep commit subjects under 60 characters.\n")
        try fixture.dir.git("commit", "-qam", "A rule of my own")

        // Sessions bear the entry out again in March: the record says so.
        try say(fixture, "b1", "ana", "\(rule).", on: "2026-03-02")
        try say(fixture, "b2", "cy", "\(rule), always.", on: "2026-03-03")
        let second = try await fixture.engine().dream(with: builtin)
        #expect(second.changes.isEmpty && second.outcome == .merged, "\(second)")
        #expect(
            try fixture.dir.git("show", "main:.reverie/dreams/\(second.id).sessions").contains(
                "# reinforced 2026-03-03\t\(entry)"))

        // 120 days after it was written, 61 after it was borne out: it stays.
        try say(fixture, "c1", "ana", "What time is it?", on: "2026-05-03")
        let third = try await fixture.engine().dream(with: builtin)
        #expect(!third.changes.contains { $0.kind == "archive" }, "\(third.changes)")

        // 105 days after the last session that bore it out: archived, word for word.
        try say(fixture, "d1", "ana", "Thanks, that is all.", on: "2026-06-16")
        let fourth = try await fixture.engine().dream(with: builtin)
        let archive = try #require(fourth.changes.first { $0.kind == "archive" }, "\(fourth.changes)")
        #expect(archive.paths == ["archive/preferences.md", "preferences.md"])
        try fixture.book.approve(fourth.id)
        let after = try fixture.dir.read("preferences.md")
        #expect(!after.contains("linter"))
        #expect(after.contains("- Keep commit subjects under 60 characters.\n"))
        #expect(try fixture.dir.read("archive/preferences.md").contains(entry))
        #expect(try fixture.dir.git("status", "--porcelain") == "")
        #expect(try fixture.fsck() == "")
    }
}
