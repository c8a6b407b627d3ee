import Foundation
import Sessions
import TestSupport
import Testing

@Suite struct CodexParserTests {
    /// A rollout written for these tests in the shape Codex 0.4x–0.6x writes.
    static let rollout = [
        #"{"timestamp":"2025-10-29T00:59:38.317Z","type":"session_meta","payload":{"id":"019a2d7a","timestamp":"2025-10-29T00:59:38.308Z","cwd":"/home/ana/app","originator":"codex_cli_rs","cli_version":"0.46.0","git":{"branch":"main"}}}"#,
        #"{"timestamp":"2025-10-29T00:59:38.317Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>\n  <cwd>/home/ana/app</cwd>\n</environment_context>"}]}}"#,
        #"{"timestamp":"2025-10-29T00:59:38.400Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"run the tests"}]}}"#,
        #"{"timestamp":"2025-10-29T00:59:38.401Z","type":"event_msg","payload":{"type":"user_message","message":"run the tests","kind":"plain"}}"#,
        #"{"timestamp":"2025-10-29T00:59:38.500Z","type":"turn_context","payload":{"cwd":"/home/ana/app","model":"gpt-5-codex"}}"#,
        #"{"timestamp":"2025-10-29T00:59:39.000Z","type":"response_item","payload":{"type":"reasoning","summary":[],"encrypted_content":"gAAA"}}"#,
        #"{"timestamp":"2025-10-29T00:59:40.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"pytest\"]}","call_id":"call_1"}}"#,
        #"{"timestamp":"2025-10-29T00:59:41.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"{\"output\":\"bash: pytest: command not found\\n\",\"metadata\":{\"exit_code\":127,\"duration_seconds\":0.0}}"}}"#,
        #"{"timestamp":"2025-10-29T00:59:42.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"python\",\"-m\",\"pytest\"]}","call_id":"call_2"}}"#,
        #"{"timestamp":"2025-10-29T00:59:45.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_2","output":"{\"output\":\"3 passed\\n\",\"metadata\":{\"exit_code\":0,\"duration_seconds\":2.9}}"}}"#,
        #"{"timestamp":"2025-10-29T00:59:46.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"All 3 tests pass."}]}}"#,
    ]

    @Test func readsMessagesCallsAndResultsWithExitCodes() throws {
        let dir = try Scratch()
        try dir.write("rollout-2025-10-29T00-59-38-019a2d7a.jsonl", Self.rollout.joined(separator: "\n") + "\n")
        let (sessions, warnings) = CodexParser.parse(file: dir.url("rollout-2025-10-29T00-59-38-019a2d7a.jsonl"))
        #expect(warnings.isEmpty)
        let session = try #require(sessions.first)
        #expect(session.id == "019a2d7a" && session.source == "codex")
        #expect(session.project == "/home/ana/app" && session.gitBranch == "main")
        #expect(
            session.events.map(\.kind) == [
                .user(text: "run the tests"),
                .toolCall(id: "call_1", name: "shell", input: #"{"command":["pytest"]}"#),
                .toolResult(
                    callID: "call_1", output: "bash: pytest: command not found\n", isError: true, exitCode: 127),
                .toolCall(id: "call_2", name: "shell", input: #"{"command":["python","-m","pytest"]}"#),
                .toolResult(callID: "call_2", output: "3 passed\n", isError: false, exitCode: 0),
                .assistant(text: "All 3 tests pass."),
            ])
        #expect(session.toolErrors == 1)
        #expect(session.started! < session.ended!)
    }

    @Test func badLinesAreNamedAndTheRestIsRead() throws {
        let dir = try Scratch()
        let text = [
            Self.rollout[0], "garbage", #"{"type":"response_item"}"#, Self.rollout[2],
            #"{"timestamp":"2025-10-29T00:59:4"#,
        ].joined(separator: "\n")
        try dir.write("r.jsonl", text)
        let (sessions, warnings) = CodexParser.parse(file: dir.url("r.jsonl"))
        #expect(warnings.map(\.line) == [2, 3, 5])
        #expect(sessions.first?.events.map(\.kind) == [.user(text: "run the tests")])
        try dir.write("claude.jsonl", #"{"type":"user","uuid":"a","message":{"role":"user","content":"hi"}}"# + "\n")
        #expect(
            CodexParser.parse(file: dir.url("claude.jsonl")).sessions.isEmpty, "a Claude Code file is not a rollout")
    }
}
