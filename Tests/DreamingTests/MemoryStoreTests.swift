import Consolidators
import Dreaming
import Foundation
import Git
import Memory
import TestSupport
import Testing

/// A Claude Managed Agents memory store mirrored in git, and the platform's dreams as
/// Reverie dreams, against a stateful fake of the API on 127.0.0.1 in its wire format.
@Suite struct MemoryStoreTests {
    static let key = "sk-ant-api03-" + String(repeating: "st0reK3y", count: 5)

    /// A memory repo whose `[store]` points at the fake, and the store it mirrors.
    func setUp(
        _ server: FakeMemoryStoreServer, sessions: String = "[\"sesn_01a\", \"sesn_01b\"]"
    ) throws -> (DreamFixture, String) {
        let store = try server.makeStore("team memory")
        let repo = try DreamFixture()
        try repo.dir.write(
            ".reverie/config.toml",
            try repo.dir.read(".reverie/config.toml") + """

                [store]
                id = "\(store)"
                base_url = "\(server.baseURL)"
                api_key_env = "TEST_STORE_KEY"
                sessions = \(sessions)
                model = "claude-opus-4-8"
                """)
        try repo.dir.git("commit", "-qam", "Mirror a memory store")
        try repo.trust()
        return (repo, store)
    }

    var environment: [String: String] { ["TEST_STORE_KEY": Self.key] }

    func mirror(_ repo: DreamFixture, _ store: String) throws -> StoreMirror {
        try StoreMirror(
            memory: repo.memory,
            client: try MemoryStoreClient.make(
                settings: try repo.memory.config().store,
                trust: SettingsTrust(memory: repo.memory),
                environment: environment), storeID: store)
    }

    func fsck(_ repo: DreamFixture) throws {
        let result = try repo.dir.gitResult("fsck", "--strict", "--no-progress")
        #expect(result.status == 0, "git fsck --strict: \(result.stdout)\(result.stderr)")
    }

