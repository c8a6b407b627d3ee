/// A `memory_version` object: one immutable row of a store's history (docs/memory-stores.md).
public struct MemoryVersion: Sendable, Equatable, Decodable {
    /// Who made a write: an agent's session, an API key, or a person in the Console.
    public struct Actor: Sendable, Equatable, Decodable {
        /// `session_actor`, `api_actor` or `user_actor`.
        public let type: String
        public let sessionId: String?
        public let apiKeyId: String?
        public let userId: String?

        /// The session, key or user id, whichever this actor has.
        public var id: String { sessionId ?? apiKeyId ?? userId ?? "unknown" }
    }

    /// A `memver_…` id.
    public let id: String
    public let memoryId: String
    /// `created`, `modified` or `deleted`.
    public let operation: String
    /// Null when the version was redacted.
    public let path: String?
    /// Null when deleted, redacted, or listed with `view=basic`.
    public let content: String?
    public let contentSha256: String?
    public let createdAt: String
    public let createdBy: Actor?
    public let redactedAt: String?
}
