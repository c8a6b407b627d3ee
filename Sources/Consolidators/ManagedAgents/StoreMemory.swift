/// A `memory` object: one text document at a path in a store (docs/memory-stores.md).
/// `content` is there only with `view=full`; the hash and size always are.
public struct StoreMemory: Sendable, Equatable, Decodable {
    /// A `mem_…` id, stable across renames.
    public let id: String
    /// Always starts with `/`; hostile until `StorePath` accepts it.
    public let path: String
    /// Lowercase hex SHA-256 of the UTF-8 content.
    public let contentSha256: String
    /// Size of the UTF-8 content in bytes.
    public let contentSizeBytes: Int?
    /// The `memver_…` of the current content.
    public let memoryVersionId: String?
    /// The text; nil unless read with `view=full`.
    public let content: String?
}
