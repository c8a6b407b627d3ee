import Daemon
import Foundation
import Logging
import TestSupport
import Testing

@Suite struct RedactingLogHandlerTests {
    /// Keeps what reaches it, as a stream handler would write it.
    final class Recorder: LogHandler, @unchecked Sendable {
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        private let lock = NSLock()
        private var lines: [String] = []
        var written: String { lock.withLock { lines.joined(separator: "\n") } }

        func log(event: LogEvent) {
            lock.withLock {
                lines.append("\(event.message) \(event.metadata ?? [:]) \(event.error.map { "\($0)" } ?? "")")
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    @Test func messagesMetadataAndErrorsAreRedactedBeforeTheyAreWritten() {
        let recorder = Recorder()
        let logger = Logger(label: "test") { _ in RedactingLogHandler(recorder) }
        let token = "ghp_" + SeededRandom.text(SeededRandom.alphanumerics, 36, seed: 9)
        logger.warning(
            "push failed with \(token)", error: Failure(description: "auth \(token)"),
            metadata: ["url": "https://bot:\(token)@example.com/x.git"])
        #expect(!recorder.written.contains(token))
        #expect(recorder.written.contains("[REDACTED GitHub token]"), "\(recorder.written)")
    }
}
