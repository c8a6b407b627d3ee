/// One commit of `main`'s history as `reverie log` shows it.
public struct HistoryEntry: Sendable, Encodable {
    /// What kind of commit it is.
    public enum Kind: String, Sendable, Encodable {
        /// A person's edit, committed by hand or by the daemon.
        case edit
        /// The merge of a dream into `main`.
        case dream
        /// Any other merge.
        case merge
    }

    /// The commit's id, in full hex.
    public let id: String
    /// When it was authored, ISO 8601 in UTC.
    public let date: String
    /// The author's name.
    public let author: String
    /// The commit's subject.
    public let summary: String
    /// A person's edit, a dream's merge, or another merge.
    public let kind: Kind
    /// The dream's id, for a dream merge.
    public let dream: String?
}
