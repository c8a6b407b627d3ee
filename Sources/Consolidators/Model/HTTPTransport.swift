import AsyncHTTPClient
import Dreaming
import Foundation
import Memory
import NIOCore
import NIOHTTP1
import Sessions

/// POSTs JSON to a model API and retries what a retry can fix: 408, 409, 429, 5xx and
/// Anthropic's 529, with exponential backoff and jitter, honouring `retry-after-ms` and
/// `retry-after` up to a minute, at most `retries` times. 400, 401 and 403 fail at once.
struct HTTPTransport: Sendable {
    let client: HTTPClient
    let timeout: TimeAmount
    var retries = 3
    /// Waits between attempts; tests pass one that returns at once and records the delay.
    var sleep: @Sendable (Double) async throws -> Void = { seconds in
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
    var jitter: @Sendable () -> Double = { Double.random(in: 0.5...1) }
    /// Names the variable holding the key in a 401's message.
    let keyVariable: String

    static let longestWait = 60.0

    /// POSTs `body` as JSON and returns the reply's parsed body.
    func post(_ url: String, headers: [(String, String)], json body: JSONValue) async throws(ModelError) -> JSONValue {
        let data: Data
        do { data = try JSONEncoder().encode(body) } catch {
            throw .malformed(message: "could not encode the request: \(error)")
        }
        let reply = try await post(url, headers: headers + [("content-type", "application/json")], body: data)
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: reply) else {
            throw .malformed(
                message:
                    "the reply is not JSON: \(SecretScanner.redact(String(decoding: reply.prefix(200), as: UTF8.self)).text)"
            )
        }
        return value
    }

    func post(_ url: String, headers: [(String, String)], body: Data) async throws(ModelError) -> Data {
        var attempt = 0
        while true {
            attempt += 1
            let (status, responseHeaders, data) = try await send(url, headers: headers, body: body)
            if (200..<300).contains(status) { return data }
            var message = Self.errorMessage(in: data, status: status)
            // A server may echo the key it refused; whatever its shape, it goes.
            for (name, value) in headers where ["x-api-key", "authorization"].contains(name.lowercased()) {
                for secret in [value, value.replacingOccurrences(of: "Bearer ", with: "")] where secret.count >= 8 {
                    message = message.replacingOccurrences(of: secret, with: "[REDACTED API key]")
                }
            }
            switch status {
            case 401: throw .unauthorized(variable: keyVariable, message: message)
            case 403: throw .forbidden(message: message)
            case 408, 409, 429, 500...599:
                guard attempt <= retries else {
                    throw .unavailable(status: status, attempts: attempt, message: message)
                }
                let delay =
                    Self.retryDelay(responseHeaders)
                    ?? min(Self.longestWait, 0.5 * pow(2, Double(attempt - 1)) * jitter())
                do { try await sleep(min(delay, Self.longestWait)) } catch { throw .cancelled }
            default: throw .badRequest(status: status, message: message)
            }
        }
    }

    /// One request, no retry: the status, headers and body as they came (the memory-store
    /// client decides itself what a retry may fix, as a 409 there is an answer).
    func send(
        _ url: String, method: HTTPMethod = .POST, headers: [(String, String)], body: Data?
    ) async throws(ModelError)
        -> (Int, HTTPHeaders, Data)
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let (client, timeout, finished) = (client, timeout, request)
        do {
            // The client's timeout ends at the reply's head: a body trickled byte by byte
            // would hold the dream for ever, so the whole exchange races the same time.
            return try await withThrowingTaskGroup(of: (Int, HTTPHeaders, Data)?.self) { group in
                group.addTask {
                    let response = try await client.execute(finished, timeout: timeout)
                    var buffer = try await response.body.collect(upTo: 32 << 20)
                    let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                    return (Int(response.status.code), response.headers, Data(bytes))
                }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(max(0, timeout.nanoseconds)))
                    return nil
                }
                defer { group.cancelAll() }
                guard let reply = try await group.next() ?? nil else { throw ReplyTimeout() }
                return reply
            }
        } catch is ReplyTimeout {
            let seconds = Double(timeout.nanoseconds) / 1e9
            throw .transport(
                message: "the server did not finish its reply within "
                    + (seconds == seconds.rounded() ? "\(Int(seconds))" : "\(seconds)") + " s (timeout_seconds)")
        } catch is CancellationError {
            throw .cancelled
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw .transport(message: SecretScanner.redact("\(error)").text)
        }
    }

    /// What the server asked to wait, in seconds: `retry-after-ms`, else `retry-after`.
    static func retryDelay(_ headers: HTTPHeaders) -> Double? {
        if let text = headers.first(name: "retry-after-ms"), let ms = Double(text), ms >= 0 { return ms / 1000 }
        if let text = headers.first(name: "retry-after"), let seconds = Double(text), seconds >= 0 { return seconds }
        return nil
    }

    /// The `error.message` both APIs put in an error body, else the body's start; never a key.
    static func errorMessage(in data: Data, status: Int) -> String {
        let text: String
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: data), let message = body.error?.message {
            text = message
        } else {
            text = String(decoding: data.prefix(300), as: UTF8.self)
        }
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return SecretScanner.redact(oneLine.isEmpty ? "HTTP \(status)" : String(oneLine.prefix(300))).text
    }

    private struct ReplyTimeout: Error {}

    private struct ErrorBody: Decodable {
        struct Detail: Decodable { let message: String? }
        let error: Detail?
    }
}
