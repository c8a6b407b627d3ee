import Git

/// Sensitive settings (`ReverieConfig.sensitive`) whose values this machine has not
/// accepted: whatever would use them is refused until a person here runs `reverie trust`.
public struct UntrustedSettings: ReverieError, Equatable, Sendable {
    /// One setting whose value is not the accepted one.
    public struct Change: Sendable, Equatable, Encodable {
        /// `section.key`, such as `model.command`.
        public let key: String
        /// The value this machine accepted, as TOML; the default when it accepted none.
        public let accepted: String
        /// The value the settings hold now, as TOML.
        public let now: String

        /// A setting whose value `now` differs from the `accepted` one.
        public init(key: String, accepted: String, now: String) {
            self.key = key
            self.accepted = accepted
            self.now = now
        }
    }

    /// Each setting not accepted, in `ReverieConfig.sensitive` order.
    public let changes: [Change]
    /// Whether this machine accepted settings before (else they are compared with the defaults).
    public let hasRecord: Bool

    /// The refusal for `changes`; `hasRecord` says whether anything was accepted before.
    public init(changes: [Change], hasRecord: Bool) {
        self.changes = changes
        self.hasRecord = hasRecord
    }

    /// The settings' names, `section.key`.
    public var keys: [String] { changes.map(\.key) }

    /// What changed, and how to review and accept it.
    public var description: String {
        let what =
            hasRecord
            ? "changed since this machine accepted them"
            : "are not the defaults, and this machine has not accepted them yet"
        return "the settings in .reverie/config.toml that choose what runs or where keys go \(what) "
            + "(\(keys.joined(separator: ", "))); review with `reverie trust --show` or "
            + "`git log -p -- .reverie/config.toml`, then run `reverie trust`"
    }
}
