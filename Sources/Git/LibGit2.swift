import CLibGit2
import Foundation

/// The process-wide libgit2 runtime and the translation of its error codes.
enum LibGit2 {
    /// libgit2 has no constructors on Linux: it must be initialised once, explicitly, before
    /// any other call. fsync is on so that a crash or power loss never leaves an empty or
    /// missing object behind a ref (libgit2 does not fsync by default); refs are the
    /// exception, see `openReferencesUnsynced`.
    static let ready: Void = {
        git_libgit2_init()
        _ = reverie_git_enable_fsync(1)
        _ = reverie_git_cache_object_limit(GIT_OBJECT_TREE, 1 << 20)
        _ = reverie_git_cache_object_limit(GIT_OBJECT_COMMIT, 64 << 10)
    }()

    /// Opens a repository's reference database with fsync off, so refs and reflogs are
    /// written as git itself writes them by default (git's core.fsync leaves references
    /// out), while objects stay fsynced: a ref then never outlives the commit it names.
    ///
    /// What a lost ref update costs after a power loss is the update, not data: a move of
    /// main is journaled (the journal is fsynced) and redone; a dream branch or a commit
    /// of edits is made again from the sessions or the files. Six fsyncs of nine in a move
    /// (the ref, two reflogs and their folders) are about 1 ms at 10,000 files.
    ///
    /// libgit2 reads its fsync switch once, when it creates the reference database, so the
    /// switch is off only while that happens. An object another thread writes in that
    /// moment would not be fsynced; repositories are opened when a command or the daemon
    /// starts, before anything is written.
    static func openReferencesUnsynced(of repository: OpaquePointer) {
        switchLock.lock()
        defer { switchLock.unlock() }
        _ = reverie_git_enable_fsync(0)
        var references: OpaquePointer?
        if git_repository_refdb(&references, repository) == 0 { git_refdb_free(references) }
        _ = reverie_git_enable_fsync(1)
    }

    private static let switchLock = NSLock()

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
