/// `[store]`: the Claude Managed Agents memory store this repo mirrors, and how the
/// platform's dreams are asked for (`consolidator = "managed-agents"`); docs/memory-stores.md.
public struct StoreSettings: Sendable, Equatable {
    /// What happens before every dream, `reverie dream`'s and the daemon's.
    public enum Sync: String, Sendable, Equatable, CaseIterable {
        /// Only `reverie store pull | push | sync`.
        case manual
        /// Pull before each dream.
        case pull
        /// Pull, then push, before each dream.
        case sync
    }

    /// The store's `memstore_…` id; empty: none.
    public var id = ""
    /// What is pulled and pushed before each dream.
    public var sync = Sync.manual
    /// The API's address; empty: Anthropic's.
    public var baseURL = ""
    /// The environment variable (or systemd credential) holding the key; empty: ANTHROPIC_API_KEY.
    public var apiKeyVariable = ""
    /// The `sesn_…` sessions a platform dream reads (1 to 100).
    public var sessions: [String] = []
    /// The model a platform dream runs.
    public var model = "claude-opus-4-8"
    /// Longest wait for one answer.
    public var timeoutSeconds = 120
    /// Longest a platform dream may run before it is canceled.
    public var dreamTimeoutMinutes = 60

    /// The defaults: no store, sync by hand only.
    public init() {}
}
