import Consolidators
import Dreaming
import Foundation
import Git
import Memory
import TestSupport
import Testing

/// Dreams by a model, against a local server that answers in the Anthropic Messages or
/// OpenAI chat completions wire format from a script and records what it was sent.
@Suite struct ModelDreamTests {
    static let key = "sk-ant-api03-" + String(repeating: "k3yK3y", count: 6)

    static func memory(_ id: String, _ input: [String: Any]) -> [String: Any] {
        FakeModelServer.use(id, "memory", input)
    }

    /// A repo whose dreams go to the fake server.
    func repo(_ server: FakeModelServer, kind: String = "anthropic", extra: String = "") throws -> DreamFixture {
        let repo = try DreamFixture(files: [
            "notes.md": "# Notes\n\n- keep answers short\n",
            "team.md": "---\npinned: true\n---\n# Team\n\n- Ana leads\n",
        ])
        try repo.dir.write(
            ".reverie/config.toml",
            try repo.dir.read(".reverie/config.toml") + """

                [model]
                name = "claude-test"
                base_url = "\(server.baseURL)"
                api_key_env = "TEST_MODEL_KEY"
                \(extra)
                """)
        try repo.dir.git("commit", "-qam", "Dream with a model")
        try repo.trust()
        return repo
    }

    func dream(_ repo: DreamFixture, kind: String = "anthropic") async throws -> DreamEngine.Report {
        let config = try repo.memory.config()
        let consolidator = try ConsolidatorChoice.make(
            kind, config: config, folder: repo.dir.path,
            trust: SettingsTrust(memory: repo.memory),
            environment: ["TEST_MODEL_KEY": Self.key])
        return try await repo.engine().dream(with: consolidator)
    }

