import CLinux
import Foundation

/// Work run on another thread while the caller goes on, then waited for: how Reverie puts
/// the second core to use on a libgit2 handle that the caller does not touch meanwhile.
///
/// libgit2 objects may be used from one thread at a time, never two at once. The work
/// owns what it is handed until `wait()` returns; after that only the caller uses it.
final class Background<Value>: @unchecked Sendable {
    // `work` and `outcome` are touched by the worker thread until it ends, and by the
    // waiting thread only after joining it: never by both at once.
    private var work: (() throws(GitError) -> Value)?
    private var outcome: Result<Value, GitError>?
    private var thread: pthread_t?

    /// Starts `work` on a new thread; if no thread can be had, it runs here and now.
    init(_ work: @escaping () throws(GitError) -> Value) {
        self.work = work
        // A plain pthread, joined in `wait()`: nothing more is needed than a thread to run on.
        // Linux queues a new thread on its creator's processor, and while the creator keeps
        // it busy the thread waited there 0.5 to 3 ms (measured on 2 vCPUs), then shared it:
        // the work is done beside the caller only if it starts on the other processor. It
        // may go anywhere once it runs.
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        var allowed = cpu_set_t()
        let elsewhere = reverie_attr_start_elsewhere(&attributes, &allowed) == 1
        var thread = pthread_t()
        let body = Unmanaged.passRetained(
            ThreadBody { [self, allowed] in
                if elsewhere { withUnsafePointer(to: allowed) { reverie_thread_allow($0) } }
                run()
            }
        ).toOpaque()
        if pthread_create(
            &thread, &attributes,
            { body in
                Unmanaged<ThreadBody>.fromOpaque(body!).takeRetainedValue().run()
                return nil
            }, body) == 0
        {
            self.thread = thread
        } else {
            Unmanaged<ThreadBody>.fromOpaque(body).release()
            run()
        }
    }

    /// Joins a thread nobody waited for (its owner dropped before taking the result): a
    /// joinable thread never joined keeps its stack for the life of the process. The last
    /// reference may be the worker's own, once it is done: then it lets itself go.
    deinit {
        guard let thread else { return }
        if pthread_equal(thread, pthread_self()) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    private func run() {
        do throws(GitError) {
            outcome = .success(try work!())
        } catch {
            outcome = .failure(error)
        }
        work = nil
    }

    /// The work's result, once it has finished; call it once.
    func wait() throws(GitError) -> Value {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        return try outcome!.get()
    }
}

/// What a new thread runs: not generic, as a C function cannot be.
private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void

    init(_ run: @escaping @Sendable () -> Void) {
        self.run = run
    }
}
