import Foundation

/// Where credentials for a remote come from: the user's own git setup, nothing Reverie
/// stores. An SSH remote gets the keys of the SSH agent; an HTTP one the user name and
/// password `git credential fill` finds through the configured credential helpers, or
/// through `GIT_ASKPASS` (and, at a terminal, a prompt).
public struct RemoteCredentials: Sendable {
    /// Whether git may ask on the terminal (a command at a terminal); the daemon may not:
    /// with nobody to answer, the question would hang.
    public var interactive: Bool
    /// The `git` program that runs the credential helpers.
    public var gitProgram: String

    /// Credentials from git's own helpers (`gitProgram credential fill`); `interactive` lets them ask.
    public init(interactive: Bool, gitProgram: String = "git") {
        self.interactive = interactive
        self.gitProgram = gitProgram
    }

    /// What a command may use: a prompt only when standard input is a terminal.
    public static var forCommand: RemoteCredentials { RemoteCredentials(interactive: isatty(STDIN_FILENO) == 1) }
    /// What the daemon uses: helpers, askpass and the agent, never a prompt.
    public static let forDaemon = RemoteCredentials(interactive: false)

    /// Runs `git credential <action>` in `directory` (so the repository's own
    /// `credential.helper` applies) with `fields` on its input; the fields it answers, or
    /// nil when it failed.
    func credential(_ action: String, _ fields: [(String, String)], in directory: String) -> [String: String]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [gitProgram, "credential", action]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        if !interactive { environment["GIT_TERMINAL_PROMPT"] = "0" }
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        // A termination handler, not waitUntilExit: on Linux the latter polls a run loop.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { return nil }
        let text = fields.map { "\($0.0)=\($0.1)\n" }.joined() + "\n"
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        guard process.terminationStatus == 0 else { return nil }
        var result: [String: String] = [:]
        for line in String(decoding: answer, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }
}
