import Foundation
import Sessions

/// A tool call with its result, as the analyses see it.
struct ToolCall {
    let session: String
    let index: Int
    let tool: String
    /// For shell tools, the command; else the input as compact JSON.
    let input: String
    /// "Bash: swift build", "Edit": what the call does, without its details.
    let label: String
    let output: String
    let failed: Bool
    let time: Date?

    /// The calls of a session, each paired with its result (a call without result counts
    /// as a success: nothing says it failed).
    static func calls(in session: Session) -> [ToolCall] {
        var results: [String: (output: String, failed: Bool)] = [:]
        for event in session.events {
            if case .toolResult(let id, let output, let isError, let exitCode) = event.kind {
                results[id] = (output, isError || (exitCode ?? 0) != 0 || looksFailed(output))
            }
        }
        var calls: [ToolCall] = []
        for event in session.events {
            guard case .toolCall(let id, let name, let rawInput) = event.kind else { continue }
            let command = shellCommand(name: name, input: rawInput)
            let result = results[id]
            calls.append(ToolCall(
                session: session.id, index: calls.count, tool: name, input: command ?? rawInput,
                label: command.map { "\(name): \(head(of: $0))" } ?? name,
                output: result?.output ?? "", failed: result?.failed ?? false, time: event.time))
        }
        return calls
    }

    static let shellTools: Set<String> = ["Bash", "bash", "shell", "exec_command", "local_shell"]

    static func shellCommand(name: String, input: String) -> String? {
        guard shellTools.contains(name) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(input.utf8)) as? [String: Any] else { return input }
        if let command = object["command"] as? String { return command }
        if let parts = object["command"] as? [String] {
            // Codex runs ["bash", "-lc", "cmd"].
            return parts.count == 3 && parts[1].hasPrefix("-") ? parts[2] : parts.joined(separator: " ")
        }
        return input
    }

    /// The command's first word, and its second when that names a subcommand
    /// (`git commit`, `swift build`, `python -m`).
    static func head(of command: String) -> String {
        let words = command.split(whereSeparator: \.isWhitespace).prefix(3).map(String.init)
        guard let first = words.first else { return "" }
        guard words.count > 1 else { return first }
        let second = words[1]
        if second == "-m", words.count > 2 { return "\(first) -m \(words[2])" }
        if second.first?.isLetter == true, !second.contains("/"), !second.contains(".") { return "\(first) \(second)" }
        return first
    }

    static let failureMarkers = ["command not found", "Traceback (most recent call last)", "No such file or directory",
                                 "Permission denied", "File has not been read yet"]

    static func looksFailed(_ output: String) -> Bool {
        failureMarkers.contains { TextSearch.contains($0, in: output) }
    }

    /// The line that says what went wrong.
    var errorLine: String {
        // The first 200 lines say what went wrong, if any do.
        let lines = output.split(whereSeparator: \.isNewline).prefix(200).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let marked = lines.first { line in
            Self.failureMarkers.contains { TextSearch.contains($0, in: line) }
                || TextSearch.contains("rror", in: line) || TextSearch.contains("ERROR", in: line)
        }
        let line = marked ?? lines.first { !$0.hasPrefix("Exit code") } ?? lines.first ?? "failed"
        return String(line.prefix(160))
    }
}
