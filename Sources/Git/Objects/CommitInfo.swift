import Foundation

/// One commit as a log shows it, with its git trailers parsed.
public struct CommitInfo: Sendable, Equatable {
    public let id: ObjectID
    public let parents: [ObjectID]
    public let author: Signature
    public let committer: Signature
    /// The first line of the message.
    public let summary: String
    /// The whole message.
    public let message: String
    /// `Key: value` lines of the message's last paragraph, in order.
    public let trailers: [Trailer]

    /// The values of one trailer key (`Reverie-Dream`, …), in order.
    public func trailer(_ key: String) -> [String] {
        trailers.filter { $0.key.caseInsensitiveCompare(key) == .orderedSame }.map(\.value)
    }

    public var isMerge: Bool { parents.count > 1 }
}

/// A `Key: value` line at the end of a commit message.
public struct Trailer: Sendable, Equatable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
