import AsyncHTTPClient
import Foundation
import Memory
import NIOCore
import NIOHTTP1
import Sessions

/// Claude Managed Agents' memory stores and dreams over HTTP, in their documented wire
/// format (docs/memory-stores.md): memory-store calls carry only the `agent-memory-2026-07-22`
/// beta (with `managed-agents-2026-04-01` beside it the API answers 400), dream calls only
/// `dreaming-2026-04-21`. Lists are read page by page through `next_page`. What a retry can
/// fix (408, 429, 5xx) is retried; a 409 is an answer and never retried.
public struct MemoryStoreClient: Sendable {
    /// The `anthropic-version` header of every call.
    public static let apiVersion = "2023-06-01"
    /// The beta header of memory-store calls.
    public static let memoryBeta = "agent-memory-2026-07-22"
    /// The beta header of dream calls.
    public static let dreamBeta = "dreaming-2026-04-21"
    /// The API when `[store] base_url` is not set.
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// Largest memory the API stores (102,400 bytes): anything bigger from it is refused.
    public static let maxContentBytes = 102_400
    /// A hostile server could page forever.
    static let maxPages = 10_000

    let baseURL: String
    let key: String
    let keyVariable: String
    let timeout: TimeAmount
    var retries = 3
    /// Waits between attempts; tests pass one that returns at once.
    var sleep: @Sendable (Double) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1e9)) }
    var jitter: @Sendable () -> Double = { Double.random(in: 0.5...1) }

    init(baseURL: String, key: String, keyVariable: String, timeout: TimeAmount) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.key = key
        self.keyVariable = keyVariable
        self.timeout = timeout
    }

    /// A client for the settings' `[store]`, its key from the environment (or a systemd
    /// credential), never logged; refused while `trust` has not accepted the settings' API
    /// address and key variable.
    public static func make(
        settings: StoreSettings, trust: SettingsTrust,
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws(StoreError) -> MemoryStoreClient
    {
        var config = ReverieConfig()
        config.store = settings
        do { try trust.require(ReverieConfig.storeClientSettings, in: config) } catch { throw .untrusted(error) }
        let variable = settings.apiKeyVariable.isEmpty ? "ANTHROPIC_API_KEY" : settings.apiKeyVariable
        guard let key = APIKey.find(variable: variable, environment: environment) else {
            throw .missingKey(variable: variable)
        }
        return MemoryStoreClient(
            baseURL: settings.baseURL.isEmpty ? defaultBaseURL : settings.baseURL, key: key,
            keyVariable: variable, timeout: .seconds(Int64(settings.timeoutSeconds)))
    }

    // MARK: - Stores

    /// One store; archived ones too (the caller refuses them).
    public func store(_ id: String) async throws(StoreError) -> MemoryStoreInfo {
        try decode(
            try await call(
                .GET, "/v1/memory_stores/\(try Self.checked(id))", beta: Self.memoryBeta,
                notFound: { .storeNotFound(id: id, message: $0) }))
    }

    /// One store, refused when it is archived.
    public func activeStore(_ id: String) async throws(StoreError) -> MemoryStoreInfo {
        let info = try await store(id)
        if info.archivedAt != nil { throw .archived(id: info.id, name: info.name) }
        return info
    }

    /// Every store of the workspace, all pages.
    public func stores(includeArchived: Bool = false) async throws(StoreError) -> [MemoryStoreInfo] {
        var query = [("limit", "100")]
        if includeArchived { query.append(("include_archived", "true")) }
        return try await pages(
            "/v1/memory_stores", query: query, beta: Self.memoryBeta,
            notFound: { .notFound(what: "the list of stores", message: $0) })
    }

    // MARK: - Memories

    /// Every memory of `store` (hashes and paths, no content), all pages.
    public func memories(in store: String) async throws(StoreError) -> [StoreMemory] {
        try await pages(
            "/v1/memory_stores/\(try Self.checked(store))/memories", query: [("limit", "100"), ("view", "basic")],
            beta: Self.memoryBeta, notFound: { .storeNotFound(id: store, message: $0) })
    }

    /// One memory with its content.
    public func memory(_ id: String, in store: String) async throws(StoreError) -> StoreMemory {
        try decode(
            try await call(
                .GET, "/v1/memory_stores/\(try Self.checked(store))/memories/\(try Self.checked(id))",
                query: [("view", "full")], beta: Self.memoryBeta,
                notFound: { .notFound(what: "memory \(id)", message: $0) }))
    }

    /// Creates a memory at `path` (a store path, `/…`).
    public func create(path: String, content: String, in store: String) async throws(StoreError) -> StoreMemory {
        let body: JSONValue = ["path": .string(path), "content": .string(content)]
        return try decode(
            try await call(
                .POST, "/v1/memory_stores/\(try Self.checked(store))/memories", body: body,
                beta: Self.memoryBeta, notFound: { .storeNotFound(id: store, message: $0) },
                conflictPath: path))
    }

    /// Replaces a memory's content, only if the store still holds the content whose hash is
    /// `expectedSHA` (else 409: `StoreError.preconditionFailed`).
    public func update(
        _ id: String, path: String, content: String, expectedSHA: String, in store: String
    )
        async throws(StoreError) -> StoreMemory
    {
        let body: JSONValue = [
            "content": .string(content),
            "precondition": ["type": "content_sha256", "content_sha256": .string(expectedSHA)],
        ]
        return try decode(
            try await call(
                .POST, "/v1/memory_stores/\(try Self.checked(store))/memories/\(try Self.checked(id))",
                body: body, beta: Self.memoryBeta,
                notFound: { .preconditionFailed(path: path, message: "deleted in the store: \($0)") },
                conflictPath: path))
    }

    /// Deletes a memory, only if it still holds the content whose hash is `expectedSHA`.
    public func delete(_ id: String, path: String, expectedSHA: String, in store: String) async throws(StoreError) {
        _ = try await call(
            .DELETE, "/v1/memory_stores/\(try Self.checked(store))/memories/\(try Self.checked(id))",
            query: [("expected_content_sha256", expectedSHA)], beta: Self.memoryBeta,
            notFound: { .preconditionFailed(path: path, message: "deleted in the store: \($0)") },
            conflictPath: path)
    }

    /// The versions of `store` created at or after `since` (RFC 3339; nil: all), with content, all pages.
    public func versions(in store: String, since: String?) async throws(StoreError) -> [MemoryVersion] {
        var query = [("limit", "20"), ("view", "full")]
        if let since { query.append(("created_at[gte]", since)) }
        return try await pages(
            "/v1/memory_stores/\(try Self.checked(store))/memory_versions", query: query,
            beta: Self.memoryBeta, notFound: { .storeNotFound(id: store, message: $0) })
    }

    // MARK: - Dreams

    /// Starts a platform dream over `store` and `sessions`.
    public func createDream(
        store: String, sessions: [String], model: String, instructions: String?
    )
        async throws(StoreError) -> PlatformDream
    {
        var body: [String: JSONValue] = [
            "inputs": [
                ["type": "memory_store", "memory_store_id": .string(store)],
                ["type": "sessions", "session_ids": .array(sessions.map { .string($0) })],
            ],
            "model": .string(model),
        ]
        if let instructions, !instructions.isEmpty { body["instructions"] = .string(instructions) }
        return try decode(
            try await call(
                .POST, "/v1/dreams", body: .object(body), beta: Self.dreamBeta,
                notFound: { .storeNotFound(id: store, message: $0) }))
    }

    /// The dream `id` as it stands now.
    public func dream(_ id: String) async throws(StoreError) -> PlatformDream {
        try decode(
            try await call(
                .GET, "/v1/dreams/\(try Self.checked(id))", beta: Self.dreamBeta,
                notFound: { .notFound(what: "dream \(id)", message: $0) }))
    }

    /// Stops a pending or running dream.
    public func cancelDream(_ id: String) async throws(StoreError) -> PlatformDream {
        try decode(
            try await call(
                .POST, "/v1/dreams/\(try Self.checked(id))/cancel", body: [:], beta: Self.dreamBeta,
                notFound: { .notFound(what: "dream \(id)", message: $0) }))
    }

    // MARK: - The wire

    struct Page<Item: Decodable>: Decodable {
        let data: [Item]
        let nextPage: String?
    }

    private func pages<Item: Decodable>(
        _ path: String, query: [(String, String)], beta: String, notFound: @escaping (String) -> StoreError
    ) async throws(StoreError) -> [Item] {
        var items: [Item] = []
        var cursor: String?
        var seen: Set<String> = []
        for _ in 0..<Self.maxPages {
            let page: Page<Item> = try decode(
                try await call(
                    .GET, path, query: query + (cursor.map { [("page", $0)] } ?? []), beta: beta, notFound: notFound))
            items += page.data
            guard let next = page.nextPage, !next.isEmpty else { return items }
            guard seen.insert(next).inserted else { throw .malformed(message: "the list of \(path) pages in a circle") }
            cursor = next
        }
        throw .malformed(message: "the list of \(path) has more than \(Self.maxPages) pages")
    }

    /// An id as it may stand in a URL path: what the API's ids look like, nothing else.
    static func checked(_ id: String) throws(StoreError) -> String {
        guard !id.isEmpty, id.count <= 200,
            id.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-".unicodeScalars.contains($0))
            })
        else {
            throw .badSetting(message: "\"\(Self.printable(id))\" is not an id such as memstore_01abc or sesn_01abc")
        }
        return id
    }

    /// Whether `text` looks like one of the API's ids (memver_…, sesn_…).
    static func isID(_ text: String) -> Bool { (try? checked(text)) != nil }

    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.prefix(80).map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }

    private func decode<T: Decodable>(_ data: Data) throws(StoreError) -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw .malformed(
                message: "not a \(T.self): "
                    + SecretScanner.redact(String(decoding: data.prefix(200), as: UTF8.self)).text)
        }
    }

    /// One call with its retries, on a connection pool of its own that is shut down after
    /// (redirects are not followed: they would carry the key elsewhere).
    private func call(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil, beta: String,
        notFound: (String) -> StoreError, conflictPath: String? = nil
    ) async throws(StoreError) -> Data {
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        let transport = HTTPTransport(client: http, timeout: timeout, keyVariable: keyVariable)
        let result: Result<Data, StoreError>
        do throws(StoreError) {
            result = .success(
                try await call(
                    transport, method, path, query: query, body: body, beta: beta,
                    notFound: notFound, conflictPath: conflictPath))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        return try result.get()
    }

    private func call(
        _ transport: HTTPTransport, _ method: HTTPMethod, _ path: String, query: [(String, String)], body: JSONValue?,
        beta: String, notFound: (String) -> StoreError, conflictPath: String?
    ) async throws(StoreError) -> Data {
        var url = baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        var headers = [("x-api-key", key), ("anthropic-version", Self.apiVersion), ("anthropic-beta", beta)]
        var data: Data?
        if let body {
            do { data = try JSONEncoder().encode(body) } catch {
                throw .malformed(message: "could not encode the request: \(error)")
            }
            headers.append(("content-type", "application/json"))
        }
        var attempt = 0
        while true {
            attempt += 1
            let status: Int, responseHeaders: HTTPHeaders, reply: Data
            do {
                (status, responseHeaders, reply) = try await transport.send(
                    url, method: method, headers: headers, body: data)
            } catch .cancelled {
                throw .cancelled
            } catch {
                throw .transport(message: "\(error)")
            }
            if (200..<300).contains(status) { return reply }
            var message = HTTPTransport.errorMessage(in: reply, status: status)
            if key.count >= 8 { message = message.replacingOccurrences(of: key, with: "[REDACTED API key]") }
            switch status {
            case 401: throw .unauthorized(variable: keyVariable, message: message)
            case 403: throw .forbidden(message: message)
            case 404: throw notFound(message)
            case 409 where conflictPath != nil: throw .preconditionFailed(path: conflictPath!, message: message)
            case 408, 429, 500...599:
                guard attempt <= retries else {
                    throw .unavailable(status: status, attempts: attempt, message: message)
                }
                let delay =
                    HTTPTransport.retryDelay(responseHeaders)
                    ?? min(HTTPTransport.longestWait, 0.5 * pow(2, Double(attempt - 1)) * jitter())
                do { try await sleep(min(delay, HTTPTransport.longestWait)) } catch { throw .cancelled }
            default: throw .badRequest(status: status, message: message)
            }
        }
    }

    private static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
