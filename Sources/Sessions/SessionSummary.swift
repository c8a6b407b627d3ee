import Foundation

/// What `reverie sessions` shows of a session, kept in the source cursor so an unchanged
/// transcript is never parsed twice to be listed.
public struct SessionSummary: Sendable, Equatable, Codable {
    public var id: String
    public var source: String
    public var file: String
    public var project: String?
    public var started: Date?
    public var ended: Date?
    public var events: Int
    public var toolCalls: Int
    public var errors: Int

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
