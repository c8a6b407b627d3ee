import Foundation

/// Reads Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`).
///
/// The format has no official spec, so the parser is lenient where the format drifts and
/// strict about order: events follow the `parentUuid` chain (not file order), lines that
/// share `message.id` are one assistant message, tool results pair with their calls by id,
/// and unknown line types are passed over without failing anything.
public enum ClaudeCodeParser {
    /// The `Session.source` of every session this parser reads.
    public static let source = "claude-code"

    /// The sessions in one file (usually one), and what was skipped.
    public static func parse(file path: String) -> (sessions: [Session], warnings: [ParseWarning]) {
        var records: [Record] = []
        var summaries: [String] = []
        var warnings: [ParseWarning] = []
        var sawJSON = false
        let decoder = JSONDecoder()
        let readWarnings = JSONLReader.forEachLine(in: path) { number, bytes, isLast in
            guard let line = ClaudeLineScanner.scan(bytes) ?? (try? decoder.decode(Line.self, from: bytes)) else {
                let reason = isLast ? "incomplete last line (the file may still be written)" : "not a JSON object"
                warnings.append(ParseWarning(file: path, line: number, reason: reason))
                return
            }
            sawJSON = true
            switch line.type {
            case "summary":
                if let summary = line.summary { summaries.append(summary) }
            case "user", "assistant":
                if let record = Record(line, order: records.count) {
                    records.append(record)
                } else {
                    warnings.append(
                        ParseWarning(file: path, line: number, reason: "a message line without uuid or message"))
                }
            default:
                break  // system, file-history-snapshot and types yet to come: not conversation
            }
        }
        warnings = (warnings + readWarnings).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        if !sawJSON && !warnings.isEmpty {
            return ([], [ParseWarning(file: path, line: nil, reason: "not a Claude Code transcript; skipped")])
        }
        let fileID = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var bySession: [String: [Record]] = [:]
        for record in records { bySession[record.sessionID ?? fileID, default: []].append(record) }
        // A subagent's transcript (`agent-….jsonl`, or any file of sidechain lines only)
        // carries its parent's session id; it is a session of its own, named after both so
        // that neither hides the other.
        let sessions = bySession.keys.sorted().map { id in
            let records = bySession[id]!
            let subagent = fileID.hasPrefix("agent-") || records.allSatisfy(\.isSidechain)
            return session(
                id: subagent && id != fileID ? "\(id)/\(fileID)" : id, file: path,
                records: records, summaries: summaries)
        }
        return (sessions, warnings)
    }

    // MARK: - Lines

    struct Record {
        enum Block: Equatable {
            case text(String)
            case toolUse(id: String, name: String, input: String)
            case toolResult(id: String, output: String, isError: Bool)
        }

        let uuid: String
        let parent: String?
        let time: Date?
        let order: Int
        let isSidechain: Bool
        let isAssistant: Bool
        /// A user line the tool wrote: a slash command's expansion or a compaction summary.
        let isInjected: Bool
        let messageID: String?
        let blocks: [Block]
        let sessionID: String?
        let cwd: String?
        let gitBranch: String?

        init?(_ line: Line, order: Int) {
            guard let uuid = line.uuid, let message = line.message else { return nil }
            self.uuid = uuid
            self.order = order
            parent = line.parentUuid
            time = line.timestamp.flatMap(TranscriptValues.date)
            isSidechain = line.isSidechain ?? false
            isAssistant = line.type == "assistant"
            isInjected = line.isMeta == true || line.isCompactSummary == true
            messageID = message.id
            sessionID = line.sessionId
            cwd = line.cwd
            gitBranch = line.gitBranch.flatMap { $0.isEmpty ? nil : $0 }
            blocks = message.content.map { block in
                switch block {
                case .text(let text): return .text(text)
                case .toolUse(let id, let name, let input): return .toolUse(id: id, name: name, input: input)
                case .toolResult(let id, let output, let isError):
                    return .toolResult(id: id, output: output, isError: isError || line.failed)
                }
            }
        }
    }

