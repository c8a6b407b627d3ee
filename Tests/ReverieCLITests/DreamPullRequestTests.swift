import Foundation
import TestSupport
import Testing

/// Dreams reviewed as pull requests: pushed when made, merged with plain git in another
/// clone (as a forge's merge button does), recognised as merged on every machine.
@Suite struct DreamPullRequestTests {
    let team: Team

    /// Machine A reads the example sessions and shares memory through the remote; B is a clone.
    init() throws {
        team = try Team()
        let a = team.machines[0]
        try a.write(
            ".reverie/config.toml",
            """
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "reverie", path = "\(ReverieBinary.projectRoot)/examples/sessions" }]
            """)
        try a.git("commit", "-qam", "Read the examples")
        try ReverieBinary.trust(a.path)
        try team.addRemote()
        try team.sync(0)
        _ = try team.join("b")
    }

    func dreams(_ machine: Int) throws -> [[String: Any]] {
        let list = try team.reverie(machine, ["dreams", "--json"])
        return try #require(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    }

    /// A dream on machine A, pushed for review; its id.
    func dreamOnA(_ arguments: [String] = []) throws -> String {
        let dream = try team.reverie(0, ["dream"] + arguments)
        #expect(dream.status == 0 && dream.stdout.contains("Pushed dreams/"), "\(dream.stdout)\(dream.stderr)")
        let id = try #require(try dreams(0).last?["id"] as? String)
        #expect(try team.remote.tip("dreams/\(id)") != nil)
        return id
    }

    /// The memory files of main on a machine, the records of sessions read left out.
    func memoryFiles(_ machine: Int) throws -> [String] {
        try team.machines[machine].git("ls-tree", "-r", "--name-only", "main").split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix(".reverie/dreams/") }
    }

    @Test func mergedWithGitElsewhereIsMergedOnBothMachinesAndRollsBackOnOne() throws {
        let before = try memoryFiles(0)
        let id = try dreamOnA()
        // Unique across machines: the machine's id follows the time.
        #expect(id.wholeMatch(of: /\d{8}-\d{6}-[a-z0-9-]+-[0-9a-f]{4}/) != nil, "\(id)")

        let c = try team.join("c")
        try c.git("merge", "-q", "--no-ff", "-m", "Merge pull request: dream \(id)", "origin/dreams/\(id)")
        try c.git("push", "-q", "origin", "main")
        try team.sync(0)
        try team.sync(1)
        for machine in [0, 1] {
            let dream = try #require(try dreams(machine).first { $0["id"] as? String == id })
            #expect(dream["state"] as? String == "merged" && dream["mergedBy"] as? String == "Test Person", "\(dream)")
        }
        #expect(try team.reverie(1, ["dreams"]).stdout.contains("Test Person"))

        let rolled = try team.reverie(1, ["rollback", id])
        #expect(rolled.status == 0 && rolled.stdout.contains("Pushed main"), "\(rolled.stdout)\(rolled.stderr)")
        try team.sync(0)
        for machine in [0, 1] {
            #expect(try dreams(machine).first { $0["id"] as? String == id }?["state"] as? String == "rolled back")
            #expect(try memoryFiles(machine) == before)
        }
        try team.expectSound()
    }

    @Test func aSquashMergeIsDetectedAndARejectedDreamLeavesTheRemote() throws {
        let id = try dreamOnA()
        let c = try team.join("c")
        try c.git("merge", "-q", "--squash", "origin/dreams/\(id)")
        try c.git("commit", "-qm", "Squash dream \(id)")
        try c.git("push", "-q", "origin", "main")
        try team.sync(0)
        let squashed = try #require(try dreams(0).first { $0["id"] as? String == id })
        #expect(
            squashed["state"] as? String == "merged" && squashed["mergedBy"] as? String == "Test Person", "\(squashed)")

        // The same sessions dreamt again propose what memory no longer says: a person deleted it.
        let a = team.machines[0]
        let written = try a.git("ls-files", "mistakes.md", "workflows.md", "preferences.md").split(separator: "\n").map(
            String.init)
        #expect(!written.isEmpty)
        try Shell.check("git", ["-C", a.path, "rm", "-q"] + written)
        try a.git("commit", "-qm", "Start the dream's files over")
        let sessions = try team.reverie(0, ["sessions", "--json"])
        let ids = try #require(JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) as? [[String: Any]])
            .compactMap { $0["id"] as? String }
        let second = try dreamOnA(["--sessions"] + ids)
        let rejected = try team.reverie(0, ["reject", second])
        #expect(rejected.status == 0, "\(rejected.stderr)")
        #expect(try team.remote.tip("dreams/\(second)") == nil)
        #expect(!(try team.machines[0].git("rev-parse", "refs/reverie/rejected/\(second)").isEmpty))
        try team.expectSound()
    }

    @Test func theRecordOfSessionsReadIsPerMachine() throws {
        _ = try dreamOnA()
        try team.reverie(0, ["approve", "latest"])
        try team.sync(1)
        // A read the example sessions; B's own record is empty, whatever A's says.
        #expect(try team.reverie(0, ["status"]).stdout.contains("4 seen, 0 new"))
        // B reads the sources A's settings name only once a person on B accepts them.
        #expect(
            try team.reverie(1, ["status"]).stdout.contains(
                "Settings      not accepted on this machine, so not used: sessions.sources"))
        try ReverieBinary.trust(team.machines[1].path)
        #expect(try team.reverie(1, ["status"]).stdout.contains("4 seen, 4 new"))
    }
}
