import Dreaming
import Foundation
import Git
import Memory
import TestSupport
import Testing

/// Secrets in transcripts never reach git (objects, messages, trailers, refs, reflogs) or
/// what Reverie prints, however a dream quotes them: in the files it writes, its subjects,
/// rationales or evidence, through the built-in consolidator or any other.
@Suite struct SecretTraceTests {
    /// Real-looking credentials, assembled here so this file holds none whole.
    static let secrets: [String] = [
        "AKIA" + SeededRandom.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, seed: 1),
        "ghp_" + SeededRandom.text(SeededRandom.alphanumerics, 36, seed: 2),
        "sk-ant-api03-" + SeededRandom.text(SeededRandom.alphanumerics + "_-", 93, seed: 3) + "AA",
        "sk-proj-" + SeededRandom.text(SeededRandom.alphanumerics, 48, seed: 4),
        "Sup3r" + "S3cretPgPass",
    ]

    /// Sessions as agents write them: a failing connection that prints a URL with its
    /// password, a person pasting a token into a preference, an error echoing a key.
    static func writeSessions(in home: Scratch) throws {
        let (aws, github, anthropic, openai, password) = (secrets[0], secrets[1], secrets[2], secrets[3], secrets[4])
        for (number, user) in ["ana", "ben", "cy"].enumerated() {
            let id = "leak-\(number)"
            let lines: [[String: Any]] = [
                [
                    "v": 1, "type": "session", "id": id, "user": user, "agent": "bot",
                    "started": "2026-11-2\(number)T09:00:00Z",
                ],
                [
                    "v": 1, "type": "user", "time": "2026-11-2\(number)T09:00:01Z",
                    "text": "Always push with GITHUB_TOKEN=\(github) and never use the AWS key \(aws) in code.",
                ],
                [
                    "v": 1, "type": "tool_call", "time": "2026-11-2\(number)T09:00:02Z", "id": "c1", "name": "Bash",
                    "input": ["command": "psql postgres://admin:\(password)@db.internal:5432/app -c 'select 1'"],
                ],
                [
                    "v": 1, "type": "tool_result", "time": "2026-11-2\(number)T09:00:03Z", "call_id": "c1",
                    "exit_code": 2,
                    "output":
                        "psql: error: connection to server at \"db.internal\" failed: password authentication failed for user \"admin\" (postgres://admin:\(password)@db.internal:5432/app)",
                ],
                [
                    "v": 1, "type": "tool_call", "time": "2026-11-2\(number)T09:00:04Z", "id": "c2", "name": "Bash",
                    "input": ["command": "curl -H 'x-api-key: \(anthropic)' https://api.example.com/v1/messages"],
                ],
                [
                    "v": 1, "type": "tool_result", "time": "2026-11-2\(number)T09:00:05Z", "call_id": "c2",
                    "exit_code": 22,
                    "output":
                        "curl: (22) The requested URL returned error: 401 (key \(anthropic) rejected; OPENAI_API_KEY=\(openai) unset)",
                ],
            ]
            let text =
                try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
                .joined(separator: "\n") + "\n"
            try home.write("sessions/\(id).jsonl", text)
        }
    }

    @Test func noSecretFromATranscriptReachesGitOrTheOutput() async throws {
        let repo = try DreamFixture(sessions: 0)
        try Self.writeSessions(in: repo.home)
        var printed = ""
        func reverie(_ arguments: String...) throws {
            let result = try ReverieBinary.run(
                ["-C", repo.dir.path] + arguments, environment: ["HOME": repo.home.path])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            printed += result.stdout + result.stderr
        }
        // The built-in consolidator, from the command line, as a person runs it.
        try reverie("dream")
        try reverie("show", "latest")
        try reverie("show", "latest", "--json")
        try reverie("dreams", "--json")
        try reverie("approve", "latest")
        try reverie("log")
        // Another consolidator that quotes the secrets everywhere a change has text.
        // Each secret in the shape it has in the transcripts: a bare password is no secret to a scanner.
        let everywhere =
            "key \(Self.secrets[0]) token \(Self.secrets[1]) x-api-key: \(Self.secrets[2]) "
            + "OPENAI_API_KEY=\(Self.secrets[3]) postgres://admin:\(Self.secrets[4])@db.internal:5432/app"
        try repo.addSession("s9")
        let change = MemoryChange(
            kind: .preference, writes: ["leak.md": "# Leak\n\n- \(everywhere)\n"],
            summary: "Use \(Self.secrets[1])", rationale: "Seen with \(everywhere).",
            evidence: [Evidence(session: "leak-0", quote: everywhere)])
        let report = try await repo.dream([change])
        #expect(report.guardrails.first { $0.name == "secrets" }?.passed == false)
        printed += "\(report)"
        try reverie("show", "latest")
        try reverie("reject", "latest")
        try repo.addSession("s10")
        _ = try await repo.dream([change])
        try reverie("approve", "latest")
        try reverie("rollback", "latest")

        let objects = try Shell.check("git", ["cat-file", "--batch-all-objects", "--batch"], in: repo.dir.path)
        let refs = try repo.dir.git("for-each-ref", "--format=%(refname) %(subject) %(contents)")
        let logs = try repo.dir.git("log", "--all", "--format=%H %s%n%b%n%N")
        let reflogs = try repo.dir.git("reflog", "show", "--all", "--format=%gs %s")
        let reflogFiles = try Shell.check("sh", ["-c", "cat $(find .git/logs -type f)"], in: repo.dir.path)
        #expect(objects.contains("[REDACTED"), "the scanner found nothing: the test proves nothing")
        for secret in Self.secrets {
            for (place, text) in [
                ("objects", objects), ("refs", refs), ("log", logs), ("reflog", reflogs),
                ("reflog files", reflogFiles), ("output", printed),
            ] {
                #expect(!text.contains(secret), "\(secret.prefix(6))… in \(place)")
            }
        }
        #expect(try repo.fsck() == "")
    }
}
