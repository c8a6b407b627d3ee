import Dreaming
import Foundation
import Sessions

/// What the model is told before its first turn: how to dream, today's memory index, and
/// what the built-in miners found (recurring errors with counts and quotes, shared tool
/// sequences, statements of preference and who said them), so it reads the few sessions
/// that matter instead of all of them. Bounded, whatever the number of sessions.
struct Briefing {
    let input: DreamInput
    let instructions: String?
    let minimumSessions: Int
    /// Longest briefing, in characters (about four to a token).
    var limit = 40_000

    static let system = """
        You are dreaming for an AI agent team: you consolidate their long-term memory, a folder of Markdown \
        files under /memories, from the agent sessions since the last dream. Find what no single session \
        shows (recurring mistakes and their fixes, workflows agents converge on, preferences people state \
        again and again) and keep memory short, specific and high-signal: merge duplicates, fix what is \
        wrong, remove what is stale. Read evidence with list_sessions, search_sessions and read_session; \
        edit memory with the memory tool; after each self-contained change call record_change with its \
        kind, a one-line summary, why, and evidence quotes copied exactly from the sessions (they are \
        checked; a change with a quote that is not in its session is dropped). Make few, well-founded \
        changes; propose nothing you cannot quote evidence for. Lines a person wrote are theirs: change \
        them only when a session clearly contradicts them. Files marked pinned cannot be changed. Never \
        copy secrets (keys, tokens, passwords) into memory. When you are done, answer without a tool call.
        """

    var text: String {
        var parts: [String] = []
        if let instructions, !instructions.isEmpty {
            parts.append("Focus of this dream, from the team:\n\(instructions)")
        }
        parts.append(memorySection)
        parts.append(candidatesSection)
        parts.append("Sessions in this dream (\(input.sessions.count)):\n" + sessionLines)
        var text = parts.joined(separator: "\n\n")
        if text.count > limit { text = String(text.prefix(limit)) + "\n[… briefing cut; use the tools to read on …]" }
        return text
    }

    var memorySection: String {
        let files = input.memory.files
        guard !files.isEmpty else { return "Memory is empty: /memories has no files yet." }
        var lines = ["Memory today (\(files.count) files; view them with the memory tool):"]
        for file in files.prefix(200) {
            let text = input.memory.texts[file.path.value] ?? ""
            lines.append(
                "- /memories/\(file.path.value) (\(text.split(separator: "\n").count) lines)"
                    + (file.isPinned ? " [pinned]" : "") + (file.frontMatter?.description.map { ": \($0)" } ?? ""))
        }
        if files.count > 200 { lines.append("- … and \(files.count - 200) more") }
        if let index = input.memory.texts["MEMORY.md"] {
            lines.append("\n/memories/MEMORY.md:\n" + String(index.prefix(6000)))
        }
        return lines.joined(separator: "\n")
    }

    var candidatesSection: String {
        let calls = input.sessions.sorted { $0.id < $1.id }.map(ToolCall.calls)
        var lines = ["What a first pass found (leads to check, not facts; counts are over this dream's sessions):"]
        let mistakes = MistakeFinder(minimumSessions: minimumSessions).find(calls: calls)
        lines.append("Recurring tool errors:" + (mistakes.isEmpty ? " none" : ""))
        for mistake in mistakes.prefix(15) {
            let quote = mistake.quotes.first.map { " e.g. \($0.session): \"\($0.quote.prefix(160))\"" } ?? ""
            lines.append(
                "- \(mistake.what) failed \(mistake.occurrences)× in \(mistake.sessions.count) sessions "
                    + "(\(mistake.sessions.prefix(5).joined(separator: ", ")))\(mistake.fix.map { "; retried as: \($0)" } ?? "")\(quote)"
            )
        }
        let workflows = WorkflowFinder(minimumSessions: minimumSessions).find(calls: calls)
        lines.append("Shared tool sequences:" + (workflows.isEmpty ? " none" : ""))
        for workflow in workflows.prefix(10) {
            lines.append(
                "- " + workflow.steps.joined(separator: " → ")
                    + " (sessions \(workflow.sessions.prefix(5).joined(separator: ", ")))")
        }
        let preferences = PreferenceFinder(minimumSessions: minimumSessions).find(in: input.sessions)
        lines.append("Statements of preference:" + (preferences.isEmpty ? " none" : ""))
        for preference in preferences.prefix(15) {
            lines.append(
                "- \"\(preference.text.prefix(160))\" said by \(preference.users.joined(separator: ", ")) "
                    + "in \(preference.sessions.prefix(5).joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    var sessionLines: String {
        let shown = input.sessions.prefix(100).map { session in
            "- \(session.id): \(session.user ?? "?") with \(session.agent ?? "?"), \(session.events.count) events, \(session.toolErrors) tool errors"
        }
        let more =
            input.sessions.count > 100
            ? "\n- … and \(input.sessions.count - 100) more (list_sessions, search_sessions)" : ""
        return shown.joined(separator: "\n") + more
    }
}
