import Foundation

/// The one-daemon-per-repo lock: an `flock` on `.git/reverie/watch.lock`.
///
/// The kernel drops an flock when its process dies, even by SIGKILL, so a crash never
/// leaves a stale lock behind; the file keeps the holder's pid for messages.
public final class DaemonLock: Sendable {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock, or throws `alreadyRunning` naming the holder.
    public init(stateDirectory: String, repo: String) throws(DaemonError) {
        path = stateDirectory + "/watch.lock"
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw .state(path: stateDirectory, message: "cannot create: \(error.localizedDescription)")
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .state(path: path, message: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let pid = Self.readPID(descriptor)
            close(descriptor)
            throw .alreadyRunning(repo: repo, pid: pid)
        }
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, text, text.utf8.count, 0)
    }

    deinit {
        close(descriptor)  // releases the flock
    }

    /// The pid of the running daemon for this state folder, or nil when none runs.
    public static func holder(stateDirectory: String) -> Int32? {
        let descriptor = open(stateDirectory + "/watch.lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readPID(descriptor) ?? 0
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
