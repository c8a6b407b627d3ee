import Foundation

/// `git daemon` on 127.0.0.1 serving a `BareRemote` over `git://`, pushes allowed.
public final class GitDaemonServer: @unchecked Sendable {
    public let url: String
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)

    public init(serving remote: BareRemote) throws {
        let port = BareRemote.freePort()
        // git-daemon itself, not `git daemon`: killing the wrapper would leave the server running.
        let execPath = try Shell.check("git", ["--exec-path"]).trimmingCharacters(in: .whitespacesAndNewlines)
        process.executableURL = URL(fileURLWithPath: execPath + "/git-daemon")
        process.arguments = [
            "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
            "--port=\(port)", "--base-path=\(remote.folder.path)", remote.folder.path,
        ]
        // Not pipes: the daemon's children (one per connection) would hold them open after it ends.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        url = "git://127.0.0.1:\(port)/\(remote.name)"
        // Ready once it answers.
        guard Wait.until(seconds: 30, every: 0.1, { (try? Shell.run("git", ["ls-remote", url]))?.status == 0 }) else {
            kill(process.processIdentifier, SIGKILL)
            throw Shell.Failure(
                command: "git daemon --port=\(port)", result: .init(status: -1, stdout: "", stderr: "never answered"))
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        _ = exited.wait(timeout: .now() + 10)
    }
}
