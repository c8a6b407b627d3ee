import Logging
import ServiceLifecycle

/// Pings systemd's watchdog at half its timeout, but only after the committer answered:
/// a committer stuck in a commit stops the pings, and systemd restarts the daemon.
struct WatchdogService: Service {
    let interval: Duration
    let committer: AutoCommitter
    let notifier: SystemdNotifier
    var clock: any Clock<Duration> = ContinuousClock()

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while true {
                try await clock.sleep(for: interval)
                await committer.heartbeat()
                notifier.notify("WATCHDOG=1")
            }
        }
    }
}
