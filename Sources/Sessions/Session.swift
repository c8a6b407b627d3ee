import Foundation

/// One past agent interaction, from any source, in one model.
public struct Session: Sendable, Equatable {
    public var id: String
    /// Which kind of source read it: "claude-code", "codex", "reverie".
    public var source: String
    /// The file it was read from.
    public var file: String
    /// The working directory the agent ran in.
    public var project: String?
    public var gitBranch: String?
    public var user: String?
    public var agent: String?
    public var started: Date?
    public var ended: Date?
    public var events: [SessionEvent]
    /// Summaries the agent tool wrote about the session.
    public var summaries: [String]

    public init(id: String, source: String, file: String, events: [SessionEvent] = [], summaries: [String] = []) {
        self.id = id
        self.source = source
        self.file = file
        self.events = events
        self.summaries = summaries
    }

    public var toolCalls: Int { events.filter { if case .toolCall = $0.kind { true } else { false } }.count }
    public var toolErrors: Int {
        events.filter { if case .toolResult(_, _, true, _) = $0.kind { true } else { false } }.count
    }
}
