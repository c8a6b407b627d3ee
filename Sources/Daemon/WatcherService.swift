import ServiceLifecycle

/// Runs the inotify watcher for as long as the service group runs. On graceful shutdown it
/// stops the watcher, which ends the stream of bursts, so the committer drains what was
/// delivered and then makes its final commit.
struct WatcherService: Service {
    let watcher: InotifyWatcher
    /// Says the daemon is ready (READY=1), once the group handles SIGTERM and SIGINT.
    var ready: @Sendable () async -> Void = {}

    func run() async throws {
        watcher.start()
        await ready()
        try? await gracefulShutdown()
        watcher.stop()
    }
}
