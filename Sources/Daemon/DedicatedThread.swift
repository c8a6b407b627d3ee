import Foundation

/// A thread of its own that runs jobs one at a time, as an actor's executor or a task's
/// preferred executor: libgit2 calls and a dream's blocking work wait here, never on one
/// of the cooperative pool's few threads (one per core), which the watchdog needs.
public final class DedicatedThread: SerialExecutor, TaskExecutor, @unchecked Sendable {
    // `jobs` and `stopped` are guarded by `condition`; the thread only runs what it took out.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    /// Starts the thread, named for `ps -L` and debuggers.
    public init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `job` on this thread, after the jobs already waiting.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    /// Ends the thread once the jobs queued so far have run.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.signal()
        }
    }

    private func loop() {
        while true {
            let batch = condition.withLock { () -> [UnownedJob]? in
                while jobs.isEmpty && !stopped { condition.wait() }
                if jobs.isEmpty { return nil }
                defer { jobs = [] }
                return jobs
            }
            guard let batch else { return }
            for job in batch {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
        }
    }
}
