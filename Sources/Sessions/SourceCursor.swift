import Foundation

/// Where every source file stood when Reverie last read it: its size and modification
/// time, and the sessions it held. Machine-local (kept under `.git/reverie/`), so it is
/// a cache of what the transcripts say, never the record of what a dream read; that
/// record is in git.
public struct SourceCursor: Sendable, Equatable, Codable {
    public struct File: Sendable, Equatable, Codable {
        public var kind: String
        public var size: Int64
        /// Modification time in nanoseconds since 1970.
        public var modified: Int64
        public var sessions: [SessionSummary]
        /// Set when the file was seen once and is gone now.
        public var vanished: Bool
    }

    public static let version = 1
    public var version = SourceCursor.version
    public var files: [String: File] = [:]

    public init() {}

    /// Reads the cursor at `path`; an absent, unreadable or older-format cursor means
    /// "read everything again", which costs time but never loses a session.
    public static func load(from path: String) -> SourceCursor {
        guard let data = FileManager.default.contents(atPath: path),
              let cursor = try? JSONDecoder().decode(SourceCursor.self, from: data),
              cursor.version == version else { return SourceCursor() }
        return cursor
    }

    /// Writes the cursor atomically (a temporary file renamed over the old one), so a
    /// crash leaves the old cursor or the new one, never half of one.
    public func save(to path: String) throws(SessionsError) {
        // Not `JSONOutput`: this is a cache of this machine, no output. Foundation's default
        // dates (seconds since 2001) keep every fraction, so what is read back sorts the same.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
