import Foundation

/// Runs programs (the git CLI, the reverie binary) the way a person at a terminal would.
///
/// Waits with a termination handler and a semaphore: `Process.waitUntilExit()` polls the
/// run loop on Linux and costs about 50 ms a call.
public enum Shell {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let command: String
        public let result: Result

        public init(command: String, result: Result) {
            self.command = command
            self.result = result
        }

        public var description: String {
            "`\(command)` exited \(result.status)\nstdout: \(result.stdout)\nstderr: \(result.stderr)"
        }
    }

    /// Runs `executable` with `arguments` in `directory` and returns what it printed.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:], input: String? = nil
    ) throws -> Result {
        let process = try start(executable, arguments, in: directory, environment: environment)
        if let input {
            process.stdinPipe.fileHandleForWriting.write(Data(input.utf8))
        }
        try? process.stdinPipe.fileHandleForWriting.close()
        return process.wait(seconds: 300)
    }

    /// Runs a program and throws unless it exits 0.
    @discardableResult
    public static func check(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:]
    ) throws -> String {
        let result = try run(executable, arguments, in: directory, environment: environment)
        guard result.status == 0 else {
            throw Failure(command: ([executable] + arguments).joined(separator: " "), result: result)
        }
        return result.stdout
    }

    /// Starts a program without waiting for it.
    public static func start(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:]
    ) throws -> RunningProcess {
        try RunningProcess(
            executable: executable, arguments: arguments, directory: directory,
            environment: environment)
    }
}

/// A started child process whose output is collected while it runs.
public final class RunningProcess: @unchecked Sendable {
    public let process = Process()
    let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let exited = DispatchSemaphore(value: 0)
    private let readers = DispatchGroup()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    init(executable: String, arguments: [String], directory: String?, environment: [String: String]) throws {
        let path = executable.contains("/") ? executable : "/usr/bin/env"
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = executable.contains("/") ? arguments : [executable] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        // Tests must not depend on the machine's git identity or config.
        env["GIT_AUTHOR_NAME"] = env["GIT_AUTHOR_NAME"] ?? "Test Person"
        env["GIT_AUTHOR_EMAIL"] = env["GIT_AUTHOR_EMAIL"] ?? "person@example.com"
        env["GIT_COMMITTER_NAME"] = env["GIT_COMMITTER_NAME"] ?? "Test Person"
        env["GIT_COMMITTER_EMAIL"] = env["GIT_COMMITTER_EMAIL"] ?? "person@example.com"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        for (pipe, isOut) in [(stdoutPipe, true), (stderrPipe, false)] {
            readers.enter()
            DispatchQueue.global().async { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                lock.lock()
                if isOut { out = data } else { err = data }
                lock.unlock()
                readers.leave()
            }
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Waits for the process to end and returns its status and output.
    public func wait() -> Shell.Result {
        exited.wait()
        exited.signal()  // later calls return at once
        readers.wait()
        lock.lock()
        defer { lock.unlock() }
        return Shell.Result(
            status: process.terminationStatus,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    /// Waits at most `seconds`; a process still running then is killed, and the result
    /// says so (status -1), so a hung daemon fails its test instead of hanging the suite.
    public func wait(seconds: Double) -> Shell.Result {
        if exited.wait(timeout: .now() + seconds) == .timedOut {
            signal(SIGKILL)
            let result = wait()
            return Shell.Result(
                status: -1, stdout: result.stdout, stderr: "still running after \(seconds) s; killed\n" + result.stderr)
        }
        exited.signal()
        return wait()
    }

    /// Sends a signal (SIGTERM, SIGKILL, …).
    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }
}
