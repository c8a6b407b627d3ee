import CLibGit2

/// The SHA-1 name of a git object.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// Forty lowercase hex digits.
    public let hex: String

    init(_ oid: git_oid) {
        var oid = oid
        hex = String(cString: git_oid_tostr_s(&oid))
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// Parses a full 40-digit hex id; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == Int(GIT_OID_HEXSZ) else { return nil }
        var oid = git_oid()
        guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.init(oid)
    }

    var oid: git_oid {
        var oid = git_oid()
        _ = git_oid_fromstr(&oid, hex)
        return oid
    }

    /// The abbreviation people read in logs.
    public var short: String { String(hex.prefix(7)) }
    /// The full hex id.
    public var description: String { hex }

    /// Ids in the order of their hex, for stable sorting.
    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }
}
