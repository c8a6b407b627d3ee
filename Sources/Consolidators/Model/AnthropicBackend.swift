import AsyncHTTPClient
import Dreaming
import Foundation
import Sessions

/// Anthropic's Messages API (`POST /v1/messages`), or any server that speaks it (Ollama's
/// Anthropic-compatible endpoint). The memory tool is declared by its type, as the models
/// were trained on it.
struct AnthropicBackend: ModelBackend {
    let model: String
    let baseURL: String
    let key: String
    let transport: HTTPTransport

    var name: String { "anthropic/\(model)" }

    static let version = "2023-06-01"
    /// The beta the memory tool type belongs to.
    static let memoryBeta = "context-management-2025-06-27"

    func send(_ request: ModelRequest) async throws(ModelError) -> ModelReply {
        var headers = [("x-api-key", key), ("anthropic-version", Self.version)]
        if request.tools.contains(where: { $0.anthropicType != nil }) {
            headers.append(("anthropic-beta", Self.memoryBeta))
        }
        return try Self.reply(
            from: try await transport.post(
                baseURL + "/v1/messages", headers: headers,
                json: Self.body(request, model: model)))
    }

    func close() async {
        try? await transport.client.shutdown()
    }

    /// The request as the wire format wants it: `tool_result` blocks first in a user turn.
    static func body(_ request: ModelRequest, model: String) -> JSONValue {
        let messages: [JSONValue] = request.messages.map { message in
            let results = message.content.filter { if case .toolResult = $0 { true } else { false } }
            let others = message.content.filter { if case .toolResult = $0 { false } else { true } }
            return ["role": .string(message.role.rawValue), "content": .array((results + others).map(block))]
        }
        let tools: [JSONValue] = request.tools.map { tool in
            if let type = tool.anthropicType { return ["type": .string(type), "name": .string(tool.name)] }
            return ["name": .string(tool.name), "description": .string(tool.description), "input_schema": tool.schema]
        }
        return [
            "model": .string(model), "max_tokens": .integer(Int64(request.maxTokens)),
            "system": .string(request.system),
            "messages": .array(messages), "tools": .array(tools),
        ]
    }

    static func block(_ block: ModelMessage.Block) -> JSONValue {
        switch block {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .toolUse(let id, let name, let input, _):
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input ?? [:]]
        case .toolResult(let id, let text, let isError):
            return [
                "type": "tool_result", "tool_use_id": .string(id), "content": .string(text), "is_error": .bool(isError),
            ]
        }
    }

    static func reply(from body: JSONValue) throws(ModelError) -> ModelReply {
        guard let content = body["content"]?.array else {
            throw .malformed(message: "no `content` in the Messages API reply")
        }
        var blocks: [ModelMessage.Block] = []
        for item in content {
            switch item["type"]?.string {
            case "text": blocks.append(.text(item["text"]?.string ?? ""))
            case "tool_use":
                guard let id = item["id"]?.string, let name = item["name"]?.string else {
                    throw .malformed(message: "a tool_use block without id or name")
                }
                let input = item["input"]
                blocks.append(.toolUse(id: id, name: name, input: input, raw: input?.compactText ?? ""))
            default: continue  // thinking and server tool blocks are not ours to answer
            }
        }
        let stop: ModelReply.Stop =
            switch body["stop_reason"]?.string {
            case "end_turn", "stop_sequence": .endTurn
            case "tool_use": .toolUse
            case "max_tokens": .maxTokens
            case "pause_turn": .pauseTurn
            case let other: .other(other ?? "none")
            }
        let usage = body["usage"]
        let input = ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
            .reduce(0) { $0 + TokenUsage.count(usage?[$1]?.integer) }
        return ModelReply(
            content: blocks, stop: stop,
            usage: TokenUsage(input: input, output: TokenUsage.count(usage?["output_tokens"]?.integer)))
    }
}
