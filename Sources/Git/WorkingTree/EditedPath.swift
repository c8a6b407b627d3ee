/// One path a working-tree commit changes, for writing its message.
public struct EditedPath: Sendable, Equatable {
    /// How the path changed.
    public enum Kind: Sendable, Equatable {
        case added, modified, deleted
    }

    /// The path, relative to the repository.
    public let path: String
    /// How it changed.
    public let kind: Kind

    /// The `kind` of change at `path`.
    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}
