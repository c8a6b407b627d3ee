import Foundation
import Git
import Memory

/// A memory from the store that was not mirrored, and why.
public struct StoreRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store path, cut to 80 characters, control characters shown as `?`.
    public let path: String
    /// Why it was not mirrored.
    public let reason: String

    /// `refused store path <path>: <reason>`.
    public var description: String { "refused store path \(path): \(reason)" }
}
