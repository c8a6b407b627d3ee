import Dreaming
import Testing

@testable import Consolidators

/// How a change is matched to what was planted, on changes as a model would write them:
/// by kind and by what the change says and does, never by the built-in's types.
@Suite struct PlantedScorerTests {
    static let corpus = PlantedCorpus(seed: 3, sessionCount: 4)

    func judge(_ changes: [MemoryChange]) -> (scores: [PatternKind: Score], correct: [Bool?]) {
        PlantedScorer(corpus: Self.corpus).judge(DreamPlan(changes: changes), memory: Self.corpus.memory)
    }

    func change(
        _ kind: MemoryChange.Kind, writes: [String: String] = [:], summary: String = "A change",
        evidence: [String] = []
    ) -> MemoryChange {
        MemoryChange(
            kind: kind, writes: writes, summary: summary, rationale: "",
            evidence: evidence.map { Evidence(session: "syn-000", quote: $0) })
    }

    @Test func aMistakeNeedsTheFailingProgramAndItsFixAndCountsOnce() {
        let right = change(
            .mistake,
            writes: ["mistakes.md": "# Mistakes\n\n- `tool3cli` is not installed; run it as `npx tool3cli run …`\n"])
        let noFix = change(.mistake, summary: "tool5cli fails", evidence: ["tool5cli: command not found"])
        let again = change(.mistake, summary: "Use NPX TOOL3CLI, tool3cli alone fails")
        let filedAsOther = change(.other, summary: "tool4cli fails: use npx tool4cli")
        let judged = judge([right, noFix, again, filedAsOther])
        #expect(judged.correct == [true, false, false, nil])
        let score = judged.scores[.mistakes]!
        #expect((score.proposed, score.correct, score.found, score.planted) == (3, 1, 1, 8))
        #expect(score.precision == 1.0 / 3 && score.recall == 1.0 / 8)
    }

    @Test func oneChangeMayNameSeveralPatterns() {
        let both = change(
            .mistake, writes: ["mistakes.md": "- tool1cli: use npx tool1cli\n- tool2cli: use npx tool2cli\n"])
        let score = judge([both]).scores[.mistakes]!
        #expect((score.correct, score.found) == (1, 2))
    }

    @Test func aWorkflowNamesEveryStepInOrder() {
        let steps = Self.corpus.workflows[1]
        let inOrder = change(
            .workflow, writes: ["workflows.md": "1. git pull\n" + steps.map { "1. `\($0)`\n" }.joined() + "1. push\n"])
        let reversed = change(.workflow, summary: steps.reversed().joined(separator: ", then "))
        let missingOne = change(.workflow, summary: steps.dropLast().joined(separator: " → "))
        #expect(judge([reversed, missingOne, inOrder]).correct == [false, false, true])
    }

    @Test func aPreferenceNamesThePlantedTextWhateverItsCaseAndPunctuation() {
        let right = change(.preference, writes: ["preferences.md": "- NEVER log `customer email addresses`!\n"])
        let wrong = change(
            .preference, writes: ["preferences.md": "- Always deploy on Mondays.\n"], evidence: ["Can you look at the"])
        #expect(judge([wrong, right]).correct == [false, true])
    }

    /// The memory of the corpus with `lines` taken out of `path` and `added` appended.
    func edit(_ path: String, removing lines: [String], adding added: [String] = []) -> [String: String] {
        var text = Self.corpus.memory[path]!
        for line in lines { text = text.replacingOccurrences(of: line + "\n", with: "") }
        return [path: text + added.map { $0 + "\n" }.joined()]
    }

    @Test func aMergeTakesOutOneOfAPairAndKeepsWhatItSays() {
        let pairs = Self.corpus.duplicates
        // Pairs sit in one file, or with the second copy in Reverie's preferences.md.
        #expect(Self.corpus.memory["notes/0.md"]!.contains(pairs[0].0 + "\n" + pairs[0].1 + "\n"))
        #expect(
            Self.corpus.memory["notes/1.md"]!.contains(pairs[1].0)
                && Self.corpus.memory["preferences.md"]!.contains(pairs[1].1))
        // The second copy goes, the first stays in notes/0.md: what the built-in does.
        let dropOne = change(.restructure, writes: edit("notes/0.md", removing: [pairs[0].1]))
        // Both go, and one new wording takes their place.
        var rewrite = edit(
            "notes/1.md", removing: [pairs[1].0],
            adding: ["- The queue team owns the widget pipeline, reviews on tuesdays"])
        rewrite.merge(edit("preferences.md", removing: [pairs[1].1])) { $1 }
        let rewritten = change(.restructure, writes: rewrite)
        // A merge that also takes out an entry that duplicates nothing is wrong.
        let noise = Self.corpus.memory["notes/2.md"]!.split(separator: "\n").first { $0.hasPrefix("- The ") }.map(
            String.init)!
        let greedy = change(.merge, writes: edit("notes/2.md", removing: [pairs[2].1, noise]))
        // Both lines gone and nothing in their place: what the pair said is lost.
        var lose = edit("notes/3.md", removing: [pairs[3].0])
        lose.merge(edit("preferences.md", removing: [pairs[3].1])) { $1 }
        let lost = change(.restructure, writes: lose)
        // The person's copy taken out for the one in Reverie's file: the rule left where they put it.
        let wrongPlace = change(.merge, writes: edit("notes/5.md", removing: [pairs[5].0]))
        let judged = judge([dropOne, rewritten, greedy, lost, wrongPlace])
        #expect(judged.correct == [true, true, false, false, false])
        #expect(judged.scores[.duplicates]!.found == 2 && judged.scores[.duplicates]!.planted == 10)
    }
}
