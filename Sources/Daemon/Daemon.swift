import Dreaming
import Foundation
import Logging
import Memory
import ServiceLifecycle

/// `reverie watch`: one daemon per memory repo, committing every edit to `main`.
public struct Daemon: Sendable {
    /// The memory repo, or a folder inside it.
    public let folder: String
    /// Where the daemon says what it does (the redacting handler in `reverie watch`).
    public let logger: Logger
    /// systemd's notify socket, when the daemon runs as a notify service.
    public let notifier: SystemdNotifier
    /// Who dreams on schedule, set up from the repo's settings (a model without its key fails).
    public let consolidator: @Sendable (ReverieConfig) throws -> any Consolidator
    /// What runs before each scheduled dream (`[store] sync`); returns a line for the log.
    public let beforeDream: @Sendable (MemoryRepo, ReverieConfig) async throws -> String?

    /// A daemon for the repo at `folder`; `consolidator` and `beforeDream` serve scheduled dreams.
    public init(
        folder: String, logger: Logger, consolidator: @escaping @Sendable (ReverieConfig) throws -> any Consolidator,
        beforeDream: @escaping @Sendable (MemoryRepo, ReverieConfig) async throws -> String? = { _, _ in nil },
        notifier: SystemdNotifier = SystemdNotifier()
    ) {
        self.folder = folder
        self.logger = logger
        self.consolidator = consolidator
        self.beforeDream = beforeDream
        self.notifier = notifier
    }

    /// Runs until SIGTERM or SIGINT, then commits what is pending and returns.
    public func run() async throws {
        let memory = try MemoryRepo.open(discoveringFrom: folder)
        let config = try memory.config()
        // Watching and committing go on without dreams: a missing key must not cost an edit.
        // Settings are read once, so a refusal here is logged once, not at every due dream.
        let trust = SettingsTrust(memory: memory)
        var consolidator: (any Consolidator)?
        if let untrusted = trust.untrusted(
            config.sensitiveSettings(forConsolidator: nil) + ["sessions.sources"], in: config)
        {
            if config.dream.schedule != .off {
                logger.error("Scheduled dreams are off: \(untrusted), and restart the daemon")
            }
        } else {
            do {
                consolidator = try self.consolidator(config)
            } catch {
                logger.error("Scheduled dreams are off: \(error)")
            }
        }
        let lock = try DaemonLock(for: memory)
        // Watches first, then the reconcile: an edit made in between is seen by both, never by neither.
        let watcher = try InotifyWatcher(
            root: memory.root, gitDirectory: memory.repository.gitDirectory,
            debounce: .milliseconds(config.watch.debounceMilliseconds),
            maxWait: .milliseconds(config.watch.maxWaitMilliseconds), logger: logger)
        // A dream merge or rollback cut short by a crash is finished first: its files must
        // not be committed as if a person wrote them.
        do {
            try DreamBook(memory: memory).recover()
        } catch {
            logger.error("Could not finish an interrupted update of main: \(error)")
        }
        let committer = try AutoCommitter(root: memory.root, bursts: watcher.bursts, logger: logger, notifier: notifier)
        await committer.reconcile()
        logger.info(
            """
            Watching \(memory.root): \(watcher.watchedFolders) folders, debounce \(config.watch.debounceMilliseconds) ms; \
            dreams \(config.dream.schedule) with \(consolidator?.name ?? "nobody"), merge \(config.dream.merge.rawValue)\
            \(config.remote.isConfigured ? "; sync \(config.remote.sync.rawValue) with \(config.remote.name)" : "")
            """)

        // A service group shuts its services down last to first: the watcher goes first, its
        // stream of bursts ends, and the committer drains it and makes its final commit. A
        // service that returns on its own (the watcher's thread failing) shuts the group
        // down gracefully, so pending edits are still committed.
        func service(_ service: any Service) -> ServiceGroupConfiguration.ServiceConfiguration {
            .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)
        }
        var services = [service(committer)]
        if config.dream.schedule != .off, let consolidator {
            services.append(
                service(
                    DreamScheduler(
                        root: memory.root, config: config, consolidator: consolidator,
                        beforeDream: beforeDream, committer: committer, logger: logger)))
        }
        if config.remote.isConfigured, config.remote.sync == .auto,
            let untrusted = trust.untrusted(["remote.url"], in: config)
        {
            logger.error("Sync is off: \(untrusted), and restart the daemon")
        } else if config.remote.isConfigured, config.remote.sync == .auto {
            let sync = TeamSync(settings: config.remote, stateDirectory: memory.stateDirectory, credentials: .forDaemon)
            services.append(
                service(
                    SyncService(
                        root: memory.root, sync: sync, committer: committer, logger: logger,
                        clock: ContinuousClock())))
        }
        if let interval = notifier.watchdogInterval {
            services.append(service(WatchdogService(interval: interval, committer: committer, notifier: notifier)))
        }
        // READY=1 once the group handles signals: a SIGTERM before would kill the daemon
        // without its final commit.
        services.append(
            service(
                WatcherService(watcher: watcher) { [notifier] in
                    notifier.notify("READY=1\nSTATUS=\(await committer.statusLine)")
                }))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        withExtendedLifetime(lock) {}
    }
}
