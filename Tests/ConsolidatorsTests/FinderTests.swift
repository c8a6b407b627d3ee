import Foundation
import Sessions
import Testing

@testable import Consolidators

/// Each finder on the shapes real transcripts have, one class of defect at a time.
@Suite struct FinderTests {
    /// A session of events, ids numbered from 1.
    func session(_ id: String, user: String = "ana", _ kinds: [SessionEvent.Kind]) -> Session {
        var session = Session(id: id, source: "reverie", file: "x")
        session.user = user
        session.started = Date(timeIntervalSince1970: 1_790_000_000)
        session.events = kinds.map { SessionEvent($0, time: nil, isSubagent: false) }
        return session
    }

    func bash(_ id: String, _ command: String, _ output: String, exit: Int32) -> [SessionEvent.Kind] {
        [
            .toolCall(id: id, name: "Bash", input: #"{"command":"\#(command)"}"#),
            .toolResult(
                callID: id, output: exit == 0 ? output : "Exit code \(exit)\n\(output)", isError: exit != 0,
                exitCode: exit == 0 ? nil : exit),
        ]
    }

    func call(_ output: String, failed: Bool = true, tool: String = "Bash", command: String = "x") -> ToolCall {
        ToolCall(
            session: "s", index: 0, tool: tool, input: command, label: tool, output: output, failed: failed,
            time: nil, intent: "", turn: 0)
    }

    @Test(arguments: [
        (
            "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'",
            "ModuleNotFoundError: No module named 'yaml'"
        ),
        (
            "============================= test session starts ==============================\nplatform linux -- Python 3.12\nImportError while loading conftest '/app/tests/conftest.py'.\nE   ModuleNotFoundError: No module named 'app'",
            "ImportError while loading conftest '/app/tests/conftest.py'."
        ),
        (
            "npm error Missing script: \"build\"\nnpm error\nnpm error To see a list of scripts, run:\nnpm error   npm run",
            "Missing script: \"build\""
        ),
        (
            "Building for debugging...\n/src/Sources/App/Cache.swift:42:17: error: cannot find 'CacheKey' in scope\n    let key = CacheKey()",
            "error: cannot find 'CacheKey' in scope"
        ),
        (
            "trim trailing whitespace.................................................Passed\nPreToolUse:Bash hook error: [python3 guard.py]: Blocked: committing on main is not allowed",
            "Blocked: committing on main is not allowed"
        ),
        (
            "See https://docs.npmjs.com/cli/v10/commands/npm-run-script\nError: ENOENT: no such file or directory, open 'package.json'",
            "Error: ENOENT: no such file or directory, open 'package.json'"
        ),
    ])
    func anErrorIsNamedByTheLineThatSaysItsCause(output: String, line: String) {
        #expect(call(output).errorLine == line)
    }

    @Test func aFailureIsWhatTheTranscriptSaysFailed() {
        let edit = session(
            "a",
            [
                .toolCall(
                    id: "1", name: "Edit",
                    input: #"{"file_path":"/a/run.sh","new_string":"echo \"x: command not found\""}"#),
                .toolResult(callID: "1", output: "The file /a/run.sh has been updated.", isError: false, exitCode: nil),
            ])
        #expect(ToolCall.calls(in: edit).allSatisfy { !$0.failed })
        // Gemini CLI and Codex say a command failed in its output, not with a flag.
        let gemini = session(
            "b",
            [
                .toolCall(id: "1", name: "run_shell_command", input: #"{"command":"pytest"}"#),
                .toolResult(
                    callID: "1",
                    output:
                        "Command: pytest\nStdout: (empty)\nStderr: bash: pytest: command not found\nError: (none)\nExit Code: 127",
                    isError: false, exitCode: nil),
                .toolCall(id: "2", name: "exec_command", input: #"{"cmd":"ls"}"#),
                .toolResult(
                    callID: "2", output: "Exit code: 0\nWall time: 0.1 seconds\nOutput:\nerror.log", isError: false,
                    exitCode: nil),
            ])
        let calls = ToolCall.calls(in: gemini)
        #expect(calls.map(\.failed) == [true, false])
        #expect(calls[0].errorLine == "bash: pytest: command not found" && calls[0].isShell && calls[1].isShell)
    }

    @Test func redGreenLoopsAndProbesAreNotMistakes() {
        let red =
            "============================= test session starts ==============================\ncollected 3 items\n\ntests/test_a.py F..\n\nFAILED tests/test_a.py::test_total - assert 2 == 3\n========================= 1 failed, 2 passed in 0.05s ========================="
        let sessions = ["a", "b"].map { id in
            session(
                id,
                [.assistant(text: "Let me write a failing test first.")]
                    + bash("1", "python -m pytest tests/test_a.py", red, exit: 1)
                    + bash("2", "python -m pytest tests/test_a.py", "3 passed", exit: 0)
                    + bash("3", "grep -rn TODO src/", "", exit: 1)
                    + bash("4", "ls build/", "ls: cannot access 'build/': No such file or directory", exit: 2)
                    + [.assistant(text: "This should fail: the flag is not wired yet.")]
                    + bash("5", "./app --new-flag", "error: unknown flag", exit: 2))
        }
        #expect(MistakeFinder(minimumSessions: 2).find(in: sessions).isEmpty)
    }

    @Test func theFixIsTheWholeRetryThatDidTheSameJobOrNothing() throws {
        let sessions = ["a", "b"].map { id in
            session(
                id,
                bash("1", "pytest tests/ -q", "bash: pytest: command not found", exit: 127)
                    + bash("2", "python -m pytest tests/ -q", "5 passed", exit: 0)
                    + bash("3", "npm run build", "npm error Missing script: \"build\"", exit: 1)
                    + bash("4", "npm install", "added 3 packages", exit: 0))
        }
        let found = MistakeFinder(minimumSessions: 2).find(in: sessions)
        let pytest = try #require(found.first { $0.example.contains("pytest") })
        #expect(pytest.fix == "`python -m pytest tests/ -q`")
        // The events carry no time: the dates are the sessions' start.
        #expect(pytest.first == Date(timeIntervalSince1970: 1_790_000_000) && pytest.last == pytest.first)
        let npm = try #require(found.first { $0.example.contains("Missing script") })
        #expect(npm.fix == nil, "npm install is not a retry of npm run build")
    }

    @Test func onlyWhatAPersonTypedIsAPreference() {
        let reminder =
            "<system-reminder>\nNEVER create files unless they're absolutely necessary.\nALWAYS prefer editing an existing file to creating a new one.\n</system-reminder>\nWhat does this module do?"
        let sessions = ["a", "b", "c"].map { id in
            session(
                id, user: "customer-\(id)",
                [
                    .user(text: "Hi, I don't have the reservation ID. Please don't cancel my booking."),
                    .user(text: "Don't charge me twice for the same night please."),
                    .context(
                        text:
                            "Please analyze this codebase and create a CLAUDE.md file.\n- Avoid listing every component\nDon't include generic development practices."
                    ),
                    .user(text: reminder),
                    .user(
                        text:
                            "Here is the log:\n\n2026-11-19 10:02:11 ERROR never retried job 12: timeout\n\nAlso:\n\n- Always validate input\n\nThoughts?"
                    ),
                ])
        }
        #expect(PreferenceFinder(minimumSessions: 2).find(in: sessions).isEmpty)
    }

    @Test func theSameWishInOtherWordsIsOnePreference() throws {
        let sessions = [
            session("a", user: "ana", [.user(text: "Never push directly to main.")]),
            session("b", user: "ben", [.user(text: "Please do not push to main; use a pull request.")]),
            session("c", user: "cy", [.user(text: "Don't push to the main branch, open a PR.")]),
        ]
        let found = PreferenceFinder(minimumSessions: 2).find(in: sessions)
        #expect(found.count == 1 && found.first?.sessions == ["a", "b", "c"], "\(found.map(\.text))")
    }

    @Test func aRefusedCallAndThePersonsNextMessageAreAPreference() throws {
        let sessions = ["a", "b"].map { id in
            session(
                id,
                [
                    .toolCall(id: "1", name: "Bash", input: #"{"command":"npm install left-pad"}"#),
                    .rejection(callID: "1", reason: nil),
                    .context(text: "[Request interrupted by user for tool use]"),
                    .user(text: "We use pnpm in this repo, not npm."),
                ])
        }
        let found = try #require(PreferenceFinder(minimumSessions: 2).find(in: sessions).first)
        #expect(found.text == "We use pnpm in this repo, not npm" && !found.negative)
    }

    @Test func runsOfToolNamesAndStepsWithoutACheckAreNotWorkflows() {
        let sessions = ["a", "b", "c"].map { id in
            session(
                id,
                [
                    .toolCall(id: "1", name: "TodoWrite", input: "{}"), .toolCall(id: "2", name: "Read", input: "{}"),
                    .toolCall(id: "3", name: "Edit", input: "{}"), .toolCall(id: "4", name: "Glob", input: "{}"),
                ]
                    + bash("5", "git fetch origin", "", exit: 0) + bash("6", "git rebase origin/main", "", exit: 0)
                    + bash("7", "git log --oneline -3", "", exit: 0))
        }
        #expect(WorkflowFinder(minimumSessions: 2).find(in: sessions).isEmpty)
    }
}
