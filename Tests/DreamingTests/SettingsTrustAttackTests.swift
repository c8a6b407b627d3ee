import Consolidators
import Foundation
import Git
import Memory
import TestSupport
import Testing

/// A teammate, or anyone who can push to the team's remote, changes the shared settings that
/// choose what runs or where keys and data go; the change reaches another machine by
/// `TeamSync`, `reverie sync`, `git pull` or `git clone`. Nothing on that machine uses the new
/// values until a person there runs `reverie trust`. Real clones of a bare remote, the real
/// binary, a local stand-in for the paid APIs.
@Suite struct SettingsTrustAttackTests {
    /// Machine A wrote the team's settings and shares them; machine B cloned and accepted them.
    final class Team {
        let remote = try! BareRemote()
        let a: Scratch
        let b: Scratch
        /// Where a hostile command leaves its mark: outside both clones.
        let outside: Scratch
        var marker: String { outside.url("the-command-ran") }

        init(settings: String) throws {
            a = try Scratch("machine-a")
            b = try Scratch("machine-b")
            outside = try Scratch("outside")
            try reverie(a, ["init", a.path])
            try a.write(".reverie/config.toml", settings)
            try a.write("notes.md", "# Notes\n\n- one\n")
            try a.git("add", "-A")
            try a.git("commit", "-qm", "Team settings")
            try ReverieBinary.trust(a.path)
            try reverie(a, ["remote", "add", remote.fileURL])
            try reverie(a, ["sync"])
            try Shell.check("git", ["clone", "-q", "-b", "main", remote.fileURL, b.path])
            try ReverieBinary.trust(b.path)  // B's person reviewed the team's settings once
        }

        /// A teammate's commit of new settings on A, pushed with plain git; `[remote]` stays
        /// as it was unless `settings` has one.
        func teammateWrites(_ settings: String) throws {
            let current = try a.read(".reverie/config.toml")
            let remote = current.range(of: "[remote]").map { String(current[$0.lowerBound...]) } ?? ""
            try a.write(".reverie/config.toml", settings.contains("[remote]") ? settings : settings + "\n" + remote)
            try a.git("commit", "-qam", "Tune the dream settings", "--author", "Mallory <mallory@example.com>")
            try a.git("push", "-q", "origin", "main")
        }

