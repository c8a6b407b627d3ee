import Foundation
import TestSupport
import Testing

@testable import Sessions

@Suite struct ClaudeCodeParserTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path

    func parse(_ name: String) -> (sessions: [Session], warnings: [ParseWarning]) {
        ClaudeCodeParser.parse(file: "\(Self.fixtures)/\(name)")
    }

    @Test func readsTheToolErrorsOfARealSession() throws {
        let (sessions, warnings) = parse("claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl")
        #expect(warnings.isEmpty)
        let session = try #require(sessions.first)
        #expect(sessions.count == 1)
        #expect(session.id == "fe5e1c67-53e7-4862-81ae-d0e013e3270b")
        #expect(session.project == "/path/to/Demo")
        #expect(session.summaries == ["Empty Repo Setup: CLAUDE.md Foundation Created"])
        // Counted independently with Python's json over the same file.
        #expect(session.toolCalls == 167)
        #expect(session.toolErrors == 23)
        let notRead = session.events.filter {
            if case .toolResult(_, let output, true, _) = $0.kind {
                output.contains("File has not been read yet")
            } else {
                false
            }
        }
        #expect(notRead.count == 13)
        #expect(notRead.allSatisfy { $0.isSubagent }, "those came from subagents (sidechains)")
        #expect(session.started! < session.ended!)
    }

    @Test func everyResultFollowsItsCall() throws {
        for name in [
            "claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl",
            "claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl",
            "claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl",
        ] {
            let session = try #require(parse(name).sessions.first)
            var called = Set<String>()
            for event in session.events {
                switch event.kind {
                case .toolCall(let id, _, _): called.insert(id)
                case .toolResult(let id, _, _, _), .rejection(let id, _):
                    #expect(called.contains(id), "\(name): result \(id) before its call")
                default: break
                }
            }
        }
        #expect(parse("claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl").sessions.first?.toolCalls == 21)
        // Its one refused call ("…but you haven't granted it yet") is a refusal, not a tool error.
        let refused = try #require(
            parse("claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl").sessions.first)
        #expect(refused.toolErrors == 0)
        #expect(refused.events.filter { if case .rejection = $0.kind { true } else { false } }.count == 1)
    }

    /// Slash commands, their expanded prompts, a compaction summary and local command
    /// output are Claude Code writing in the person's turn, not the person.
    @Test func textTheToolInjectsIsContextNotThePerson() throws {
        let session = try #require(parse("fasthooks/sample_main_transcript.jsonl").sessions.first)
        let typed = session.events.compactMap { if case .user(let text) = $0.kind { text } else { nil } }
        let context = session.events.compactMap { if case .context(let text) = $0.kind { text } else { nil } }
        #expect(typed.contains("can you run `cat nonexistent.txt`"))
        #expect(
            !typed.contains {
                $0.contains("This session is being continued") || $0.contains("<command-name>")
                    || $0.contains("Caveat:")
            })
        #expect(context.contains { $0.hasPrefix("This session is being continued") })
        #expect(context.contains { $0.contains("<command-name>/compact</command-name>") })
        let initPrompt = try #require(
            parse("claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl").sessions.first)
        #expect(
            initPrompt.events.contains {
                if case .context(let text) = $0.kind { text.hasPrefix("Please analyze this codebase") } else { false }
            })
        #expect(!initPrompt.events.contains { if case .user = $0.kind { true } else { false } })
    }

    /// Every text Claude Code writes when a call is refused, with the reason when the person gave one.
    @Test(
        arguments: [
            (
                "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.",
                nil
            ),
            (
                "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). The user provided the following reason for the rejection:  use pnpm, not npm",
                "use pnpm, not npm"
            ),
            (
                "The user doesn't want to take this action right now. STOP what you are doing and wait for the user to tell you how to proceed.",
                nil
            ),
            ("[Request interrupted by user for tool use]", nil),
            ("Permission for this tool use was denied. The tool use was rejected.", nil),
            ("Claude requested permissions to use Bash, but you haven't granted it yet.", nil),
            ("Error: Claude requested permissions to write to /repo/CLAUDE.md, but you haven't granted it yet.", nil),
        ] as [(String, String?)])
    func everyRefusalTextIsARefusal(output: String, reason: String?) throws {
        let refusal = try #require(ClaudeCodeParser.refusal(in: output))
        #expect(refusal.reason == reason)
        #expect(ClaudeCodeParser.refusal(in: "Exit code 1\nThe user doesn't want to proceed") == nil)
    }

    /// Claude Code 2.x writes a subagent's transcript with its parent's session id, and not
    /// always under an `agent-` name: all sidechain, it is a session of its own.
    @Test func aSidechainTranscriptIsItsOwnSessionBesideItsParent() throws {
        let parent = "c45af7b1-cb7c-4e51-93db-8cbb250a877a"
        let main = try #require(parse("fasthooks/sample_main_transcript.jsonl").sessions.first)
        let sidechain = parse("fasthooks/sample_agent_sidechain.jsonl").sessions
        #expect(main.id == parent)
        #expect(sidechain.map(\.id) == ["\(parent)/sample_agent_sidechain"])
        #expect(sidechain.first?.events.allSatisfy(\.isSubagent) == true)
    }

    @Test func linesSharingAMessageIDAreOneAssistantMessage() throws {
        let session = try #require(
            parse("claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl").sessions.first)
        var previousWasAssistantText = false
        var consecutive = 0
        for event in session.events {
            if case .assistant = event.kind {
                if previousWasAssistantText { consecutive += 1 }
                previousWasAssistantText = true
            } else {
                previousWasAssistantText = false
            }
        }
        #expect(consecutive == 0, "no assistant text event directly follows another")
    }

    @Test func orderComesFromTheParentChainNotTheFile() throws {
        let dir = try Scratch()
        let lines = [
            #"{"type":"assistant","uuid":"b","parentUuid":"a","sessionId":"s","timestamp":"2025-01-01T00:00:02Z","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"second"}]}}"#,
            #"{"type":"user","uuid":"c","parentUuid":"b","sessionId":"s","timestamp":"2025-01-01T00:00:01Z","message":{"role":"user","content":"third"}}"#,
            #"{"type":"user","uuid":"a","parentUuid":null,"sessionId":"s","timestamp":"2025-01-01T00:00:03Z","message":{"role":"user","content":"first"}}"#,
            #"{"type":"file-history-snapshot","messageId":"x","snapshot":{}}"#,
            #"{"type":"brand-new-type","whatever":[1,2,3]}"#,
        ]
        try dir.write("s.jsonl", lines.joined(separator: "\n") + "\n")
        let (sessions, warnings) = ClaudeCodeParser.parse(file: dir.url("s.jsonl"))
        #expect(warnings.isEmpty)
        #expect(
            sessions.first?.events.map(\.kind) == [
                .user(text: "first"), .assistant(text: "second"), .user(text: "third"),
            ])
    }

    @Test func badInputIsSkippedWithFileAndLineAndTheRestIsRead() throws {
        let dir = try Scratch()
        let good = #"{"type":"user","uuid":"a","sessionId":"s","message":{"role":"user","content":"kept"}}"#
        let text = [
            good, "{not json", #"["an","array"]"#, #"{"type":"user","uuid":5,"message":"wrong types"}"#,
            String(repeating: "[", count: 10_000),
            #"{"type":"user","uuid":"b","parentUuid":"a","sessionId":"s","message":{"role":"user","content":"also kept"}}"#,
            #"{"type":"user","uuid":"c","parentUuid":"b","sess"#,
        ].joined(separator: "\n")
        try dir.write("bad.jsonl", text)
        let (sessions, warnings) = ClaudeCodeParser.parse(file: dir.url("bad.jsonl"))
        #expect(sessions.first?.events.map(\.kind) == [.user(text: "kept"), .user(text: "also kept")])
        #expect(warnings.map(\.line) == [2, 3, 4, 5, 7])
        #expect(warnings.last?.reason == "incomplete last line (the file may still be written)")
        #expect(warnings[0].description.hasPrefix(dir.url("bad.jsonl") + ":2: "))
    }

    @Test func binaryEmptyInvalidUTF8AndHugeLinesDoNotBlowUp() throws {
        let dir = try Scratch()
        var random = SystemRandomNumberGenerator()
        try Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &random) }).write(
            to: URL(fileURLWithPath: dir.url("random.jsonl")))
        let binary = ClaudeCodeParser.parse(file: dir.url("random.jsonl"))
        #expect(binary.sessions.isEmpty && binary.warnings.count == 1)

        try dir.write("empty.jsonl", "")
        let empty = ClaudeCodeParser.parse(file: dir.url("empty.jsonl"))
        #expect(empty.sessions.isEmpty && empty.warnings.isEmpty)

        try Data([0x7B, 0xFF, 0xFE, 0x7D, 0x0A]).write(to: URL(fileURLWithPath: dir.url("utf8.jsonl")))
        #expect(ClaudeCodeParser.parse(file: dir.url("utf8.jsonl")).sessions.isEmpty)

        let good =
            #"{"type":"user","uuid":"a","sessionId":"s","message":{"role":"user","content":"after the huge line"}}"#
        let huge = "{\"type\":\"user\",\"pad\":\"" + String(repeating: "x", count: 11 * 1024 * 1024) + "\"}"
        try dir.write("huge.jsonl", huge + "\n" + good + "\n")
        let parsed = ClaudeCodeParser.parse(file: dir.url("huge.jsonl"))
        #expect(parsed.warnings.map(\.line) == [1])
        #expect(parsed.sessions.first?.events.first?.kind == .user(text: "after the huge line"))
    }

    @Test func everyFixtureParsesWithoutCrashing() throws {
        for folder in ["claude-code-viewer", "claude-code-log"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: "\(Self.fixtures)/\(folder)")
            where name.hasSuffix(".jsonl") {
                let (sessions, _) = parse("\(folder)/\(name)")
                #expect(!sessions.isEmpty, "\(name)")
            }
        }
        // edge_cases.jsonl: a message line without a uuid, and three lines that are JSON but not objects.
        #expect(parse("claude-code-log/edge_cases.jsonl").warnings.map(\.line) == [11, 13, 15, 16])
    }
}

