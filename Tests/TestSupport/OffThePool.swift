import Foundation

/// Runs blocking work (waiting for a process, say) on a thread of its own, so an async
/// test does not hold one of the cooperative pool's few threads, which the code under
/// test and the other tests running beside it need.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
