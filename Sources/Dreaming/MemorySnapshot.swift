import Foundation
import Git
import Memory
import Sessions

/// Memory as `main`'s tip holds it (not the working tree: a dream is built from git).
public struct MemorySnapshot: Sendable {
    /// `main`'s tip the memory was read from; nil before the first commit.
    public let commit: ObjectID?
    /// Every memory file (`*.md` outside `.reverie/`), by path.
    public let files: [MemoryFile]
    /// Every file's text, Markdown or not, by path.
    public let texts: [String: String]

    /// A snapshot of `files` and `texts` as of `commit`.
    public init(commit: ObjectID?, files: [MemoryFile], texts: [String: String]) {
        self.commit = commit
        self.files = files
        self.texts = texts
    }
}
