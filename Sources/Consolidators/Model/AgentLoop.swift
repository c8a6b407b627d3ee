import Dreaming
import Foundation
import Memory
import Sessions

/// A dream with a model: turns of tool calls over an in-memory copy of memory, never the
/// working tree, until the model is done, the turns run out or the token budget would be
/// passed. Each `record_change` closes the memory edits since the last one into one change
/// (one commit), after its evidence quotes were found in the sessions they cite.
struct AgentLoop {
    struct Settings: Sendable {
        var maxTokens = 4096
        /// Input tokens the whole loop may send.
        var tokenBudget = 150_000
        var maxTurns = 40
        var instructions: String?
        var minimumSessions = 2
        /// The largest memory file a dream may write (`[guardrails] max_file_kb`).
        var maxFileBytes = 100 * 1024
        /// Tool results older than this many turns are cut in later requests, so a long
        /// dream does not send every file it read again on every turn.
        var fullResultTurns = 3
    }

    let backend: any ModelBackend
    let input: DreamInput
    let settings: Settings
    var workspace: any MemoryWorkspace
    let progress: @Sendable (String) -> Void

    private(set) var messages: [ModelMessage] = []
    private(set) var changes: [MemoryChange] = []
    private(set) var dropped: [DroppedChange] = []
    private(set) var usage = TokenUsage()
    /// Memory as the recorded changes leave it.
    private var current: [String: String]

    init(
        backend: any ModelBackend, input: DreamInput, settings: Settings, workspace: any MemoryWorkspace,
        progress: @escaping @Sendable (String) -> Void
    ) {
        self.backend = backend
        self.input = input
        self.settings = settings
        self.workspace = workspace
        self.progress = progress
        current = input.memory.texts
    }

    static let kinds: [String: MemoryChange.Kind] = [
        "mistake": .mistake, "workflow": .workflow, "preference": .preference, "restructure": .restructure,
        "other": .other,
    ]

    static let recordSpec = ToolSpec(
        name: "record_change",
        description: "Close one change: the memory edits made since the last record_change become one reviewed commit. "
            + "Evidence quotes must be copied exactly from the sessions (read_session, search_sessions).",
        schema: [
            "type": "object", "required": ["kind", "summary", "rationale", "evidence"],
            "properties": [
                "kind": ["type": "string", "enum": ["mistake", "workflow", "preference", "restructure", "other"]],
                "summary": ["type": "string", "description": "one line, the commit's subject"],
                "rationale": [
                    "type": "string", "description": "why memory should change, for the person who reviews it",
                ],
                "evidence": [
                    "type": "array",
                    "items": [
                        "type": "object", "required": ["session_id", "quote"],
                        "properties": [
                            "session_id": ["type": "string"],
                            "quote": ["type": "string", "description": "exact text from that session"],
                        ],
                    ],
                ],
            ],
        ])

    var tools: [ToolSpec] { [MemoryToolSpec.spec] + SessionTools.specs + [Self.recordSpec] }

