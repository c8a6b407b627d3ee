import Git

/// Every `Reverie-*` trailer Reverie writes at the end of a commit message, spelled once:
/// what the commits are (a dream's change, a merge, a rollback…) is read back from them,
/// so `git log` alone tells the same story. docs/architecture.md lists them for people.
public enum ReverieTrailer: String, Sendable, CaseIterable {
    /// Every commit of a dream, and its merge: the dream's id.
    case dream = "Reverie-Dream"
    /// A dream's change: its kind (`mistake`, `merge`, …; `sessions` for the record of sessions read).
    case change = "Reverie-Change"
    /// The sessions a change's evidence comes from.
    case evidence = "Reverie-Evidence"
    /// Who dreamt: `builtin/1`, `anthropic/<model>`, …
    case consolidator = "Reverie-Consolidator"
    /// What a model's dream cost: `<in> in, <out> out`.
    case tokens = "Reverie-Tokens"
    /// How many secrets were removed from a change.
    case redacted = "Reverie-Redacted"
    /// A merge of a dream into main: `all`, or the numbers of the chosen changes.
    case merge = "Reverie-Merge"
    /// A rollback of a dream: its id.
    case rollback = "Reverie-Rollback"
    /// `rollback --to`: the commit whose files were restored.
    case restore = "Reverie-Restore"
    /// A write through `reverie mcp`: the client's name.
    case agent = "Reverie-Agent"
    /// What Claude Code's background consolidation changed.
    case consolidation = "Reverie-Consolidation"
    /// A rollback of such a consolidation: its commit.
    case rollbackOf = "Reverie-Rollback-Of"
    /// A commit of a mirrored memory store: its id.
    case store = "Reverie-Store"
    /// A store version a commit holds, one line each.
    case storeVersion = "Reverie-Store-Version"
    /// Every commit of a Claude Managed Agents dream: the platform's dream id.
    case platformDream = "Reverie-Platform-Dream"
    /// A sync merge that kept this clone's lines, and its `sync/<id>` branch.
    case syncConflict = "Reverie-Sync-Conflict"
    /// `reverie sync resolve <id> --theirs`.
    case syncResolved = "Reverie-Sync-Resolved"

    /// The trailer's line: `Reverie-Dream: 20261125-030000`.
    public func line(_ value: String) -> String { "\(rawValue): \(value)" }
}

extension CommitInfo {
    /// The values of one of Reverie's trailers, in order.
    public func values(of trailer: ReverieTrailer) -> [String] { self.trailer(trailer.rawValue) }

    /// Whether the commit carries the trailer at all.
    public func has(_ trailer: ReverieTrailer) -> Bool { !values(of: trailer).isEmpty }
}
