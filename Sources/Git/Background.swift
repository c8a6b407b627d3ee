import Foundation

/// Work run on another thread while the caller goes on, then waited for: how Reverie puts
/// the second core to use on a libgit2 handle that the caller does not touch meanwhile.
///
/// libgit2 objects may be used from one thread at a time, never two at once. The work
/// owns what it is handed until `wait()` returns; after that only the caller uses it.
final class Background<Value>: @unchecked Sendable {
    // `work` and `outcome` are touched by the worker thread until it signals `done`, and
    // by the waiting thread only after that: never by both at once.
    private var work: (() throws(GitError) -> Value)?
    private var outcome: Result<Value, GitError>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping () throws(GitError) -> Value) {
        self.work = work
        Thread.detachNewThread { [self] in
            do throws(GitError) {
                outcome = .success(try self.work!())
            } catch {
                outcome = .failure(error)
            }
            self.work = nil
            done.signal()
        }
    }

    /// The work's result, once it has finished; call it once.
    func wait() throws(GitError) -> Value {
        done.wait()
        return try outcome!.get()
    }
}
