import Foundation
import Sessions
import TestSupport
import Testing

@Suite struct ReverieFormatParserTests {
    /// The example of docs/session-format.md, read from the document itself so the two
    /// cannot drift apart.
    static func documentedExample() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/session-format.md"), encoding: .utf8)
        let block = try #require(
            doc.components(separatedBy: "```jsonl\n").dropFirst().first?.components(separatedBy: "```").first)
        return block
    }

    @Test func readsTheDocumentedExample() throws {
        let dir = try Scratch()
        try dir.write("s.jsonl", try Self.documentedExample())
        let (sessions, warnings) = ReverieFormatParser.parse(file: dir.url("s.jsonl"))
        #expect(warnings.isEmpty)
        let session = try #require(sessions.first)
        #expect(session.id == "2026-11-24-ana-1" && session.user == "ana" && session.agent == "support-bot")
        #expect(session.project == "/srv/app" && session.gitBranch == "main")
        #expect(session.events.count == 8)
        #expect(session.events[1].kind == .toolCall(id: "c1", name: "Bash", input: #"{"command":"pytest"}"#))
        #expect(
            session.events[2].kind
                == .toolResult(callID: "c1", output: "pytest: command not found", isError: true, exitCode: 127))
        #expect(session.events[4].kind == .toolResult(callID: "c2", output: "12 passed", isError: false, exitCode: 0))
        #expect(session.events[6].kind == .rejection(callID: "c3", reason: "never force-push main"))
        #expect(session.toolCalls == 3 && session.toolErrors == 1)
    }

    @Test func wrongVersionsTypesAndMissingFieldsAreNamed() throws {
        let dir = try Scratch()
        let lines = [
            #"{"v":1,"type":"session","id":"x"}"#,
            #"{"v":2,"type":"user","text":"from the future"}"#,
            #"{"type":"user","text":"no version"}"#,
            #"{"v":1,"type":"user","text":42}"#,
            #"{"v":1,"type":"tool_call","name":"Bash"}"#,
            #"{"v":1,"type":"something_new","x":1}"#,
            #"{"v":1,"type":"user","text":"kept","subagent":true}"#,
        ]
        try dir.write("s.jsonl", lines.joined(separator: "\n") + "\n")
        let (sessions, warnings) = ReverieFormatParser.parse(file: dir.url("s.jsonl"))
        #expect(warnings.map(\.line) == [2, 3, 4, 5])
        #expect(warnings[0].reason == "format version 2; this Reverie reads version 1")
        #expect(warnings[3].reason == "\"id\" is missing or not text")
        #expect(sessions.first?.events == [SessionEvent(.user(text: "kept"), time: nil, isSubagent: true)])
    }
}
