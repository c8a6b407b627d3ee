import Foundation

/// Reads Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`): lines of
/// `{timestamp, type, payload}`. `session_meta` names the session; `response_item` holds
/// messages, `function_call` and `function_call_output` (paired by `call_id`). The
/// `event_msg` lines repeat what `response_item` says for the terminal, so they are not
/// read twice.
public enum CodexParser {
    /// The `Session.source` of every session this parser reads.
    public static let source = "codex"

    /// Text Codex injects as a user message in every session: context, not the person.
    private static let injectedPrefixes = ["<environment_context>", "<user_instructions>", "# AGENTS.md"]

    /// The session in one rollout file, and what was skipped; no session when the file is no rollout.
    public static func parse(file path: String) -> (sessions: [Session], warnings: [ParseWarning]) {
        let fileID = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var session = Session(id: fileID, source: source, file: path)
        session.agent = "codex"
        var warnings: [ParseWarning] = []
        var sawRollout = false
        var times: [Date] = []
        let readWarnings = JSONLReader.forEachObject(in: path) { number, line in
            guard let type = line["type"] as? String, let payload = line["payload"] as? [String: Any] else {
                warnings.append(ParseWarning(file: path, line: number, reason: "not a Codex rollout line"))
                return
            }
            sawRollout = true
            let time = (line["timestamp"] as? String).flatMap(TranscriptValues.date)
            if let time { times.append(time) }
            switch type {
            case "session_meta":
                if let id = payload["id"] as? String { session.id = id }
                session.project = payload["cwd"] as? String
                session.gitBranch = (payload["git"] as? [String: Any])?["branch"] as? String
            case "response_item":
                if let kind = event(from: payload) {
                    session.events.append(SessionEvent(kind, time: time, isSubagent: false))
                }
            default:
                break  // event_msg, turn_context, compacted and newer types
            }
        }
        warnings = (warnings + readWarnings).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        if !sawRollout {
            return (
                [],
                warnings.isEmpty ? [] : [ParseWarning(file: path, line: nil, reason: "not a Codex rollout; skipped")]
            )
        }
        session.started = times.min()
        session.ended = times.max()
        return ([session], warnings)
    }

    static func event(from payload: [String: Any]) -> SessionEvent.Kind? {
        switch payload["type"] as? String {
        case "message":
            let text = TranscriptValues.text(of: payload["content"])
            switch payload["role"] as? String {
            case "user":
                if injectedPrefixes.contains(where: { text.hasPrefix($0) }) { return nil }
                return .user(text: text)
            case "assistant":
                return .assistant(text: text)
            default:
                return nil  // system and developer messages
            }
        case "function_call", "custom_tool_call":
            let input = payload["arguments"] as? String ?? payload["input"] as? String ?? ""
            return .toolCall(
                id: payload["call_id"] as? String ?? "", name: payload["name"] as? String ?? "", input: input)
        case "function_call_output", "custom_tool_call_output":
            let callID = payload["call_id"] as? String ?? ""
            let (output, exitCode) = result(of: payload["output"])
            let failed = exitCode.map { $0 != 0 } ?? output.hasPrefix("Error")
            return .toolResult(callID: callID, output: output, isError: failed, exitCode: exitCode)
        default:
            return nil  // reasoning (often encrypted), web searches
        }
    }

    /// The output text and exit code of a tool result. Shell results arrive as a JSON string
    /// `{"output": …, "metadata": {"exit_code": …}}`; others as plain text.
    static func result(of raw: Any?) -> (String, Int32?) {
        if let object = raw as? [String: Any] { return fields(of: object) }
        guard let text = raw as? String else { return ("", nil) }
        if text.hasPrefix("{"), let data = text.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        {
            return fields(of: object)
        }
        return (text, nil)
    }

    private static func fields(of object: [String: Any]) -> (String, Int32?) {
        let output = object["output"] as? String ?? object["content"] as? String ?? ""
        let code = ((object["metadata"] as? [String: Any])?["exit_code"] as? NSNumber)?.int32Value
        return (output, code)
    }
}
