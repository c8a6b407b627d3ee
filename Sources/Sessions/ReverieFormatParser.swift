import Foundation

/// Reads Reverie's own session format (docs/session-format.md), for any agent framework.
public enum ReverieFormatParser {
    /// The `Session.source` of every session this parser reads.
    public static let source = "reverie"
    /// The format version (`"v"`) this build reads; lines of other versions are skipped with a warning.
    public static let version = 1

    /// The session in one file, and what was skipped; no session when no line is in the format.
    public static func parse(file path: String) -> (sessions: [Session], warnings: [ParseWarning]) {
        let fileID = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var session = Session(id: fileID, source: source, file: path)
        var warnings: [ParseWarning] = []
        var sawHeader = false, sawLine = false
        var times: [Date] = []
        let readWarnings = JSONLReader.forEachObject(in: path) { number, line in
            func warn(_ reason: String) { warnings.append(ParseWarning(file: path, line: number, reason: reason)) }
            guard let version = line["v"] as? Int else { return warn("no \"v\": not a Reverie session line") }
            guard version == Self.version else {
                return warn("format version \(version); this Reverie reads version \(Self.version)")
            }
            sawLine = true
            let time = (line["time"] as? String).flatMap(TranscriptValues.date)
            if let time { times.append(time) }
            let subagent = line["subagent"] as? Bool ?? false
            func string(_ key: String) -> String? { line[key] as? String }
            func require(_ key: String) -> String? {
                guard let value = string(key) else {
                    warn("\"\(key)\" is missing or not text")
                    return nil
                }
                return value
            }
            let kind: SessionEvent.Kind
            switch string("type") {
            case "session":
                guard let id = require("id") else { return }
                sawHeader = true
                session.id = id
                session.user = string("user")
                session.agent = string("agent")
                session.project = string("project")
                session.gitBranch = string("git_branch")
                session.started = string("started").flatMap(TranscriptValues.date)
                session.ended = string("ended").flatMap(TranscriptValues.date)
                return
            case "user":
                guard let text = require("text") else { return }
                kind = .user(text: text)
            case "context":
                guard let text = require("text") else { return }
                kind = .context(text: text)
            case "assistant":
                guard let text = require("text") else { return }
                kind = .assistant(text: text)
            case "tool_call":
                guard let id = require("id"), let name = require("name") else { return }
                kind = .toolCall(id: id, name: name, input: Self.json(line["input"]))
            case "tool_result":
                guard let callID = require("call_id") else { return }
                let exitCode = (line["exit_code"] as? NSNumber)?.int32Value
                let isError = line["is_error"] as? Bool ?? exitCode.map { $0 != 0 } ?? false
                kind = .toolResult(callID: callID, output: string("output") ?? "", isError: isError, exitCode: exitCode)
            case "rejection":
                guard let callID = require("call_id") else { return }
                kind = .rejection(callID: callID, reason: string("reason"))
            default:
                return  // newer types: skipped, never fatal
            }
            session.events.append(SessionEvent(kind, time: time, isSubagent: subagent))
        }
        warnings = (warnings + readWarnings).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        guard sawLine else {
            return (
                [],
                warnings.isEmpty
                    ? [] : [ParseWarning(file: path, line: nil, reason: "not a Reverie session file; skipped")]
            )
        }
        if !sawHeader {
            warnings.append(ParseWarning(file: path, line: 1, reason: "no \"session\" line; the file name is the id"))
        }
        session.started = session.started ?? times.min()
        session.ended = session.ended ?? times.max()
        return ([session], warnings)
    }

    /// A tool input as text: strings as they are, anything else as compact JSON.
    static func json(_ value: Any?) -> String {
        guard let value else { return "" }
        if let text = value as? String { return text }
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
