/// A `dream` object of `POST /v1/dreams` (docs/memory-stores.md): an asynchronous job that
/// reads a store and sessions and writes a reorganised copy of the store.
public struct PlatformDream: Sendable, Equatable, Decodable {
    /// Something the dream produced; a `memory_store` output is the reorganised copy.
    public struct Output: Sendable, Equatable, Decodable {
        /// What kind of output: `memory_store` is the one Reverie reads.
        public let type: String
        /// The `memstore_…` id of the copy, for a `memory_store` output.
        public let memoryStoreId: String?
    }

    /// Why the dream failed.
    public struct Failure: Sendable, Equatable, Decodable {
        /// The kind of failure, as the API names it.
        public let type: String
        /// The API's explanation.
        public let message: String
    }

    /// Tokens the dream spent, as the API reports them; any count may be missing.
    public struct Usage: Sendable, Equatable, Decodable {
        /// Input tokens outside the cache.
        public let inputTokens: Int?
        /// Output tokens.
        public let outputTokens: Int?
        /// Input tokens written to the cache.
        public let cacheCreationInputTokens: Int?
        /// Input tokens read from the cache.
        public let cacheReadInputTokens: Int?
    }

    /// A `drm_…` id.
    public let id: String
    /// `pending`, `running`, `completed`, `failed` or `canceled`.
    public let status: String
    /// What the dream produced; empty until it completes.
    public let outputs: [Output]
    /// Why it failed, when it did.
    public let error: Failure?
    /// What it spent, when the API says.
    public let usage: Usage?

    /// Whether the dream has ended.
    public var isFinished: Bool { ["completed", "failed", "canceled"].contains(status) }
}
