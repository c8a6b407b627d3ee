import Foundation
import Seeded
import Sessions

/// Synthetic agent sessions and memory with planted patterns hidden among noise, from a
/// fixed seed, to measure what a consolidator finds (precision and recall per kind of
/// pattern): `reverie eval` and the quality tests. The same seed gives the same corpus.
public struct PlantedCorpus: Sendable {
    /// A command that fails the same way in many sessions, and the command that works.
    public struct PlantedMistake: Sendable {
        /// The command that fails.
        public let command: String
        /// What it prints when it fails.
        public let error: String
        /// The retry that works, when the sessions show one.
        public let fix: String?
        /// What an entry must say to name it (the cause, and the fix when there is one).
        public let names: [String]
    }

    /// What people ask for, as an entry must name it.
    public struct PlantedPreference: Sendable {
        /// Lower case, as one person says it.
        public let text: String
        /// The words an entry must hold, whoever's wording it keeps.
        public let names: [String]
    }

    /// The seed the corpus was made from.
    public let seed: UInt64
    /// The synthetic sessions, planted patterns hidden among noise.
    public let sessions: [Session]
    /// Memory files before the dream, text by path; holds the planted duplicate pairs.
    public let memory: [String: String]
    /// Commands that fail the same way in several sessions.
    public let mistakes: [PlantedMistake]
    /// Shell commands run in this order by several sessions.
    public let workflows: [[String]]
    /// What people ask for, as several sessions say it in their own words.
    public let preferences: [PlantedPreference]
    /// Sessions shaped like real ones (`RealisticSessions`), not the clean ones.
    public let realistic: Bool
    /// Pairs of near-duplicate entries (their text), planted where a merge may take one out:
    /// both in one file a person wrote, or the second in Reverie's own `preferences.md`.
    public let duplicates: [(String, String)]

    static let users = ["ana", "ben", "cy", "dee", "eli"]
    /// Reverie's `preferences.md` as a person left it after adding two lines of their own.
    static let preferencesHead =
        "---\ndescription: What people asked agents to always or never do\n---\n# Team preferences\n\n"
        + "- Ask in the platform channel before touching the deploy scripts\n- Keep the staging data anonymised at all times\n"
    static let words = [
        "cache", "queue", "schema", "token", "deploy", "invoice", "report", "search", "upload", "billing",
        "session", "widget", "profile", "export", "import", "ledger", "backup", "gateway", "metrics", "render",
    ]

    public static let defaultSeed: UInt64 = 42, defaultSessionCount = 60

