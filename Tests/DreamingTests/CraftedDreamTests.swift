import Dreaming
import Foundation
import Git
import Memory
import TestSupport
import Testing

/// Dream branches made with git plumbing, as anyone who can push `dreams/*` could: every
/// entry a move of main would write passes the path rules first, and a refused dream
/// changes nothing (no file, no index entry, no journal, main where it was).
@Suite struct CraftedDreamTests {
    /// One hostile entry at the root of a dream's last tree, and what the refusal names.
    struct Case: CustomStringConvertible {
        let description: String
        let entry: RawObjects.Entry
        let named: String
    }

    /// What a hook that ran would leave beside the repository: unique to this run.
    static let marker = "pwned-\(UUID().uuidString.prefix(8))"

    static func cases(_ raw: RawObjects, tip: String) throws -> [Case] {
        let hook = try raw.blob("#!/bin/sh\ntouch \"$(git rev-parse --show-toplevel)/../\(marker)\"\n")
        let hooks = RawObjects.Entry.folder(
            "hooks", try raw.tree([.init(mode: "100755", name: "post-commit", id: hook)]))
        let hooksTree = try raw.tree([hooks])
        let text = try raw.blob("escaped\n")
        let escape = try raw.tree([.file("escape-\(UUID().uuidString.prefix(6)).md", text)])
        return [
            Case(description: ".git/hooks", entry: .folder(".git", hooksTree), named: "'.git'"),
            Case(description: ".GIT", entry: .folder(".GIT", hooksTree), named: "'.GIT'"),
            Case(description: "git~1", entry: .folder("GIT~1", hooksTree), named: "'GIT~1'"),
            Case(description: ".git.", entry: .folder(".git.", hooksTree), named: "'.git.'"),
            Case(description: ".git and a space", entry: .folder(".git ", hooksTree), named: "'.git '"),
            Case(
                description: "NTFS stream", entry: .folder(".git::$INDEX_ALLOCATION", hooksTree),
                named: "names .git on Windows"),
            Case(description: "HFS .git", entry: .folder(".g\u{200C}it", hooksTree), named: "names .git on macOS"),
            Case(
                description: "deep .Git", entry: .folder("topics", try raw.tree([.folder(".Git", hooksTree)])),
                named: "'topics/.Git'"),
            Case(description: "..", entry: .folder("..", escape), named: "'..'"),
            Case(description: ".", entry: .folder(".", escape), named: "'.'"),
            Case(description: "name holding ../", entry: .file("../escape.md", text), named: "'../escape.md'"),
            Case(description: "name holding /", entry: .file("a/b.md", text), named: "'a/b.md'"),
            Case(description: "empty name", entry: .file("", text), named: "can't parse filename"),
            Case(description: "link out", entry: .link("out.md", try raw.blob("../../outside.md")), named: "'out.md'"),
            Case(
                description: "absolute link", entry: .link("passwd.md", try raw.blob("/etc/passwd")),
                named: "'passwd.md'"),
            Case(description: "link into .git", entry: .link("h", try raw.blob(".git/hooks")), named: "'h'"),
            Case(
                description: "link inside", entry: .link("alias.md", try raw.blob("notes.md")), named: "symbolic link"),
            Case(description: "gitlink", entry: .init(mode: "160000", name: "sub", id: tip), named: "gitlink"),
        ]
    }

