import Foundation
import Memory
import Sessions
import TestSupport
import Testing

/// A folder a person collected, transcripts of every kind mixed, read without settings.
@Suite struct TranscriptFolderTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path

    @Test func eachFileIsReadWithTheParserOfItsKind() throws {
        let dir = try Scratch("transcripts")
        let claude = "\(Self.fixtures)/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl"
        try dir.write("claude/a.jsonl", try String(contentsOfFile: claude, encoding: .utf8))
        try dir.write("deep/er/rollout-1.jsonl", CodexParserTests.rollout.joined(separator: "\n") + "\n")
        let example = ReverieBinary.projectRoot + "/examples/sessions/2026-11-20-ana.jsonl"
        try dir.write("reverie.jsonl", try String(contentsOfFile: example, encoding: .utf8))
        try dir.write("notes.jsonl", #"{"hello": "world"}"# + "\n")
        try dir.write("README.md", "not a transcript\n")

        #expect(TranscriptFolder.kind(of: dir.url("claude/a.jsonl")) == .claudeCode)
        #expect(TranscriptFolder.kind(of: dir.url("deep/er/rollout-1.jsonl")) == .codex)
        #expect(TranscriptFolder.kind(of: dir.url("reverie.jsonl")) == .reverie)
        #expect(TranscriptFolder.kind(of: dir.url("notes.jsonl")) == nil)

        let loaded = try TranscriptFolder.load(dir.path)
        #expect(loaded.files == 4)
        #expect(Set(loaded.sessions.map(\.source)) == ["claude-code", "codex", "reverie"])
        #expect(
            loaded.sessions.contains { $0.id == "019a2d7a" } && loaded.sessions.contains { $0.id == "2026-11-20-ana" })
        #expect(
            loaded.warnings.map(\.description) == [
                "\(dir.url("notes.jsonl")): not a Claude Code, Codex or Reverie transcript; skipped"
            ])
    }

    @Test func aFolderThatIsNotThereIsAnError() throws {
        #expect(throws: SessionsError.notAFolder(path: "/nonexistent/transcripts")) {
            try TranscriptFolder.load("/nonexistent/transcripts")
        }
    }
}