@Suite struct TranscriptDateTests {
    @Test func theFastPathAgreesWithFoundation() throws {
        for text in [
            "2026-11-24T09:00:01Z", "2025-06-26T11:45:38.123Z", "1999-02-28T23:59:59.5Z", "2024-02-29T00:00:00Z",
        ] {
            let foundation = try Date(
                text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)
            )
            .timeIntervalSince1970
            let ours = try #require(TranscriptValues.date(text)).timeIntervalSince1970
            #expect(abs(ours - foundation) < 0.001, "\(text)")
        }
        // Offsets and odd forms go to Foundation's parser; nonsense is nil.
        #expect(
            TranscriptValues.date("2026-11-24T10:00:01+01:00")?.timeIntervalSince1970
                == TranscriptValues.date("2026-11-24T09:00:01Z")?.timeIntervalSince1970)
        #expect(
            TranscriptValues.date("2026-11-24T10:00:01.250+01:00")?.timeIntervalSince1970
                == TranscriptValues.date("2026-11-24T09:00:01.25Z")?.timeIntervalSince1970)
        #expect(TranscriptValues.date("2026-13-24T09:00:01Z") == nil)
        #expect(TranscriptValues.date("yesterday") == nil)
    }
}

/// The byte scanner is a fast path: wherever it gives an answer, it must be JSONDecoder's.
@Suite struct ClaudeLineScannerTests {
    static func fixtureLines() throws -> [Data] {
        var lines: [Data] = []
        for folder in ["claude-code-viewer", "claude-code-log"] {
            let path = "\(ClaudeCodeParserTests.fixtures)/\(folder)"
            for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            where name.hasSuffix(".jsonl") {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(path)/\(name)"))
                lines += data.split(separator: 0x0A).map { Data($0) }
            }
        }
        return lines
    }

