import Foundation
import Git
import TestSupport
import Testing

/// Objects are fsynced whatever other threads do: a crash or power loss never leaves an
/// empty object behind a ref.
@Suite struct DurabilityTests {
    /// libgit2 reads a process-wide fsync switch; opening a repository must not leave an
    /// object written on another thread meanwhile without its fsync.
    @Test func objectsWrittenWhileAnotherRepositoryOpensAreFsynced() throws {
        let writing = try GitFixture()
        let opened = try GitFixture()
        let path = opened.dir.path
        let stop = Flag()
        let opener = Thread {
            while !stop.isSet { _ = try? Repository.open(at: path) }
        }
        opener.start()
        defer { stop.set() }
        var unsynced = 0
        for i in 0..<100 {
            let before = FsyncCounter.onThisThread
            _ = try writing.repo.writeBlob(Data("blob \(i) of a writer beside an opener\n".utf8))
            if FsyncCounter.onThisThread == before { unsynced += 1 }
        }
        #expect(unsynced == 0, "\(unsynced) of 100 objects were written without fsync")
    }

    /// The counter itself: a fresh object is fsynced here, so a zero above means something.
    @Test func aNewObjectIsFsyncedOnTheWritingThread() throws {
        let fixture = try GitFixture()
        let before = FsyncCounter.onThisThread
        _ = try fixture.repo.writeBlob(Data("counted\n".utf8))
        #expect(FsyncCounter.onThisThread > before)
    }
}

/// A flag one thread sets and another reads.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
