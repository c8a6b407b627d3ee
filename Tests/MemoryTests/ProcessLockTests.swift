import Foundation
import Memory
import TestSupport
import Testing

@Suite struct ProcessLockTests {
    /// The pid a refused process reads is the holder's, whatever a dead holder left there.
    @Test func aLockFileNamesItsHolderOverALongerStalePid() throws {
        let dir = try Scratch()
        let file = dir.url("state/dream.lock")
        try dir.write("state/dream.lock", "4194303999\nleft by a dead process\n")
        do {
            guard case .success(let held) = try ProcessLock.acquire(file) else {
                Issue.record("a lock nobody holds was refused")
                return
            }
            #expect(try dir.read("state/dream.lock") == "\(getpid())\n")
            // A second taker (another descriptor, as another process would have) is refused
            // and told who holds it.
            guard case .failure(let other) = try ProcessLock.acquire(file) else {
                Issue.record("a held lock was taken twice")
                return
            }
            #expect(other.pid == getpid())
            withExtendedLifetime(held) {}
        }
        // Released with its object: the next taker gets it.
        if case .failure = try ProcessLock.acquire(file) { Issue.record("a released lock stayed held") }
    }
}