    @Test func everyRealLineReadsAsJSONDecoderReadsIt() throws {
        let lines = try Self.fixtureLines()
        var scanned = 0, decodable = 0
        for line in lines {
            let decoded = try? JSONDecoder().decode(ClaudeCodeParser.Line.self, from: line)
            if decoded != nil { decodable += 1 }
            guard let fast = ClaudeLineScanner.scan(line) else { continue }
            scanned += 1
            #expect(fast == decoded, "\(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        // It reads every line JSONDecoder can (the rest are the fixtures' broken lines).
        #expect(scanned == decodable && decodable > 500, "scanned \(scanned) of \(decodable) decodable lines")
    }

    @Test func mangledLinesNeverReadDifferently() throws {
        var random = SeededRandom(seed: 2026)
        let lines = try Self.fixtureLines()
        var disagreements = 0
        for _ in 0..<3000 {
            var bytes = Array(lines[Int(random.next() % UInt64(lines.count))])
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: position)
                default: bytes.insert(Array("\"\\{}[],:0".utf8)[Int(random.next() % 9)], at: position)
                }
                if bytes.isEmpty { break }
            }
            let line = Data(bytes)
            guard let fast = ClaudeLineScanner.scan(line) else { continue }
            if fast != (try? JSONDecoder().decode(ClaudeCodeParser.Line.self, from: line)) { disagreements += 1 }
        }
        #expect(disagreements == 0)
    }

    @Test func escapesDeepNestingAndBadUTF8() throws {
        let escaped = #"{"type":"user","uuid":"u\u00e9\"1\\","message":{"content":"tab\there \ud83d\ude00 \/ done"}}"#
        let line = try #require(ClaudeLineScanner.scan(Data(escaped.utf8)))
        #expect(line.uuid == "u\u{e9}\"1\\" && line.message?.content == [.text("tab\there \u{1F600} / done")])
        let deep =
            #"{"type":"user","x":"# + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"
        #expect(ClaudeLineScanner.scan(Data(deep.utf8)) == nil)  // too deep: JSONDecoder decides
        var bad = Array(#"{"type":"user","uuid":"ab"}"#.utf8)
        bad[20] = 0xFF
        #expect(ClaudeLineScanner.scan(Data(bad)) == nil)
    }
}
