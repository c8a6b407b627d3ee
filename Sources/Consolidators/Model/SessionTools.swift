import Foundation
import Sessions

/// The tools a model reads evidence with: the dream's sessions listed, read a page at a
/// time (long texts cut), and searched. Quotes a change cites are checked against the same
/// text, so what the model read is what it can quote.
struct SessionTools {
    let sessions: [Session]
    /// Longest text of one event shown; the rest is marked as cut.
    var eventTextLimit = 1500
    var pageLimit = 60

    static let specs: [ToolSpec] = [
        ToolSpec(
            name: "list_sessions",
            description:
                "List the agent sessions this dream reads: id, who, which agent, when, how many events and tool errors.",
            schema: ["type": "object", "properties": [:]]),
        ToolSpec(
            name: "read_session",
            description:
                "Read one session's events in order, a page at a time. Long outputs are cut; quote only what you see.",
            schema: [
                "type": "object", "required": ["session_id"],
                "properties": [
                    "session_id": ["type": "string"],
                    "offset": ["type": "integer", "description": "first event to show (default 0)"],
                    "limit": ["type": "integer", "description": "events to show (default 40, at most 60)"],
                ],
            ]),
        ToolSpec(
            name: "search_sessions",
            description:
                "Find a text (case-insensitive) in every session: matching events with their session id and index.",
            schema: [
                "type": "object", "required": ["query"],
                "properties": [
                    "query": ["type": "string"],
                    "limit": ["type": "integer", "description": "matches to show (default 20)"],
                ],
            ]),
    ]

    func run(_ name: String, _ input: JSONValue?) -> (text: String, isError: Bool)? {
        switch name {
        case "list_sessions": return (list(), false)
        case "read_session":
            guard let id = input?["session_id"]?.string else {
                return ("read_session needs a session_id (see list_sessions)", true)
            }
            guard let session = sessions.first(where: { $0.id == id }) else {
                return ("No session \(id) in this dream; list_sessions shows their ids.", true)
            }
            let offset = max(0, input?["offset"]?.integer ?? 0),
                limit = min(pageLimit, max(1, input?["limit"]?.integer ?? 40))
            return (read(session, offset: offset, limit: limit), false)
        case "search_sessions":
            guard let query = input?["query"]?.string, !query.trimmingCharacters(in: .whitespaces).isEmpty else {
                return ("search_sessions needs a query", true)
            }
            return (search(query, limit: min(50, max(1, input?["limit"]?.integer ?? 20))), false)
        default: return nil
        }
    }

    func list() -> String {
        guard !sessions.isEmpty else { return "No sessions in this dream." }
        let formatter = ISO8601DateFormatter()
        return sessions.map { session in
            "\(session.id) | user \(session.user ?? "?") | agent \(session.agent ?? "?") | "
                + "\(session.started.map { formatter.string(from: $0) } ?? "?") | \(session.events.count) events | "
                + "\(session.toolErrors) tool errors"
        }.joined(separator: "\n")
    }

    func read(_ session: Session, offset: Int, limit: Int) -> String {
        // An offset past the end (up to Int.max, as a model may send) must not overflow.
        let end = offset >= session.events.count ? offset : min(session.events.count, offset + limit)
        guard offset < end else {
            return "Session \(session.id) has \(session.events.count) events; offset \(offset) is past the end."
        }
        var lines = ["Session \(session.id), events \(offset)–\(end - 1) of \(session.events.count):"]
        for index in offset..<end {
            lines.append("[\(index)] " + Self.describe(session.events[index], limit: eventTextLimit))
        }
        if end < session.events.count { lines.append("(more: read_session with offset \(end))") }
        return lines.joined(separator: "\n")
    }

    func search(_ query: String, limit: Int) -> String {
        var hits: [String] = []
        var total = 0
        for session in sessions {
            for (index, event) in session.events.enumerated() {
                let text = Self.text(of: event)
                guard let range = text.range(of: query, options: .caseInsensitive) else { continue }
                total += 1
                guard hits.count < limit else { continue }
                let start = text.index(range.lowerBound, offsetBy: -120, limitedBy: text.startIndex) ?? text.startIndex
                let end = text.index(range.upperBound, offsetBy: 120, limitedBy: text.endIndex) ?? text.endIndex
                hits.append("\(session.id) [\(index)] \(Self.kind(of: event)): …\(text[start..<end])…")
            }
        }
        guard total > 0 else { return "No event contains \"\(query)\"." }
        return hits.joined(separator: "\n") + (total > hits.count ? "\n(\(total - hits.count) more matches)" : "")
    }

    static func kind(of event: SessionEvent) -> String {
        switch event.kind {
        case .user: "user"
        case .context: "context (not typed by the person)"
        case .assistant: "assistant"
        case .toolCall(_, let name, _): "tool_call \(name)"
        case .toolResult(_, _, let isError, let exit):
            isError ? "tool_result (error\(exit.map { ", exit \($0)" } ?? ""))" : "tool_result"
        case .rejection: "rejection"
        }
    }

    /// The event's own text: what a quote from it must be part of.
    static func text(of event: SessionEvent) -> String {
        switch event.kind {
        case .user(let text), .assistant(let text), .context(let text): text
        case .toolCall(_, _, let input): input
        case .toolResult(_, let output, _, _): output
        case .rejection(_, let reason): reason ?? ""
        }
    }

    static func describe(_ event: SessionEvent, limit: Int) -> String {
        let text = self.text(of: event)
        let shown =
            text.count > limit ? String(text.prefix(limit)) + " [… \(text.count - limit) characters cut …]" : text
        return "\(kind(of: event))\(event.isSubagent ? " (subagent)" : ""): \(shown)"
    }

    /// Whether `quote` occurs in the session, white space folded: the evidence check.
    static func contains(_ session: Session, quote: String) -> Bool {
        let wanted = fold(quote)
        guard !wanted.isEmpty else { return false }
        return session.events.contains { fold(text(of: $0)).contains(wanted) }
    }

    static func fold(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
