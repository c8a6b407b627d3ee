import Foundation

/// How many times each thread called `fsync`, libgit2 included: the test binary defines
/// `fsync` (below), and the dynamic linker binds libgit2's calls to the executable's
/// definition before the C library's. The real call is made every time.
public enum FsyncCounter {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counts: [pthread_t: Int] = [:]

    /// fsync calls made so far on the calling thread.
    public static var onThisThread: Int {
        let me = pthread_self()
        return lock.withLock { counts[me] ?? 0 }
    }

    static func record() {
        let me = pthread_self()
        lock.withLock { counts[me, default: 0] += 1 }
    }

    /// The C library's fsync, found past this binary's own.
    nonisolated(unsafe) static let real: @convention(c) (Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: -1), "fsync") else {
            fatalError("the C library's fsync cannot be found")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
}

@_cdecl("fsync")
func countingFsync(_ descriptor: Int32) -> Int32 {
    FsyncCounter.record()
    return FsyncCounter.real(descriptor)
}
