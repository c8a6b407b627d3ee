import Foundation

/// A model API on 127.0.0.1 that answers from a script and records what it was sent
/// (Tests/Fixtures/fake_model_server.py): the paid API, stood in for in its wire format.
public final class FakeModelServer: @unchecked Sendable {
    public let baseURL: String
    private let process: RunningProcess
    private let folder: Scratch

    /// - Parameter answers: each a `{"status":…, "headers":…, "body":…}` or `{"raw": …}` object.
    public init(answers: [[String: Any]]) throws {
        folder = try Scratch("fake-model")
        let script = folder.url("script.json"), portFile = folder.url("port")
        try JSONSerialization.data(withJSONObject: answers).write(to: URL(fileURLWithPath: script))
        process = try Shell.start("python3", [ReverieBinary.projectRoot + "/Tests/Fixtures/fake_model_server.py",
                                              script, folder.url("requests.jsonl"), portFile])
        guard Wait.until(seconds: 30, { FileManager.default.fileExists(atPath: portFile) }),
              let port = try? String(contentsOfFile: portFile, encoding: .utf8) else {
            process.signal(SIGKILL)
            throw Shell.Failure(command: "fake_model_server.py", result: process.wait())
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit {
        process.signal(SIGKILL)
        _ = process.wait()
    }

    /// Every request so far: path, headers (lower-case names) and body (parsed JSON, or text).
    public func requests() throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: folder.url("requests.jsonl"), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }
}