    mutating func run() async throws(ModelError) -> DreamPlan {
        let briefing = Briefing(
            input: input, instructions: settings.instructions, minimumSessions: settings.minimumSessions)
        messages = [ModelMessage(role: .user, content: [.text(briefing.text)])]
        var remindedOfOpenEdits = false
        var stoppedBecause: String?
        for turn in 1...max(1, settings.maxTurns) {
            if Task.isCancelled { throw .cancelled }
            if usage.input + estimateNextInput() > settings.tokenBudget {
                stoppedBecause = "the token budget (\(settings.tokenBudget) input tokens) would have been passed"
                break
            }
            let reply = try await backend.send(
                ModelRequest(
                    system: Briefing.system, messages: trimmedMessages(),
                    tools: tools, maxTokens: settings.maxTokens))
            usage = usage + reply.usage
            progress("turn \(turn): \(usage.input) tokens in, \(usage.output) out, \(changes.count) changes")
            messages.append(ModelMessage(role: .assistant, content: reply.content))
            if reply.stop == .pauseTurn { continue }  // sent back as it is, the turn goes on
            let calls = messages.last!.toolUses
            if calls.isEmpty {
                if reply.stop == .maxTokens {
                    messages.append(
                        ModelMessage(
                            role: .user,
                            content: [.text("Your answer was cut off at max_tokens. Go on, in shorter steps.")]))
                    continue
                }
                guard workspace.hasOpenEdits, !remindedOfOpenEdits else { break }
                remindedOfOpenEdits = true
                messages.append(
                    ModelMessage(
                        role: .user,
                        content: [
                            .text(
                                "Some memory edits are not part of a recorded change yet. Record them with record_change, "
                                    + "or they are left out of the dream.")
                        ]))
                continue
            }
            var results: [ModelMessage.Block] = []
            for call in calls {
                if reply.stop == .maxTokens {
                    results.append(
                        .toolResult(
                            id: call.id,
                            text: "Your answer was cut off at max_tokens before this call was "
                                + "complete; nothing was done. Make the call again, with less text.", isError: true))
                    continue
                }
                let (text, isError) = execute(name: call.name, arguments: call.input, raw: call.raw)
                results.append(.toolResult(id: call.id, text: text, isError: isError))
            }
            messages.append(ModelMessage(role: .user, content: results))
            if turn == settings.maxTurns { stoppedBecause = "it took \(settings.maxTurns) turns" }
        }
        if workspace.hasOpenEdits {
            workspace.discardChange()
            dropped.append(
                DroppedChange(
                    summary: "Memory edits never recorded as a change",
                    reason: stoppedBecause.map { "the dream stopped: \($0)" } ?? "the model ended without record_change"
                ))
        }
        return DreamPlan(changes: changes, dropped: dropped, usage: usage)
    }

    /// Runs one tool call; every failure is a tool error the model can read and act on.
    mutating func execute(name: String, arguments: JSONValue?, raw: String) -> (String, Bool) {
        guard let arguments, case .object = arguments else {
            return ("The arguments were not a JSON object (\(raw.prefix(200))); send them again as one.", true)
        }
        if name == MemoryToolSpec.spec.name { return workspace.memoryCommand(arguments) }
        if let result = SessionTools(sessions: input.sessions).run(name, arguments) { return result }
        if name == Self.recordSpec.name { return record(arguments) }
        return ("No tool named \(name); the tools are \(tools.map(\.name).joined(separator: ", ")).", true)
    }

    mutating func record(_ arguments: JSONValue) -> (String, Bool) {
        guard let kindName = arguments["kind"]?.string, let kind = Self.kinds[kindName] else {
            return ("record_change needs a kind: mistake, workflow, preference, restructure or other.", true)
        }
        guard let summary = arguments["summary"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines),
            !summary.isEmpty
        else {
            return ("record_change needs a one-line summary.", true)
        }
        let rationale = arguments["rationale"]?.string ?? ""
        guard workspace.hasOpenEdits else {
            return ("No memory edits since the last recorded change: edit memory first, then record the change.", true)
        }
        var evidence: [Evidence] = []
        for item in arguments["evidence"]?.array ?? [] {
            guard let session = item["session_id"]?.string, let quote = item["quote"]?.string else {
                return ("Each evidence item needs a session_id and a quote.", true)
            }
            evidence.append(Evidence(session: session, quote: quote))
        }
        if evidence.isEmpty && kind != .restructure {
            return ("A \(kindName) change needs evidence: at least one quote from a session.", true)
        }
        for item in evidence {
            let reason: String?
            if let session = input.sessions.first(where: { $0.id == item.session }) {
                // The quote itself is not repeated: cut short, a key in it would slip past the scanner.
                reason =
                    SessionTools.contains(session, quote: item.quote)
                    ? nil
                    : "a quote of \(item.quote.count) characters does not occur in session \(item.session)"
            } else {
                reason = "no session \(item.session) in this dream"
            }
            if let reason {
                workspace.discardChange()
                dropped.append(DroppedChange(summary: summary, reason: reason))
                return (
                    "Change dropped: \(reason). Its memory edits were undone. Quotes must be copied exactly "
                        + "from read_session or search_sessions; make the edits again and record them with exact quotes.",
                    true
                )
            }
        }
        var (writes, deletes) = workspace.closeChange()
        for (path, text) in archivedHumanLines(writes: writes, deletes: deletes) { writes[path] = text }
        for (path, text) in writes { current[path] = text }
        for path in deletes { current[path] = nil }
        changes.append(
            MemoryChange(
                kind: kind, writes: writes, deletes: deletes, summary: summary,
                rationale: rationale, evidence: evidence))
        return ("Recorded change \(changes.count): \(summary)", false)
    }

