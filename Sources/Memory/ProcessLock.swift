import Foundation

/// An `flock` on a file under `.git/reverie/`, held for as long as this object lives.
///
/// The kernel drops an flock when its process dies, even by SIGKILL, so a crash never
/// leaves a stale lock behind; the file keeps the holder's pid for messages.
public final class ProcessLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the lock at `path`; nil, with the holder's pid when known, when another
    /// process holds it.
    public static func acquire(_ path: String) throws(MemoryError) -> Result<ProcessLock, Held> {
        // Plain mkdir for the usual case (the folder is there, or only it is missing):
        // Foundation's createDirectory costs a millisecond or two, on every command.
        let folder = (path as NSString).deletingLastPathComponent
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .io(path: path, message: "cannot create its folder: \(error.localizedDescription)")
            }
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let pid = MemoryRepo.pid(inLockFile: descriptor)
            close(descriptor)
            return .failure(Held(pid: pid))
        }
        let text = "\(getpid())\n"
        // Written over the last holder's pid, then cut to length: truncating to zero first
        // frees the file's block, a journaled change ext4 made take 2 to 4 ms here, on
        // every command.
        _ = pwrite(descriptor, text, text.utf8.count, 0)
        _ = ftruncate(descriptor, off_t(text.utf8.count))
        return .success(ProcessLock(descriptor: descriptor))
    }

    /// Who holds a lock this process could not take.
    public struct Held: Error, Sendable {
        /// The holder's pid, as it wrote it in the lock file; nil when it could not be read.
        public let pid: Int32?
    }

    deinit {
        close(descriptor)  // releases the flock
    }
}
