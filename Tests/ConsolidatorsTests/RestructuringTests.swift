import Dreaming
import Foundation
import Testing

@testable import Consolidators

/// What a dream's restructuring does to memory people wrote: merge only what says the same
/// thing, keep a rule where a person put it, never touch code blocks or front matter, never
/// leave an empty section or a broken numbered list.
@Suite struct RestructuringTests {
    /// The plan of a dream over `texts` with no sessions, and memory once every change is applied.
    static func dream(
        _ texts: [String: String], humanEdits: [String] = []
    ) async throws -> (plan: DreamPlan, after: [String: String]) {
        let plan = try await BuiltinConsolidator().plan(
            DreamInput(
                id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: texts), sessions: [],
                humanEdits: humanEdits))
        var after = texts
        for change in plan.changes {
            for (path, text) in change.writes { after[path] = text }
            for path in change.deletes { after[path] = nil }
        }
        return (plan, after)
    }

    /// A person's note with the entry among others in a list, under a heading.
    static func note(_ topic: String, _ entry: String) -> String {
        "# \(topic)\n\n- Ask in #\(topic) before changing anything here\n- \(entry)\n- The \(topic) runbook is in the wiki\n"
    }

    /// Pairs that look alike but state different facts: one meaning-bearing word apart.
    static let lookAlikes: [(String, String)] = [
        (
            "The staging database is reset every night before the load tests run",
            "The staging cache is reset every night before the load tests run"
        ),
        ("Use TypeScript for type safety", "Use TypeScript for type safety with MobX"),
        ("Keep pull requests under 400 changed lines", "Keep pull requests under 200 changed lines"),
        ("Do not commit generated protobuf files", "Commit generated protobuf files"),
        ("Ana reviews every change to the billing service", "Ben reviews every change to the billing service"),
        ("Pin Node.js to version 20 in CI", "Pin Node.js to version 18 in CI"),
        ("Use Vitest instead of Jest for unit tests", "Use Jest instead of Vitest for unit tests"),
        ("The frontend calls the backend through the gateway", "The backend calls the frontend through the gateway"),
        ("Write the services in C# with nullable references on", "Write the services in C with nullable references on"),
        ("Set the retry limit to -1 for the import worker", "Set the retry limit to 1 for the import worker"),
        ("Store session tokens in Redis, not in Postgres", "Store session tokens in Postgres, not in Redis"),
        ("Run the linter, then the tests, before pushing", "Run the tests, then the linter, before pushing"),
    ]

    /// Pairs that say the same thing in a different form.
    static let paraphrases: [(String, String)] = [
        (
            "The staging database is reset every night before the load tests run",
            "the staging database is reset every night, before the load tests run."
        ),
        ("Use TypeScript for type safety", "Use **TypeScript** for type safety."),
        ("Keep pull requests under 400 changed lines", "keep  pull requests under 400 changed lines!"),
        ("Do not commit generated protobuf files", "Don't commit generated protobuf files."),
        ("Ana reviews every change to the billing service", "*Ana* reviews every change to the billing service"),
        ("Pin Node.js to version 20 in CI", "In CI, pin Node.js to version 20"),
        ("Use Vitest instead of Jest for unit tests", "For unit tests, use Vitest instead of Jest"),
        ("Set the retry limit to -1 for the import worker", "Set the retry limit to `-1` for the import worker"),
        (
            "Release branches are cut on the first Monday of each month",
            "Release branches are cut on the first Monday of each month too"
        ),
    ]

    @Test(arguments: lookAlikes.indices)
    func entriesOneMeaningfulWordApartAreNotMerged(pair: Int) async throws {
        let (a, b) = Self.lookAlikes[pair]
        let texts = ["ops.md": Self.note("ops", a), "web.md": Self.note("web", b)]
        let (plan, after) = try await Self.dream(texts)
        #expect(!plan.changes.contains { $0.kind == .merge }, "merged \"\(a)\" and \"\(b)\"")
        #expect(after["ops.md"] == texts["ops.md"] && after["web.md"] == texts["web.md"])
    }

    /// Within one file, or with one copy in a file Reverie writes, a copy goes.
    @Test(arguments: paraphrases.indices)
    func entriesThatSayTheSameThingAreMergedAndOneCopyStays(pair: Int) async throws {
        let (a, b) = Self.paraphrases[pair]
        let oneFile = ["ops.md": Self.note("ops", a) + "- \(b)\n- Page the on-call person for anything urgent\n"]
        let (plan, after) = try await Self.dream(oneFile)
        #expect(plan.changes.filter { $0.kind == .merge }.count == 1, "\"\(a)\" and \"\(b)\" not merged")
        #expect(
            after["ops.md"] == oneFile["ops.md"]!.replacingOccurrences(of: "- \(b)\n", with: ""),
            "the first copy stays where it is")
        #expect(after["archive/merged.md"]?.contains("- \(b) — was in ops.md, merged into ops.md") == true)

        let withOwn = ["ops.md": Self.note("ops", a), "preferences.md": Self.note("prefs", b)]
        let (ownPlan, ownAfter) = try await Self.dream(withOwn)
        #expect(ownPlan.changes.filter { $0.kind == .merge }.count == 1, "\"\(a)\" and \"\(b)\" not merged")
        #expect(ownAfter["ops.md"] == withOwn["ops.md"], "the person's copy stays")
        #expect(ownAfter["preferences.md"] == withOwn["preferences.md"]!.replacingOccurrences(of: "- \(b)\n", with: ""))
        #expect(ownAfter["archive/merged.md"]?.contains("- \(b) — was in preferences.md, merged into ops.md") == true)
    }

    /// An agent may read only one of two files people wrote (a stack's rules, a general
    /// guide): a rule in both stays in both.
    @Test(arguments: paraphrases.indices)
    func copiesInTwoFilesPeopleWroteBothStay(pair: Int) async throws {
        let (a, b) = Self.paraphrases[pair]
        let texts = ["ops.md": Self.note("ops", a), "web.md": Self.note("web", b), "api.md": Self.note("api", a)]
        let (plan, after) = try await Self.dream(texts)
        #expect(!plan.changes.contains { $0.kind == .merge }, "\(plan.changes.map(\.summary))")
        for (path, text) in texts { #expect(after[path] == text, "\(path) changed") }
    }

    /// An item's words can mean different things under different parents or headings.
    @Test func itemsThatDependOnWhatTheyHangFromAreComparedWithIt() async throws {
        let pairs = [
            (
                "# React\n\n- `useEffect`:\n  - Avoid for data fetching or state management\n  - Clean up subscriptions\n- Keep components small\n",
                "# Next\n\n- `'use client'`:\n  - Avoid for data fetching or state management\n  - Keep it at the leaves\n- Prefer server components\n"
            ),
            (
                "# Style\n\n## Do\n\n- Use inline styles for layout\n- Use CSS modules for theming\n",
                "# Style\n\n## Don'ts\n\n- Use inline styles for layout\n- Use global selectors for components\n"
            ),
            (
                "# Style\n\n- Use inline styles for layout\n- Use CSS modules for theming\n",
                "# Style\n\nAvoid these:\n\n- Use inline styles for layout\n- Use global selectors for components\n"
            ),
        ]
        for (a, b) in pairs {
            let (plan, _) = try await Self.dream(["a.md": a, "b.md": b])
            #expect(!plan.changes.contains { $0.kind == .merge }, "\(a)\n\(b)")
        }
        // Under the same parent they are the same, and the parent keeps an item under it.
        let (same, after) = try await Self.dream([
            "a.md": pairs[0].0, "preferences.md": pairs[0].0.replacingOccurrences(of: "React", with: "Hooks"),
        ])
        #expect(same.changes.contains { $0.kind == .merge && $0.summary.contains("a.md") })
        #expect(after["preferences.md"]?.contains("- `useEffect`:\n  - Clean up subscriptions\n") == true)
    }

    @Test func theCopyAPersonJustEditedStaysAndAReverieFileGivesWayFirst() async throws {
        let rule = "Run the migrations on a copy of production first"
        let texts = [
            "a.md": Self.note("a", rule), "b.md": Self.note("b", rule), "preferences.md": Self.note("prefs", rule),
        ]
        let (_, after) = try await Self.dream(texts, humanEdits: ["b.md"])
        #expect(after["a.md"] == texts["a.md"] && after["b.md"] == texts["b.md"])
        #expect(after["preferences.md"]?.contains(rule) == false)

        let (_, ownFirst) = try await Self.dream([
            "z.md": Self.note("z", rule), "preferences.md": Self.note("prefs", rule),
        ])
        #expect(ownFirst["z.md"]?.contains(rule) == true && ownFirst["preferences.md"]?.contains(rule) == false)

        // Two copies in one file a person just edited: the second goes, the first stays.
        let twice = Self.note("c", rule) + "- \(rule)\n- Ask before rotating anything\n"
        let (_, same) = try await Self.dream(["c.md": twice, "d.md": Self.note("d", rule)], humanEdits: ["c.md"])
        #expect(
            same["c.md"] == Self.note("c", rule) + "- Ask before rotating anything\n"
                && same["d.md"] == Self.note("d", rule))

        // A person who just edited Reverie's file keeps the copy there; theirs elsewhere stays too.
        let (_, edited) = try await Self.dream(
            ["z.md": Self.note("z", rule), "preferences.md": Self.note("prefs", rule)],
            humanEdits: ["preferences.md"])
        #expect(edited["z.md"] == Self.note("z", rule) && edited["preferences.md"] == Self.note("prefs", rule))
    }

    /// A copy whose going would hollow its file stays: the only item under a heading, a
    /// numbered step, an item with lines under it, the last item of a list.
    @Test func aCopyStaysWhereMovingItWouldLeaveAHole() async throws {
        let rule = "Rotate the signing keys every ninety days"
        let keeper = Self.note("security", rule)
        let holes = [
            "# Keys\n\n## Rotation\n\n- \(rule)\n\n## Storage\n\n- Keys live in the vault\n- Nobody copies them\n",
            "# Steps\n\n1. \(rule)\n2. Tell the on-call person\n3. Update the runbook\n",
            "# Keys\n\n- \(rule)\n  because the auditors ask for it\n- Keys live in the vault\n",
            "# Keys\n\n- \(rule)\n  - the old key stays valid for a day\n- Keys live in the vault\n",
            "# Keys\n\nThe one rule:\n\n- \(rule)\n\nEverything else is in the wiki.\n",
        ]
        for hole in holes {
            let texts = ["a.md": keeper, "preferences.md": hole]
            let (plan, after) = try await Self.dream(texts)
            #expect(after["preferences.md"] == hole, "\(hole)")
            // The person's copy elsewhere may go instead: the rule stays where the hole would be.
            #expect(plan.changes.filter { $0.kind == .merge }.count <= 1)
            #expect(after.filter { !$0.key.hasPrefix("archive/") }.values.contains { $0.contains(rule) })
        }
    }

    @Test func codeBlocksAndFrontMatterAreNeverTouched() async throws {
        let rule = "- Validate every request body with zod schemas"
        let example = """
            ---
            description: how we validate
            tags:
              - Validate every request body with zod schemas
            ---
            # Validation

            - Keep schemas next to the route
            \(rule)
            - Errors go back as 422

            ````markdown
            \(rule)
            ```
            \(rule)
            ```
            ````

            ~~~
            \(rule)
            \(rule)
            ~~~

            - Lists can hold examples:

              ```
              \(rule)
              ```

            """
        let other = Self.note("api", String(rule.dropFirst(2)))
        let (_, after) = try await Self.dream(["validation.md": example, "preferences.md": other])
        let blocks = Self.fencedBlocks(example)
        #expect(blocks.count == 3)
        #expect(Self.fencedBlocks(after["validation.md"]!) == blocks)
        #expect(Self.frontMatter(after["validation.md"]!) == Self.frontMatter(example))
        // The rule itself stays in prose somewhere, not only in an example.
        let prose = after.filter { !$0.key.hasPrefix("archive/") }.values.flatMap { Self.proseLines($0) }
        #expect(prose.contains(rule))
    }

    /// Archiving the last stale entry of a file Reverie writes deletes the file, rather than
    /// leave an agent a heading with nothing under it; a file with a person's text stays.
    @Test func archivingTheLastEntryOfReveriesFileDeletesIt() throws {
        let stale =
            "- Bash `pnpm test` fails: `pnpm: command not found`. (2 times in 2 sessions, last 2026-01-10) <!-- reverie:mistake:abc123 -->"
        let fresh =
            "- Bash `make lint` fails: `No rule to make target`. (2 times in 2 sessions, last 2026-06-01) <!-- reverie:mistake:def456 -->"
        let head = "---\ndescription: Tool errors agents hit again and again\n---\n# Recurring mistakes\n\n"
        let now = try Date("2026-06-02T00:00:00Z", strategy: .iso8601)
        var texts = [
            "mistakes.md": head + stale + "\n",
            "workflows.md": head + stale.replacingOccurrences(of: "abc123", with: "abc124") + "\n" + fresh + "\n",
            "preferences.md": head + "We agreed on this in the retro:\n\n"
                + stale.replacingOccurrences(of: "abc123", with: "abc125") + "\n",
        ]
        let changes = Restructuring(archiveAfterDays: 90).changes(texts: &texts, now: now)
        let emptied = try #require(changes.first { $0.summary.hasSuffix("of mistakes.md") })
        #expect(emptied.deletes == ["mistakes.md"] && emptied.writes.keys.sorted() == ["archive/mistakes.md"])
        #expect(
            texts["mistakes.md"] == nil
                && texts["archive/mistakes.md"]?.contains("archived reverie:mistake:abc123") == true)
        #expect(texts["workflows.md"] == head + fresh + "\n")
        #expect(texts["preferences.md"] == head + "We agreed on this in the retro:\n\n")
        #expect(changes.allSatisfy { $0.deletes.allSatisfy { $0 == "mistakes.md" } })
    }

    @Test func theIndexListsNoArchivedFile() throws {
        let texts = [
            "notes.md": "# Notes\n\n- One\n", "archive/merged.md": "# Merged entries\n",
            "archive/mistakes.md": "# Archived\n",
        ]
        let index = try #require(
            MemoryIndex.text(for: texts, existing: "# Memory\n\n- [archive/old.md](archive/old.md): kept by hand\n"))
        #expect(index.contains("- [notes.md](notes.md): Notes"))
        #expect(!index.contains("archive/merged.md") && !index.contains("archive/mistakes.md"))
        #expect(index.contains("- [archive/old.md](archive/old.md): kept by hand"), "a person's own line stays")
    }

    // MARK: - Helpers read memory on their own, not through the code under test.

    /// Each fenced block (``` or ~~~, any length, any indentation), fences included, byte for byte.
    static func fencedBlocks(_ text: String) -> [String] { scan(text).blocks }

    /// Lines outside front matter and fenced blocks.
    static func proseLines(_ text: String) -> [String] { scan(text).prose }

    static func scan(_ text: String) -> (blocks: [String], prose: [String]) {
        var blocks: [String] = [], prose: [String] = [], current: [Substring] = []
        var open: (Character, Int)?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(frontMatter(text).count) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            let char = trimmed.first ?? " ", run = trimmed.prefix { $0 == char }.count
            if let (fence, length) = open {
                current.append(line)
                if char == fence && run >= length && trimmed.dropFirst(run).allSatisfy(\.isWhitespace) {
                    blocks.append(current.joined(separator: "\n"))
                    current = []
                    open = nil
                }
            } else if (char == "`" || char == "~") && run >= 3 && !(char == "`" && trimmed.dropFirst(run).contains("`"))
            {
                open = (char, run)
                current = [line]
            } else {
                prose.append(String(line))
            }
        }
        if !current.isEmpty { blocks.append(current.joined(separator: "\n")) }
        return (blocks, prose)
    }

    /// The front matter's lines, fences included; empty when there is none.
    static func frontMatter(_ text: String) -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "---", let close = lines.dropFirst().firstIndex(of: "---") else { return [] }
        return Array(lines[...close])
    }
}
