/// One path a working-tree commit changes, for writing its message.
public struct EditedPath: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case added, modified, deleted
    }

    public let path: String
    public let kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}
