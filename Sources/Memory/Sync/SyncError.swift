import Git

/// Why a sync with the team's remote did not finish, said so a person knows what to do.
public enum SyncError: ReverieError, Equatable, Sendable {
    /// No `[remote] url` in `.reverie/config.toml`.
    case notConfigured
    /// The remote's `main` no longer holds what this clone saw there before: someone
    /// rewrote it (a force-push). `now` is nil when the branch is gone.
    case rewritten(remote: String, known: String, now: String?)
    /// The remote's `main` shares no history with this clone's.
    case unrelated(remote: String, url: String)
    /// `main` cannot be moved now (HEAD elsewhere, a git operation, a lock); fetch and
    /// push go on, the merge waits.
    case waits(reason: String)
    /// Another `reverie sync` (or the daemon's) is running on this repo.
    case busy(pid: Int32?)
    /// No sync branch by that name.
    case unknownConflict(String)
    /// `[remote] url` is not one this machine accepted (a teammate may have changed it).
    case untrusted(UntrustedSettings)
    case git(GitError)
    case memory(MemoryError)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .notConfigured:
            return "no remote is set; run `reverie remote add URL` first"
        case .rewritten(let remote, let known, let now):
            let what =
                now.map { "its main (now \($0)) no longer contains \(known)" }
                ?? "its main branch is gone (it held \(known))"
            return "refusing to sync with \(remote): \(what), so its history was rewritten (a force-push). "
                + "Nothing was changed here. Restore it with `git push \(remote) \(known):main` from this clone, "
                + "or, to accept the rewrite, run `git update-ref -d refs/remotes/\(remote)/main` and sync again"
        case .unrelated(let remote, let url):
            return "\(remote)'s main (\(url)) shares no history with this memory; clone it instead "
                + "(git clone \(url) DIR, then reverie init DIR) or point [remote] url at this memory's remote"
        case .waits(let reason):
            return "the merge into main waits: \(reason)"
        case .busy(let pid):
            return "another sync is running on this repo\(pid.map { " (pid \($0))" } ?? ""); wait for it to finish"
        case .unknownConflict(let name):
            return "no sync branch \(name); `reverie status` lists the conflicts waiting"
        case .untrusted(let settings):
            return "not syncing: " + settings.description
        case .git(let error):
            return error.description
        case .memory(let error):
            return error.description
        }
    }

    /// Being offline or unable to log in is not a fault of the repo: the daemon retries.
    public var isTransient: Bool {
        switch self {
        case .git(.unreachable), .git(.locked), .git(.referenceMoved), .busy, .waits: true
        default: false
        }
    }
}
