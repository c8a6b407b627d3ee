import Foundation

/// One commit as a log shows it, with its git trailers parsed.
public struct CommitInfo: Sendable, Equatable {
    /// The commit's id.
    public let id: ObjectID
    /// Its parents, first parent first.
    public let parents: [ObjectID]
    /// Who wrote the change.
    public let author: Signature
    /// Who made the commit (a forge's merge: the forge).
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

    /// Whether the commit has more than one parent.
    public var isMerge: Bool { parents.count > 1 }
}
