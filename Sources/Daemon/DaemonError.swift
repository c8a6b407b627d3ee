import Git

/// Why the daemon cannot start or keep running.
public enum DaemonError: ReverieError, Equatable, Sendable {
    /// Another `reverie watch` holds the repo's lock.
    case alreadyRunning(repo: String, pid: Int32?)
    /// inotify could not be set up or a folder could not be watched.
    case watch(path: String, message: String)
    /// The daemon's state folder or lock could not be written.
    case state(path: String, message: String)

    /// What stopped the daemon, and what to do about it.
    public var description: String {
        switch self {
        case .alreadyRunning(let repo, let pid):
            let who = pid.map { "pid \($0)" } ?? "another process"
            return "another `reverie watch` (\(who)) is already watching \(repo); stop it first"
        case .watch(let path, let message):
            return "cannot watch \(path): \(message)"
        case .state(let path, let message):
            return "\(path): \(message)"
        }
    }
}
