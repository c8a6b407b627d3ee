import Foundation
import TestSupport
import Testing

/// `reverie mcp` spoken to in raw JSON-RPC over pipes: standard output holds protocol
/// messages and nothing else, whatever the server logs.
@Suite struct StdioProtocolTests {
    /// `reverie mcp` started with pipes, its output read line by line as it comes.
    final class Connection: @unchecked Sendable {
        let process = Process()
        private let input = Pipe(), output = Pipe(), errors = Pipe()
        private let lock = NSLock()
        private var lines: [String] = []
        private var pending = Data()
        private var errorText = Data()
        private let arrived = DispatchSemaphore(value: 0)
        private let drained = DispatchGroup()

        init(repo: String) throws {
            process.executableURL = URL(fileURLWithPath: ReverieBinary.path)
            process.arguments = ["-C", repo, "mcp", "--log-level", "trace"]
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = ReverieBinary.emptyHome
            process.environment = environment
            (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
            drained.enter()
            DispatchQueue.global().async { [self] in
                while true {
                    let data = output.fileHandleForReading.availableData
                    lock.lock()
                    if data.isEmpty {
                        if !pending.isEmpty { lines.append(String(decoding: pending, as: UTF8.self)) }
                        lock.unlock()
                        arrived.signal()
                        drained.leave()
                        return
                    }
                    pending += data
                    while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        lines.append(String(decoding: pending[pending.startIndex..<end], as: UTF8.self))
                        pending = Data(pending[(end + 1)...])
                        arrived.signal()
                    }
                    lock.unlock()
                }
            }
            drained.enter()
            DispatchQueue.global().async { [self] in
                let data = errors.fileHandleForReading.readDataToEndOfFile()
                lock.lock()
                errorText = data
                lock.unlock()
                drained.leave()
            }
            try process.run()
        }

        func send(_ message: [String: Any]) throws {
            input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: message) + Data("\n".utf8))
        }

        /// The next line of standard output, or nil after 30 s.
        func nextLine(after seen: Int) -> String? {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                lock.lock()
                let all = lines
                lock.unlock()
                if all.count > seen { return all[seen] }
                _ = arrived.wait(timeout: .now() + 0.1)
            }
            return nil
        }

        /// Closes standard input and returns every line of standard output and the standard error.
        func finish() -> (lines: [String], stderr: String) {
            try? input.fileHandleForWriting.close()
            _ = drained.wait(timeout: .now() + 30)
            process.waitUntilExit()
            lock.lock()
            defer { lock.unlock() }
            return (lines, String(decoding: errorText, as: UTF8.self))
        }
    }

    @Test func standardOutputCarriesOnlyProtocolMessagesAndLogsGoToStandardError() throws {
        let memory = try MemoryFolder()
        let connection = try Connection(repo: memory.path)
        try connection.send([
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": [
                "protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any],
                "clientInfo": ["name": "raw-client", "version": "0"],
            ],
        ])
        let initialized = try #require(connection.nextLine(after: 0))
        try connection.send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        try connection.send(["jsonrpc": "2.0", "id": 2, "method": "tools/list"])
        try connection.send([
            "jsonrpc": "2.0", "id": 3, "method": "tools/call",
            "params": [
                "name": "memory",
                "arguments": ["command": "create", "path": "/memories/raw.md", "file_text": "# Raw\n"],
            ],
        ])
        try connection.send([
            "jsonrpc": "2.0", "id": 4, "method": "tools/call",
            "params": [
                "name": "memory", "arguments": ["command": "view", "path": "/memories/.git/config"],
            ],
        ])
        // Standard input closes right after the calls: they are still answered.
        let (lines, stderr) = connection.finish()
        #expect(connection.process.terminationStatus == 0, "\(stderr)")
        #expect(lines.first == initialized)

        var answered: [Int: [String: Any]] = [:]
        for line in lines {
            let message = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                "not a JSON-RPC message on stdout: \(line)")
            #expect(message["jsonrpc"] as? String == "2.0", "\(line)")
            if let id = message["id"] as? Int { answered[id] = message }
        }
        #expect(answered.keys.sorted() == [1, 2, 3, 4], "\(lines)")
        let server = (answered[1]?["result"] as? [String: Any])?["serverInfo"] as? [String: Any]
        #expect(server?["name"] as? String == "reverie")
        let tools = ((answered[2]?["result"] as? [String: Any])?["tools"] as? [[String: Any]])?.compactMap {
            $0["name"] as? String
        }
        #expect(tools == ["memory", "search", "history"])
        let created = answered[3]?["result"] as? [String: Any]
        #expect(created?["isError"] as? Bool == false, "\(String(describing: created))")
        let refused = answered[4]?["result"] as? [String: Any]
        #expect(refused?["isError"] as? Bool == true, "\(String(describing: refused))")

        #expect(try memory.trailer("Reverie-Agent") == ["raw-client"])
        #expect(try memory.status() == "")
        // The logs were written, and to standard error.
        #expect(stderr.contains("Serving \(memory.path) to raw-client over MCP"), "\(stderr)")
        #expect(stderr.contains("raw-client: create '/memories/raw.md': committed"), "\(stderr)")
    }

    @Test func aFolderThatIsNoMemoryRepoFailsWithOneLineOnStandardError() throws {
        let dir = try Scratch()
        let result = try ReverieBinary.run(["-C", dir.path, "mcp"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr
                == "reverie: \(dir.path) is not inside a git repository; run `reverie init` there or pass -C DIR\n")
    }
}
