import Foundation
import Memory

/// The one-daemon-per-repo lock: an `flock` on `.git/reverie/watch.lock`.
///
/// The kernel drops an flock when its process dies, even by SIGKILL, so a crash never
/// leaves a stale lock behind; the file keeps the holder's pid for messages.
final class DaemonLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock, or throws `alreadyRunning` naming the holder.
    init(for memory: MemoryRepo) throws(DaemonError) {
        let path = memory.daemonLockFile
        do {
            try FileManager.default.createDirectory(atPath: memory.stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw .state(path: memory.stateDirectory, message: "cannot create: \(error.localizedDescription)")
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .state(path: path, message: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let pid = MemoryRepo.pid(inLockFile: descriptor)
            close(descriptor)
            throw .alreadyRunning(repo: memory.root, pid: pid)
        }
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, text, text.utf8.count, 0)
    }

    deinit {
        close(descriptor)  // releases the flock
    }
}
