/// One commit of `main`'s history as `reverie log` shows it.
public struct HistoryEntry: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// A person's edit, committed by hand or by the daemon.
        case edit
        /// The merge of a dream into `main`.
        case dream
        /// Any other merge.
        case merge
    }

    public let id: String
    public let date: String
    public let author: String
    public let summary: String
    public let kind: Kind
    /// The dream's id, for a dream merge.
    public let dream: String?
}