        @discardableResult
        func reverie(
            _ machine: Scratch, _ arguments: [String], environment: [String: String] = [:],
            expecting status: Int32 = 0
        ) throws -> Shell.Result {
            let result = try ReverieBinary.run(
                arguments + (arguments.first == "init" ? [] : ["-C", machine.path]),
                environment: environment)
            #expect(
                result.status == status, "reverie \(arguments.joined(separator: " ")): \(result.stdout)\(result.stderr)"
            )
            return result
        }
    }

    static let sources = """
        [sessions]
        idle_minutes = 0
        sources = [{ kind = "reverie", path = "\(ReverieBinary.projectRoot)/examples/sessions" }]
        """

    static func commandSettings(touching marker: String) -> String {
        """
        [dream]
        consolidator = "command"
        [model]
        command = ["sh", "-c", "touch \(marker)"]
        \(sources)
        """
    }

    static let refusal =
        "review with `reverie trust --show` or `git log -p -- .reverie/config.toml`, then run `reverie trust`"

    /// The library's sync brings a command consolidator; the dream, from the library and the
    /// command line, refuses it and names what changed; the built-in one by flag still works;
    /// after `reverie trust --yes` the command runs.
    @Test func aTeammatesCommandNeverRunsHereUntilSomeoneHereTrustsIt() throws {
        let team = try Team(settings: Self.sources)
        try team.teammateWrites(Self.commandSettings(touching: team.marker))

        let memory = try MemoryRepo.open(discoveringFrom: team.b.path)
        let report = try TeamSync(memory: memory).round(in: memory.repository)
        #expect(report.error == nil && report.integration == .fastForward, "\(report)")
        #expect(report.settingsChanged && report.untrustedSettings == ["dream.consolidator", "model.command"])
        #expect(try team.b.read(".reverie/config.toml").contains("touch \(team.marker)"))

        do {
            _ = try ConsolidatorChoice.make(
                config: try memory.config(), folder: team.b.path, trust: SettingsTrust(memory: memory))
            Issue.record("a consolidator was made from settings this machine never accepted")
        } catch let refused as UntrustedSettings {
            #expect(refused.keys == ["dream.consolidator", "model.command"] && refused.hasRecord)
        }
        let dream = try team.reverie(team.b, ["dream"], expecting: 1)
        #expect(
            dream.stderr == "reverie: the settings in .reverie/config.toml that choose what runs or where keys go "
                + "changed since this machine accepted them (dream.consolidator, model.command); \(Self.refusal)\n")
        // The person's own choice of the built-in consolidator uses nothing untrusted.
        let builtin = try team.reverie(team.b, ["dream", "--dry-run", "--consolidator", "builtin"])
        #expect(builtin.stdout.hasPrefix("Dry run: the dream would read 4 sessions"), "\(builtin.stdout)")
        #expect(!FileManager.default.fileExists(atPath: team.marker))

        let shown = try team.reverie(team.b, ["trust", "--show"])
        #expect(
            shown.stdout.contains("  model.command       [] → [\"sh\", \"-c\", \"touch \(team.marker)\"]"),
            "\(shown.stdout)")
        #expect(shown.stdout.contains("  dream.consolidator  \"builtin\" → \"command\""))
        #expect(shown.stdout.contains("Mallory <mallory@example.com>  Tune the dream settings"))
        try team.reverie(team.b, ["dream"], expecting: 1)
        #expect(!FileManager.default.fileExists(atPath: team.marker))

        try team.reverie(team.b, ["trust", "--yes"])
        try team.reverie(team.b, ["dream"], expecting: 1)  // the command is no consolidator; it ran, though
        #expect(FileManager.default.fileExists(atPath: team.marker))
    }

    /// `git pull` brings a model address and key variable of the teammate's choosing: no
    /// request reaches it and the key never leaves, whoever chooses the consolidator,
    /// until `reverie trust`; then the key would go there.
    @Test func aTeammatesModelAddressGetsNoRequestAndNoKeyBeforeTrust() throws {
        let settings = { (url: String, variable: String) in
            """
            [dream]
            consolidator = "anthropic"
            [model]
            name = "claude-test"
            base_url = "\(url)"
            api_key_env = "\(variable)"
            \(Self.sources)
            """
        }
        let team = try Team(settings: settings("http://127.0.0.1:9", "TEAM_MODEL_KEY"))
        let server = try FakeModelServer(answers: [FakeModelServer.done()])
        let canary = "sk-ant-api03-" + String(repeating: "canary", count: 8)
        try team.teammateWrites(settings(server.baseURL, "CANARY_KEY"))
        try team.b.git("pull", "-q")
        let environment = ["CANARY_KEY": canary, "TEAM_MODEL_KEY": "sk-ant-api03-team0key0team0key0team0key"]

        var said = ""
        for arguments in [
            ["dream"], ["dream", "--consolidator", "anthropic"], ["eval", "--consolidator", "anthropic"],
        ] {
            let refused = try team.reverie(team.b, arguments, environment: environment, expecting: 1)
            #expect(
                refused.stderr.contains("(model.base_url, model.api_key_env); \(Self.refusal)"), "\(refused.stderr)")
            said += refused.stdout + refused.stderr
        }
        let left = try team.reverie(team.b, ["eval"], environment: environment)
        #expect(
            left.stderr.contains("warning: anthropic left out: the settings in .reverie/config.toml"), "\(left.stderr)")
        said += left.stdout + left.stderr
        #expect(try server.requests().isEmpty)
        #expect(!said.contains(canary))

        try team.reverie(team.b, ["trust", "--yes"])
        try team.reverie(team.b, ["dream"], environment: environment)
        let requests = try server.requests()
        #expect(
            !requests.isEmpty && requests.allSatisfy { ($0["headers"] as? [String: String])?["x-api-key"] == canary })
    }

    /// A fresh clone of a repo whose settings run a command: nothing of it is used, status
    /// says what waits, and the remote the clone came from still syncs.
    @Test func aFreshCloneOfACommandConsolidatorRunsNothingUntilTrusted() throws {
        let team = try Team(settings: "")
        try team.teammateWrites(Self.commandSettings(touching: team.marker))
        let c = try Scratch("machine-c")
        try Shell.check("git", ["clone", "-q", "-b", "main", team.remote.fileURL, c.path])

        let dream = try team.reverie(c, ["dream"], expecting: 1)
        #expect(
            dream.stderr.contains(
                "are not the defaults, and this machine has not accepted them yet "
                    + "(dream.consolidator, model.command); \(Self.refusal)"), "\(dream.stderr)")
        let sessions = try team.reverie(c, ["sessions"], expecting: 1)
        #expect(sessions.stderr.contains("not reading sessions: ") && sessions.stderr.contains("(sessions.sources)"))
        let status = try team.reverie(c, ["status"])
        #expect(
            status.stdout.contains(
                "Settings      not accepted on this machine, so not used: dream.consolidator, model.command, sessions.sources"
            ))
        try team.reverie(c, ["sync"])  // [remote] url is where this clone's own git config points
        #expect(!FileManager.default.fileExists(atPath: team.marker))
        #expect(!FileManager.default.fileExists(atPath: c.url(".git/reverie/trusted-settings")))

        try team.reverie(c, ["trust", "--yes"])
        try team.reverie(c, ["dream"], expecting: 1)
        #expect(FileManager.default.fileExists(atPath: team.marker))
    }

    /// A teammate points `[remote] url` at a repository of their own: the round that brings
    /// the change still talks to the accepted remote, every later one refuses until trust.
    @Test func aTeammatesNewRemoteReceivesNothingBeforeTrust() throws {
        let team = try Team(settings: "")
        // The teammate's own copy of the team's memory.
        let elsewhere = try Scratch("elsewhere")
        let url = "file://" + elsewhere.url("memory.git")
        let shared = try team.a.read(".reverie/config.toml")
        try team.teammateWrites(shared.replacingOccurrences(of: team.remote.fileURL, with: url))
        try Shell.check("git", ["clone", "-q", "--bare", team.remote.fileURL, elsewhere.url("memory.git")])
        let their = { (arguments: [String]) in try Shell.check("git", arguments, in: elsewhere.url("memory.git")) }
        let before = try their(["rev-parse", "main"])
        let brought = try team.reverie(team.b, ["sync"])
        #expect(
            brought.stdout.contains("(remote.url): they are not used here until you review them"), "\(brought.stdout)")

        try team.b.write("notes.md", "# Notes\n\n- one\n- private to B until B says so\n")
        try team.b.git("commit", "-qam", "B's note")
        let refused = try team.reverie(team.b, ["sync"], expecting: 1)
        #expect(
            refused.stderr.contains("reverie: not syncing: ")
                && refused.stderr.contains("(remote.url); \(Self.refusal)"))
        #expect(
            try their(["rev-parse", "main"]) == before && !(try their(["log", "-p", "--all"])).contains("private to B"))
        #expect(try team.reverie(team.b, ["status"]).stdout.contains("Sync error    not syncing: "))

        try team.reverie(team.b, ["trust", "--yes"])
        try team.reverie(team.b, ["sync"])
        #expect(try their(["show", "main:notes.md"]).contains("private to B"))
    }

    /// `[store] base_url` moved by a teammate: no memory-store call goes there before trust.
    @Test func aTeammatesStoreAddressGetsNoRequestBeforeTrust() throws {
        let key = "sk-ant-api03-" + String(repeating: "st0reK3y", count: 5)
        let accepted = try FakeMemoryStoreServer(key: key)
        let store = try accepted.makeStore("team memory")
        let settings = { (url: String) in
            "[store]\nid = \"\(store)\"\nbase_url = \"\(url)\"\napi_key_env = \"STORE_KEY\"\n"
        }
        let team = try Team(settings: settings(accepted.baseURL))
        let other = try FakeMemoryStoreServer(key: key)
        try team.teammateWrites(settings(other.baseURL))
        try team.b.git("pull", "-q")
        for arguments in [["store", "pull"], ["store", "list"], ["store", "push", "--store", store]] {
            let refused = try team.reverie(team.b, arguments, environment: ["STORE_KEY": key], expecting: 1)
            #expect(
                refused.stderr.contains("not calling the memory-store API: ")
                    && refused.stderr.contains("(store.base_url)"),
                "\(refused.stderr)")
        }
        #expect(try other.requests().isEmpty)
        try team.reverie(team.b, ["trust", "--yes"])
        try team.reverie(team.b, ["store", "list"], environment: ["STORE_KEY": key])
        #expect(try !other.requests().isEmpty)
    }

    /// Settings nobody changed from the defaults need no record and no step: a clone dreams.
    @Test func aCloneOfDefaultSettingsDreamsWithNoStep() throws {
        let team = try Team(settings: "")
        let c = try Scratch("machine-c")
        try Shell.check("git", ["clone", "-q", "-b", "main", team.remote.fileURL, c.path])
        let home = try Scratch("home")
        let fixtures = ReverieBinary.projectRoot + "/Tests/SessionsTests/Fixtures/claude-code-viewer"
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures) where name.hasSuffix(".jsonl") {
            let copy = home.url(".claude/projects/-src-app/\(name)")
            try home.write(
                ".claude/projects/-src-app/\(name)", try String(contentsOfFile: fixtures + "/" + name, encoding: .utf8))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSinceNow: -86_400)], ofItemAtPath: copy)
        }
        let dream = try team.reverie(c, ["dream"], environment: ["HOME": home.path])
        #expect(dream.stdout.hasPrefix("Dream ") && dream.stdout.contains(" sessions, review."), "\(dream.stdout)")
        #expect(!FileManager.default.fileExists(atPath: c.url(".git/reverie/trusted-settings")))
    }
}
