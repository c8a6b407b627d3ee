import Foundation
@testable import Memory
import Testing
import TestSupport

/// Credentials agent transcripts hold (a `.env` printed, a `curl` with a header, a
/// `docker login`, `gcloud auth print-access-token`), which the scanner lets through
/// today: a dream that copies such a line commits it. Values are made from a seeded
/// generator so this file holds nothing a scanner takes for a real key.
@Suite struct SecretMissTests {
    static let alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    static func fake(_ count: Int, seed: UInt64 = 11, alphabet: String = alnum) -> String {
        SeededRandom.text(alphabet, count, seed: seed)
    }
    static let hex = fake(32, alphabet: "0123456789abcdef")
    static let password = "Tr0ub4dor&3" + fake(4)

    static let lines: [(String, String)] = [
        (".env DB_PASS", "DB_PASS=\(password)"),
        (".env SMTP_PASS", "SMTP_PASS=\(password)"),
        ("X-Api-Key header", "curl -H \"X-Api-Key: \(hex)\" https://api.example.com/v1/items"),
        ("Azure OpenAI api-key header", "curl -H \"api-key: \(fake(32))\" https://x.openai.azure.com/openai"),
        ("docker config auth", "{\"auths\":{\"registry.example.com\":{\"auth\":\"\(Data("ana:\(password)".utf8).base64EncodedString())\"}}}"),
        ("session cookie", "Cookie: sessionid=\(hex)"),
        ("Google OAuth access token", "ya29.a0" + fake(120)),
        ("Google OAuth client secret", "GOCSPX-" + fake(28)),
        ("pgpass line", "db.example.com:5432:app:ana:\(password)"),
        ("docker login -p", "docker login -u ana -p \(password) registry.example.com"),
        ("--token flag", "vault login --token \(hex)"),
        ("openssl -k", "openssl enc -aes-256-cbc -k \(password) -in a -out b"),
    ]

    @Test(arguments: lines.map(\.0))
    func aCredentialInATranscriptIsRedacted(_ name: String) {
        let line = Self.lines.first { $0.0 == name }!.1
        let (text, findings) = SecretScanner.redact(line)
        #expect(!findings.isEmpty, "\(name): \(text)")
    }
}
