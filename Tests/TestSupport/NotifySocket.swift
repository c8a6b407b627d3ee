import Foundation

/// A datagram socket standing in for systemd's `$NOTIFY_SOCKET`, to read what a daemon
/// tells systemd.
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []

    public init(in folder: String) throws {
        path = folder + "/notify.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            throw Shell.Failure(command: "bind \(path)", result: .init(status: errno, stdout: "", stderr: ""))
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    /// Every message so far, each datagram split into its `KEY=value` lines.
    public func messages() -> [String] {
        lock.withLock {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                guard count > 0 else { break }
                received += String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").map(String.init)
            }
            return received
        }
    }

    /// Waits (up to `seconds`) for a message that starts with `prefix`.
    @discardableResult
    public func wait(for prefix: String, seconds: Double = 20) -> Bool {
        Wait.until(seconds: seconds) { self.messages().contains { $0.hasPrefix(prefix) } }
    }

    /// The same from async code, without holding a thread between looks.
    @discardableResult
    public func wait(for prefix: String, seconds: Double = 20) async -> Bool {
        await Wait.until(seconds: seconds) { self.messages().contains { $0.hasPrefix(prefix) } }
    }

    /// Blocks until a message starting with `prefix` has come, returning the moment it
    /// arrives (false after `seconds`): for a test that acts as soon as the daemon speaks.
    public func receive(_ prefix: String, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            if messages().contains(where: { $0.hasPrefix(prefix) }) { return true }
            // Waits for the next datagram, at most the socket's receive timeout.
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let lines = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").map(String.init)
            lock.withLock { received += lines }
        }
        return messages().contains { $0.hasPrefix(prefix) }
    }

    /// Waits for a message starting with `prefix` that came after the first `after` messages.
    @discardableResult
    public func wait(for prefix: String, after: Int, seconds: Double = 20) async -> Bool {
        await Wait.until(seconds: seconds) { self.messages().dropFirst(after).contains { $0.hasPrefix(prefix) } }
    }
}
