import ArgumentParser
import Daemon
import Logging

/// `--log-level`, for the commands that log: to stderr (stdout may be a protocol's
/// channel), every line through the secret scanner.
struct LogOptions: ParsableArguments {
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    /// Sets up logging; call it before anything logs.
    func bootstrap() {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return RedactingLogHandler(handler)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
