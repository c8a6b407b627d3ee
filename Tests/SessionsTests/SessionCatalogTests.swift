import Foundation
import Memory
import Sessions
import TestSupport
import Testing

@Suite struct SessionCatalogTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/claude-code-viewer").path

    /// A home folder with the real Claude Code fixtures where Claude Code keeps them.
    func home() throws -> Scratch {
        let home = try Scratch("home")
        let project = home.url(".claude/projects/-srv-app")
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.fixtures) where name.hasSuffix(".jsonl") {
            try FileManager.default.copyItem(atPath: "\(Self.fixtures)/\(name)", toPath: "\(project)/\(name)")
        }
        return home
    }

    func catalog(
        _ home: Scratch, sources: [SessionSourceSpec] = SessionSourceSpec.defaults, idle: Int = 0
    ) -> SessionCatalog {
        SessionCatalog(sources: sources, idleMinutes: idle, home: home.path, cursorPath: home.url("state/sources.json"))
    }

    /// Sets a file's modification time `minutes` into the past.
    func age(_ file: String, minutes: Double) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -minutes * 60)], ofItemAtPath: file)
    }

    @Test func claudeCodesDefaultFolderIsReadAndSubagentsAreSessionsOfTheirOwn() throws {
        let home = try home()
        let scan = try catalog(home).scan(consumed: [:])
        let ids = scan.entries.map(\.summary.id).sorted()
        #expect(
            ids == [
                "1af7fc5e-8455-4414-9ccd-011d40f70b2a", "5c0375b4-57a5-4f26-b12d-d022ee4e51b7",
                "5c0375b4-57a5-4f26-b12d-d022ee4e51b7/agent-test-hash-123",
                "5c0375b4-57a5-4f26-b12d-d022ee4e51b7/agent-test-hash-456",
                "fe5e1c67-53e7-4862-81ae-d0e013e3270b",
            ])
        #expect(scan.new.count == 5)
        // Codex's folder does not exist on this "machine": named, not an error.
        #expect(scan.missingSources == [SessionSourceSpec(kind: .codex, path: "~/.codex/sessions")])
        let real = try #require(scan.entries.first { $0.summary.id.hasPrefix("fe5e1c67") })
        #expect(real.summary.errors > 0 && real.summary.toolCalls > real.summary.errors)
    }

    @Test func anUnchangedFileIsNotParsedAgain() throws {
        let home = try home()
        let catalog = catalog(home)
        _ = try catalog.scan(consumed: [:])
        // Doctor the cursor: if the next scan still shows the doctored count, it did not re-parse.
        var cursor = SourceCursor.load(from: catalog.cursorPath)
        let file = try #require(cursor.files.keys.first { $0.hasSuffix("fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl") })
        cursor.files[file]!.sessions[0].events = 99_999
        try cursor.save(to: catalog.cursorPath)
        #expect(try catalog.scan(consumed: [:]).entries.contains { $0.summary.events == 99_999 })
        // A changed file is read again.
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
        #expect(try !catalog.scan(consumed: [:]).entries.contains { $0.summary.events == 99_999 })
    }

    @Test func aGrowingSessionContributesOnlyItsNewEvents() throws {
        let home = try Scratch("home")
        let example = try ReverieFormatParserTests.documentedExample()
        let lines = example.split(separator: "\n").map(String.init)
        try home.write("logs/ana.jsonl", lines.prefix(5).joined(separator: "\n") + "\n")
        let catalog = catalog(home, sources: [SessionSourceSpec(kind: .reverie, glob: "~/logs/*.jsonl")])
        let first = try catalog.scan(consumed: [:])
        #expect(first.new.map(\.summary.events) == [4])
        // A dream read those four; the agent writes on.
        try home.write("logs/ana.jsonl", example)
        let second = try catalog.scan(consumed: ["2026-11-24-ana-1": 4])
        let entry = try #require(second.new.first)
        #expect(entry.summary.events == 8 && entry.unread == 4)
        let (sessions, warnings) = catalog.load(second.new)
        #expect(warnings.isEmpty)
        #expect(sessions.first?.events.count == 4)
        #expect(
            sessions.first?.events.first?.kind
                == .toolResult(callID: "c2", output: "12 passed", isError: false, exitCode: 0))
        #expect(try catalog.scan(consumed: ["2026-11-24-ana-1": 8]).new.isEmpty)
    }

    @Test func aFileStillBeingWrittenWaitsForTheIdleTime() throws {
        let home = try home()
        let catalog = catalog(home, idle: 10)
        let scan = try catalog.scan(consumed: [:])
        #expect(scan.entries.count == 5 && scan.entries.allSatisfy(\.active) && scan.new.isEmpty)
        let project = home.url(".claude/projects/-srv-app")
        try age("\(project)/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl", minutes: 11)
        #expect(try catalog.scan(consumed: [:]).new.map(\.summary.id) == ["fe5e1c67-53e7-4862-81ae-d0e013e3270b"])
    }

    @Test func aTranscriptThatVanishesUnreadIsReported() throws {
        let home = try home()
        let catalog = catalog(home)
        _ = try catalog.scan(consumed: [:])
        let project = home.url(".claude/projects/-srv-app")
        try FileManager.default.removeItem(atPath: "\(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl")
        try FileManager.default.removeItem(atPath: "\(project)/agent-test-hash-123.jsonl")
        let scan = try catalog.scan(consumed: ["5c0375b4-57a5-4f26-b12d-d022ee4e51b7/agent-test-hash-123": 100])
        #expect(scan.vanished == ["\(project)/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl"])
        #expect(scan.entries.count == 3)
    }

    @Test func badFilesAreWarningsAndTheRestIsRead() throws {
        let home = try home()
        let project = home.url(".claude/projects/-srv-app")
        try Data([0x00, 0xFF, 0x13, 0x37, 0x00]).write(to: URL(fileURLWithPath: "\(project)/random.jsonl"))
        try home.write(".claude/projects/-srv-app/empty.jsonl", "")
        try home.write(".claude/projects/-srv-app/notes.jsonl", "this is not json\nnor this\n")
        let scan = try catalog(home).scan(consumed: [:])
        #expect(scan.entries.count == 5)
        #expect(scan.warnings.contains { $0.file.hasSuffix("random.jsonl") && $0.line == nil })
        #expect(
            scan.warnings.contains {
                $0.file.hasSuffix("notes.jsonl") && $0.reason.contains("not a Claude Code transcript")
            })
    }

    @Test func aPathMayNameOneTranscriptButNotAnotherFile() throws {
        let home = try Scratch("home")
        let example = try ReverieFormatParserTests.documentedExample()
        try home.write("logs/ana.jsonl", example)
        try home.write("logs/notes.txt", example)
        let one = try catalog(home, sources: [SessionSourceSpec(kind: .reverie, path: "~/logs/ana.jsonl")]).scan(
            consumed: [:])
        #expect(one.entries.count == 1 && one.sourceProblems.isEmpty)
        let other = SessionSourceSpec(kind: .reverie, path: "~/logs/notes.txt")
        let scan = try catalog(home, sources: [other]).scan(consumed: [:])
        #expect(scan.entries.isEmpty && scan.missingSources.isEmpty)
        #expect(
            scan.sourceProblems.map(\.description) == [
                "session source reverie ~/logs/notes.txt: \(home.url("logs/notes.txt")) "
                    + "is a file, not a folder of transcripts; set path to the folder that holds the *.jsonl transcripts, or use glob to name files"
            ])
    }

    @Test func aBrokenCursorMeansReadingAgainNotFailing() throws {
        let home = try home()
        let catalog = catalog(home)
        try home.write("state/sources.json", "{ not json")
        #expect(try catalog.scan(consumed: [:]).entries.count == 5)
        #expect(SourceCursor.load(from: catalog.cursorPath).files.count == 5)
    }
}
