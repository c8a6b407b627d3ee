import Foundation

/// A model API on 127.0.0.1 that answers from a script and records what it was sent
/// (Tests/Fixtures/fake_model_server.py): the paid API, stood in for in its wire format.
public final class FakeModelServer: @unchecked Sendable {
    private let server: FixtureServer
    private let folder: Scratch
    public var baseURL: String { server.baseURL }

    /// - Parameter answers: each a `{"status":…, "headers":…, "body":…}` or `{"raw": …}` object.
    public init(answers: [[String: Any]]) throws {
        folder = try Scratch("fake-model")
        let script = folder.url("script.json")
        try JSONSerialization.data(withJSONObject: answers).write(to: URL(fileURLWithPath: script))
        server = try FixtureServer(
            script: "fake_model_server.py", arguments: [script, folder.url("requests.jsonl")],
            portFile: folder.url("port"))
    }

    /// Every request so far: path, headers (lower-case names) and body (parsed JSON, or text).
    public func requests() throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: folder.url("requests.jsonl"), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }
}
