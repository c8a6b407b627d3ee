/// What one round of sync did, for `reverie sync` and the daemon's log.
public struct SyncReport: Sendable, Encodable {
    /// How the remote's main came into this one.
    public enum Integration: String, Sendable, Encodable {
        /// The remote has nothing this clone lacks (or has no main yet).
        case upToDate = "up to date"
        case fastForward = "fast-forward"
        case merged
        /// Both changed the same lines: main keeps this clone's, a `sync/<id>` branch theirs.
        case conflict
        /// Not done this round (an error, or main could not be moved now).
        case skipped
    }

    /// The remote's name in git's config.
    public var remote: String
    /// How the remote's main came into this one.
    public var integration: Integration = .skipped
    /// main before and after, short ids.
    public var mainBefore: String?
    /// main after the round, short id.
    public var mainAfter: String?
    /// The branch holding the other side of a conflict, and its paths.
    public var conflictBranch: String?
    /// The paths both sides changed.
    public var conflictPaths: [String] = []
    /// References pushed (or deleted) on the remote.
    public var pushed: [String] = []
    /// Dream branches pushed this round, with where to open a pull request when the forge is known.
    public var dreamsPushed: [DreamPush] = []
    /// Whether the merge changed Reverie's shared settings (`.reverie/config.toml`), to be reviewed.
    public var settingsChanged = false
    /// The sensitive settings the team's change left at values this machine has not
    /// accepted: unused here until `reverie trust`.
    public var untrustedSettings: [String] = []
    /// Why the round stopped, if it did.
    public var error: String?

    /// A dream branch pushed for review.
    public struct DreamPush: Sendable, Encodable {
        /// `dreams/<id>`.
        public let branch: String
        /// Where to open a pull request for it, when the forge is known.
        public let compareURL: String?
    }

    /// An empty report of a round with `remote`.
    public init(remote: String) {
        self.remote = remote
    }
}
