import AsyncHTTPClient
import Dreaming
import Foundation
import Memory
import Sessions
import TestSupport
import Testing

@testable import Consolidators

/// A hostile or sloppy model, or a stalled program, against the agent loop. Each test
/// fails today.
@Suite struct ModelAttackTests {
    static func session(_ id: String = "s1") -> Session {
        Session(
            id: id, source: "reverie", file: "/dev/null",
            events: [
                SessionEvent(.user(text: "Please always use python -m pytest."), time: nil, isSubagent: false)
            ])
    }

    /// `read_session` adds the offset a model sends to the page size: the largest integer
    /// JSON can carry overflows, and the trap ends the dream, or the daemon. (An exit test:
    /// the trap would end the test run too.)
    @Test func aHugeOffsetIsAToolErrorNotACrash() async {
        await #expect(processExitsWith: .success) {
            let tools = SessionTools(sessions: [ModelAttackTests.session()])
            let result = tools.run("read_session", ["session_id": "s1", "offset": .integer(Int64.max)])
            #expect(result != nil)
        }
    }

    /// A program that exits without reading its input (`sh -c 'touch x'`) closed the pipe
    /// Reverie writes the request into: SIGPIPE killed Reverie itself (the dream, or the
    /// daemon) with no word said. A request larger than the pipe's buffer makes the write
    /// meet the closed pipe every time.
    @Test func aProgramThatExitsWithoutReadingIsAnErrorNotASignal() async throws {
        let backend = CommandBackend(arguments: ["true"], folder: "/tmp", timeoutSeconds: 10)
        await #expect {
            _ = try await backend.send(
                ModelRequest(
                    system: String(repeating: "memory ", count: 100_000),
                    messages: [ModelMessage(role: .user, content: [.text("go")])], tools: [], maxTokens: 10))
        } throws: { error in
            "\(error)".contains("command/true stopped reading")
        }
        await backend.close()
    }

    /// `timeout_seconds` is never enforced for the `command` back end: the program is
    /// started from a thread that blocks every signal, inherits that mask, and the
    /// SIGTERM the watchdog sends stays pending. A program that stalls (`sleep 30`)
    /// holds the dream, and its lock, for as long as it likes.
    @Test func aStalledProgramIsStoppedAfterItsTimeout() async throws {
        // Without the watchdog this waits for `sleep` to end on its own; with it, the error says why.
        let backend = CommandBackend(arguments: ["sleep", "600"], folder: "/tmp", timeoutSeconds: 1)
        await #expect {
            _ = try await backend.send(
                ModelRequest(
                    system: "", messages: [ModelMessage(role: .user, content: [.text("go")])],
                    tools: [], maxTokens: 10))
        } throws: { error in
            "\(error)".contains("did not answer within 1 s")
        }
        await backend.close()
    }

    /// AsyncHTTPClient's timeout bounds the wait for the reply's head, not its body: a
    /// server that sends its headers and then a byte now and then holds the dream (and its
    /// lock) for as long as it likes.
    @Test func aBodyTrickledSlowerThanTheTimeoutFailsTheRequest() async throws {
        let server = try FakeModelServer(answers: [
            [
                "status": 200, "body": ["text": String(repeating: "a", count: 200)],
                "trickle": 0.1,
            ]
        ])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let transport = HTTPTransport(client: client, timeout: .milliseconds(500), retries: 0, keyVariable: "KEY")
        await #expect {
            _ = try await transport.post(server.baseURL + "/v1/messages", headers: [], json: ["x": 1])
        } throws: { error in
            "\(error)".contains("within 0.5 s")
        }
        try await client.shutdown()
    }

    /// A change whose quote is not found is dropped, and its reason quotes the first 120
    /// characters of the quote: cut there, a GitHub token keeps 30 of its 36 characters
    /// (the last 6 are a checksum of those), no rule matches the stump, and it goes into
    /// the record commit's message and onto the terminal.
    @Test func aDroppedQuoteCutShortLeaksNoSecret() {
        let input = DreamInput(
            id: "20260101-000000", memory: MemorySnapshot(commit: nil, files: [], texts: [:]),
            sessions: [Self.session()], humanEdits: [])
        var loop = AgentLoop(
            backend: CommandBackend(arguments: [], folder: "/tmp", timeoutSeconds: 5), input: input,
            settings: AgentLoop.Settings(), workspace: ToolWorkspace(files: [:]), progress: { _ in })
        _ = loop.workspace.memoryCommand(["command": "create", "path": "/memories/ci.md", "file_text": "# CI\n"])
        let body = SeededRandom.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36, seed: 7)
        let token = "ghp_" + body
        let quote = String(repeating: "x", count: 86) + token
        _ = loop.record([
            "kind": "workflow", "summary": "Release token", "rationale": "",
            "evidence": [["session_id": "s1", "quote": .string(quote)]],
        ])
        let reason = SecretScanner.redact(loop.dropped.map(\.reason).joined(separator: "\n")).text
        #expect(!reason.contains(body.prefix(20)), "\(reason)")
    }
}
