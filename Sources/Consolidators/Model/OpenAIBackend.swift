import AsyncHTTPClient
import Dreaming
import Foundation
import Sessions

/// OpenAI's chat completions with tools (`POST /v1/chat/completions`), as OpenAI, vLLM,
/// llama.cpp's server and Ollama speak it. Arguments arrive as a string that may not be
/// JSON; `tool_choice` is not relied on (Ollama ignores it).
struct OpenAIBackend: ModelBackend {
    let model: String
    let baseURL: String
    /// Nil for a local server that wants none.
    let key: String?
    let transport: HTTPTransport

    var name: String { "openai/\(model)" }

    func send(_ request: ModelRequest) async throws(ModelError) -> ModelReply {
        let headers = key.map { [("authorization", "Bearer \($0)")] } ?? []
        return try Self.reply(
            from: try await transport.post(
                baseURL + "/v1/chat/completions", headers: headers,
                json: Self.body(request, model: model)))
    }

    func close() async {
        try? await transport.client.shutdown()
    }

    /// One `tool` message per result, then the user's text; an assistant's calls with the
    /// arguments exactly as the model wrote them.
    static func body(_ request: ModelRequest, model: String) -> JSONValue {
        var messages: [JSONValue] = [["role": "system", "content": .string(request.system)]]
        for message in request.messages {
            var texts: [String] = []
            var calls: [JSONValue] = []
            for block in message.content {
                switch block {
                case .text(let text): texts.append(text)
                case .toolUse(let id, let name, _, let raw):
                    calls.append([
                        "id": .string(id), "type": "function",
                        "function": ["name": .string(name), "arguments": .string(raw)],
                    ])
                case .toolResult(let id, let text, let isError):
                    messages.append([
                        "role": "tool", "tool_call_id": .string(id),
                        "content": .string(isError ? "Error: \(text)" : text),
                    ])
                }
            }
            if message.role == .assistant {
                var item: [String: JSONValue] = [
                    "role": "assistant", "content": texts.isEmpty ? .null : .string(texts.joined(separator: "\n")),
                ]
                if !calls.isEmpty { item["tool_calls"] = .array(calls) }
                messages.append(.object(item))
            } else if !texts.isEmpty {
                messages.append(["role": "user", "content": .string(texts.joined(separator: "\n"))])
            }
        }
        let tools: [JSONValue] = request.tools.map { tool in
            [
                "type": "function",
                "function": [
                    "name": .string(tool.name), "description": .string(tool.description),
                    "parameters": tool.schema,
                ],
            ]
        }
        return [
            "model": .string(model), "max_tokens": .integer(Int64(request.maxTokens)), "messages": .array(messages),
            "tools": .array(tools),
        ]
    }

    static func reply(from body: JSONValue) throws(ModelError) -> ModelReply {
        guard let choice = body["choices"]?.array?.first,
            let message = choice["message"]
        else {
            throw .malformed(message: "no `choices[0].message` in the chat completions reply")
        }
        var blocks: [ModelMessage.Block] = []
        if let text = message["content"]?.string, !text.isEmpty { blocks.append(.text(text)) }
        for (index, call) in (message["tool_calls"]?.array ?? []).enumerated() {
            let function = call["function"]
            guard let name = function?["name"]?.string else {
                throw .malformed(message: "a tool call without a function name")
            }
            // Some servers send arguments as an object rather than the documented string.
            let raw = function?["arguments"]?.string ?? function?["arguments"]?.compactText ?? ""
            let id = call["id"]?.string ?? "call_\(index)"
            blocks.append(.toolUse(id: id, name: name, input: JSONValue.parse(raw.isEmpty ? "{}" : raw), raw: raw))
        }
        let hasCalls = blocks.contains { if case .toolUse = $0 { true } else { false } }
        let stop: ModelReply.Stop =
            switch choice["finish_reason"]?.string {
            case "length": .maxTokens
            case "tool_calls", "function_call": .toolUse
            case "stop", nil: hasCalls ? .toolUse : .endTurn  // Ollama says "stop" beside tool calls
            case let other?: hasCalls ? .toolUse : .other(other)
            }
        let usage = body["usage"]
        return ModelReply(
            content: blocks, stop: stop,
            usage: TokenUsage(
                input: TokenUsage.count(usage?["prompt_tokens"]?.integer),
                output: TokenUsage.count(usage?["completion_tokens"]?.integer)))
    }
}
