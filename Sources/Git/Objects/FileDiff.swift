/// How one file differs between two commits.
public struct FileDiff: Sendable, Equatable {
    /// The kinds of change a diff reports.
    public enum Status: String, Sendable {
        case added, deleted, modified, renamed, typeChanged = "type-changed"
    }

    /// What happened to the file.
    public let status: Status
    /// The path after the change (for a deletion: the path that went away).
    public let path: String
    /// The path before a rename.
    public let oldPath: String?
    /// Lines the new version adds.
    public let linesAdded: Int
    /// Lines the new version removes.
    public let linesRemoved: Int

    /// A file's difference, as a diff reports it.
    public init(status: Status, path: String, oldPath: String?, linesAdded: Int, linesRemoved: Int) {
        self.status = status
        self.path = path
        self.oldPath = oldPath
        self.linesAdded = linesAdded
        self.linesRemoved = linesRemoved
    }
}