    /// Every request's beta header, by family: memory calls carry only agent-memory, dreams only dreaming.
    func checkBetas(_ server: FakeMemoryStoreServer) throws {
        for request in try server.requests() {
            let path = request["path"] as? String ?? ""
            let beta = (request["headers"] as? [String: String])?["anthropic-beta"]
            #expect(
                beta == (path.hasPrefix("/v1/dreams") ? "dreaming-2026-04-21" : "agent-memory-2026-07-22"),
                "\(path): \(beta ?? "none")")
            #expect((request["headers"] as? [String: String])?["anthropic-version"] == "2023-06-01")
        }
    }

    @Test func aPullOf250NestedMemoriesOverManyPagesBecomesCommitsByTheirWriters() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        let actors: [[String: Any]] = [
            ["type": "session_actor", "session_id": "sesn_01agent"],
            ["type": "user_actor", "user_id": "user_01ana"],
            ["type": "api_actor", "api_key_id": "apikey_01ci"],
        ]
        for number in 0..<250 {
            try server.write(
                store, "/projects/p\(number % 7)/topic\(number % 5)/note\(number).md",
                "# Note \(number)\n\n- fact \(number) ünïcode ✓\n", actor: actors[number / 84])
        }
        let report = try await mirror(repo, store).pull()
        #expect(
            report.versions == 250 && report.commits == 3 && report.refused.isEmpty && report.conflicts.isEmpty,
            "\(report)")
        for number in [0, 83, 84, 249] {
            #expect(
                try repo.dir.read("projects/p\(number % 7)/topic\(number % 5)/note\(number).md")
                    == "# Note \(number)\n\n- fact \(number) ünïcode ✓\n")
        }
        #expect(try repo.dir.git("ls-files", "projects").split(separator: "\n").count == 250)
        let authors = try repo.dir.git("log", "--format=%an <%ae>", "main").split(separator: "\n").map(String.init)
        #expect(authors.contains("session sesn_01agent <sesn_01agent@sessions.managed-agents.invalid>"))
        #expect(authors.contains("user user_01ana <user_01ana@users.managed-agents.invalid>"))
        #expect(authors.contains("API key apikey_01ci <apikey_01ci@api-keys.managed-agents.invalid>"))
        let versions = try repo.dir.git("log", "--format=%(trailers:key=Reverie-Store-Version,valueonly)", "main")
            .split(separator: "\n").filter { $0.hasPrefix("memver_") }
        #expect(versions.count == 250)
        let requests = try server.requests()
        #expect(
            requests.filter { ($0["path"] as? String ?? "").contains("/memory_versions") }.count >= 13, "pages of 20")
        #expect(requests.filter { ($0["path"] as? String ?? "").contains("/memories?") }.count == 3, "pages of 100")
        try checkBetas(server)
        #expect(FileManager.default.fileExists(atPath: repo.memory.stateDirectory + "/store-\(store).json"))
        try fsck(repo)

        // Nothing new: nothing pulled, main stays.
        let tip = try repo.dir.git("rev-parse", "main")
        let again = try await mirror(repo, store).pull()
        #expect(again.versions == 0 && again.commits == 0 && again.merge == nil)
        #expect(try repo.dir.git("rev-parse", "main") == tip)

        // The fake holds the documented rule: both betas on a memory-store call are a 400.
        let mixed = try server.send(
            "GET", "/v1/memory_stores/\(store)",
            headers: [
                "x-api-key": Self.key, "anthropic-version": "2023-06-01",
                "anthropic-beta": "managed-agents-2026-04-01,agent-memory-2026-07-22",
            ])
        #expect(mixed.status == 400)
    }

    @Test func aPushRacingAStoreEditIsRefusedThenSyncKeepsBothEdits() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        try server.write(store, "/team/notes.md", "# Team\n\n- Ana leads\n- deploys on Fridays\n- tests with pytest\n")
        _ = try await mirror(repo, store).pull()
        #expect(try repo.dir.read("team/notes.md").contains("deploys on Fridays"))

        // A person edits the first line here; an agent edits the last one in the store.
        try repo.dir.write("team/notes.md", "# Team\n\n- Ana and Bo lead\n- deploys on Fridays\n- tests with pytest\n")
        try repo.dir.git("commit", "-qam", "Bo leads too")
        try server.write(
            store, "/team/notes.md", "# Team\n\n- Ana leads\n- deploys on Fridays\n- tests with python -m pytest\n")

        await #expect(throws: StoreError.self) { _ = try await mirror(repo, store).push() }
        #expect(
            try server.contents(store)["/team/notes.md"]
                == "# Team\n\n- Ana leads\n- deploys on Fridays\n- tests with python -m pytest\n",
            "the store's edit was not overwritten")

        let (pulled, pushed) = try await mirror(repo, store).sync()
        #expect(pulled.conflicts.isEmpty && pushed.updated == ["team/notes.md"], "\(pulled) \(pushed)")
        let both = "# Team\n\n- Ana and Bo lead\n- deploys on Fridays\n- tests with python -m pytest\n"
        #expect(try repo.dir.read("team/notes.md") == both)
        #expect(try server.contents(store)["/team/notes.md"] == both)
        #expect(try repo.dir.git("status", "--porcelain").isEmpty)
        // Files only here go to the store too, and a deletion here deletes there, each with its precondition.
        #expect(try server.contents(store)["/notes.md"] == "# Notes\n\n- keep answers short\n")
        try repo.dir.git("rm", "-q", "notes.md")
        try repo.dir.git("commit", "-qm", "Drop notes")
        let deleted = try await mirror(repo, store).push()
        #expect(deleted.deleted == ["notes.md"])
        #expect(try server.contents(store)["/notes.md"] == nil)
        let deletes = try server.requests().filter { $0["method"] as? String == "DELETE" }
        #expect(deletes.count == 1 && (deletes[0]["path"] as? String ?? "").contains("expected_content_sha256="))
        try checkBetas(server)
        try fsck(repo)
    }

    func dream(_ repo: DreamFixture) async throws -> DreamEngine.Report {
        let config = try repo.memory.config()
        let consolidator = try ManagedAgentsConsolidator(
            settings: config.store, instructions: "Keep it short",
            trust: SettingsTrust(memory: repo.memory),
            environment: environment, sleep: { _ in })
        return try await repo.engine().dream(with: consolidator)
    }

    @Test func aCompletedPlatformDreamIsABranchApprovedInPartAndPushedBack() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        try server.write(store, "/team/a.md", "# A\n\n- old fact\n")
        try server.write(store, "/team/b.md", "# B\n\n- stale\n")
        try server.write(store, "/team/c.md", "# C\n\n- kept\n")
        _ = try await mirror(repo, store).sync()
        try server.planDream(
            "completed", polls: 3,
            changes: [
                "/team/a.md": "# A\n\n- new fact\n", "/team/b.md": nil,
                "/team/new.md": "# New\n\n- an insight\n",
            ])
        let report = try await dream(repo)
        #expect(
            report.outcome == .review
                && report.changes.map(\.summary)
                    == ["Update team/a.md", "Delete team/b.md", "Add team/new.md"],
            "\(report)")
        let branch = "dreams/\(report.id)"
        let dreamIDs = try repo.dir.git(
            "log", "--format=%(trailers:key=Reverie-Platform-Dream,valueonly)", "main..\(branch)"
        )
        .split(separator: "\n").map(String.init)
        #expect(dreamIDs.count == 4 && Set(dreamIDs).count == 1 && dreamIDs[0].hasPrefix("drm_"), "\(dreamIDs)")
        #expect(
            try repo.dir.git("log", "-1", "--format=%(trailers:key=Reverie-Tokens,valueonly)", "\(branch)~3")
                .trimmingCharacters(in: .whitespacesAndNewlines) == "13300 in, 3400 out")
        #expect(try repo.dir.read("team/a.md") == "# A\n\n- old fact\n", "a dream does not touch the files")
        let created = try server.requests().first {
            $0["path"] as? String == "/v1/dreams" && $0["method"] as? String == "POST"
        }
        let body = created?["body"] as? [String: Any]
        #expect(body?["model"] as? String == "claude-opus-4-8" && body?["instructions"] as? String == "Keep it short")
        #expect((body?["inputs"] as? [[String: Any]])?.count == 2)
        try checkBetas(server)

        let result = try ReverieBinary.run(
            ["approve", report.id, "--only", "1", "3"], in: repo.dir.path,
            environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains(Self.key) && !result.stderr.contains(Self.key))
        #expect(
            try repo.dir.read("team/a.md") == "# A\n\n- new fact\n" && repo.dir.read("team/b.md") == "# B\n\n- stale\n")
        let stored = try server.contents(store)
        #expect(stored["/team/a.md"] == "# A\n\n- new fact\n" && stored["/team/new.md"] == "# New\n\n- an insight\n")
        #expect(stored["/team/b.md"] == "# B\n\n- stale\n", "change 2 was not approved")
        #expect(
            try server.requests().filter {
                $0["method"] as? String == "POST" && ($0["body"] as? [String: Any])?["precondition"] != nil
            }.count == 1)
        try fsck(repo)
    }

    /// A dream branch is untrusted input, its trailers too: one naming another store than
    /// `[store] id` (pushed by anyone to the team's remote) gets its approved changes
    /// pushed nowhere, whatever store the key reaches.
    @Test func anApprovedDreamNamingAnotherStorePushesNothingThere() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        let other = try server.makeStore("someone else's memory")
        try server.write(other, "/notes.md", "# Notes\n")
        let id = "20261201-000000"
        try repo.dir.git("switch", "-q", "-c", "dreams/\(id)")
        try repo.dir.write(".reverie/dreams/\(id).sessions", "# Sessions dream \(id) read\n")
        try repo.dir.git("add", "-A")
        try repo.dir.git(
            "commit", "-qm", "Record\n\nReverie-Dream: \(id)\nReverie-Change: sessions\nReverie-Store: \(other)")
        try repo.dir.write("team/planted.md", "# Planted\n\n- pushed to the other store\n")
        try repo.dir.git("add", "-A")
        try repo.dir.git(
            "commit", "-qm",
            "Add team/planted.md\n\nReverie-Dream: \(id)\nReverie-Change: other\nReverie-Store: \(other)")
        try repo.dir.git("switch", "-q", "main")

        let result = try ReverieBinary.run(["approve", id], in: repo.dir.path, environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("names memory store \(other), not [store] id \(store)"), "\(result.stderr)")
        #expect(try server.contents(other) == ["/notes.md": "# Notes\n"])
        #expect(try server.contents(store)["/team/planted.md"] == nil)
        let requests = try server.requests()
        #expect(requests.allSatisfy { ($0["method"] as? String) == "GET" }, "\(requests)")
        try fsck(repo)
    }

    @Test func aFailedOrCanceledPlatformDreamLeavesNoBranch() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        try server.write(store, "/team/a.md", "# A\n")
        _ = try await mirror(repo, store).sync()
        for outcome in ["failed", "canceled"] {
            try server.planDream(outcome)
            do {
                _ = try await dream(repo)
                Issue.record("a \(outcome) dream must throw")
            } catch let error as DreamError {
                #expect("\(error)".contains(outcome == "failed" ? "failed (timeout" : "was canceled"), "\(error)")
            }
            #expect(try repo.dir.git("branch", "--list", "dreams/*").isEmpty)
            #expect(try repo.dir.git("for-each-ref", "refs/reverie/building").isEmpty)
        }
        // No store was archived or deleted: Reverie never asked.
        #expect(
            try server.requests().allSatisfy {
                $0["method"] as? String != "DELETE" && !(($0["path"] as? String) ?? "").hasSuffix("/archive")
            })
        try fsck(repo)
    }

    @Test func ctrlCCancelsThePlatformDreamRemotely() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        try server.write(store, "/team/a.md", "# A\n")
        _ = try await mirror(repo, store).sync()
        try repo.dir.write(
            ".reverie/config.toml",
            try repo.dir.read(".reverie/config.toml")
                .replacingOccurrences(of: "[dream]\n", with: "[dream]\nconsolidator = \"managed-agents\"\n"))
        try repo.dir.git("commit", "-qam", "Dream on the platform")
        try repo.trust()
        try server.planDream("completed", polls: 1_000_000)
        let dreaming = try Shell.start(
            ReverieBinary.path, ["dream"], in: repo.dir.path,
            environment: environment.merging(["HOME": ReverieBinary.emptyHome]) { a, _ in a })
        #expect(
            await Wait.until(seconds: 60) {
                ((try? server.requests()) ?? []).contains { ($0["path"] as? String ?? "").hasPrefix("/v1/dreams/drm_") }
            })
        dreaming.signal(SIGINT)
        let result = dreaming.wait(seconds: 60)
        #expect(result.status != 0 && result.stderr.contains("cancel"), "\(result.stdout)\(result.stderr)")
        let cancels = try server.requests().filter { ($0["path"] as? String ?? "").hasSuffix("/cancel") }
        #expect(cancels.count == 1 && cancels[0]["method"] as? String == "POST")
        #expect(try repo.dir.git("branch", "--list", "dreams/*").isEmpty)
        try checkBetas(server)
        try fsck(repo)
    }

    @Test func storeSyncPullsBeforeEveryDreamAndAnUnreachableStoreDoesNotStopIt() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        try repo.dir.write(".reverie/config.toml", try repo.dir.read(".reverie/config.toml") + "\nsync = \"pull\"\n")
        try repo.dir.git("commit", "-qam", "Pull before each dream")
        try repo.trust()
        try server.write(
            store, "/team/deploys.md", "# Deploys\n\n- tag releases vX.Y\n",
            actor: ["type": "user_actor", "user_id": "user_01ana"])
        let dreamt = try ReverieBinary.run(
            ["-C", repo.dir.path, "dream"],
            environment: environment.merging(["HOME": repo.home.path]) { $1 })
        #expect(dreamt.status == 0, "\(dreamt.stderr)")
        #expect(try repo.dir.git("show", "main:team/deploys.md") == "# Deploys\n\n- tag releases vX.Y\n")

        // A wrong key: the dream goes on over what is here, and says why the store was not synced.
        try server.write(store, "/team/later.md", "# Later\n", actor: ["type": "user_actor", "user_id": "user_01ana"])
        let offline = try ReverieBinary.run(
            ["-C", repo.dir.path, "dream"],
            environment: ["TEST_STORE_KEY": "sk-ant-api03-wrong0key0wrong0key0", "HOME": repo.home.path])
        #expect(offline.status == 0 && offline.stderr.contains("was not synced before the dream"), "\(offline.stderr)")
        #expect(!offline.stderr.contains("wrong0key"))
        #expect(try repo.dir.gitResult("show", "main:team/later.md").status != 0)
        try fsck(repo)
    }

    @Test func hostilePathsAndContentFromTheStoreAreRefused() async throws {
        let server = try FakeMemoryStoreServer(key: Self.key)
        let (repo, store) = try setUp(server)
        let config = try repo.dir.read(".git/config")
        for path in [
            "/../escape.md", "/.git/config", "/.reverie/config.toml", "/a/\u{1}b.md", "//abs.md",
            "/x/.hidden.md", "/a/../../up.md", "/a/\u{202E}gnp.md", "/.GIT/hooks/post-checkout",
        ] {
            try server.write(store, path, "pwned\n")
        }
        try server.write(store, "/huge.md", String(repeating: "x", count: 150_000))
        try server.write(store, "/ok/fine.md", "# Fine\n")
        let report = try await mirror(repo, store).pull()
        #expect(report.refused.count >= 10, "\(report.refused)")
        #expect(try repo.dir.read("ok/fine.md") == "# Fine\n")
        #expect(try repo.dir.git("diff", "--name-only", "main^1", "main").split(separator: "\n") == ["ok/fine.md"])
        #expect(try repo.dir.read(".git/config") == config)
        #expect(!FileManager.default.fileExists(atPath: repo.dir.url("../escape.md")))
        try fsck(repo)

        // An archived store is refused with a clear message; a wrong key is a 401 that names the variable, not the key.
        let archived = try server.makeStore("old", archived: true)
        do {
            _ = try await mirror(repo, archived).pull()
            Issue.record("an archived store must be refused")
        } catch {
            #expect(error as? StoreError == .archived(id: archived, name: "old") && "\(error)".contains("archived"))
        }
        let wrong = try StoreMirror(
            memory: repo.memory,
            client: try MemoryStoreClient.make(
                settings: try repo.memory.config().store, trust: SettingsTrust(memory: repo.memory),
                environment: ["TEST_STORE_KEY": "sk-ant-wrong-key-123456"]), storeID: store)
        do {
            _ = try await wrong.pull()
            Issue.record("a wrong key must be refused")
        } catch {
            #expect("\(error)".contains("TEST_STORE_KEY") && !"\(error)".contains("sk-ant-wrong"), "\(error)")
        }
    }
}