    /// A person's lines that a change rewrites or removes go word for word to
    /// `archive/<path>`, as the built-in consolidator keeps them: nothing a person wrote is
    /// lost from memory, only moved. Reverie's own entries (marked) are not kept.
    func archivedHumanLines(writes: [String: String], deletes: [String]) -> [String: String] {
        var archives: [String: String] = [:]
        for path in Set(writes.keys).union(deletes).sorted() where !path.hasPrefix("archive/") {
            guard let original = input.memory.texts[path] else { continue }
            let human = Set(
                original.split(separator: "\n").filter { line in
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    return !trimmed.isEmpty && trimmed != "---" && !line.contains("<!-- reverie:")
                })
            var remaining: [Substring: Int] = [:]
            for line in (writes[path] ?? "").split(separator: "\n") { remaining[line, default: 0] += 1 }
            var removed: [Substring] = []
            for line in (current[path] ?? "").split(separator: "\n") {
                if let count = remaining[line], count > 0 {
                    remaining[line] = count - 1
                } else if human.contains(line) {
                    removed.append(line)
                }
            }
            guard !removed.isEmpty else { continue }
            let archive = "archive/" + path
            var text =
                archives[archive] ?? current[archive]
                ?? "---\ndescription: Lines of \(path) that dreams rewrote or removed, kept word for word\n---\n# Archived from \(path)\n\n"
            if !text.hasSuffix("\n") { text += "\n" }
            text += removed.map { "\($0) <!-- archived by dream \(input.id) -->\n" }.joined()
            archives[archive] = text
        }
        return archives
    }

    /// The conversation as sent: results of tool calls older than a few turns are cut to
    /// their start (the model can call again), so the input grows by turns, not by the square.
    func trimmedMessages() -> [ModelMessage] {
        let userTurns = messages.indices.filter { messages[$0].role == .user }
        guard userTurns.count > settings.fullResultTurns else { return messages }
        let keepFrom = userTurns[userTurns.count - settings.fullResultTurns]
        return messages.enumerated().map { index, message in
            guard index < keepFrom, index > 0, message.role == .user else { return message }
            return ModelMessage(
                role: .user,
                content: message.content.map { block in
                    guard case .toolResult(let id, let text, let isError) = block, text.count > 300 else {
                        return block
                    }
                    return .toolResult(
                        id: id,
                        text: String(text.prefix(300))
                            + "\n[… cut to save tokens; call the tool again to see it all …]",
                        isError: isError)
                })
        }
    }

    /// About what the next request will cost: the last one's input, what came back since,
    /// at four characters a token.
    func estimateNextInput() -> Int {
        guard messages.count > 1 else {
            return Briefing.system.count / 4 + (messages.first.map(Self.characters) ?? 0) / 4
        }
        return trimmedMessages().reduce(Briefing.system.count) { $0 + Self.characters($1) } / 4
    }

    static func characters(_ message: ModelMessage) -> Int {
        message.content.reduce(0) { total, block in
            switch block {
            case .text(let text): total + text.count
            case .toolUse(_, _, _, let raw): total + raw.count + 40
            case .toolResult(_, let text, _): total + text.count + 40
            }
        }
    }
}
