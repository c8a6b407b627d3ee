@testable import Consolidators
import Dreaming
import Foundation
import Testing

/// What a dream's restructuring does to memory people wrote: merge only what says the same
/// thing, keep a rule where a person put it, never touch code blocks or front matter, never
/// leave an empty section or a broken numbered list.
@Suite struct RestructuringTests {
    /// The plan of a dream over `texts` with no sessions, and memory once every change is applied.
    static func dream(_ texts: [String: String], humanEdits: [String] = []) async throws -> (plan: DreamPlan, after: [String: String]) {
        let plan = try await BuiltinConsolidator().plan(
            DreamInput(id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: texts), sessions: [], humanEdits: humanEdits))
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
        ("The staging database is reset every night before the load tests run",
         "The staging cache is reset every night before the load tests run"),
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
        ("The staging database is reset every night before the load tests run",
         "the staging database is reset every night, before the load tests run."),
        ("Use TypeScript for type safety", "Use **TypeScript** for type safety."),
        ("Keep pull requests under 400 changed lines", "keep  pull requests under 400 changed lines!"),
        ("Do not commit generated protobuf files", "Don't commit generated protobuf files."),
        ("Ana reviews every change to the billing service", "*Ana* reviews every change to the billing service"),
        ("Pin Node.js to version 20 in CI", "In CI, pin Node.js to version 20"),
        ("Use Vitest instead of Jest for unit tests", "For unit tests, use Vitest instead of Jest"),
        ("Set the retry limit to -1 for the import worker", "Set the retry limit to `-1` for the import worker"),
        ("Release branches are cut on the first Monday of each month", "Release branches are cut on the first Monday of each month too"),
    ]

    @Test(arguments: lookAlikes.indices)
    func entriesOneMeaningfulWordApartAreNotMerged(pair: Int) async throws {
        let (a, b) = Self.lookAlikes[pair]
        let texts = ["ops.md": Self.note("ops", a), "web.md": Self.note("web", b)]
        let (plan, after) = try await Self.dream(texts)
        #expect(!plan.changes.contains { $0.kind == .merge }, "merged \"\(a)\" and \"\(b)\"")
        #expect(after["ops.md"] == texts["ops.md"] && after["web.md"] == texts["web.md"])
    }

    @Test(arguments: paraphrases.indices)
    func entriesThatSayTheSameThingAreMergedAndOneCopyStays(pair: Int) async throws {
        let (a, b) = Self.paraphrases[pair]
        let texts = ["ops.md": Self.note("ops", a), "web.md": Self.note("web", b)]
        let (plan, after) = try await Self.dream(texts)
        #expect(plan.changes.filter { $0.kind == .merge }.count == 1, "\"\(a)\" and \"\(b)\" not merged")
        #expect(after["ops.md"] == texts["ops.md"], "the first copy stays where it is")
        #expect(after["web.md"] == texts["web.md"]!.replacingOccurrences(of: "- \(b)\n", with: ""))
        #expect(after["archive/merged.md"]?.contains("- \(b) — was in web.md, merged into ops.md") == true)
    }

    /// An item's words can mean different things under different parents or headings.
    @Test func itemsThatDependOnWhatTheyHangFromAreComparedWithIt() async throws {
        let pairs = [
            ("# React\n\n- `useEffect`:\n  - Avoid for data fetching or state management\n  - Clean up subscriptions\n- Keep components small\n",
             "# Next\n\n- `'use client'`:\n  - Avoid for data fetching or state management\n  - Keep it at the leaves\n- Prefer server components\n"),
            ("# Style\n\n## Do\n\n- Use inline styles for layout\n- Use CSS modules for theming\n",
             "# Style\n\n## Don'ts\n\n- Use inline styles for layout\n- Use global selectors for components\n"),
            ("# Style\n\n- Use inline styles for layout\n- Use CSS modules for theming\n",
             "# Style\n\nAvoid these:\n\n- Use inline styles for layout\n- Use global selectors for components\n"),
        ]
        for (a, b) in pairs {
            let (plan, _) = try await Self.dream(["a.md": a, "b.md": b])
            #expect(!plan.changes.contains { $0.kind == .merge }, "\(a)\n\(b)")
        }
        // Under the same parent they are the same, and the parent keeps an item under it.
        let (same, after) = try await Self.dream(["a.md": pairs[0].0, "b.md": pairs[0].0.replacingOccurrences(of: "React", with: "Hooks")])
        #expect(same.changes.contains { $0.kind == .merge && $0.summary.contains("a.md") })
        #expect(after["b.md"]?.contains("- `useEffect`:\n  - Clean up subscriptions\n") == true)
    }

    @Test func theCopyAPersonJustEditedStaysAndAReverieFileGivesWayFirst() async throws {
        let rule = "Run the migrations on a copy of production first"
        let texts = ["a.md": Self.note("a", rule), "b.md": Self.note("b", rule), "preferences.md": Self.note("prefs", rule)]
        let (_, after) = try await Self.dream(texts, humanEdits: ["b.md"])
        #expect(after["b.md"] == texts["b.md"])
        #expect(after["a.md"]?.contains(rule) == false && after["preferences.md"]?.contains(rule) == false)

        let (_, ownFirst) = try await Self.dream(["z.md": Self.note("z", rule), "preferences.md": Self.note("prefs", rule)])
        #expect(ownFirst["z.md"]?.contains(rule) == true && ownFirst["preferences.md"]?.contains(rule) == false)
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
            let texts = ["a.md": keeper, "b.md": hole]
            let (plan, after) = try await Self.dream(texts)
            #expect(after["b.md"] == hole, "\(hole)")
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
        let (_, after) = try await Self.dream(["validation.md": example, "api.md": other])
        let blocks = Self.fencedBlocks(example)
        #expect(blocks.count == 3)
        #expect(Self.fencedBlocks(after["validation.md"]!) == blocks)
        #expect(Self.frontMatter(after["validation.md"]!) == Self.frontMatter(example))
        // The rule itself stays in prose somewhere, not only in an example.
        let prose = after.filter { !$0.key.hasPrefix("archive/") }.values.flatMap { Self.proseLines($0) }
        #expect(prose.contains(rule))
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
                    blocks.append(current.joined(separator: "\n")); current = []; open = nil
                }
            } else if (char == "`" || char == "~") && run >= 3 && !(char == "`" && trimmed.dropFirst(run).contains("`")) {
                open = (char, run); current = [line]
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
