import Foundation

/// A bare repository on this machine standing for the team's remote (a forge, a server):
/// `file://` URL by default, or served by `GitDaemonServer` or `GitHTTPServer`.
public final class BareRemote: @unchecked Sendable {
    public let folder: Scratch
    /// The bare repository's name under `folder`.
    public let name = "team.git"

    public init() throws {
        folder = try Scratch("remote")
        try folder.git("init", "-q", "--bare", "-b", "main", name)
        // Let http-backend and git daemon accept pushes as any forge does.
        try Shell.check("git", ["config", "http.receivepack", "true"], in: path)
    }

    public var path: String { folder.url(name) }
    public var fileURL: String { "file://" + path }

    /// Runs the git CLI in the bare repository.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try Shell.check("git", arguments, in: path)
    }

    /// The commit a branch points to there, or nil.
    public func tip(_ branch: String) throws -> String? {
        let result = try Shell.run("git", ["rev-parse", "--verify", "-q", "refs/heads/\(branch)"], in: path)
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    public func fsck() throws -> String {
        let result = try Shell.run("git", ["fsck", "--strict", "--no-dangling", "--no-progress"], in: path)
        return result.status == 0 && result.stdout.isEmpty ? "" : result.stdout + result.stderr
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released: a server started next takes it).
    public static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
