/// A change left out of a dream, and why.
public struct DroppedChange: Sendable, Equatable, Codable {
    /// The change's one-line summary, as the consolidator gave it.
    public var summary: String
    /// Why it was left out.
    public var reason: String

    /// A change summed up as `summary`, left out for `reason`.
    public init(summary: String, reason: String) {
        self.summary = summary
        self.reason = reason
    }
}
