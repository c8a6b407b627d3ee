import Foundation

/// Answers in the Anthropic Messages wire format, for a `FakeModelServer` script.
extension FakeModelServer {
    /// A Messages reply holding `blocks`, with the usage the API reports.
    public static func anthropic(
        _ blocks: [[String: Any]], stop: String = "tool_use", input: Int = 1000,
        output: Int = 100
    ) -> [String: Any] {
        [
            "status": 200,
            "body": [
                "id": "msg_\(UUID().uuidString.prefix(8))", "type": "message", "role": "assistant",
                "model": "claude-test", "content": blocks, "stop_reason": stop,
                "usage": ["input_tokens": input, "output_tokens": output],
            ],
        ]
    }

    /// A `tool_use` block.
    public static func use(_ id: String, _ name: String, _ input: [String: Any]) -> [String: Any] {
        ["type": "tool_use", "id": id, "name": name, "input": input]
    }

    /// The model's last turn: text, no tool call.
    public static func done(_ text: String = "Done.") -> [String: Any] {
        anthropic([["type": "text", "text": text]], stop: "end_turn")
    }
}
