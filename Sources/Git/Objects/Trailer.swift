/// A `Key: value` line at the end of a commit message.
public struct Trailer: Sendable, Equatable {
    /// The key, as written (`Reverie-Dream`).
    public let key: String
    /// Everything after `: ` on its line.
    public let value: String

    /// The trailer `key: value`.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