    @Test func approveRefusesEveryHostileEntryAndChangesNothing() async throws {
        let repo = try DreamFixture()
        let report = try await repo.dream([DreamFixture.change(.mistake, "mistakes.md", "# Mistakes\n")])
        let tip = try repo.dir.git("rev-parse", "dreams/\(report.id)").trimmed
        let raw = RawObjects(repo.dir)
        for hostile in try Self.cases(raw, tip: tip) {
            let crafted = try raw.commit(adding: hostile.entry, onto: tip, dream: report.id)
            try repo.dir.git("update-ref", "refs/heads/dreams/\(report.id)", crafted)
            try expectNothingChanged(repo, hostile.description) {
                do {
                    try repo.book.approve(report.id)
                    Issue.record("\(hostile): approve went through")
                } catch {
                    #expect("\(error)".contains(hostile.named), "\(hostile): \(error)")
                }
            }
        }
        // The hook was never written, so a person's commit runs none.
        try repo.dir.write("after.md", "x\n")
        try repo.dir.git("add", "after.md")
        try repo.dir.git("commit", "-qm", "A person's commit")
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path + "/../" + Self.marker))
    }

    @Test func onlyRollbackToAndAutomaticMergesAreHeldToTheSameRules() async throws {
        let repo = try DreamFixture()
        let raw = RawObjects(repo.dir)
        let dotGit = RawObjects.Entry.folder(
            ".git",
            try raw.tree([
                .folder(
                    "hooks",
                    try raw.tree([
                        .init(mode: "100755", name: "post-commit", id: try raw.blob("#!/bin/sh\nexit 0\n"))
                    ]))
            ]))
        let report = try await repo.dream([
            DreamFixture.change(.mistake, "a.md", "a\n"),
            DreamFixture.change(.mistake, "b.md", "b\n"),
        ])
        // The middle change crafted, the last one as Reverie wrote it: `--only 2` picks it.
        let tip = try repo.dir.git("rev-parse", "dreams/\(report.id)").trimmed
        let crafted = try raw.commit(adding: dotGit, onto: "\(tip)~1", dream: report.id)
        let last = try raw.commit(adding: nil, onto: crafted, dream: report.id, tree: "\(tip)^{tree}")
        try repo.dir.git("update-ref", "refs/heads/dreams/\(report.id)", last)
        try expectNothingChanged(repo, "--only") {
            #expect(throws: DreamError.self) { try repo.book.approve(report.id, only: [2]) }
        }
        try expectNothingChanged(repo, "rollback --to") {
            #expect(throws: DreamError.self) { try repo.book.rollback(to: crafted) }
        }
        // The automatic merge of a waiting dream, with the policy turned to auto.
        try repo.dir.git("update-ref", "refs/heads/dreams/\(report.id)", crafted)
        try repo.dir.write(
            ".reverie/config.toml",
            try repo.dir.read(".reverie/config.toml")
                .replacingOccurrences(of: "merge = \"manual\"", with: "merge = \"auto\""))
        try repo.dir.git("commit", "-qam", "Merge dreams automatically")
        try await expectNothingChangedAsync(repo, "automatic merge") {
            _ = try await repo.engine().dream(with: FixedConsolidator([]))
        }
        // A link that stays inside is a person's to have: a rollback may bring it back.
        let withLink = try raw.commit(adding: .link("alias.md", try raw.blob("notes.md")), onto: "main", dream: nil)
        try repo.dir.git("merge", "-q", "--ff-only", withLink)
        try repo.dir.git("rm", "-q", "alias.md")
        try repo.dir.git("commit", "-qm", "No alias")
        try repo.book.rollback(to: withLink)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: repo.dir.url("alias.md")) == "notes.md")
        #expect(try repo.dir.git("status", "--porcelain") == "")
    }

    @Test func aHostileDreamFetchedFromARemoteIsRefusedByTheCommandLine() async throws {
        let repo = try DreamFixture()
        let report = try await repo.dream([DreamFixture.change(.mistake, "mistakes.md", "# Mistakes\n")])
        // Someone pushes a crafted dream branch to the team's bare remote; the remote does
        // not check what it receives.
        let remote = try Scratch("remote")
        try Shell.check("git", ["init", "-q", "--bare", remote.path])
        let theirs = try Scratch("theirs")
        try Shell.check("git", ["clone", "-q", repo.dir.path, theirs.path])
        try theirs.git("fetch", "-q", "origin", "refs/heads/dreams/*:refs/heads/dreams/*")
        let hostile = report.id + "-2"
        let raw = RawObjects(theirs)
        let dotGit = RawObjects.Entry.folder(
            ".git",
            try raw.tree([
                .folder(
                    "hooks",
                    try raw.tree([
                        .init(
                            mode: "100755", name: "post-commit",
                            id: try raw.blob("#!/bin/sh\ntouch ../\(Self.marker)\n"))
                    ]))
            ]))
        let crafted = try raw.commit(adding: dotGit, onto: "dreams/\(report.id)", dream: hostile)
        try theirs.git("push", "-q", remote.path, "\(crafted):refs/heads/dreams/\(hostile)")
        try repo.dir.git("fetch", "-q", remote.path, "refs/heads/dreams/*:refs/heads/dreams/*")
        try expectNothingChanged(repo, "fetched") {
            let result = try ReverieBinary.run(["-C", repo.dir.path, "approve", "dreams/\(hostile)"])
            #expect(result.status != 0)
            #expect(
                result.stderr.contains("'.git'") && result.stderr.contains("nothing was written"),
                "\(result.stderr)")
        }
    }

    @Test func aDreamWithASymbolicLinkFailsItsGuardrailsWhileAPersonsOwnLinksStay() async throws {
        let repo = try DreamFixture(merge: "auto")
        try Shell.check("ln", ["-s", "notes.md", "mine.md"], in: repo.dir.path)
        try repo.dir.git("add", "mine.md")
        try repo.dir.git("commit", "-qm", "A person's own link")
        let report = try await repo.dream([DreamFixture.change(.mistake, "mistakes.md", "# Mistakes\n")])
        #expect(report.outcome == .merged)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: repo.dir.url("mine.md")) == "notes.md")

        try repo.addSession("s5")
        let waiting = try await repo.engine().dream(
            with: FixedConsolidator([DreamFixture.change(.mistake, "b.md", "b\n")]),
            dryRun: false)
        #expect(waiting.outcome == .merged)
        // A branch made outside Reverie that adds a link, even one that stays inside.
        let raw = RawObjects(repo.dir)
        let id = waiting.id + "-2"
        let first = try raw.commit(adding: nil, onto: "main", dream: id, tree: "main^{tree}")  // where the ledger goes
        let crafted = try raw.commit(adding: .link("alias.md", try raw.blob("notes.md")), onto: first, dream: id)
        try repo.dir.git("update-ref", "refs/heads/dreams/\(id)", crafted)
        let details = try repo.book.show(id)
        let verdict = details.guardrails.first { $0.name == "text only" }
        #expect(verdict?.passed == false && verdict?.detail.contains("alias.md") == true, "\(details.guardrails)")
        try expectNothingChanged(repo, "link") {
            #expect(throws: DreamError.self) { try repo.book.approve(id) }
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: repo.dir.url("mine.md")) == "notes.md")
    }

    /// Runs `body` and checks that main, the index, the files and the journal are as before.
    func expectNothingChanged(_ repo: DreamFixture, _ what: String, _ body: () throws -> Void) throws {
        let before = try state(of: repo)
        try body()
        #expect(try state(of: repo) == before, "\(what)")
    }

    func expectNothingChangedAsync(_ repo: DreamFixture, _ what: String, _ body: () async throws -> Void) async throws {
        let before = try state(of: repo)
        try await body()
        #expect(try state(of: repo) == before, "\(what)")
    }

    func state(of repo: DreamFixture) throws -> [String] {
        let outside = try FileManager.default.contentsOfDirectory(atPath: repo.dir.path + "/..").filter {
            $0.hasPrefix("escape") || $0 == Self.marker || $0 == "outside.md"
        }
        return [
            try repo.dir.git("rev-parse", "main"), try repo.dir.git("status", "--porcelain", "--ignored"),
            try repo.dir.git("ls-files", "-s"),
            "journal \(repo.dir.exists(".git/REVERIE_MOVING_MAIN")), hook \(repo.dir.exists(".git/hooks/post-commit"))",
            try FileManager.default.contentsOfDirectory(atPath: repo.dir.path).sorted().joined(separator: " "),
            outside.joined(separator: " "),
        ]
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
