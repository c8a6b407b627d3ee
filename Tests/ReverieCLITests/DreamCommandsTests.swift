import Foundation
import TestSupport
import Testing

/// The dream commands as a person runs them, over the example sessions, checked with git.
@Suite struct DreamCommandsTests {
    let repo: Scratch

    init() throws {
        repo = try Scratch("memory")
        #expect(try ReverieBinary.run(["init", repo.path]).status == 0)
        try repo.write(
            ".reverie/config.toml",
            """
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "reverie", path = "\(ReverieBinary.projectRoot)/examples/sessions" }]
            """)
        try repo.git("commit", "-qam", "Read the examples")
        try ReverieBinary.trust(repo.path)
    }

    func reverie(_ arguments: String...) throws -> Shell.Result {
        try ReverieBinary.run(Array(arguments) + ["-C", repo.path])
    }

    @Test func dryRunDreamShowApproveOnlyRollbackAndRestore() throws {
        let dry = try reverie("dream", "--dry-run")
        #expect(
            dry.status == 0 && dry.stdout.hasPrefix("Dry run: the dream would read 4 sessions"),
            "\(dry.stdout)\(dry.stderr)")
        #expect(try repo.git("for-each-ref", "refs/heads/dreams") == "")

        let dream = try reverie("dream")
        #expect(dream.status == 0 && dream.stdout.contains("review."), "\(dream.stdout)\(dream.stderr)")
        #expect(try reverie("status").stdout.contains("Dreams        1 awaiting review: dreams/"))
        #expect(dream.stdout.contains("Waits for a person: the merge policy is manual"))
        let list = try reverie("dreams", "--json")
        let dreams = try #require(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let id = try #require(dreams.first?["id"] as? String)
        #expect(dreams.first?["state"] as? String == "review")

