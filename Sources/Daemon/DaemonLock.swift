import Foundation
import Memory

/// The one-daemon-per-repo lock: a `ProcessLock` on `.git/reverie/watch.lock`.
final class DaemonLock: Sendable {
    private let lock: ProcessLock

    /// Takes the lock, or throws `alreadyRunning` naming the holder.
    init(for memory: MemoryRepo) throws(DaemonError) {
        let result: Result<ProcessLock, ProcessLock.Held>
        do {
            result = try ProcessLock.acquire(memory.daemonLockFile)
        } catch {
            throw .state(path: memory.daemonLockFile, message: error.description)
        }
        switch result {
        case .success(let lock): self.lock = lock
        case .failure(let held): throw .alreadyRunning(repo: memory.root, pid: held.pid)
        }
    }
}
