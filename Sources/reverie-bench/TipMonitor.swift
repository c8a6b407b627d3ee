import Foundation
import Git

/// Notes when main moves, from a thread of its own, so a benchmark knows when each commit
/// landed however long its own checks take.
final class TipMonitor: @unchecked Sendable {
    private let repo: String
    private let lock = NSLock()
    private var stopRequested = false
    private var changes: [UInt64] = []
    private let finished = DispatchSemaphore(value: 0)

    init(repo: String) {
        self.repo = repo
    }

    func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            // A handle of its own: libgit2 objects are used from one thread at a time.
            guard let repository = try? Repository.open(at: repo) else { return }
            var tip = try? repository.tip(ofBranch: Repository.mainBranch)
            while !lock.withLock({ stopRequested }) {
                let now = try? repository.tip(ofBranch: Repository.mainBranch)
                if now != tip {
                    tip = now
                    let time = DispatchTime.now().uptimeNanoseconds
                    lock.withLock { changes.append(time) }
                }
                usleep(2_000)
            }
        }
        thread.start()
    }

    /// How often main moved so far.
    var moves: Int { lock.withLock { changes.count } }

    /// Stops watching; returns when main moved (uptime in nanoseconds), in order.
    func stop() -> [UInt64] {
        lock.withLock { stopRequested = true }
        finished.wait()
        return lock.withLock { changes }
    }
}
