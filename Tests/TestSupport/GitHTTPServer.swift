import Foundation

/// Smart HTTP with basic authentication on 127.0.0.1 (`git http-backend` behind
/// Tests/Fixtures/git_http_server.py), serving a `BareRemote`; it can be stopped and
/// started again on the same port, or made to break off a transfer.
public final class GitHTTPServer: @unchecked Sendable {
    public let user: String
    public let password: String
    public private(set) var port = 0
    private let remote: BareRemote
    private var process: RunningProcess?

    public init(serving remote: BareRemote, user: String = "ana", password: String = "s3cret-pass") throws {
        self.remote = remote
        self.user = user
        self.password = password
        try start()
    }

    deinit {
        stop()
    }

    /// The repository's URL, without credentials.
    public var url: String { "http://127.0.0.1:\(port)/\(remote.name)" }

    /// Starts the server (again, on the port it had, after `stop()`).
    public func start() throws {
        let portFile = remote.folder.url("http-port-\(UUID().uuidString.prefix(6))")
        var arguments = [
            ReverieBinary.projectRoot + "/Tests/Fixtures/git_http_server.py", remote.folder.path,
            "\(user):\(password)", portFile,
        ]
        if port != 0 { arguments.append("\(port)") }
        let started = try Shell.start("python3", arguments)
        guard Wait.until(seconds: 30, { FileManager.default.fileExists(atPath: portFile) }),
            let text = try? String(contentsOfFile: portFile, encoding: .utf8), let number = Int(text)
        else {
            started.signal(SIGKILL)
            throw Shell.Failure(command: "git_http_server.py", result: started.wait())
        }
        port = number
        process = started
    }

    /// Stops the server: the remote is unreachable until `start()`.
    public func stop() {
        process?.signal(SIGKILL)
        _ = process?.wait()
        process = nil
    }

    /// Makes the next POST of `service` (git-upload-pack: a fetch; git-receive-pack: a
    /// push) break off after its request was read.
    public func cutNext(_ service: String) throws {
        try remote.folder.write("cut-\(service)", "")
    }

    /// Whether the last cut was used.
    public func cutUsed(_ service: String) -> Bool {
        !remote.folder.exists("cut-\(service)")
    }
}