        let show = try reverie("show", "latest")
        #expect(
            show.stdout.contains("Dream \(id)  (review;")
                && show.stdout.contains("pass  secrets: no secret in any added line"))
        #expect(show.stdout.contains("── 1. [mistake] Record a recurring mistake:"))
        #expect(show.stdout.contains("+- `pytest` fails"))
        // git alone tells the same story.
        #expect(
            try repo.git("log", "--format=%(trailers:key=Reverie-Change,valueonly)", "main..dreams/\(id)").contains(
                "mistake"))

        let approve = try reverie("approve", "dreams/\(id)", "--only", "1")
        #expect(
            approve.status == 0 && approve.stdout.hasPrefix("Merged changes 1 of dream \(id) into main"),
            "\(approve.stderr)")
        #expect(try repo.read("mistakes.md").contains("- `pytest` fails"))
        #expect(!repo.exists("workflows.md"))
        #expect(try reverie("dreams").stdout.contains("\(id)  merged"))
        #expect(try reverie("status").stdout.contains("Dreams        none awaiting review"))

        let rollback = try reverie("rollback", "latest")
        #expect(rollback.status == 0 && rollback.stdout.hasPrefix("Rolled back dream \(id)"), "\(rollback.stderr)")
        #expect(!repo.exists("mistakes.md"))
        #expect(try reverie("dreams").stdout.contains("rolled back"))

        let restore = try reverie("rollback", "--to", "HEAD~1")
        #expect(restore.status == 0 && restore.stdout.hasPrefix("Restored memory as of HEAD~1"), "\(restore.stderr)")
        #expect(repo.exists("mistakes.md"))
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try repo.git("fsck", "--strict", "--no-dangling") == "")
    }

    @Test func everyDateInJSONIsAnISO8601StringInUTC() throws {
        #expect(try reverie("dream").status == 0)
        let iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/
        /// Every value under a key that names a time, at any depth.
        func dates(_ value: Any) -> [Any] {
            if let object = value as? [String: Any] {
                return object.flatMap { key, value in
                    ["date", "started", "ended", "created"].contains(key) ? [value] : dates(value)
                }
            }
            if let list = value as? [Any] { return list.flatMap(dates) }
            return []
        }
        let commands: [(arguments: [String], dates: Int)] = [
            (["status", "--json"], 1), (["log", "--json"], 2), (["sessions", "--json"], 8),
            (["dreams", "--json"], 1), (["show", "latest", "--json"], 1),
        ]
        for (arguments, count) in commands {
            let result = try ReverieBinary.run(arguments + ["-C", repo.path])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let found = dates(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)))
            #expect(found.count == count, "\(arguments): \(found)")
            for date in found {
                #expect((date as? String)?.wholeMatch(of: iso) != nil, "\(arguments): \(date)")
            }
        }
        // The same instants git shows.
        let status = try #require(
            JSONSerialization.jsonObject(with: Data(try reverie("status", "--json").stdout.utf8)) as? [String: Any])
        let committed = try Shell.check(
            "git", ["log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "main"],
            in: repo.path, environment: ["TZ": "UTC"])
        #expect((status["main"] as? [String: Any])?["date"] as? String == committed.trimmingCharacters(in: .newlines))
        let sessions = try #require(
            JSONSerialization.jsonObject(with: Data(try reverie("sessions", "--json").stdout.utf8)) as? [[String: Any]])
        #expect(sessions.contains { $0["started"] as? String == "2026-11-20T09:00:00Z" }, "\(sessions)")
    }

    @Test func aRefusedApproveSaysTheEditsInItsWayWereCommitted() throws {
        #expect(try reverie("dream").status == 0)
        let id = try repo.git("for-each-ref", "--format=%(refname:lstrip=3)", "refs/heads/dreams").trimmingCharacters(
            in: .newlines)
        // The dream adds mistakes.md; the person wrote one of their own and has not committed it.
        try repo.write("mistakes.md", "# Mistakes\n\n- my own note\n")
        let before = try repo.git("rev-parse", "main")
        let result = try reverie("approve", "latest")
        #expect(result.status == 1)
        let edit = try repo.git("log", "-1", "--format=%h%n%s", "main").split(separator: "\n").map(String.init)
        #expect(try repo.git("rev-parse", "main") != before && edit[1] == "Add mistakes.md")
        #expect(
            result.stderr == "reverie: dream \(id) conflicts with edits on main in mistakes.md; your uncommitted "
                + "edits there were committed first as \(edit[0]), and the dream was not merged. "
                + "Merge it by hand (git merge dreams/\(id)) or reject it\n")
        #expect(!result.stderr.contains("main is unchanged"))
        #expect(try repo.read("mistakes.md") == "# Mistakes\n\n- my own note\n")
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try reverie("dreams").stdout.contains("\(id)  conflicted"))
    }

    @Test func mistakesGetAOneLineReasonAndChangeNothing() throws {
        var result = try reverie("show", "latest")
        #expect(result.status == 1 && result.stderr.hasPrefix("reverie: no dream latest; `reverie dreams` lists them"))
        result = try reverie("rollback")
        #expect(result.status != 0 && result.stderr.contains("name a dream, or give --to REV|DATE"))
        result = try reverie("rollback", "--to", "last tuesday")
        #expect(result.status == 1 && result.stderr.contains("is neither a revision of this repo nor a date"))
        _ = try reverie("dream")
        result = try reverie("rollback", "latest")
        #expect(result.status == 1 && result.stderr.contains("is not merged into main"))
        result = try reverie("approve", "latest", "--only", "99")
        #expect(result.status == 1 && result.stderr.contains("has no change 99"))
        result = try reverie("reject", "latest")
        #expect(result.status == 0 && result.stdout.contains("refs/reverie/rejected/"))
        result = try reverie("approve", "latest")
        #expect(result.status == 1 && result.stderr.contains("was rejected"))
        #expect(try repo.git("log", "--format=%s", "main").split(separator: "\n").count == 2)
    }
}
