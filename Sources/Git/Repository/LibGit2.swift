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

    /// Makes every object written through `repository` fsynced, whatever the process-wide
    /// switch says at the moment of writing: a second loose-object backend that fsyncs,
    /// ranked above the default one, takes every write (reads find the same files).
    static func fsyncObjects(of repository: OpaquePointer) throws(GitError) {
        var database: OpaquePointer?
        try check(git_repository_odb(&database, repository), "open the object database")
        defer { git_odb_free(database) }
        let objects = String(cString: git_repository_commondir(repository)) + "objects"
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_odb_backend_loose(&backend, objects, -1, 1, 0, 0), "open \(objects)")
        // The packs' rank: above the default loose backend (1), so writes come here; the odb owns it now.
        let code = git_odb_add_backend(database, backend, 2)
        if code < 0 { backend!.pointee.free?(backend) }
        try check(code, "add a fsyncing object backend")
    }

    /// Opens a repository's reference database with fsync off, so refs and reflogs are
    /// written as git itself writes them by default (git's core.fsync leaves references
    /// out), while objects stay fsynced: a ref then never outlives the commit it names.
    ///
    /// What a lost ref update costs after a power loss is the update, not data: a move of
    /// main is journaled (the journal is fsynced) and redone; a dream branch or a commit
    /// of edits is made again from the sessions or the files.
    ///
    /// libgit2 reads its fsync switch once, when it creates the reference database, so the
    /// switch is off only while that happens. Objects do not depend on the switch (see
    /// `fsyncObjects`); the index and packs, which read it when written, are written under
    /// the same lock (`withFsyncSwitchSettled`), so none is written while it is off.
    static func openReferencesUnsynced(of repository: OpaquePointer) {
        withFsyncSwitchSettled {
            _ = reverie_git_enable_fsync(0)
            var references: OpaquePointer?
            if git_repository_refdb(&references, repository) == 0 { git_refdb_free(references) }
            _ = reverie_git_enable_fsync(1)
        }
    }

    /// Runs `body` while the process-wide fsync switch is on and stays on.
    static func withFsyncSwitchSettled<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        switchLock.lock()
        defer { switchLock.unlock() }
        return try body()
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
        let message =
            git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } }
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
