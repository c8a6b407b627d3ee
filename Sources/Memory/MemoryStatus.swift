/// The state of a memory repo as `reverie status` reports it.
public struct MemoryStatus: Sendable, Encodable {
    /// A commit as `reverie status` shows it.
    public struct Tip: Sendable, Encodable {
        /// The commit's id, in full hex.
        public let id: String
        /// Its subject.
        public let summary: String
        /// When it was committed, ISO 8601 in UTC.
        public let date: String
    }

    /// The memory folder.
    public let path: String
    /// The branch HEAD is on, or a description of a detached HEAD.
    public let head: String
    /// `main`'s last commit; nil before the first.
    public let main: Tip?
    /// Commits on `main`, following first parents.
    public let commits: Int
    /// Memory files in the working tree.
    public let memoryFiles: Int
    /// Paths whose edits are not yet committed.
    public let pending: [String]
    /// Files left out of commits because their names are not UTF-8, escaped (`\xff\xfe.md`).
    public let notUTF8: [String]
    /// Why automatic commits would wait now (HEAD elsewhere, a git operation, a lock), if so.
    public let paused: String?
    /// Dream branches waiting for a person. A dream's state needs its trailers and main's
    /// (the Dreaming layer reads them), so this is filled in there; empty here.
    public var dreamsAwaitingReview: [String]
    /// The pid of the `reverie watch` running on this repo, if one runs.
    public let daemonPID: Int32?
    /// `[dream] merge`: `manual` or `auto`.
    public let mergePolicy: String
    /// `[dream] schedule`, as written in the settings.
    public let dreamSchedule: String
    /// How main stands against the team's remote, when one is set.
    public var remote: TeamSync.Standing?
    /// The session sources, filled in by whoever can read them (the Sessions layer).
    public var sessions: Sources?
    /// Sensitive settings at values this machine has not accepted (`reverie trust`).
    public var untrustedSettings: [UntrustedSettings.Change] = []

    /// What the session sources hold.
    public struct Sources: Sendable, Encodable {
        /// Every configured source, as `kind path`.
        public let sources: [String]
        /// Sources whose folder, file or pattern matches nothing.
        public let missing: [String]
        /// Sessions in every source.
        public let sessions: Int
        /// Sessions the next dream would read.
        public let new: Int
        /// Transcripts gone before a dream read all of them.
        public let vanished: [String]
        /// Sources that cannot give transcripts as written, each saying what to change.
        public let warnings: [String]

        /// The sources' counts as `reverie status` shows them.
        public init(
            sources: [String], missing: [String], sessions: Int, new: Int, vanished: [String], warnings: [String] = []
        ) {
            self.sources = sources
            self.missing = missing
            self.sessions = sessions
            self.new = new
            self.vanished = vanished
            self.warnings = warnings
        }
    }
}
