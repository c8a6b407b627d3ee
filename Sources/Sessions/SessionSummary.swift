import Foundation

/// What `reverie sessions` shows of a session, kept in the source cursor so an unchanged
/// transcript is never parsed twice to be listed.
public struct SessionSummary: Sendable, Equatable, Codable {
    /// The session's id in its source.
    public var id: String
    /// Which kind of source read it: "claude-code", "codex", "reverie".
    public var source: String
    /// The file it was read from.
    public var file: String
    /// The working directory the agent ran in.
    public var project: String?
    /// When the session began, when known.
    public var started: Date?
    /// When the session ended, when known.
    public var ended: Date?
    /// How many events the session holds; compared with what dreams read to find new ones.
    public var events: Int
    /// How many tool calls it made.
    public var toolCalls: Int
    /// How many tool results were errors (`Session.toolErrors`).
    public var errors: Int

    /// The summary of a parsed session.
    public init(_ session: Session) {
        id = session.id
        source = session.source
        file = session.file
        project = session.project
        started = session.started
        ended = session.ended
        events = session.events.count
        toolCalls = session.toolCalls
        errors = session.toolErrors
    }
}
