/// How one file differs between two commits.
public struct FileDiff: Sendable, Equatable {
    public enum Status: String, Sendable {
        case added, deleted, modified, renamed, typeChanged = "type-changed"
    }

    public let status: Status
    /// The path after the change (for a deletion: the path that went away).
    public let path: String
    /// The path before a rename.
    public let oldPath: String?
    public let linesAdded: Int
    public let linesRemoved: Int

    public init(status: Status, path: String, oldPath: String?, linesAdded: Int, linesRemoved: Int) {
        self.status = status
        self.path = path
        self.oldPath = oldPath
        self.linesAdded = linesAdded
        self.linesRemoved = linesRemoved
    }
}
