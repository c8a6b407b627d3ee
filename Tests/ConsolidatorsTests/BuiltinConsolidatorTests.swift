import Consolidators
import Dreaming
import Foundation
import Memory
import Sessions
import TestSupport
import Testing

@Suite struct BuiltinConsolidatorTests {
    static let viewer = ReverieBinary.projectRoot + "/Tests/SessionsTests/Fixtures/claude-code-viewer"

    func realSessions() throws -> [Session] {
        try FileManager.default.contentsOfDirectory(atPath: Self.viewer).sorted().filter { $0.hasSuffix(".jsonl") }
            .flatMap { ClaudeCodeParser.parse(file: "\(Self.viewer)/\($0)").sessions }
    }

    func input(_ sessions: [Session], texts: [String: String] = [:]) -> DreamInput {
        DreamInput(
            id: "test", memory: MemorySnapshot(commit: nil, files: [], texts: texts), sessions: sessions, humanEdits: []
        )
    }

    @Test func editingBeforeReadingIsARecurringMistakeInTheRealTranscripts() async throws {
        let plan = try await BuiltinConsolidator().plan(input(try realSessions()))
        let mistake = try #require(plan.changes.first { $0.kind == .mistake })
        let text = try #require(mistake.writes["mistakes.md"])
        #expect(text.contains("File has not been read yet") && text.contains("Fix: call Read on the same file first."))
        #expect(
            Set(mistake.evidence.map(\.session)) == [
                "5c0375b4-57a5-4f26-b12d-d022ee4e51b7", "fe5e1c67-53e7-4862-81ae-d0e013e3270b",
            ])
        // Every change cites sessions that were in the input; nothing is invented.
        let ids = Set(try realSessions().map(\.id))
        for change in plan.changes where change.kind != .index {
            #expect(
                !change.evidence.isEmpty && change.evidence.allSatisfy { ids.contains($0.session) }, "\(change.summary)"
            )
        }
        #expect(
            plan.changes.last?.kind == .index
                && plan.changes.last?.writes["MEMORY.md"]?.contains("- [mistakes.md](mistakes.md)") == true)
    }

    @Test func theSameInputGivesTheSamePlan() async throws {
        let sessions = try realSessions()
        let first = try await BuiltinConsolidator().plan(input(sessions))
        let second = try await BuiltinConsolidator().plan(input(sessions.reversed()))
        #expect(first == second)
    }

    /// Dreaming again over sessions already merged (a person re-chose them) changes
    /// nothing: an entry says what to do, not how often it was seen.
    @Test func aMistakeSeenAgainIsNeitherDuplicatedNorCountedAgain() async throws {
        let sessions = try realSessions()
        let first = try await BuiltinConsolidator().plan(input(sessions))
        let mistakes = try #require(first.changes.last { $0.writes["mistakes.md"] != nil }?.writes["mistakes.md"])
        #expect(mistakes.components(separatedBy: "File has not been read yet").count == 2)
        let again = try await BuiltinConsolidator().plan(input(sessions, texts: ["mistakes.md": mistakes]))
        #expect(!again.changes.contains { $0.writes["mistakes.md"] != nil })
        // The counts are in the commit, for a person, from this dream's sessions only.
        let change = try #require(first.changes.first { $0.kind == .mistake })
        #expect(
            change.rationale.contains("14 times across 2 sessions (2025-09-03 to 2025-09-07)"), "\(change.rationale)")
        #expect(!mistakes.contains("session") && !mistakes.contains("2025-"))
    }

    @Test func preferencesSharedByTwoPeopleAndTheLaterOfContraryOnesWins() async throws {
        func session(_ id: String, _ user: String, _ text: String, _ time: String) -> Session {
            var session = Session(id: id, source: "reverie", file: "x")
            session.user = user
            session.events = [
                SessionEvent(.user(text: text), time: try? Date(time, strategy: .iso8601), isSubagent: false)
            ]
            return session
        }
        let sessions = [
            session("a", "ana", "Always use tabs for indentation in Go files.", "2026-11-01T10:00:00Z"),
            session("b", "ben", "Please always use tabs for indentation in Go files!", "2026-11-02T10:00:00Z"),
            session("c", "ana", "Never use tabs for indentation in Go files.", "2026-11-20T10:00:00Z"),
            session("d", "cy", "Don't use tabs for indentation in Go files.", "2026-11-21T10:00:00Z"),
            session("e", "cy", "What time is it?", "2026-11-21T11:00:00Z"),
        ]
        // One dream sees the first two people agree; a later dream sees two say the opposite.
        let first = try await BuiltinConsolidator().plan(input(Array(sessions.prefix(2))))
        let agreed = try #require(first.changes.first { $0.kind == .preference }?.writes["preferences.md"])
        #expect(agreed.contains("- Always use tabs for indentation in Go files.\n"))
        #expect(
            try #require(first.changes.first { $0.kind == .preference }).rationale.contains(
                "2 persons (ana, ben) in 2 sessions"))
        let second = try await BuiltinConsolidator().plan(
            input(Array(sessions.dropFirst(2)), texts: ["preferences.md": agreed]))
        let change = try #require(second.changes.first { $0.kind == .preference })
        let later = try #require(change.writes["preferences.md"])
        #expect(later.contains("use tabs for indentation in Go files") && change.rationale.contains("(ana, cy)"))
        #expect(!later.contains("Always use tabs"))
        let archived = try #require(change.writes["archive/preferences.md"])
        #expect(
            archived.contains("Always use tabs for indentation in Go files")
                && archived.contains("replaced 2026-11-21 by:"))
        // Said in one session at once, the later of two contrary statements is the one kept.
        let together = try await BuiltinConsolidator().plan(input(sessions))
        #expect(together.changes.filter { $0.kind == .preference }.count == 1)
    }
}

@Suite struct ExampleSessionsTests {
    /// The sessions `scripts/run` dreams over: each planted pattern comes out.
    @Test func theShippedExamplesShowEveryKindOfPattern() async throws {
        let folder = ReverieBinary.projectRoot + "/examples/sessions"
        let sessions = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            .flatMap { ReverieFormatParser.parse(file: "\(folder)/\($0)").sessions }
        #expect(sessions.count == 4)
        let plan = try await BuiltinConsolidator().plan(
            DreamInput(
                id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: [:]), sessions: sessions, humanEdits: [])
        )
        let text = plan.changes.flatMap { Array($0.writes.values) }.joined(separator: "\n")
        #expect(
            text.contains(
                "- `pytest` fails: `bash: pytest: command not found`. Worked instead: `python -m pytest -q`.\n"))
        #expect(text.contains("- Before a commit: `git diff`, `python -m pytest`, then `git commit`.\n"))
        #expect(text.contains("- Never push to main directly.\n"))
        #expect(text.contains("- Always run the tests with python -m pytest.\n"))
    }
}
