import Dreaming
import Memory
import Testing

@Suite struct ClaudeCodeFormatTests {
    static let topic =
        "---\nname: Deploys\ndescription: How staging deploys happen\ntype: project\n---\n\nTagged releases only.\n"

    func verdict(
        _ before: [String: String], _ after: [String: String?], layout: MemoryLayout = .claudeCode
    ) -> GuardrailVerdict? {
        Guardrails.check(
            before: before, after: after, redactions: [], settings: ReverieConfig().guardrails, layout: layout
        )
        .first { $0.name == "Claude Code format" }
    }

    @Test func anIndexClaudeCodeWouldCutFailsByLinesOrBytes() throws {
        let long = (1...201).map { "- [n\($0)](n\($0).md) — note" }.joined(separator: "\n")
        #expect(verdict([:], ["MEMORY.md": long])?.passed == false)
        #expect(
            verdict([:], ["MEMORY.md": String(long.split(separator: "\n").prefix(200).joined(separator: "\n"))])?.passed
                == true)
        let wide = (1...100).map { _ in "- " + String(repeating: "x", count: 260) }.joined(separator: "\n")
        let failed = try #require(verdict([:], ["MEMORY.md": wide]))
        #expect(!failed.passed && failed.detail.contains("25000 bytes"), "\(failed.detail)")
    }

    @Test func aTopicFileMustKeepEveryFrontMatterKeyButMayChangeTheirValues() throws {
        let dropped = Self.topic.replacingOccurrences(of: "type: project\n", with: "")
        let lost = try #require(verdict(["project_deploy.md": Self.topic], ["project_deploy.md": dropped]))
        #expect(!lost.passed && lost.detail.contains("project_deploy.md loses front matter type"), "\(lost.detail)")
        let bare = try #require(
            verdict(["project_deploy.md": Self.topic], ["project_deploy.md": "Tagged releases only.\n"]))
        #expect(!bare.passed && bare.detail.contains("description, name, type"), "\(bare.detail)")
        let edited = Self.topic.replacingOccurrences(
            of: "How staging deploys happen", with: "Staging and production deploys")
        #expect(verdict(["project_deploy.md": Self.topic], ["project_deploy.md": edited])?.passed == true)
        #expect(verdict(["project_deploy.md": Self.topic], ["project_deploy.md": nil])?.passed == true)
    }

    @Test func plainMemoryHasNoSuchRule() {
        #expect(verdict([:], ["MEMORY.md": String(repeating: "line\n", count: 500)], layout: .plain) == nil)
    }
}