    /// - Parameter realistic: sessions with the noise of real transcripts (`RealisticSessions`)
    ///   and realistic patterns, instead of clean ones.
    public init(seed: UInt64 = defaultSeed, sessionCount: Int = defaultSessionCount, realistic: Bool = false) {
        self.seed = seed
        self.realistic = realistic
        var random = SeededRandom(seed: seed)
        var mistakes = (0..<8).map { k in
            let program = "tool\(k)cli"
            return PlantedMistake(
                command: "\(program) run \(Self.words[k])", error: "\(program): command not found",
                fix: "npx \(program) run \(Self.words[k])", names: [program, "npx \(program)"])
        }
        var workflows = (0..<5).map { k in
            (0..<(3 + k % 2)).map { step in "make step\(k)x\(step)" }
        }
        let preferences = [
            "always write commit messages in the imperative mood",
            "never run database migrations on a friday",
            "prefer small pull requests over large ones",
            "always add a changelog entry for user facing changes",
            "never log customer email addresses",
            "please use uv instead of pip for python packages",
        ]
        var planted = preferences.map { PlantedPreference(text: $0, names: [$0]) }
        var sessions: [Session] = []
        for number in 0..<sessionCount {
            var session = Session(id: String(format: "syn-%03d", number), source: "reverie", file: "synthetic")
            session.user = Self.users[number % Self.users.count]
            let start = Date(timeIntervalSince1970: 1_790_000_000 + Double(number) * 3600)
            session.started = start
            var events: [SessionEvent] = []
            var clock = start
            func add(_ kind: SessionEvent.Kind) {
                clock = clock.addingTimeInterval(5)
                events.append(SessionEvent(kind, time: clock, isSubagent: false))
            }
            var callNumber = 0
            func call(_ command: String, output: String, exit: Int32) {
                callNumber += 1
                let id = "c\(callNumber)"
                add(.toolCall(id: id, name: "Bash", input: #"{"command":"\#(command)"}"#))
                add(.toolResult(callID: id, output: output, isError: exit != 0, exitCode: exit))
            }
            func noise(_ count: Int) {
                for _ in 0..<count {
                    let word = random.pick(Self.words)
                    call(
                        "grep -rn \(word)\(random.below(1000)) src/",
                        output: "src/\(word).py:\(random.below(300)): match", exit: 0)
                }
            }
            // A user turn: a question, sometimes a one-off instruction only this session gives.
            add(
                .user(
                    text:
                        "Can you look at the \(random.pick(Self.words)) module? It seems slow since build \(random.below(900))."
                ))
            if random.below(3) == 0 {
                let verbs = [
                    "check", "rename", "document", "benchmark", "archive", "review", "profile", "validate", "translate",
                    "mock",
                ]
                // About something only this session has: a ticket of its own.
                add(
                    .user(
                        text:
                            "Always \(random.pick(verbs)) the \(random.pick(Self.words)) \(random.pick(Self.words)) \(random.pick(Self.words)) "
                            + "first for ticket \(number * 7 + 1000)."))
            }
            noise(1 + random.below(3))
            // Planted mistakes: each session shows one or two, failing then fixed.
            for _ in 0..<(1 + random.below(2)) {
                let mistake = mistakes[random.below(mistakes.count)]
                call(mistake.command, output: mistake.error, exit: 127)
                noise(random.below(2))
                call(mistake.fix!, output: "done", exit: 0)
            }
            // A one-off error no other session repeats.
            call(
                "cat notes-\(number)-\(random.pick(Self.words)).txt", output: "cat: notes-\(number): Is a directory",
                exit: 1)
            noise(1 + random.below(2))
            // A planted workflow, whole.
            let workflow = workflows[random.below(workflows.count)]
            for step in workflow { call(step, output: "ok", exit: 0) }
            noise(1 + random.below(2))
            // A planted preference in this user's own words.
            if random.below(2) == 0 {
                let preference = preferences[random.below(preferences.count)]
                let variants = [
                    "\(preference.prefix(1).uppercased())\(preference.dropFirst()).",
                    "Remember: \(preference)!", "\(preference), thanks.",
                ]
                add(.user(text: random.pick(variants)))
            }
            add(.assistant(text: "Done."))
            session.events = events
            session.ended = clock
            sessions.append(session)
        }
        if realistic {
            // The same memory below; sessions, mistakes, workflows and preferences from real shapes.
            var realRandom = SeededRandom(seed: seed ^ 0x5eed)
            self.sessions = RealisticSessions.sessions(count: sessionCount, random: &realRandom)
            mistakes = RealisticSessions.mistakes
            workflows = RealisticSessions.workflows
            planted = RealisticSessions.preferences.map(\.preference) + [RealisticSessions.refused.preference]
        } else {
            self.sessions = sessions
        }
        self.mistakes = mistakes
        self.workflows = workflows
        self.preferences = planted

        // Memory: 40 files of unique entries, with near-duplicate pairs, and Reverie's own preferences.
        var memory: [String: String] = [:]
        var duplicates: [(String, String)] = []
        for file in 0..<40 {
            var text = "# Notes \(file)\n\n"
            for entry in 0..<12 {
                let a = random.pick(Self.words), b = random.pick(Self.words), c = random.pick(Self.words)
                text +=
                    "- The \(a) service \(file)-\(entry) talks to \(b) through \(c) with retry \(random.below(10_000))\n"
            }
            memory["notes/\(file).md"] = text
        }
        for k in 0..<10 {
            let base =
                "remember that the \(Self.words[k]) team owns the \(Self.words[k + 10]) pipeline and reviews every change on tuesdays"
            let first = "- \(base.prefix(1).uppercased())\(base.dropFirst())"
            let second = "- \(base.prefix(1).uppercased())\(base.dropFirst()) too"
            memory["notes/\(k).md"]! += first + "\n"
            memory[k % 2 == 0 ? "notes/\(k).md" : "preferences.md", default: Self.preferencesHead] += second + "\n"
            duplicates.append((first, second))
        }
        self.memory = memory
        self.duplicates = duplicates
    }
}
