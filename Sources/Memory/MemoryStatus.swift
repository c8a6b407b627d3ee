/// The state of a memory repo as `reverie status` reports it.
public struct MemoryStatus: Sendable, Encodable {
    public struct Tip: Sendable, Encodable {
        public let id: String
        public let summary: String
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
    /// Why automatic commits would wait now (HEAD elsewhere, a git operation, a lock), if so.
    public let paused: String?
    /// Dream branches not yet merged into `main`.
    public let dreamsAwaitingReview: [String]
    /// The pid of the `reverie watch` running on this repo, if one runs.
    public let daemonPID: Int32?
    public let mergePolicy: String
    public let dreamSchedule: String
}
