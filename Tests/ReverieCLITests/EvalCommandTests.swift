import Consolidators
import Foundation
import Sessions
import TestSupport
import Testing

/// `reverie eval` as a person runs it: the built-in consolidator on the planted corpus, a
/// model stood in for by a local server in Anthropic's wire format, and real transcripts.
@Suite struct EvalCommandTests {
    static let scored = ["mistakes", "workflows", "preferences", "duplicates"]
    /// No repo around it, and no key or repo from whoever runs the tests.
    static let clean = ["REVERIE_REPO": "", "CREDENTIALS_DIRECTORY": ""]

    func eval(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> Shell.Result {
        try ReverieBinary.run(["eval"] + arguments, in: folder, environment: Self.clean.merging(environment) { $1 })
    }

    func json(_ result: Shell.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return try #require(
            JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    /// A JSON number, whether it was written as an integer or not.
    func number(_ value: Any?) -> Double? {
        (value as? Double) ?? (value as? Int).map(Double.init)
    }

    /// One consolidator's kinds in the JSON, by name.
    func kinds(_ result: [String: Any]) -> [String: [String: Any]] {
        Dictionary(
            uniqueKeysWithValues: (result["kinds"] as? [[String: Any]] ?? []).map { ($0["kind"] as? String ?? "", $0) })
    }

    @Test func theBuiltinScoresAtLeastNinetyPercentOnEveryKindOfPlantedPattern() throws {
        let here = try Scratch("eval")
        let text = try eval(["--consolidator", "builtin"], in: here.path)
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        print(text.stdout)
        #expect(
            text.stdout.hasPrefix(
                "Planted corpus, seed 42: 60 sessions, 41 memory files; planted 8 mistakes, 5 workflows, "
                    + "6 preferences, 10 duplicate pairs."))
        #expect(text.stdout.contains("CONSOLIDATOR  KIND         PRECISION  RECALL  FOUND/PLANTED  PROPOSED"))
        for kind in Self.scored {
            let row = try #require(
                text.stdout.firstMatch(
                    of: try Regex("builtin/1\\s+\(kind)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)/(\\d+)\\s+(\\d+)")),
                "no row for \(kind)")
            let precision = try #require(Double(row.output[1].substring ?? "")),
                recall = try #require(Double(row.output[2].substring ?? ""))
            #expect(precision >= 0.9 && recall >= 0.9, "\(kind): \(row.output[0].substring ?? "")")
        }
        #expect(text.stdout.contains(try Regex(#"builtin/1\s+other\s+–\s+–\s+–\s+1\n"#)))
        #expect(text.stdout.contains(try Regex(#"builtin/1\s+\d+\.\d\d s\s+offline\n"#)))

        for seed in ["7", "2026"] {
            let report = try json(try eval(["--consolidator", "builtin", "--seed", seed, "--json"], in: here.path))
            #expect(report["seed"] as? Int == Int(seed) && report["corpus"] as? String == "planted")
            let results = try #require(report["results"] as? [[String: Any]])
            #expect(
                results.count == 1 && results[0]["consolidator"] as? String == "builtin/1"
                    && results[0]["tokens"] == nil)
            let kinds = kinds(results[0])
            for kind in Self.scored {
                let precision = try #require(number(kinds[kind]?["precision"])),
                    recall = try #require(number(kinds[kind]?["recall"]))
                #expect(precision >= 0.9 && recall >= 0.9, "seed \(seed), \(kind): \(kinds[kind] ?? [:])")
            }
        }
    }

    /// A memory repo whose [dream] consolidator is a model at `baseURL`, its key in TEST_MODEL_KEY.
    func repo(modelAt baseURL: String, keyVariable: String = "TEST_MODEL_KEY") throws -> Scratch {
        let repo = try Scratch("memory")
        #expect(try ReverieBinary.run(["init", repo.path]).status == 0)
        try repo.write(
            ".reverie/config.toml",
            """
            [dream]
            consolidator = "anthropic"

            [model]
            name = "claude-test"
            base_url = "\(baseURL)"
            api_key_env = "\(keyVariable)"
            """)
        try repo.git("commit", "-qam", "Dream with a model")
        try ReverieBinary.trust(repo.path)
        return repo
    }

    /// A model that records one right mistake (tool0cli, fixed with npx) and one preference
    /// nobody planted (added to the corpus's preferences.md), each with a quote that is in
    /// its session, in five turns.
    static func oneRightMistakeAndOneWrongPreference() throws -> [[String: Any]] {
        let corpus = PlantedCorpus()
        let failing = try #require(
            corpus.sessions.first { session in
                session.events.contains {
                    if case .toolResult(_, "tool0cli: command not found", _, _) = $0.kind { true } else { false }
                }
            })
        return [
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t1", "memory",
                    [
                        "command": "create", "path": "/memories/mistakes.md",
                        "file_text":
                            "# Mistakes\n\n- `tool0cli` is not installed: run `npx tool0cli run cache` instead\n",
                    ])
            ]),
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t2", "record_change",
                    [
                        "kind": "mistake", "summary": "Run tool0cli through npx", "rationale": "It is not on PATH.",
                        "evidence": [["session_id": failing.id, "quote": "tool0cli: command not found"]],
                    ])
            ]),
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t3", "memory",
                    [
                        "command": "insert", "path": "/memories/preferences.md", "insert_line": 7,
                        "insert_text": "- Always deploy on Mondays\n",
                    ])
            ]),
            FakeModelServer.anthropic([
                FakeModelServer.use(
                    "t4", "record_change",
                    [
                        "kind": "preference", "summary": "Deploy on Mondays", "rationale": "The team said so.",
                        "evidence": [["session_id": "syn-000", "quote": "Can you look at the"]],
                    ])
            ]),
            FakeModelServer.done(),
        ]
    }

    @Test func aModelIsScoredBesideTheBuiltinByWhatItsChangesSay() throws {
        let server = try FakeModelServer(answers: try Self.oneRightMistakeAndOneWrongPreference())
        let repo = try repo(modelAt: server.baseURL)
        let key = "sk-ant-api03-" + String(repeating: "k3yK3y", count: 6)
        let report = try json(
            try eval(["-C", repo.path, "--json"], in: repo.path, environment: ["TEST_MODEL_KEY": key]))
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.map { $0["consolidator"] as? String } == ["builtin/1", "anthropic/claude-test"])
        let model = results[1]
        #expect(model["error"] == nil && (model["tokens"] as? [String: Int]) == ["input": 5000, "output": 500])
        let kinds = kinds(model)
        let mistakes = try #require(kinds["mistakes"]), preferences = try #require(kinds["preferences"])
        #expect(
            mistakes["proposed"] as? Int == 1 && mistakes["correct"] as? Int == 1 && mistakes["found"] as? Int == 1
                && mistakes["planted"] as? Int == 8)
        #expect(number(mistakes["precision"]) == 1 && number(mistakes["recall"]) == 0.125)
        #expect(mistakes["evidence"] as? Int == 1 && mistakes["verbatim"] as? Int == 1)
        #expect(preferences["proposed"] as? Int == 1 && preferences["correct"] as? Int == 0)
        #expect(number(preferences["precision"]) == 0 && number(preferences["recall"]) == 0)
        // Nothing proposed: no precision at all, and nothing found.
        #expect(kinds["workflows"]?["proposed"] as? Int == 0 && kinds["workflows"]?["precision"] == nil)
        #expect(number(kinds["workflows"]?["recall"]) == 0 && number(kinds["duplicates"]?["recall"]) == 0)
        // The model was asked in its wire format, with the key, and the planted corpus in its briefing.
        let requests = try server.requests()
        #expect(
            requests.count == 5 && requests.allSatisfy { ($0["headers"] as? [String: String])?["x-api-key"] == key })
        let briefing = "\(((requests[0]["body"] as? [String: Any])?["messages"] as? [[String: Any]])?.first ?? [:])"
        #expect(briefing.contains("/memories/notes/0.md") && briefing.contains("syn-059"))

        // The same for people: a row per kind, then the tokens; the key is never printed.
        let again = try FakeModelServer(answers: try Self.oneRightMistakeAndOneWrongPreference())
        try repo.write(
            ".reverie/config.toml",
            try repo.read(".reverie/config.toml").replacingOccurrences(of: server.baseURL, with: again.baseURL))
        try ReverieBinary.trust(repo.path)
        let text = try eval(["--consolidator", "anthropic"], in: repo.path, environment: ["TEST_MODEL_KEY": key])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        print(text.stdout)
        #expect(
            text.stdout.contains(try Regex(#"anthropic/claude-test\s+mistakes\s+1\.00\s+0\.1[23]\s+1/8\s+1\n"#)),
            "\(text.stdout)")
        #expect(text.stdout.contains(try Regex(#"anthropic/claude-test\s+preferences\s+0\.00\s+0\.00\s+0/6\s+1\n"#)))
        #expect(text.stdout.contains(try Regex(#"anthropic/claude-test\s+workflows\s+–\s+0\.00\s+0/5\s+0\n"#)))
        #expect(
            text.stdout.contains(
                try Regex(#"anthropic/claude-test\s+\d+\.\d\d s\s+5000 input tokens, 500 output tokens"#)))
        #expect(!text.stdout.contains("builtin/1") && !(text.stdout + text.stderr).contains(key))
    }

    @Test func realTranscriptsAreListedSideBySideWithoutScores() throws {
        let fixtures = ReverieBinary.projectRoot + "/Tests/SessionsTests/Fixtures"
        let here = try Scratch("eval")
        let report = try json(try eval(["--consolidator", "builtin", "--corpus", fixtures, "--json"], in: here.path))
        #expect(report["corpus"] as? String == fixtures && report["planted"] == nil && report["seed"] == nil)
        #expect((report["sessions"] as? Int ?? 0) >= 9 && report["memoryFiles"] as? Int == 0)
        let builtin = try #require((report["results"] as? [[String: Any]])?.first)
        let mistakes = try #require(kinds(builtin)["mistakes"])
        #expect((mistakes["proposed"] as? Int ?? 0) >= 1 && mistakes["precision"] == nil && mistakes["correct"] == nil)
        // The built-in quotes the error line of each session: all of it is there, word for word.
        #expect(
            (mistakes["evidence"] as? Int ?? 0) >= 2 && mistakes["verbatim"] as? Int == mistakes["evidence"] as? Int)

        let text = try eval(["--consolidator", "builtin", "--corpus", fixtures, "--sessions", "5"], in: here.path)
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        print(text.stdout)
        #expect(text.stdout.hasPrefix("Transcripts in \(fixtures): 5 sessions; memory empty."))
        #expect(text.stdout.contains("No ground truth here: precision and recall need the planted corpus"))
        #expect(text.stdout.contains("CONSOLIDATOR  KIND         PROPOSED  EVIDENCE  VERBATIM"))
        #expect(!text.stdout.contains("PRECISION"))
    }

    @Test func whatCannotRunIsSaidPlainly() throws {
        let here = try Scratch("eval")
        let unknown = try eval(["--consolidator", "gpt"], in: here.path)
        #expect(
            unknown.status != 0
                && unknown.stderr.contains("--consolidator must be one of builtin, anthropic, openai, command"))
        let seeded = try eval(["--corpus", here.path, "--seed", "3"], in: here.path)
        #expect(seeded.status != 0 && seeded.stderr.contains("--seed chooses a planted corpus"))
        let missing = try eval(["--corpus", here.path + "/nothing"], in: here.path)
        #expect(missing.status == 1 && missing.stderr.contains("is not a folder"), "\(missing.stderr)")

        // No key: named on the command line, it is an error; named only by the settings, it is left out.
        let repo = try repo(modelAt: "http://127.0.0.1:9", keyVariable: "REVERIE_TEST_ABSENT_KEY")
        let environment = ["REVERIE_TEST_ABSENT_KEY": ""]
        let named = try eval(
            ["--consolidator", "builtin", "--consolidator", "anthropic"], in: repo.path, environment: environment)
        #expect(
            named.status == 1 && named.stderr.contains("no API key: set REVERIE_TEST_ABSENT_KEY"), "\(named.stderr)")
        let configured = try eval([], in: repo.path, environment: environment)
        #expect(
            configured.status == 0 && configured.stderr.contains("warning: anthropic left out: no API key"),
            "\(configured.stderr)")
        #expect(
            configured.stdout.contains(try Regex(#"builtin/1\s+mistakes"#)) && !configured.stdout.contains("anthropic"))
    }
}
