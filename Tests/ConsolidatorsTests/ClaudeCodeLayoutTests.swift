import Dreaming
import Foundation
import Memory
import Sessions
import Testing

@testable import Consolidators

/// The built-in dream over Claude Code's auto memory writes what Claude Code writes: topic
/// files with its front matter, and a line in its own index, never a second index.
@Suite struct ClaudeCodeLayoutTests {
    /// Auto memory as Claude Code leaves it: its index and two topic files.
    static let memory = [
        "MEMORY.md": """
        # Memory Index

        - [Testing conventions](feedback_testing.md) — run the suite with `make test`, never pytest alone
        - [Deploys](project_deploy.md) — staging deploys go through the release branch

        """,
        "feedback_testing.md": """
        ---
        name: Testing conventions
        description: How this project runs its tests
        type: feedback
        ---

        Run the whole suite with `make test`; it sets up the database first.
        **Why:** pytest alone skips the fixtures.
        **How to apply:** any test run, in CI or locally.

        """,
        "project_deploy.md": """
        ---
        name: Deploys
        description: How staging deploys happen
        type: project
        ---

        Staging deploys go through the release branch, never from main.

        """,
    ]

    /// Sessions in which the agent runs `pnpm lint` where pnpm is not installed, then the
    /// command that works.
    static func sessions() -> [Session] {
        (0..<3).map { number in
            var session = Session(id: "s\(number)", source: "claude-code", file: "s\(number).jsonl")
            session.user = "ana"
            let start = Date(timeIntervalSince1970: 1_790_000_000 + Double(number) * 86_400)
            session.started = start
            var time = start
            func add(_ kind: SessionEvent.Kind) {
                time = time.addingTimeInterval(10)
                session.events.append(SessionEvent(kind, time: time, isSubagent: false))
            }
            add(.user(text: "The lint step is red on my branch, can you fix what it complains about?"))
            add(.toolCall(id: "a", name: "Bash", input: #"{"command":"pnpm lint"}"#))
            add(
                .toolResult(
                    callID: "a", output: "/bin/bash: line 1: pnpm: command not found", isError: true, exitCode: 127))
            add(.toolCall(id: "b", name: "Bash", input: #"{"command":"npx pnpm lint"}"#))
            add(.toolResult(callID: "b", output: "✔ No ESLint warnings or errors", isError: false, exitCode: 0))
            add(.assistant(text: "Lint passes now."))
            session.ended = time
            return session
        }
    }

    static func dream(
        _ texts: [String: String], layout: MemoryLayout = .claudeCode
    ) async throws
        -> (plan: DreamPlan, after: [String: String?])
    {
        let plan = try await BuiltinConsolidator(layout: layout).plan(
            DreamInput(
                id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: texts), sessions: sessions(),
                humanEdits: []))
        var after: [String: String?] = [:]
        for change in plan.changes {
            for (path, text) in change.writes { after[path] = text }
            for path in change.deletes { after[path] = .some(nil) }
        }
        return (plan, after)
    }

    static func formatVerdict(_ before: [String: String], _ after: [String: String?]) -> GuardrailVerdict? {
        Guardrails.check(
            before: before, after: after, redactions: [], settings: ReverieConfig().guardrails, layout: .claudeCode
        )
        .first { $0.name == "Claude Code format" }
    }

    @Test func aRecurringMistakeBecomesATopicFileAndALineInClaudeCodesIndex() async throws {
        let (plan, after) = try await Self.dream(Self.memory)
        #expect(plan.changes.contains { $0.kind == .mistake })
        let mistakes = try #require(after["mistakes.md"] ?? nil)
        #expect(
            mistakes.hasPrefix(
                """
                ---
                name: Recurring mistakes
                description: Tool errors agents hit again and again, and what fixed them
                type: feedback
                ---
                """), "\(mistakes)")
        #expect(mistakes.contains("pnpm"))
        // Claude Code's index gains one line in its own style, and nothing else.
        let index = try #require(after["MEMORY.md"] ?? nil)
        #expect(
            index == Self.memory["MEMORY.md"]!
                + "- [Recurring mistakes](mistakes.md) — Tool errors agents hit again and again, and what fixed them\n")
        #expect(!index.contains("reverie:index"))
        // Claude Code's own files are left as they are.
        #expect(after["feedback_testing.md"] == nil && after["project_deploy.md"] == nil)
        let verdict = try #require(Self.formatVerdict(Self.memory, after))
        #expect(verdict.passed, "\(verdict.detail)")
        // Every topic file the dream leaves has the keys Claude Code writes, with its types.
        for (path, text) in after where !path.contains("/") && path != "MEMORY.md" {
            let file = try MemoryFile.parse(path: RepoPath(path), text: try #require(text))
            let yaml = try #require(file.frontMatter?.yaml, "\(path) has no front matter")
            let type = yaml.split(separator: "\n").first { $0.hasPrefix("type: ") }.map { String($0.dropFirst(6)) }
            #expect(yaml.contains("name: ") && yaml.contains("description: "), "\(path): \(yaml)")
            #expect(["user", "feedback", "project", "reference"].contains(type ?? ""), "\(path): \(yaml)")
        }

        // The same sessions dreamt again: the entry says it already, and the index links the file.
        var memory = Self.memory
        for (path, text) in after { memory[path] = text }
        let (again, next) = try await Self.dream(memory)
        #expect(
            !again.changes.contains { $0.kind == .index } && next["MEMORY.md"] == nil, "\(again.changes.map(\.summary))"
        )
        #expect(next["mistakes.md"] == nil, "nothing new to write in mistakes.md")
    }

    @Test func aFullIndexNeverGrowsPastWhatClaudeCodeLoads() async throws {
        var byLines = Self.memory
        byLines["MEMORY.md"] =
            (1...MemoryLayout.claudeCodeIndexLines).map { "- [Note \($0)](note\($0).md) — a note" }
            .joined(separator: "\n") + "\n"
        var byBytes = Self.memory
        byBytes["MEMORY.md"] =
            (1...90).map { "- [Note \($0)](note\($0).md) — " + String(repeating: "x", count: 270) }
            .joined(separator: "\n") + "\n"
        #expect(byBytes["MEMORY.md"]!.utf8.count > MemoryLayout.claudeCodeIndexBytes - 120)
        for memory in [byLines, byBytes] {
            let (plan, after) = try await Self.dream(memory)
            #expect(plan.changes.contains { $0.kind == .mistake })
            #expect(after["MEMORY.md"] == nil, "the index stays as Claude Code wrote it")
            #expect(Self.formatVerdict(memory, after)?.passed == true)
        }
    }

    @Test func plainMemoryKeepsReveriesOwnIndex() async throws {
        let (_, after) = try await Self.dream(Self.memory, layout: .plain)
        #expect(after["MEMORY.md"]??.contains("<!-- reverie:index -->") == true)
        #expect(after["mistakes.md"]??.hasPrefix("---\ndescription: Tool errors") == true)
    }

    @Test func theConfiguredLayoutReachesTheBuiltinConsolidator() throws {
        var config = ReverieConfig()
        config.layout = .claudeCode
        let made = try ConsolidatorChoice.make("builtin", config: config, folder: "/nonexistent", trust: .defaultsOnly)
        #expect((made as? BuiltinConsolidator)?.layout == .claudeCode)
        #expect(
            (try ConsolidatorChoice.make(
                "builtin", config: ReverieConfig(), folder: "/nonexistent", trust: .defaultsOnly)
                as? BuiltinConsolidator)?.layout == .plain)
    }

    /// A file of Reverie's own that archiving empties goes, and so does its line.
    @Test func aDeletedFileLosesItsLineInTheIndex() {
        let index = Self.memory["MEMORY.md"]! + "- [Recurring mistakes](mistakes.md) — Tool errors\n"
        let result = ClaudeCodeIndex.text(
            written: ["mistakes.md", "archive/mistakes.md"],
            texts: ["archive/mistakes.md": "# Archived\n"], existing: index)
        #expect(result?.text == Self.memory["MEMORY.md"]! && result?.left == [])
    }
}