    @Test func aDreamOfSeveralChangesBecomesABranchOfReviewedCommits() async throws {
        let server = try FakeModelServer(answers: [
            FakeModelServer.anthropic([Self.memory("t1", ["command": "view", "path": "/memories"])]),
            FakeModelServer.anthropic([
                ["type": "text", "text": "Let me look at the errors."],
                FakeModelServer.use("t2", "search_sessions", ["query": "command not found"]),
                FakeModelServer.use("t3", "read_session", ["session_id": "s0"]),
            ]),
            FakeModelServer.anthropic([
                Self.memory(
                    "t4",
                    [
                        "command": "create", "path": "/memories/mistakes.md",
                        "file_text": "# Mistakes\n\n- `pytest` is not installed: run `python -m pytest`\n",
                    ])
            ]),
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t5", "record_change",
                    [
                        "kind": "mistake", "summary": "Record that pytest is missing",
                        "rationale": "Both sessions hit it.",
                        "evidence": [
                            ["session_id": "s0", "quote": "pytest: command not found"],
                            ["session_id": "s1", "quote": "pytest:   command not found"],
                        ],
                    ])
            ]),
            FakeModelServer.anthropic([
                Self.memory(
                    "t6",
                    [
                        "command": "str_replace", "path": "/memories/notes.md",
                        "old_str": "- keep answers short",
                        "new_str": "- keep answers short\n- run tests with python -m pytest",
                    ])
            ]),
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t7", "record_change",
                    [
                        "kind": "preference", "summary": "Note how the team runs tests",
                        "rationale": "Asked for in two sessions.",
                        "evidence": [["session_id": "s1", "quote": "Please always use python -m pytest."]],
                    ])
            ]),
            FakeModelServer.done(),
        ])
        let repo = try repo(server)
        let report = try await dream(repo)
        #expect(report.outcome == .review && report.changes.count == 2, "\(report)")
        #expect(report.tokens == TokenUsage(input: 7000, output: 700))
        let branch = "dreams/\(report.id)"
        #expect(
            try repo.subjects(branch).prefix(3) == [
                "Note how the team runs tests", "Record that pytest is missing",
                "Record the 2 sessions dream \(report.id) read",
            ])
        let body = try repo.dir.git("log", "-1", "--format=%B", "\(branch)~1")
        #expect(
            body.contains(
                "Reverie-Change: mistake\nReverie-Evidence: s0, s1\nReverie-Consolidator: anthropic/claude-test"),
            "\(body)")
        #expect(
            try repo.dir.git("log", "-1", "--format=%B", "\(branch)~2").contains("Reverie-Tokens: 7000 in, 700 out"))
        #expect(
            try repo.dir.git("show", "\(branch):notes.md")
                == "# Notes\n\n- keep answers short\n- run tests with python -m pytest\n")
        #expect(try repo.dir.read("notes.md") == "# Notes\n\n- keep answers short\n")  // the working tree is untouched
        let details = try repo.book.show(report.id)
        #expect(
            details.dream.tokens == TokenUsage(input: 7000, output: 700)
                && details.dream.consolidator == "anthropic/claude-test")
        #expect(try repo.fsck() == "")

        // What went over the wire, as the Messages API wants it.
        let requests = try server.requests()
        #expect(requests.count == 7)
        let headers = try #require(requests.first?["headers"] as? [String: String])
        #expect(headers["x-api-key"] == Self.key && headers["anthropic-version"] == "2023-06-01")
        #expect(headers["anthropic-beta"] == "context-management-2025-06-27")
        let first = try #require(requests.first?["body"] as? [String: Any])
        #expect(first["model"] as? String == "claude-test" && first["max_tokens"] as? Int == 4096)
        let tools = try #require(first["tools"] as? [[String: Any]])
        #expect(
            tools.contains {
                $0["type"] as? String == "memory_20250818" && $0["name"] as? String == "memory"
                    && $0["input_schema"] == nil
            })
        #expect(
            Set(tools.compactMap { $0["name"] as? String }) == [
                "memory", "list_sessions", "read_session", "search_sessions", "record_change",
            ])
        // The third request answers two parallel calls: both results, first in the user turn.
        let third = try #require(requests[2]["body"] as? [String: Any])
        let messages = try #require(third["messages"] as? [[String: Any]])
        let answer = try #require(messages.last?["content"] as? [[String: Any]])
        #expect(messages.last?["role"] as? String == "user")
        #expect(answer.map { $0["type"] as? String } == ["tool_result", "tool_result"])
        #expect(answer.map { $0["tool_use_id"] as? String } == ["t2", "t3"])
        #expect(answer.allSatisfy { $0["is_error"] as? Bool == false })
        // The key never reaches git.
        let objects = try Shell.check("git", ["cat-file", "--batch-all-objects", "--batch"], in: repo.dir.path)
        #expect(!objects.contains(Self.key))
    }

    @Test func hostilePathsAndPinnedMemoryAreToolErrorsAndNothingIsWritten() async throws {
        let attempts: [[String: Any]] = [
            ["command": "create", "path": "/memories/../escape.md", "file_text": "x\n"],
            ["command": "create", "path": "/memories/%2e%2e%2fescape.md", "file_text": "x\n"],
            ["command": "create", "path": "/etc/reverie-escape.md", "file_text": "x\n"],
            ["command": "create", "path": "/memories/.git/hooks/post-commit", "file_text": "#!/bin/sh\n"],
            ["command": "create", "path": "/memories/.reverie/config.toml", "file_text": "x\n"],
            ["command": "str_replace", "path": "/memories/team.md", "old_str": "- Ana leads", "new_str": "- Bo leads"],
            ["command": "delete", "path": "/memories/team.md"],
        ]
        var answers = attempts.enumerated().map {
            FakeModelServer.anthropic([Self.memory("a\($0.offset)", $0.element)])
        }
        answers.append(
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "r", "record_change",
                    [
                        "kind": "other", "summary": "Try it", "rationale": "",
                        "evidence": [["session_id": "s0", "quote": "pytest"]],
                    ])
            ]))
        answers.append(FakeModelServer.done())
        let server = try FakeModelServer(answers: answers)
        let repo = try repo(server)
        let report = try await dream(repo)
        #expect(report.changes.isEmpty, "\(report.changes)")
        let requests = try server.requests()
        for index in 1...attempts.count {
            let messages = try #require((requests[index]["body"] as? [String: Any])?["messages"] as? [[String: Any]])
            let result = try #require((messages.last?["content"] as? [[String: Any]])?.first)
            #expect(result["is_error"] as? Bool == true, "\(attempts[index - 1]): \(result)")
        }
        #expect(
            try repo.dir.git("ls-tree", "-r", "--name-only", "dreams/\(report.id)")
                == ".gitignore\n.reverie/config.toml\n.reverie/dreams/\(report.id).sessions\nnotes.md\nteam.md\n")
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path + "/../escape.md"))
        #expect(try repo.fsck() == "")
    }

    @Test func aChangeWhoseQuoteIsNotInItsSessionIsDroppedAndShown() async throws {
        let server = try FakeModelServer(answers: [
            FakeModelServer.anthropic([
                Self.memory(
                    "t1",
                    [
                        "command": "create", "path": "/memories/made-up.md",
                        "file_text": "# Made up\n",
                    ])
            ]),
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t2", "record_change",
                    [
                        "kind": "preference", "summary": "Invented preference", "rationale": "Trust me.",
                        "evidence": [["session_id": "s0", "quote": "always deploy on Fridays"]],
                    ])
            ]),
            FakeModelServer.anthropic([
                Self.memory("t3", ["command": "create", "path": "/memories/real.md", "file_text": "# Real\n"])
            ]),
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t4", "record_change",
                    [
                        "kind": "mistake", "summary": "Real one", "rationale": "Seen.",
                        "evidence": [["session_id": "s1", "quote": "pytest: command not found"]],
                    ])
            ]),
            FakeModelServer.done(),
        ])
        let repo = try repo(server)
        let report = try await dream(repo)
        #expect(report.changes.map(\.summary) == ["Real one"])
        #expect(report.dropped.map(\.summary) == ["Invented preference"])
        #expect(try repo.dir.git("ls-tree", "--name-only", "dreams/\(report.id)").contains("real.md"))
        #expect(!(try repo.dir.git("ls-tree", "--name-only", "dreams/\(report.id)").contains("made-up.md")))
        let details = try repo.book.show(report.id)
        #expect(details.dropped.first?.reason.contains("does not occur in session s0") == true, "\(details.dropped)")
        let shown = try ReverieBinary.run(["-C", repo.dir.path, "show", report.id])
        #expect(shown.stdout.contains("Left out of this dream:") && shown.stdout.contains("Invented preference"))
    }

    @Test func retriesHonourRetryAfterAndFailuresLeaveNothing() async throws {
        // 429 with retry-after, then success.
        let busy: [String: Any] = [
            "status": 429, "headers": ["retry-after-ms": "5"],
            "body": ["type": "error", "error": ["type": "rate_limit_error", "message": "slow down"]],
        ]
        let server = try FakeModelServer(answers: [busy, FakeModelServer.done("Nothing to change.")])
        let repo = try repo(server)
        let report = try await dream(repo)
        // Nothing to change: the dream only records what it read, and needs no review.
        #expect(report.outcome == .merged && report.changes.isEmpty && report.sessions == 2, "\(report)")
        #expect(try server.requests().count == 2)

        // 529 until the retries run out: a clear failure, no branch, the sessions not consumed.
        let overloaded: [String: Any] = [
            "status": 529, "headers": ["retry-after": "0"],
            "body": ["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]],
        ]
        let failing = try FakeModelServer(answers: Array(repeating: overloaded, count: 5))
        let second = try self.repo(failing)
        let branches = try second.dir.git("branch", "--list", "dreams/*")
        await #expect {
            _ = try await dream(second)
        } throws: { error in
            "\(error)".contains("unavailable after 4 attempts") && "\(error)".contains("529")
        }
        #expect(try failing.requests().count == 4)
        #expect(try second.dir.git("branch", "--list", "dreams/*") == branches)
        #expect(try second.engine().catalog.scan(consumed: second.memory.sessionsRead()).new.count == 2)

        // 401 fails at once and names the variable; the key itself is never in the message.
        let refused = try FakeModelServer(answers: [
            [
                "status": 401,
                "body": [
                    "type": "error",
                    "error": ["type": "authentication_error", "message": "invalid x-api-key \(Self.key)"],
                ],
            ]
        ])
        let third = try self.repo(refused)
        await #expect {
            _ = try await dream(third)
        } throws: { error in
            "\(error)".contains("TEST_MODEL_KEY") && !"\(error)".contains(Self.key)
        }
        #expect(try refused.requests().count == 1)

        // A body that is not JSON is a clear failure too.
        let garbled = try FakeModelServer(answers: [["status": 200, "raw": "<html>proxy error</html>"]])
        let fourth = try self.repo(garbled)
        await #expect { _ = try await dream(fourth) } throws: { "\($0)".contains("not understood") }
        #expect(try fourth.fsck() == "")
    }

    @Test func aReplyCutOffAtMaxTokensOrPausedIsHandled() async throws {
        let server = try FakeModelServer(answers: [
            FakeModelServer.anthropic(
                [Self.memory("t1", ["command": "create", "path": "/memories/half.md"])], stop: "max_tokens"),
            FakeModelServer.anthropic([["type": "text", "text": "thinking…"]], stop: "pause_turn"),
            FakeModelServer.done(),
        ])
        let repo = try repo(server)
        let report = try await dream(repo)
        #expect(report.changes.isEmpty)
        let requests = try server.requests()
        #expect(requests.count == 3)
        let second = try #require((requests[1]["body"] as? [String: Any])?["messages"] as? [[String: Any]])
        let result = try #require((second.last?["content"] as? [[String: Any]])?.first)
        #expect(result["tool_use_id"] as? String == "t1" && result["is_error"] as? Bool == true)
        #expect((result["content"] as? String)?.contains("max_tokens") == true)
        // After pause_turn the reply goes back as it is, the last message the assistant's.
        let third = try #require((requests[2]["body"] as? [String: Any])?["messages"] as? [[String: Any]])
        #expect(third.last?["role"] as? String == "assistant")
    }

    @Test func openAICompatibleServersGetToolMessagesAndBrokenArgumentsAreToolErrors() async throws {
        func completion(_ calls: [(String, String, String)], finish: String = "tool_calls") -> [String: Any] {
            [
                "status": 200,
                "body": [
                    "id": "chatcmpl-1", "object": "chat.completion",
                    "choices": [
                        [
                            "index": 0, "finish_reason": finish,
                            "message": [
                                "role": "assistant", "content": NSNull(),
                                "tool_calls": calls.map {
                                    ["id": $0.0, "type": "function", "function": ["name": $0.1, "arguments": $0.2]]
                                },
                            ],
                        ]
                    ],
                    "usage": ["prompt_tokens": 500, "completion_tokens": 50],
                ],
            ]
        }
        let server = try FakeModelServer(answers: [
            completion([("c1", "memory", "{\"command\": \"create\", \"path\": \"/memories/tests.md\", ")]),  // cut JSON
            completion([
                (
                    "c2", "memory",
                    "{\"command\":\"create\",\"path\":\"/memories/tests.md\",\"file_text\":\"# Tests\\n\\n- use python -m pytest\\n\"}"
                )
            ]),
            completion([
                (
                    "c3", "record_change",
                    "{\"kind\":\"mistake\",\"summary\":\"Record the test command\",\"rationale\":\"Seen twice.\",\"evidence\":[{\"session_id\":\"s0\",\"quote\":\"pytest: command not found\"}]}"
                )
            ]),
            [
                "status": 200,
                "body": [
                    "choices": [
                        ["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": "Done."]]
                    ],
                    "usage": ["prompt_tokens": 500, "completion_tokens": 5],
                ],
            ],
        ])
        let repo = try repo(server)
        let report = try await dream(repo, kind: "openai")
        #expect(report.changes.map(\.summary) == ["Record the test command"])
        #expect(
            try repo.dir.git("log", "-1", "--format=%B", "dreams/\(report.id)").contains(
                "Reverie-Consolidator: openai/claude-test"))
        let requests = try server.requests()
        #expect(requests.first?["path"] as? String == "/v1/chat/completions")
        #expect((requests.first?["headers"] as? [String: String])?["authorization"] == "Bearer \(Self.key)")
        let second = try #require((requests[1]["body"] as? [String: Any])?["messages"] as? [[String: Any]])
        #expect(second.first?["role"] as? String == "system")
        let tool = try #require(second.last)
        #expect(tool["role"] as? String == "tool" && tool["tool_call_id"] as? String == "c1")
        #expect((tool["content"] as? String)?.hasPrefix("Error:") == true, "\(tool)")
        let assistant = try #require(second.dropLast().last)
        let calls = try #require(assistant["tool_calls"] as? [[String: Any]])
        #expect(
            (calls.first?["function"] as? [String: Any])?["arguments"] as? String
                == "{\"command\": \"create\", \"path\": \"/memories/tests.md\", ")  // sent back as the model wrote it
        let tools = try #require((requests[0]["body"] as? [String: Any])?["tools"] as? [[String: Any]])
        #expect(tools.allSatisfy { $0["type"] as? String == "function" })
        #expect(try repo.fsck() == "")
    }

    @Test func theCommandBackEndRunsThePythonExample() async throws {
        let repo = try DreamFixture()
        try repo.dir.write(
            ".reverie/config.toml",
            try repo.dir.read(".reverie/config.toml") + """

                [model]
                command = ["python3", "\(ReverieBinary.projectRoot)/examples/consolidator/minimal.py"]
                """)
        try repo.dir.git("commit", "-qam", "Dream with a program")
        try repo.trust()
        let config = try repo.memory.config()
        let consolidator = try ConsolidatorChoice.make(
            "command", config: config, folder: repo.dir.path,
            trust: SettingsTrust(memory: repo.memory))
        let report = try await repo.engine().dream(with: consolidator)
        #expect(report.changes.count == 1, "\(report)")
        let branch = "dreams/\(report.id)"
        #expect(
            try repo.dir.git("log", "-1", "--format=%B", branch).contains(
                "Reverie-Consolidator: command/python3:minimal.py"))
        #expect(try repo.dir.git("show", "\(branch):mistakes.md").contains("pytest"))
        #expect(try repo.fsck() == "")
    }
}
