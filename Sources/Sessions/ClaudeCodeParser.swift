import Foundation

/// Reads Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`).
///
/// The format has no official spec, so the parser is lenient where the format drifts and
/// strict about order: events follow the `parentUuid` chain (not file order), lines that
/// share `message.id` are one assistant message, tool results pair with their calls by id,
/// and unknown line types are passed over without failing anything.
public enum ClaudeCodeParser {
    public static let source = "claude-code"

    /// The sessions in one file (usually one), and what was skipped.
    public static func parse(file path: String) -> (sessions: [Session], warnings: [ParseWarning]) {
        var records: [Record] = []
        var summaries: [String] = []
        var warnings: [ParseWarning] = []
        var sawJSON = false
        let readWarnings = JSONLReader.forEachObject(in: path) { number, line in
            sawJSON = true
            switch line["type"] as? String {
            case "summary":
                if let summary = line["summary"] as? String { summaries.append(summary) }
            case "user", "assistant":
                if let record = Record(line, order: records.count) {
                    records.append(record)
                } else {
                    warnings.append(ParseWarning(file: path, line: number, reason: "a message line without uuid or message"))
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
        // A subagent's transcript (`agent-….jsonl`) carries its parent's session id; it is a
        // session of its own, named after both so that neither hides the other.
        let subagent = fileID.hasPrefix("agent-")
        let sessions = bySession.keys.sorted().map { id in
            session(id: subagent && id != fileID ? "\(id)/\(fileID)" : id, file: path,
                    records: bySession[id]!, summaries: summaries)
        }
        return (sessions, warnings)
    }

    // MARK: - Lines

    struct Record {
        enum Block {
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
        let messageID: String?
        let blocks: [Block]
        let sessionID: String?
        let cwd: String?
        let gitBranch: String?

        init?(_ line: [String: Any], order: Int) {
            guard let uuid = line["uuid"] as? String, let message = line["message"] as? [String: Any] else { return nil }
            self.uuid = uuid
            self.order = order
            parent = line["parentUuid"] as? String
            time = (line["timestamp"] as? String).flatMap(TranscriptValues.date)
            isSidechain = line["isSidechain"] as? Bool ?? false
            isAssistant = line["type"] as? String == "assistant"
            messageID = message["id"] as? String
            sessionID = line["sessionId"] as? String
            cwd = line["cwd"] as? String
            gitBranch = (line["gitBranch"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            // A failed tool's per-tool result is a plain "Error: …" string.
            let failed = (line["toolUseResult"] as? String)?.hasPrefix("Error") ?? false
            var blocks: [Block] = []
            if let text = message["content"] as? String {
                blocks.append(.text(text))
            } else if let content = message["content"] as? [Any] {
                for case let block as [String: Any] in content {
                    switch block["type"] as? String {
                    case "text":
                        if let text = block["text"] as? String { blocks.append(.text(text)) }
                    case "tool_use":
                        let input = block["input"].flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
                        blocks.append(.toolUse(id: block["id"] as? String ?? "", name: block["name"] as? String ?? "",
                                               input: input.map { String(decoding: $0, as: UTF8.self) } ?? ""))
                    case "tool_result":
                        blocks.append(.toolResult(id: block["tool_use_id"] as? String ?? "",
                                                  output: TranscriptValues.text(of: block["content"]),
                                                  isError: (block["is_error"] as? Bool ?? false) || failed))
                    default:
                        break  // thinking, images: not used for dreaming
                    }
                }
            }
            self.blocks = blocks
        }
    }

    private static let rejectionMarker = "The user doesn't want to proceed with this tool use"

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
                       let last = session.events.last, case .assistant(let previous) = last.kind {
                        session.events[session.events.count - 1].kind = .assistant(text: previous + "\n" + text)
                        continue
                    }
                    event = record.isAssistant ? .assistant(text: text) : .user(text: text)
                case .toolUse(let id, let name, let input):
                    event = .toolCall(id: id, name: name, input: input)
                case .toolResult(let id, let output, let isError):
                    if output.contains(rejectionMarker) {
                        event = .rejection(callID: id, reason: nil)
                    } else {
                        event = .toolResult(callID: id, output: output, isError: isError, exitCode: exitCode(in: output))
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
        guard let range = output.range(of: "Exit code ") else { return nil }
        return Int32(output[range.upperBound...].prefix { $0.isNumber })
    }
}
