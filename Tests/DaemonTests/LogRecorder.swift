import Foundation
import Logging

/// Keeps every message logged through its `logger`, so a test can check what the daemon said.
final class LogRecorder: @unchecked Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    /// A logger at trace level whose messages land here.
    var logger: Logger {
        Logger(label: "reverie-test") { _ in Handler(recorder: self) }
    }

    /// Everything logged so far, oldest first.
    var all: [Entry] {
        lock.withLock { entries }
    }

    func messages(at level: Logger.Level) -> [String] {
        all.filter { $0.level == level }.map(\.message)
    }

    fileprivate func append(_ entry: Entry) {
        lock.withLock { entries.append(entry) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append(Entry(level: event.level, message: event.message.description))
        }
    }
}
