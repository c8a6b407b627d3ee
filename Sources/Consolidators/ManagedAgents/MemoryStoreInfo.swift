/// A `memory_store` object as `GET /v1/memory_stores` returns it (docs/memory-stores.md).
public struct MemoryStoreInfo: Sendable, Equatable, Decodable {
    /// A `memstore_…` id.
    public let id: String
    /// The store's name, as people see it in the Console.
    public let name: String
    /// What the store is for, when someone said.
    public let description: String?
    /// RFC 3339; set once the store is archived (read-only from then on).
    public let archivedAt: String?
    /// RFC 3339.
    public let createdAt: String?
}
