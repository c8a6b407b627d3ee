/// A `memory_version` object: one immutable row of a store's history (docs/memory-stores.md).
public struct MemoryVersion: Sendable, Equatable, Decodable {
    /// Who made a write: an agent's session, an API key, or a person in the Console.
    public struct Actor: Sendable, Equatable, Decodable {
        /// `session_actor`, `api_actor` or `user_actor`.
        public let type: String
        /// The session's id, for a `session_actor`.
        public let sessionId: String?
        /// The API key's id, for an `api_actor`.
        public let apiKeyId: String?
        /// The person's id, for a `user_actor`.
        public let userId: String?

        /// The session, key or user id, whichever this actor has.
        public var id: String { sessionId ?? apiKeyId ?? userId ?? "unknown" }
    }

    /// A `memver_…` id.
    public let id: String
    /// The `mem_…` id of the memory this is a version of.
    public let memoryId: String
    /// `created`, `modified` or `deleted`.
    public let operation: String
    /// Null when the version was redacted.
    public let path: String?
    /// Null when deleted, redacted, or listed with `view=basic`.
    public let content: String?
    /// Lowercase hex SHA-256 of the content.
    public let contentSha256: String?
    /// RFC 3339; versions are mirrored in this order.
    public let createdAt: String
    /// Who made the write; its commit is authored by them.
    public let createdBy: Actor?
    /// RFC 3339; set when the version was redacted.
    public let redactedAt: String?
}
