/// A `dream` object of `POST /v1/dreams` (docs/memory-stores.md): an asynchronous job that
/// reads a store and sessions and writes a reorganised copy of the store.
public struct PlatformDream: Sendable, Equatable, Decodable {
    public struct Output: Sendable, Equatable, Decodable {
        public let type: String
        public let memoryStoreId: String?
    }

    public struct Failure: Sendable, Equatable, Decodable {
        public let type: String
        public let message: String
    }

    public struct Usage: Sendable, Equatable, Decodable {
        public let inputTokens: Int?
        public let outputTokens: Int?
        public let cacheCreationInputTokens: Int?
        public let cacheReadInputTokens: Int?
    }

    /// A `drm_…` id.
    public let id: String
    /// `pending`, `running`, `completed`, `failed` or `canceled`.
    public let status: String
    public let outputs: [Output]
    public let error: Failure?
    public let usage: Usage?

    /// Whether the dream has ended.
    public var isFinished: Bool { ["completed", "failed", "canceled"].contains(status) }
}
