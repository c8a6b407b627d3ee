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
    /// What a non-shell call works on (its file, path or pattern); nil when the input names
    /// none. Read when asked: inputs can hold whole files, and few calls need it.
    var target: String? { isShell ? nil : Self.target(of: input) }
    let output: String
    /// Only what the transcript says: `is_error`, a non-zero exit code, or the tool's own
    /// failure shape. Words in the output never make a failure.
    let failed: Bool
    /// When it ran, else when its session started.
    let time: Date?
    /// What the agent said last before the call, in lower case: it tells a probe
    /// ("this should fail") from an attempt.
    let intent: String
    /// Which of the person's turns it belongs to (0 before the first).
    let turn: Int

    var isShell: Bool { Self.shellTools.contains(tool) }

    /// The calls of a session, each paired with its result (a call without result counts
    /// as a success: nothing says it failed). Refused calls are left out: the person
    /// stopped them, they did not fail.
    static func calls(in session: Session) -> [ToolCall] {
        var results: [String: (output: String, failed: Bool)] = [:]
        var refused = Set<String>()
        for event in session.events {
            switch event.kind {
            case .toolResult(let id, let output, let isError, let exitCode):
                let code = exitCode ?? Self.exitCode(in: output)
                results[id] = (output, isError || (code ?? 0) != 0)
            case .rejection(let id, _):
                refused.insert(id)
            default:
                break
            }
        }
        var calls: [ToolCall] = []
        var intent = "", turn = 0
        for event in session.events {
            switch event.kind {
            case .assistant(let text): intent = String(text.suffix(400)).lowercased()
            case .user: turn += 1
            case .toolCall(let id, let name, let rawInput) where !refused.contains(id):
                let command = shellCommand(name: name, input: rawInput)
                let result = results[id]
                calls.append(
                    ToolCall(
                        session: session.id, index: calls.count, tool: name, input: command ?? rawInput,
                        label: command.map { "\(name): \(head(of: $0))" } ?? name,
                        output: result?.output ?? "", failed: result?.failed ?? false,
                        time: event.time ?? session.started,
                        intent: intent, turn: turn))
            default:
                break
            }
        }
        return calls
    }

    /// The names agents give their shell tool: Claude Code, Codex, Gemini CLI, Cursor and others.
    static let shellTools: Set<String> = [
        "Bash", "bash", "Shell", "shell", "exec_command", "local_shell", "shell_command",
        "run_shell_command", "run_terminal_cmd", "execute_command", "terminal",
    ]

    static func shellCommand(name: String, input: String) -> String? {
        guard shellTools.contains(name) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(input.utf8)) as? [String: Any] else {
            return input
        }
        for key in ["command", "cmd"] {
            if let command = object[key] as? String { return command }
            if let parts = object[key] as? [String] {
                // Codex runs ["bash", "-lc", "cmd"].
                return parts.count == 3 && parts[1].hasPrefix("-") ? parts[2] : parts.joined(separator: " ")
            }
        }
        return input
    }

    /// The file, path or pattern a non-shell call works on.
    static func target(of input: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(input.utf8)) as? [String: Any] else {
            return nil
        }
        for key in ["file_path", "path", "notebook_path", "absolute_path", "pattern", "url"] {
            if let value = object[key] as? String { return value }
        }
        return nil
    }

    /// "Exit code: 1" or "Exit Code: 1" on a line of its own, as Codex and Gemini CLI
    /// report a shell command's status in its output.
    static func exitCode(in output: String) -> Int32? {
        // Outputs can be large: a byte search first, then only the lines that start so.
        guard TextSearch.contains("Exit code", in: output) || TextSearch.contains("Exit Code", in: output) else {
            return nil
        }
        for line in output.split(whereSeparator: \.isNewline) where line.hasPrefix("Exit ") {
            let rest = line.dropFirst(5)
            guard rest.hasPrefix("code") || rest.hasPrefix("Code") else { continue }
            let number = rest.dropFirst(4).drop { $0 == ":" || $0 == " " }.trimmingCharacters(in: .whitespaces)
            if let code = Int32(number) { return code }
        }
        return nil
    }

    /// The command's first word, and its second when that names a subcommand
    /// (`git commit`, `swift build`, `python -m pytest`, `npm run lint`).
    static func head(of command: String) -> String {
        let words = command.split(whereSeparator: \.isWhitespace).prefix(3).map(String.init)
        guard let first = words.first else { return "" }
        guard words.count > 1 else { return first }
        let second = words[1]
        if second == "-m", words.count > 2 { return "\(first) -m \(words[2])" }
        if ["npm", "pnpm", "yarn", "bun"].contains(first), second == "run", words.count > 2 {
            return "\(first) run \(words[2])"
        }
        if second.first?.isLetter == true, !second.contains("/"), !second.contains(".") { return "\(first) \(second)" }
        return first
    }

    /// The line that names the cause: the exception at the end of a traceback, a compiler's
    /// `error:` line, npm's `Missing script`, a hook's reason, else the first line that says
    /// something failed; never a banner, a URL or a "Passed" line.
    var errorLine: String { String(Self.meaningfulLine(of: output).prefix(160)) }

    static func meaningfulLine(of output: String) -> String {
        // The cause is near the start or the end of what a command printed.
        var text =
            output.utf8.count > 20_000 ? String(output.prefix(10_000)) + "\n" + String(output.suffix(10_000)) : output
        if let tag = text.firstMatch(of: Self.toolUseError) { text = String(tag.1) }
        let lines = text.split(whereSeparator: \.isNewline).prefix(400).map { line -> String in
            // Gemini CLI labels the streams of a command's result ("Stderr: …"); a cause fits in 300 characters.
            var line = String(line.prefix(300)).trimmingCharacters(in: .whitespaces)
            for label in ["Stdout: ", "Stderr: ", "Output: "] where line.hasPrefix(label) {
                line = String(line.dropFirst(label.count))
            }
            return line
        }.filter { !$0.isEmpty && !isNoise($0) }
        // A Python traceback ends with the exception.
        if let start = lines.firstIndex(where: { $0.hasPrefix("Traceback (most recent call last)") }),
            let exception = lines[(start + 1)...].first(where: { $0.firstMatch(of: exceptionLine) != nil })
        {
            return exception
        }
        if let line = lines.first(where: {
            ($0.contains("ook") || $0.contains("BLOCKED") || $0.contains("Blocked") || $0.contains("Denied"))
                && $0.firstMatch(of: hookReason) != nil
        }) {
            // The reason the hook gives, without the hook's own command.
            guard let match = line.firstMatch(of: Self.hookMessage) else { return line }
            return String(match.1)
        }
        if let line = lines.first(where: { $0.contains("error") && $0.firstMatch(of: compilerError) != nil }) {
            return String(line[line.firstMatch(of: compilerError)!.range.lowerBound...]).trimmingCharacters(
                in: .whitespaces)
        }
        if let line = lines.first(where: { $0.contains("Missing script") }) {
            return String(line[line.range(of: "Missing script")!.lowerBound...])
        }
        if let line = lines.first(where: {
            ($0.contains("Error") || $0.contains("Exception")) && $0.firstMatch(of: namedException) != nil
        }) {
            return line
        }
        if let line = lines.first(where: { $0.firstMatch(of: failureWords) != nil }) { return line }
        return lines.first ?? "failed"
    }

    // Regex is not Sendable; these are never mutated after they are built.
    nonisolated(unsafe) static let exceptionLine = /^(?:[A-Za-z_][\w.]*)?(?:Error|Exception|Exit|Interrupt|Warning)\b:?/
    nonisolated(unsafe) static let compilerError = /(?:^|[\s:])(?:fatal )?error(?:\[[A-Z0-9]+\]| TS\d+)?:/
    nonisolated(unsafe) static let toolUseError = /<tool_use_error>([\s\S]*?)<\/tool_use_error>/
    nonisolated(unsafe) static let hookMessage =
        /(?i)hook (?:error|denied this tool|blocked[^:]*)\s*:\s*(?:\[[^\]]*\]\s*:?\s*)?(.+)$/
    nonisolated(unsafe) static let banner = /^[=\-_*#~]{3,}.*[=\-_*#~]{3,}$/
    nonisolated(unsafe) static let rule = /^[=\-_*#~]+$/
    nonisolated(unsafe) static let expectedFailure =
        /\b(?:should fail|expect(?:ed|ing)? (?:it |this |that |them )?to fail|(?:confirm|check|verify|see|make sure) (?:that )?(?:it|this|the tests?) fails?|fails? as expected|red phase|failing test first)\b/
    nonisolated(unsafe) static let testCommand =
        /(?:^|[\s;&|(])(?:pytest|py\.test|jest|vitest|mocha|rspec|phpunit|ctest|tox|nox)\b|\b(?:swift|go|cargo|dotnet|mix|deno|bun|zig) test\b|\b(?:npm|pnpm|yarn)(?: run)? test\b|\bmake (?:test|check)\b|-m (?:pytest|unittest)\b|\bgradle\w* test\b|\bmvn\w* test\b/
    nonisolated(unsafe) static let namedException = /\b[A-Z][a-z]\w*(?:Error|Exception)\b/
    nonisolated(unsafe) static let hookReason =
        /(?i)\bhook\b.*\b(?:blocked|denied|error|failed)\b|^(?:BLOCKED|Blocked|Denied):/
    nonisolated(unsafe) static let failureWords =
        /(?i)\b(?:error|fatal|failed|failure|not found|no such|denied|cannot|can't|unable|invalid|refused|missing)\b/

    /// Lines that name no cause: exit codes, banners, URLs, progress and passing checks.
    static func isNoise(_ line: String) -> Bool {
        guard let first = line.first else { return true }
        if "=-_*#~".contains(first), line.firstMatch(of: Self.banner) != nil || line.firstMatch(of: Self.rule) != nil {
            return true
        }
        return line.hasPrefix("Exit code") || line.hasPrefix("Exit Code") || line.hasPrefix("Wall time")
            || line == "Output:"
            || line == "(empty)"
            || line.hasPrefix("Command: ") || line.hasPrefix("Directory: ")
            || ["Error: ", "Signal: ", "Background PIDs: ", "Process Group PGID: "].contains {
                line.hasPrefix($0) && line.hasSuffix("(none)")
            }
            || line.hasPrefix("http://") || line.hasPrefix("https://") || line.hasPrefix("For more information")
            || line.hasPrefix("See http") || line.hasPrefix("Learn more") || line.hasPrefix("More info")
            || line.hasSuffix("Passed") || line.hasSuffix("passed") || line.hasSuffix("(no files to check)Skipped")
            || line.hasPrefix("npm warn") || line.hasPrefix("npm WARN") || line.hasPrefix("warning:")
            || line.hasPrefix("npm error A complete log") || line.hasPrefix("npm ERR! A complete log")
    }

    // MARK: - Ordinary work that fails on purpose

    /// Commands whose failure is an answer (no match, a difference, absent), not a mistake.
    static let probes: Set<String> = [
        "grep", "rg", "ag", "egrep", "fgrep", "diff", "cmp", "test", "[", "which", "type", "command",
        "ls", "find", "stat", "file", "pgrep", "pidof", "cat", "head", "tail", "readlink", "realpath",
    ]

    /// Whether the failure answers a question the agent asked: a probe, or a call the agent
    /// said would fail.
    var isProbe: Bool {
        let first = input.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        if isShell, Self.probes.contains(first) { return true }
        if isShell, input.contains("--exit-code") || input.contains("--quiet") && first == "git" { return true }
        return intent.contains("fail") && intent.firstMatch(of: Self.expectedFailure) != nil
    }

    /// Whether the call runs tests.
    var isTestRun: Bool { isShell && Self.isTest(input) }

    static func isTest(_ command: String) -> Bool {
        command.firstMatch(of: Self.testCommand) != nil
    }

    nonisolated(unsafe) static let failingTests =
        /(?i)\b\d+ (?:failed|failing|failures?)\b|^FAILED |\bFAIL\b|AssertionError|assert(?:ion)? failed|Tests? failed|test result: FAILED|XCTAssert|Expectation failed|--- FAIL:|✗|✘/

    /// Whether a test run's output reports failing tests (red), not a runner that could not run.
    var reportsFailingTests: Bool {
        isTestRun && output.firstMatch(of: Self.failingTests.anchorsMatchLineEndings()) != nil
    }
}
