/// A session a change rests on, with a short quote from it.
public struct Evidence: Sendable, Equatable {
    /// The id of the session, as `Session.id` gives it.
    public var session: String
    /// Words from the session; a model's dream drops a change whose quote does not occur there.
    public var quote: String

    /// `quote` from session `session`.
    public init(session: String, quote: String) {
        self.session = session
        self.quote = quote
    }
}
