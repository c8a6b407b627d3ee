import Testing

@testable import Consolidators

/// A file of Reverie's entries that a person also edits: an entry is found, replaced and
/// removed on its own line in prose, never in a code block the person wrote.
@Suite struct EntryFileTests {
    static let entry = "- `npm run lint` fails: `Missing script: \"lint\"`."
    static let text = """
        ---
        description: Tool errors agents hit again and again
        ---
        # Recurring mistakes

        How an entry looks (an example a person keeps):

        ```markdown
        \(entry)
        ```

        \(entry)

        """

    @Test func anEntryIsReplacedInProseAndTheExampleInACodeBlockStays() {
        var file = EntryFile(path: "mistakes.md", existing: Self.text, title: "t", description: "d")
        let fixed = Self.entry.replacingOccurrences(of: "`.", with: "`. Fix: `npm run lint:all`.")
        file.upsert(fixed, replacing: Self.entry)
        #expect(file.text == Self.text.replacingOccurrences(of: "\n\n\(Self.entry)\n", with: "\n\n\(fixed)\n"))
        #expect(file.entries == [fixed])
    }

    @Test func anEntryIsRemovedFromProseOnly() {
        var file = EntryFile(path: "mistakes.md", existing: Self.text, title: "t", description: "d")
        file.remove(Self.entry)
        #expect(file.text == Self.text.replacingOccurrences(of: "\n\n\(Self.entry)\n", with: "\n\n"))
        #expect(file.entries.isEmpty)
    }

    @Test func anEntryOnlyInAnExampleIsAddedBesideIt() {
        let example = Self.text.replacingOccurrences(of: "```\n\n\(Self.entry)\n", with: "```\n")
        #expect(example != Self.text)
        var file = EntryFile(path: "mistakes.md", existing: example, title: "t", description: "d")
        #expect(file.entries.isEmpty)
        file.upsert(Self.entry, replacing: file.entry { $0 == Self.entry })
        #expect(file.text == example + Self.entry + "\n")
    }
}
