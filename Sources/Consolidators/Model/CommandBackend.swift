import Dreaming
import Foundation
import Memory
import Sessions

/// Any program as the model: it gets the dream's instructions and tools as JSON lines on
/// stdin and answers each line with one turn of tool calls on stdout
/// (docs/consolidator-protocol.md). The program runs for the whole dream.
actor CommandBackend: ModelBackend {
    nonisolated let name: String
    let arguments: [String]
    let folder: String
    let timeoutSeconds: Double
    private var process: Process?
    private var input: FileHandle?
    private var output: LineReader?
    private var errors: ErrorTail?

    static let protocolVersion = 1

    init(arguments: [String], folder: String, timeoutSeconds: Double) {
        self.arguments = arguments
        self.folder = folder
        self.timeoutSeconds = timeoutSeconds
        name = Self.name(for: arguments)
    }

    /// "command/<program>", with the script an interpreter runs: "command/python3:minimal.py".
    static func name(for arguments: [String]) -> String {
        "command/" + ((arguments.first.map { ($0 as NSString).lastPathComponent }) ?? "none")
            + (arguments.count > 1 && ["python3", "python", "node", "sh", "bash"].contains(arguments[0])
                ? ":" + (arguments[1] as NSString).lastPathComponent : "")
    }

    func send(_ request: ModelRequest) async throws(ModelError) -> ModelReply {
        let line: JSONValue
        if process == nil {
            try start()
            let tools: [JSONValue] = request.tools.map {
                ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.schema]
            }
            let prompt =
                request.messages.first?.content.compactMap { if case .text(let text) = $0 { text } else { nil } }
                .joined(separator: "\n") ?? ""
            line = [
                "type": "start", "protocol": .integer(Int64(Self.protocolVersion)), "system": .string(request.system),
                "prompt": .string(prompt), "tools": .array(tools), "max_tokens": .integer(Int64(request.maxTokens)),
            ]
        } else {
            let results: [JSONValue] = (request.messages.last?.content ?? []).compactMap { block in
                guard case .toolResult(let id, let text, let isError) = block else { return nil }
                return ["id": .string(id), "text": .string(text), "is_error": .bool(isError)]
            }
            line = ["type": "results", "results": .array(results)]
        }
        try write(line)
        guard let answer = try await readLine() else {
            throw .command(message: "\(name) ended without answering\(errors?.text.map { ": \($0)" } ?? "")")
        }
        return try Self.reply(from: answer)
    }

    func close() async {
        try? input?.close()
        input = nil
        guard let process else { return }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        self.process = nil
    }

    private func start() throws(ModelError) {
        guard let program = arguments.first else {
            throw .command(
                message: "no program: set [model] command, e.g. [\"python3\", \"examples/consolidator/minimal.py\"]")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        process.arguments = program.contains("/") ? Array(arguments.dropFirst()) : arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw .command(message: "cannot start \(arguments.joined(separator: " ")): \(error)")
        }
        self.process = process
        input = stdin.fileHandleForWriting
        output = LineReader(stdout.fileHandleForReading)
        errors = ErrorTail(stderr.fileHandleForReading)
    }

    private func write(_ value: JSONValue) throws(ModelError) {
        guard let input else { throw .command(message: "\(name) is not running") }
        guard Self.writeAll(Data((value.compactText + "\n").utf8), to: input.fileDescriptor) else {
            throw .command(message: "\(name) stopped reading\(errors?.text.map { ": \($0)" } ?? "")")
        }
    }

    /// Writes all of `data` into a pipe; false when the reader is gone. SIGPIPE is blocked on
    /// this thread for the write, and one it raised is taken back: a program that exits
    /// without reading must not kill the dream, or the daemon, with it.
    static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 && sigismember(&previous, SIGPIPE) == 0 {
                var now = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }

    /// The next line, or nil at the end; a program that takes longer than the timeout is stopped.
    private func readLine() async throws(ModelError) -> String? {
        guard let output, let process else { return nil }
        let timeout = timeoutSeconds
        let stopped = StopFlag()
        let watchdog = Task { [process] in
            try await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
            // SIGKILL: a program may block SIGTERM (it inherits our signal mask).
            if process.isRunning {
                stopped.set()
                kill(process.processIdentifier, SIGKILL)
            }
        }
        defer { watchdog.cancel() }
        let line = await withTaskCancellationHandler {
            await output.next()
        } onCancel: { [process] in
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        if Task.isCancelled { throw .cancelled }
        if stopped.isSet {
            throw .command(
                message: "\(name) did not answer within \(Int(timeout)) s ([model] timeout_seconds); it was stopped")
        }
        return line
    }

    static func reply(from line: String) throws(ModelError) -> ModelReply {
        guard let turn = JSONValue.parse(line), turn["type"]?.string == "turn" else {
            throw .command(
                message:
                    "expected a line {\"type\":\"turn\",…}, got: \(SecretScanner.redact(String(line.prefix(200))).text)"
            )
        }
        var blocks: [ModelMessage.Block] = []
        if let text = turn["text"]?.string, !text.isEmpty { blocks.append(.text(text)) }
        for (index, call) in (turn["calls"]?.array ?? []).enumerated() {
            guard let name = call["name"]?.string else {
                throw .command(message: "a call without a name in: \(line.prefix(200))")
            }
            let input = call["input"]
            blocks.append(
                .toolUse(
                    id: call["id"]?.string ?? "call-\(index)", name: name, input: input, raw: input?.compactText ?? ""))
        }
        let usage = turn["usage"]
        let hasCalls = blocks.contains { if case .toolUse = $0 { true } else { false } }
        return ModelReply(
            content: blocks, stop: hasCalls ? .toolUse : .endTurn,
            usage: TokenUsage(
                input: TokenUsage.count(usage?["input_tokens"]?.integer),
                output: TokenUsage.count(usage?["output_tokens"]?.integer)))
    }
}

/// Set once by the watchdog that stopped a program, read after.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Lines from a pipe, read on a thread of their own so the cooperative pool never blocks.
final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private let queue = DispatchQueue(label: "reverie.command.stdout")
    private var buffer = Data()

    init(_ handle: FileHandle) {
        self.handle = handle
    }

    func next() async -> String? {
        await withCheckedContinuation { continuation in
            queue.async { [self] in continuation.resume(returning: readLine()) }
        }
    }

    /// Runs on `queue` only.
    private func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return String(decoding: line, as: UTF8.self)
            }
            let chunk = handle.availableData
            if chunk.isEmpty {
                defer { buffer = Data() }
                return buffer.isEmpty ? nil : String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(chunk)
        }
    }
}

/// The last lines a program wrote to stderr, for the message when it fails.
final class ErrorTail: @unchecked Sendable {
    private let lock = NSLock()
    private var tail = ""

    init(_ handle: FileHandle) {
        DispatchQueue(label: "reverie.command.stderr").async { [self] in
            while case let chunk = handle.availableData, !chunk.isEmpty {
                lock.withLock { tail = String((tail + String(decoding: chunk, as: UTF8.self)).suffix(600)) }
            }
        }
    }

    var text: String? {
        let text = lock.withLock { tail }.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : SecretScanner.redact(text).text
    }
}
