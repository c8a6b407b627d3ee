import Foundation

/// Claude Managed Agents' memory stores and dreams on 127.0.0.1, stateful, in their wire
/// format (Tests/Fixtures/fake_memory_store_server.py); tests set up stores and store-side
/// writes through its `/_fake/` routes and read what it was sent.
public final class FakeMemoryStoreServer: @unchecked Sendable {
    public let key: String
    private let server: FixtureServer
    private let folder: Scratch
    public var baseURL: String { server.baseURL }

    public init(key: String) throws {
        self.key = key
        folder = try Scratch("fake-store")
        server = try FixtureServer(
            script: "fake_memory_store_server.py", arguments: [key, folder.url("requests.jsonl")],
            portFile: folder.url("port"))
    }

    /// Sends `body` to a `/_fake/…` route (or any route, with `headers`) and returns the status and parsed answer.
    @discardableResult
    public func send(
        _ method: String, _ path: String, _ body: [String: Any]? = nil,
        headers: [String: String] = [:]
    ) throws -> (status: Int, body: Any) {
        var arguments = ["-s", "-X", method, "-w", "\n%{http_code}", baseURL + path]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            // Through a file: a large memory would not fit on a command line.
            let file = folder.url("body-\(UUID().uuidString).json")
            try JSONSerialization.data(withJSONObject: body).write(to: URL(fileURLWithPath: file))
            arguments += ["-H", "content-type: application/json", "--data-binary", "@" + file]
        }
        let output = try Shell.check("curl", arguments)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let text = lines.dropLast().joined(separator: "\n")
        return (status, (try? JSONSerialization.jsonObject(with: Data(text.utf8))) ?? text)
    }

    /// Makes a store; returns its memstore_ id.
    public func makeStore(_ name: String, archived: Bool = false) throws -> String {
        let answer = try send("POST", "/_fake/stores", ["name": name, "archived": archived])
        return (answer.body as? [String: Any])?["id"] as? String ?? ""
    }

    /// A write made in the store, not by Reverie: by an agent's session unless `actor` says.
    public func write(
        _ store: String, _ path: String, _ content: String?,
        actor: [String: Any] = ["type": "session_actor", "session_id": "sesn_01agent"]
    ) throws {
        try send(
            "POST", "/_fake/stores/\(store)/write", ["path": path, "content": content ?? NSNull(), "actor": actor])
    }

    /// What the next dream does: "completed" with `changes` (path → content, nil deletes), "failed" or "canceled".
    public func planDream(_ outcome: String, polls: Int = 2, changes: [String: String?] = [:]) throws {
        try send(
            "POST", "/_fake/dream_plan",
            [
                "outcome": outcome, "polls": polls,
                "changes": changes.mapValues { $0 ?? NSNull() as Any },
            ])
    }

    /// Every memory of `store`, path → content.
    public func contents(_ store: String) throws -> [String: String] {
        try send("GET", "/_fake/stores/\(store)").body as? [String: String] ?? [:]
    }

    /// Every API request so far (not `/_fake/`): method, path, headers (lower-case names), body.
    public func requests() throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: folder.url("requests.jsonl"), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }.filter { !(($0["path"] as? String) ?? "").hasPrefix("/_fake/") }
    }
}
