import Logging
import Memory

/// A log handler that passes every message and metadata value through the secret scanner
/// before the handler it wraps writes it: logs are kept and shipped, keys must not be.
public struct RedactingLogHandler: LogHandler {
    private var wrapped: any LogHandler

    /// Redacts what goes to `wrapped`.
    public init(_ wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    /// The wrapped handler's level.
    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    /// The wrapped handler's metadata.
    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    /// One metadata value of the wrapped handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    /// Logs `event` with its message, metadata and error passed through the secret scanner.
    public func log(event: LogEvent) {
        var event = event
        event.message = "\(SecretScanner.redact(event.message.description).text)"
        event.metadata = event.metadata?.mapValues { .string(SecretScanner.redact("\($0)").text) }
        if let error = event.error { event.error = RedactedError(description: SecretScanner.redact("\(error)").text) }
        wrapped.log(event: event)
    }
}

/// An error as it is logged, with its secrets redacted.
private struct RedactedError: Error, CustomStringConvertible {
    let description: String
}
