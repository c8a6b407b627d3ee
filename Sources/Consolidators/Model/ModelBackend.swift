import Dreaming
import Sessions

/// A model a dream talks to: an HTTP API or a local program.
public protocol ModelBackend: Sendable {
    /// Names the consolidator in commits: "anthropic/<model>", "openai/<model>", "command/<name>".
    var name: String { get }
    func send(_ request: ModelRequest) async throws(ModelError) -> ModelReply
    /// Releases what the backend holds (an HTTP client, a child process).
    func close() async
}
