import ArgumentParser
import Consolidators
import Daemon
import Logging
import Memory

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run the daemon in the foreground: commit every edit to main.",
        discussion: """
            Watches the memory folder with inotify and commits each burst of edits to `main` \
            after a quiet period ([watch] debounce_ms in .reverie/config.toml). Pauses while \
            HEAD is not main or a git operation is in progress, and catches up after. SIGTERM \
            or Ctrl-C commits what is pending, then exits. Under systemd it reports readiness, \
            status and watchdog pings (see systemd/reverie@.service). Logs go to stderr.

            It also dreams on the [dream] schedule ("daily 03:00", "every 6h", "off") with the \
            built-in consolidator, once min_new_sessions new sessions arrived and memory has \
            been quiet for quiet_minutes.

            Examples:
              reverie -C ~/agent-memory watch
              reverie watch --log-level debug
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var logging: LogOptions

    func run() async throws {
        logging.bootstrap()
        try await Daemon(
            folder: global.folder, logger: Logger(label: "reverie"),
            consolidator: { config in
                try ConsolidatorChoice.make(
                    config: config, folder: global.folder,
                    trust: SettingsTrust(memory: try MemoryRepo.open(discoveringFrom: global.folder)))
            },
            beforeDream: { memory, config in
                try await StoreMirror.beforeDream(memory: memory, config: config)
            }
        ).run()
    }
}
