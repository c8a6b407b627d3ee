import Foundation

/// One change to a tree made in memory, for commits that never touch the working tree.
public enum TreeEdit: Sendable, Equatable {
    /// Create or replace a file.
    case write(path: String, contents: Data)
    /// Remove a file (or a whole folder).
    case delete(path: String)
    /// Move a file, keeping its contents and mode.
    case rename(from: String, to: String)

    /// Create or replace a text file.
    public static func write(_ path: String, _ text: String) -> TreeEdit {
        .write(path: path, contents: Data(text.utf8))
    }

    var paths: [String] {
        switch self {
        case .write(let path, _), .delete(let path): [path]
        case .rename(let from, let to): [from, to]
        }
    }
}