    /// The fields of a transcript line that dreaming uses. Each is read leniently: a field
    /// of an unexpected type counts as absent instead of failing the line, because the
    /// format drifts between Claude Code versions.
    struct Line: Decodable, Equatable {
        struct Message: Decodable, Equatable {
            let id: String?
            /// A plain string is one text block; unknown blocks (thinking, images) are left out.
            let content: [Record.Block]

            enum CodingKeys: String, CodingKey { case id, content }

            init(id: String?, content: [Record.Block]) {
                self.id = id
                self.content = content
            }

            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                id = try? container.decodeIfPresent(String.self, forKey: .id)
                if let text = try? container.decodeIfPresent(String.self, forKey: .content) {
                    content = [.text(text)]
                } else {
                    content = ((try? container.decodeIfPresent([ContentBlock].self, forKey: .content)) ?? [])
                        .compactMap(\.block)
                }
            }
        }

        struct ContentBlock: Decodable {
            let block: Record.Block?

            enum CodingKeys: String, CodingKey {
                case type, text, id, name, input, content
                case toolUseID = "tool_use_id"
                case isError = "is_error"
            }

            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                func text(_ key: CodingKeys) -> String? { try? container.decodeIfPresent(String.self, forKey: key) }
                switch text(.type) {
                case "text":
                    block = text(.text).map { .text($0) }
                case "tool_use":
                    let input = try? container.decodeIfPresent(JSONValue.self, forKey: .input)
                    block = .toolUse(id: text(.id) ?? "", name: text(.name) ?? "", input: input?.compactText ?? "")
                case "tool_result":
                    let output =
                        text(.content)
                        ?? (try? container.decodeIfPresent(JSONValue.self, forKey: .content))?.contentText ?? ""
                    let isError = (try? container.decodeIfPresent(Bool.self, forKey: .isError)) ?? false
                    block = .toolResult(id: text(.toolUseID) ?? "", output: output, isError: isError)
                default:
                    block = nil
                }
            }
        }

        var type, uuid, parentUuid, timestamp, sessionId, cwd, gitBranch, summary: String?
        var isSidechain, isMeta, isCompactSummary: Bool?
        var message: Message?
        /// A failed tool's per-tool result is a plain "Error: …" string.
        var failed = false

        init() {}

        enum CodingKeys: String, CodingKey {
            case type, uuid, parentUuid, timestamp, sessionId, cwd, gitBranch, summary, isSidechain, isMeta,
                isCompactSummary
            case message, toolUseResult
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func text(_ key: CodingKeys) -> String? { try? container.decodeIfPresent(String.self, forKey: key) }
            type = text(.type)
            uuid = text(.uuid)
            parentUuid = text(.parentUuid)
            timestamp = text(.timestamp)
            sessionId = text(.sessionId)
            cwd = text(.cwd)
            gitBranch = text(.gitBranch)
            summary = text(.summary)
            isSidechain = try? container.decodeIfPresent(Bool.self, forKey: .isSidechain)
            isMeta = try? container.decodeIfPresent(Bool.self, forKey: .isMeta)
            isCompactSummary = try? container.decodeIfPresent(Bool.self, forKey: .isCompactSummary)
            message = try? container.decodeIfPresent(Message.self, forKey: .message)
            failed = text(.toolUseResult)?.hasPrefix("Error") ?? false
        }
    }

    /// What Claude Code writes as a tool's result when the person (or their settings)
    /// refused the call: each is a refusal, never a tool error.
    static let refusals = [
        "The user doesn't want to proceed with this tool use", "The user doesn't want to take this action right now",
        "[Request interrupted by user for tool use]", "Permission for this tool use was denied", "Permission to use ",
        "User rejected tool use", "The agent proposed a plan that was rejected by the user",
    ]
    /// Claude Code's own rewording of the same refusals, matched as a pattern (never
    /// mutated, so shared although Regex is not Sendable).
    nonisolated(unsafe) static let permissionNotGranted =
        /^(?:Error: )?Claude requested permissions? to .+, but you haven'?t granted it yet/
    static let reasonMarker = "The user provided the following reason for the rejection:"

    /// The refusal in a tool result, with the reason the person gave; nil for any other result.
    static func refusal(in output: String) -> Refusal? {
        let start = output.drop { $0.isWhitespace }
        guard
            refusals.contains(where: { start.hasPrefix($0) })
                || (start.hasPrefix("Claude requested") || start.hasPrefix("Error: Claude requested"))
                    && start.prefixMatch(of: permissionNotGranted) != nil
        else { return nil }
        guard let range = output.range(of: reasonMarker) else { return Refusal(reason: nil) }
        let reason = output[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return Refusal(reason: reason.isEmpty ? nil : reason)
    }

    struct Refusal {
        let reason: String?
    }

    /// Text Claude Code writes in the person's turn: commands, their output, caveats,
    /// reminders and the notes of an interruption.
    static let injectedPrefixes = [
        "<command-name>", "<command-message>", "<command-args>", "<local-command-stdout>", "<local-command-stderr>",
        "<bash-input>", "<bash-stdout>", "<bash-stderr>", "<system-reminder>", "<user-prompt-submit-hook>",
        "Caveat: The messages below were generated by the user",
        "This session is being continued from a previous conversation",
        "[Request interrupted by user",
    ]

    static func isInjected(_ text: String) -> Bool {
        let start = text.drop { $0.isWhitespace }
        return injectedPrefixes.contains { start.hasPrefix($0) }
    }

    // MARK: - Order and events

    /// Records in conversation order: depth first along `parentUuid`, siblings by time, then
    /// by file order. A record whose parent is missing starts a branch of its own.
    static func ordered(_ records: [Record]) -> [Record] {
        let known = Set(records.map(\.uuid))
        var children: [String: [Record]] = [:]
        var roots: [Record] = []
        for record in records {
            if let parent = record.parent, known.contains(parent), parent != record.uuid {
                children[parent, default: []].append(record)
            } else {
                roots.append(record)
            }
        }
        func earlier(_ a: Record, _ b: Record) -> Bool {
            switch (a.time, b.time) {
            case let (x?, y?) where x != y: x < y
            default: a.order < b.order
            }
        }
        var result: [Record] = []
        var visited = Set<String>()
        var stack = roots.sorted(by: earlier).reversed().map { $0 }
        while let record = stack.popLast() {
            guard visited.insert(record.uuid).inserted else { continue }
            result.append(record)
            stack += (children[record.uuid] ?? []).sorted(by: earlier).reversed()
        }
        return result
    }

    static func session(id: String, file: String, records: [Record], summaries: [String]) -> Session {
        var session = Session(id: id, source: source, file: file, summaries: summaries)
        var lastMessageID: String?
        for record in ordered(records) {
            for block in record.blocks {
                let event: SessionEvent.Kind
                switch block {
                case .text(let text):
                    if record.isAssistant, let id = record.messageID, id == lastMessageID,
                        let last = session.events.last, case .assistant(let previous) = last.kind
                    {
                        session.events[session.events.count - 1].kind = .assistant(text: previous + "\n" + text)
                        continue
                    }
                    if record.isAssistant {
                        event = .assistant(text: text)
                    } else {
                        event = record.isInjected || isInjected(text) ? .context(text: text) : .user(text: text)
                    }
                case .toolUse(let id, let name, let input):
                    event = .toolCall(id: id, name: name, input: input)
                case .toolResult(let id, let output, let isError):
                    if let refusal = refusal(in: output) {
                        event = .rejection(callID: id, reason: refusal.reason)
                    } else {
                        event = .toolResult(
                            callID: id, output: output, isError: isError, exitCode: exitCode(in: output))
                    }
                }
                session.events.append(SessionEvent(event, time: record.time, isSubagent: record.isSidechain))
            }
            if record.isAssistant { lastMessageID = record.messageID } else { lastMessageID = nil }
        }
        let times = records.compactMap(\.time)
        session.started = times.min()
        session.ended = times.max()
        session.project = records.first { $0.cwd != nil }?.cwd
        session.gitBranch = records.first { $0.gitBranch != nil }?.gitBranch
        session.agent = "claude-code"
        return session
    }

    /// "Exit code 2" as Claude Code's Bash tool reports a failing command.
    static func exitCode(in output: String) -> Int32? {
        guard let offset = TextSearch.offset(of: "Exit code ", in: output) else { return nil }
        return Int32(
            String(decoding: output.utf8.dropFirst(offset + 10).prefix { (48...57).contains($0) }, as: UTF8.self))
    }
}
