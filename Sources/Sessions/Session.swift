import Foundation

/// One past agent interaction, from any source, in one model.
public struct Session: Sendable, Equatable {
    /// The session's id in its source (the file name when the transcript names none).
    public var id: String
    /// Which kind of source read it: "claude-code", "codex", "reverie".
    public var source: String
    /// The file it was read from.
    public var file: String
    /// The working directory the agent ran in.
    public var project: String?
    /// The branch the agent's working directory was on, when the source records it.
    public var gitBranch: String?
    /// The person the agent worked for, when the source says (Reverie's format); preferences are grouped by it.
    public var user: String?
    /// The agent that ran the session: "claude-code", "codex", or what a Reverie-format file names.
    public var agent: String?
    /// When the session began: the header says so in Reverie's format; else its earliest timestamp.
    public var started: Date?
    /// When the session ended: the header says so in Reverie's format; else its latest timestamp.
    public var ended: Date?
    /// What happened, in order.
    public var events: [SessionEvent]
    /// Summaries the agent tool wrote about the session.
    public var summaries: [String]

    /// A session with no project, branch, person or times yet; parsers fill them in as they read.
    public init(id: String, source: String, file: String, events: [SessionEvent] = [], summaries: [String] = []) {
        self.id = id
        self.source = source
        self.file = file
        self.events = events
        self.summaries = summaries
    }

    /// The number of tool calls made.
    public var toolCalls: Int { events.filter { if case .toolCall = $0.kind { true } else { false } }.count }
    /// The number of tool results marked as errors.
    public var toolErrors: Int {
        events.filter { if case .toolResult(_, _, true, _) = $0.kind { true } else { false } }.count
    }

    /// Cuts every text longer than `limit` characters to its start and end (three
    /// quarters and one quarter of the limit), marking the cut.
    public mutating func shortenTexts(to limit: Int) {
        func shorten(_ text: String) -> String {
            guard text.utf8.count > limit else { return text }
            let head = text.prefix(limit * 3 / 4), tail = text.suffix(limit / 4)
            return head + "\n[… \(text.count - head.count - tail.count) characters left out …]\n" + tail
        }
        for index in events.indices {
            switch events[index].kind {
            case .user(let text): events[index].kind = .user(text: shorten(text))
            case .context(let text): events[index].kind = .context(text: shorten(text))
            case .assistant(let text): events[index].kind = .assistant(text: shorten(text))
            case .toolCall(let id, let name, let input):
                events[index].kind = .toolCall(id: id, name: name, input: shorten(input))
            case .toolResult(let id, let output, let isError, let exitCode):
                events[index].kind = .toolResult(
                    callID: id, output: shorten(output), isError: isError, exitCode: exitCode)
            case .rejection: break
            }
        }
    }
}
