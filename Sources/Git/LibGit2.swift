import CLibGit2

/// The process-wide libgit2 runtime and the translation of its error codes.
enum LibGit2 {
    /// libgit2 has no constructors on Linux: it must be initialised once, explicitly, before
    /// any other call. fsync is on so that a crash or power loss never leaves empty objects
    /// or refs behind (libgit2 does not fsync by default).
    static let ready: Void = {
        git_libgit2_init()
        _ = reverie_git_enable_fsync(1)
        _ = reverie_git_cache_object_limit(GIT_OBJECT_TREE, 1 << 20)
        _ = reverie_git_cache_object_limit(GIT_OBJECT_COMMIT, 64 << 10)
    }()

    /// Throws the GitError for a negative libgit2 return code.
    ///
    /// libgit2 keeps the error text per thread, so this must run right after the failing
    /// call, in the same synchronous block.
    @inline(__always)
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
        if code < 0 { throw error(code: code, operation: operation()) }
    }

    static func error(code: Int32, operation: String) -> GitError {
        let message = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } }
            ?? "unknown error"
        switch code {
        case GIT_ELOCKED.rawValue: return .locked(operation: operation, message: message)
        case GIT_EMODIFIED.rawValue: return .referenceMoved(reference: operation)
        case GIT_ENOTFOUND.rawValue: return .notFound(what: message)
        case GIT_EOWNER.rawValue: return .notOwned(path: operation)
        case GIT_ECONFLICT.rawValue: return .workingTreeChanged(paths: [])
        default: return .libgit2(operation: operation, code: code, message: message)
        }
    }
}
