import Foundation

/// A server script of Tests/Fixtures run with python3 on 127.0.0.1; it writes the port it
/// listens on to a file, which is waited for. Killed when dropped.
public final class FixtureServer: @unchecked Sendable {
    public let baseURL: String
    private let process: RunningProcess

    /// Runs `script` with `arguments` and the port file's path last.
    public init(script: String, arguments: [String], portFile: String) throws {
        process = try Shell.start(
            "python3", [ReverieBinary.projectRoot + "/Tests/Fixtures/" + script] + arguments + [portFile])
        guard Wait.until(seconds: 30, { FileManager.default.fileExists(atPath: portFile) }),
            let port = try? String(contentsOfFile: portFile, encoding: .utf8)
        else {
            process.signal(SIGKILL)
            throw Shell.Failure(command: script, result: process.wait())
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit {
        process.signal(SIGKILL)
        _ = process.wait()
    }
}
