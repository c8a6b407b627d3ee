@testable import Consolidators
import Testing

/// A file of Reverie's entries that a person also edits: an entry is found, replaced and
/// removed on its own line in prose, never in a code block the person wrote.
@Suite struct EntryFileTests {
    static let marker = EntryFile.marker("mistake", "1a2b3c4d")
    static let entry = "- Bash `npm run lint` fails: `Missing script: \"lint\"`. (2 times in 2 sessions) \(marker)"
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
        let reinforced = Self.entry.replacingOccurrences(of: "2 times in 2 sessions", with: "3 times in 3 sessions")
        file.upsert(reinforced, marker: Self.marker)
        #expect(file.text == Self.text.replacingOccurrences(of: "\n\n\(Self.entry)\n", with: "\n\n\(reinforced)\n"))
        #expect(file.line(with: Self.marker) == reinforced)
    }

    @Test func anEntryIsRemovedFromProseOnly() {
        var file = EntryFile(path: "mistakes.md", existing: Self.text, title: "t", description: "d")
        file.remove(lineWith: Self.marker)
        #expect(file.text == Self.text.replacingOccurrences(of: "\n\n\(Self.entry)\n", with: "\n\n"))
        #expect(file.line(with: Self.marker) == nil)
    }

    @Test func anEntryOnlyInAnExampleIsAddedBesideIt() {
        let example = Self.text.replacingOccurrences(of: "```\n\n\(Self.entry)\n", with: "```\n")
        #expect(example != Self.text)
        var file = EntryFile(path: "mistakes.md", existing: example, title: "t", description: "d")
        #expect(file.line(with: Self.marker) == nil)
        file.upsert(Self.entry, marker: Self.marker)
        #expect(file.text == example + Self.entry + "\n")
    }
}
