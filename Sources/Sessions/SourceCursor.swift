import Foundation

/// Where every source file stood when Reverie last read it: its size and modification
/// time, and the sessions it held. Machine-local (kept under `.git/reverie/`), so it is
/// a cache of what the transcripts say, never the record of what a dream read; that
/// record is in git.
public struct SourceCursor: Sendable, Equatable, Codable {
    /// What the cursor remembers of one transcript file.
    public struct File: Sendable, Equatable, Codable {
        /// The source kind that parsed it (`SessionSourceSpec.Kind` raw value); a new kind means parse again.
        public var kind: String
        /// Size in bytes when parsed; with `modified`, tells an unchanged file from a changed one.
        public var size: Int64
        /// Modification time in nanoseconds since 1970.
        public var modified: Int64
        /// The sessions the file held when parsed.
        public var sessions: [SessionSummary]
        /// Set when the file was seen once and is gone now.
        public var vanished: Bool
    }

    /// The format this build writes; a cursor of another version is dropped and everything read again.
    public static let version = 1
    /// The format of this cursor, checked against `SourceCursor.version` on load.
    public var version = SourceCursor.version
    /// The files seen so far, by path.
    public var files: [String: File] = [:]

    /// An empty cursor: every file is read as new.
    public init() {}

    /// Reads the cursor at `path`; an absent, unreadable or older-format cursor means
    /// "read everything again", which costs time but never loses a session.
    public static func load(from path: String) -> SourceCursor {
        guard let data = FileManager.default.contents(atPath: path),
            let cursor = try? JSONDecoder().decode(SourceCursor.self, from: data),
            cursor.version == version
        else { return SourceCursor() }
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
