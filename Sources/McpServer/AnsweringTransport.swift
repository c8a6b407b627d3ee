import Foundation
import Logging
import MCP

/// Standard input and output, keeping the ids of the requests read and not yet answered:
/// the SDK answers each request on a task of its own, so when input ends, some that were
/// read may still be on their way, and the server waits for them rather than guess a delay.
actor AnsweringTransport: Transport {
    nonisolated let logger: Logger
    private let stdio: StdioTransport
    private var incoming: AsyncThrowingStream<Data, any Error>?
    private var unanswered: Set<String> = []
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(logger: Logger) {
        self.logger = logger
        stdio = StdioTransport(logger: logger)
    }

    func connect() async throws {
        try await stdio.connect()
        incoming = await stdio.receive()
    }

    func disconnect() async {
        await stdio.disconnect()
    }

    func send(_ data: Data) async throws {
        try await stdio.send(data)
        for message in Self.messages(in: data) where message["method"] == nil {
            if let id = Self.key(message["id"]) { unanswered.remove(id) }
        }
        if unanswered.isEmpty {
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        guard let incoming else { return AsyncThrowingStream { $0.finish() } }
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await data in incoming {
                        self.read(data)
                        continuation.yield(data)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Returns once every request read has been answered, or after `limit`.
    func waitUntilAnswered(limit: Duration = .seconds(30)) async {
        guard !unanswered.isEmpty else { return }
        let timeout = Task {
            try? await Task.sleep(for: limit)
            self.giveUp()
        }
        await withCheckedContinuation { waiters.append($0) }
        timeout.cancel()
    }

    private func giveUp() {
        if !unanswered.isEmpty {
            logger.warning("Standard input closed with \(unanswered.count) request(s) unanswered")
        }
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    private func read(_ data: Data) {
        for message in Self.messages(in: data) where message["method"] != nil {
            if let id = Self.key(message["id"]) { unanswered.insert(id) }
        }
    }

    /// The JSON-RPC objects in one message: itself, or a batch's elements.
    private static func messages(in data: Data) -> [[String: Any]] {
        let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        if let object = value as? [String: Any] { return [object] }
        return (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }

    /// An id as a set key: 1 and "1" are different ids.
    private static func key(_ id: Any?) -> String? {
        switch id {
        case let text as String: "s:" + text
        case let number as NSNumber: "n:" + number.stringValue
        default: nil
        }
    }
}
