import CLibGit2
import Foundation

/// Who made a commit, and when.
public struct Signature: Sendable, Equatable {
    /// The person's name, as git records it.
    public var name: String
    /// Their email address.
    public var email: String
    /// When; nil means now.
    public var date: Date?

    /// A signature of `name` and `email`, at `date` (nil: now).
    public init(name: String, email: String, date: Date? = nil) {
        self.name = name
        self.email = email
        self.date = date
    }

    /// The identity git itself would use (`user.name`, `user.email` from git config), or,
    /// where none is configured (a fresh machine, a service account), the login name at
    /// this host, so auto-commits never fail for want of an identity.
    public static func `default`(for repository: Repository) -> Signature {
        var out: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&out, repository.pointer) == 0, let signature = out {
            defer { git_signature_free(signature) }
            return Signature(
                name: String(cString: signature.pointee.name),
                email: String(cString: signature.pointee.email))
        }
        let environment = ProcessInfo.processInfo.environment
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "reverie"
        let host = ProcessInfo.processInfo.hostName
        return Signature(name: user, email: "\(user)@\(host.isEmpty ? "localhost" : host)")
    }

    /// A libgit2 signature for the duration of `body`.
    func withGitSignature<T>(
        _ body: (UnsafePointer<git_signature>) throws(GitError) -> T
    ) throws(GitError) -> T {
        var out: UnsafeMutablePointer<git_signature>?
        if let date {
            let offset = TimeZone.current.secondsFromGMT(for: date) / 60
            try LibGit2.check(
                git_signature_new(
                    &out, name, email, git_time_t(date.timeIntervalSince1970),
                    Int32(offset)),
                "make signature for \(name) <\(email)>")
        } else {
            try LibGit2.check(
                git_signature_now(&out, name, email),
                "make signature for \(name) <\(email)>")
        }
        defer { git_signature_free(out) }
        return try body(out!)
    }

    init(_ signature: UnsafePointer<git_signature>) {
        name = String(cString: signature.pointee.name)
        email = String(cString: signature.pointee.email)
        date = Date(timeIntervalSince1970: TimeInterval(signature.pointee.when.time))
    }
}
