import Dreaming
import Foundation
import Sessions
import Testing

@testable import Consolidators

/// What the built-in consolidator finds in synthetic sessions with planted patterns,
/// scored per kind; a real-data check on the awesome-cursorrules corpus.
@Suite struct QualityTests {
    static let seeds: [UInt64] = [7, 42, 2026, 31337, 90210]

    @Test(arguments: seeds)
    func plantedPatternsAreFoundWithPrecisionAndRecallOfAtLeastNinetyPercent(seed: UInt64) throws {
        for score in Self.finderScores(PlantedCorpus(seed: seed)) {
            print("seed \(seed): \(score)")
            #expect((score.precision ?? 0) >= 0.9 && score.recall >= 0.9, "seed \(seed): \(score)")
        }
    }

    /// `reverie eval` judges the plan by what its changes say, not by the finders' types;
    /// the built-in consolidator must score there exactly what its finders score here.
    @Test(arguments: seeds)
    func theBuiltinPlanScoresWhatItsFindersScore(seed: UInt64) async throws {
        let corpus = PlantedCorpus(seed: seed)
        let plan = try await BuiltinConsolidator().plan(
            DreamInput(
                id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: corpus.memory),
                sessions: corpus.sessions, humanEdits: []))
        let judged = PlantedScorer(corpus: corpus).judge(plan, memory: corpus.memory).scores
        for finders in Self.finderScores(corpus) {
            let score = try #require(judged[PatternKind(rawValue: finders.kind)!])
            print("seed \(seed), plan: \(score)")
            #expect(
                (score.proposed, score.correct, score.found) == (finders.proposed, finders.correct, finders.found),
                "seed \(seed): plan \(score), finders \(finders)")
        }
        for (change, correct) in zip(
            plan.changes, PlantedScorer(corpus: corpus).judge(plan, memory: corpus.memory).correct)
        where correct == false {
            print("seed \(seed), wrong: \(change.summary); " + change.evidence.map(\.quote).joined(separator: " | "))
        }
    }

    /// Each finder's results against what was planted, matched on the finders' own types.
    static func finderScores(_ corpus: PlantedCorpus) -> [Score] {
        let mistakeScore = Score(
            kind: "mistakes", proposed: MistakeFinder(minimumSessions: 2).find(in: corpus.sessions),
            planted: corpus.mistakes
        ) { found, planted in
            let program = String(planted.command.split(separator: " ")[0])
            return found.what.hasPrefix("`\(program)") && found.fix == "`\(planted.fix!)`"
        }
        let workflowScore = Score(
            kind: "workflows", proposed: WorkflowFinder(minimumSessions: 2).find(in: corpus.sessions),
            planted: corpus.workflows
        ) { found, planted in
            found.steps == planted
        }
        let preferenceScore = Score(
            kind: "preferences", proposed: PreferenceFinder(minimumSessions: 2).find(in: corpus.sessions),
            planted: corpus.preferences
        ) { found, planted in
            ([found.text] + found.quotes.map(\.quote)).contains { $0.lowercased().contains(planted.text) }
        }
        var entries: [NearDuplicates.Entry] = []
        for path in corpus.memory.keys.sorted() {
            for (number, line) in corpus.memory[path]!.split(separator: "\n").enumerated() where line.hasPrefix("- ") {
                entries.append(.init(path: path, line: number, text: String(line)))
            }
        }
        let duplicateScore = Score(
            kind: "duplicates", proposed: NearDuplicates().groups(in: entries),
            planted: corpus.duplicates
        ) { group, pair in
            group.count == 2 && Set(group.map(\.text)) == [pair.0, pair.1]
        }
        return [mistakeScore, workflowScore, preferenceScore, duplicateScore]
    }

    /// Sessions with the noise of real transcripts: what the built-in dream proposes is
    /// judged as `reverie eval` judges it, per kind.
    @Test(arguments: seeds)
    func realisticSessionsGiveFewProposalsAndRightOnes(seed: UInt64) async throws {
        let corpus = PlantedCorpus(seed: seed, realistic: true)
        let plan = try await BuiltinConsolidator().plan(
            DreamInput(
                id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: [:]), sessions: corpus.sessions,
                humanEdits: []))
        let judged = PlantedScorer(corpus: PlantedCorpus(seed: seed, realistic: true)).judge(plan, memory: [:])
        for kind in [PatternKind.mistakes, .workflows, .preferences] {
            let score = try #require(judged.scores[kind])
            print("seed \(seed), realistic: \(score)")
            #expect((score.precision ?? 1) >= 0.9, "seed \(seed): \(score)")
            if kind != .workflows { #expect(score.recall >= 0.8, "seed \(seed): \(score)") }
        }
        for (change, correct) in zip(plan.changes, judged.correct) where correct == false {
            print("seed \(seed), wrong: \(change.summary)\n  " + change.writes.values.joined(separator: "\n  "))
        }
    }

    /// Markers, counts, dates and session ids are a small part of what a dream writes:
    /// memory is for an agent to read.
    @Test func memoryOverheadIsUnderTenPercentOfTheTextWritten() async throws {
        let corpus = PlantedCorpus(seed: 42, realistic: true)
        let plan = try await BuiltinConsolidator().plan(
            DreamInput(
                id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: [:]), sessions: corpus.sessions,
                humanEdits: []))
        var final: [String: String] = [:]
        for change in plan.changes { for (path, text) in change.writes { final[path] = text } }
        let written = ["mistakes.md", "workflows.md", "preferences.md"].compactMap { final[$0] }.joined(separator: "\n")
        #expect(written.count > 200, "too little written to measure: \(written)")
        let overhead = [
            /<!--.*?-->/, /\(?\b\d+ (?:times?|sessions?)\b[^)\n]*\)?/, /\b\d{4}-\d{2}-\d{2}\b/, /\breal-\d{3}\b/,
        ]
        .reduce(0) { total, pattern in total + written.matches(of: pattern).reduce(0) { $0 + $1.output.count } }
        let share = Double(overhead) / Double(written.count)
        print("memory overhead: \(overhead) of \(written.count) characters (\(Int(share * 100))%)\n\(written)")
        #expect(share < 0.1)
    }

    @Test func theSameCorpusGivesAByteIdenticalPlan() async throws {
        let corpus = PlantedCorpus(seed: 11)
        let input = DreamInput(
            id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: corpus.memory),
            sessions: corpus.sessions, humanEdits: [])
        let first = try await BuiltinConsolidator().plan(input)
        let second = try await BuiltinConsolidator().plan(input)
        #expect(first == second && !first.changes.isEmpty)
        #expect(first.changes.contains { $0.kind == .merge })
    }

    /// The real awesome-cursorrules files as memory: near-duplicates are merged, and every
    /// distinct line of the corpus is still in memory afterwards (in place or in archive/).
    @Test func realRuleFilesAreDeduplicatedWithoutLosingALine() async throws {
        let folder = ReverieRoot.path + "/Tests/MemoryTests/Fixtures/awesome-cursorrules"
        var texts: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".md") {
            texts["rules/\(name)"] = try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)
        }
        let plan = try await BuiltinConsolidator().plan(
            DreamInput(
                id: "x", memory: MemorySnapshot(commit: nil, files: [], texts: texts), sessions: [], humanEdits: []))
        var after = texts
        for change in plan.changes {
            for (path, text) in change.writes { after[path] = text }
            for path in change.deletes { after[path] = nil }
        }
        let merges = plan.changes.filter { $0.kind == .merge }
        #expect(merges.count >= 10, "only \(merges.count) merges")
        // Every line there is now, and for the lines moved to the archive, the line as it was.
        var present = Set<String>()
        for text in after.values {
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                present.insert(trimmed)
                if let moved = trimmed.components(separatedBy: " — was in ").first { present.insert(moved) }
            }
        }
        var distinct = Set<String>()
        for text in texts.values {
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { distinct.insert(trimmed) }
            }
        }
        let lost = distinct.filter { !present.contains($0) }
        #expect(lost.isEmpty, "lost \(lost.count) lines, e.g. \(lost.prefix(3))")
        // Fewer entries than before in the rule files themselves.
        let before = texts.values.reduce(0) { $0 + $1.split(separator: "\n").count }
        let remaining = after.filter { $0.key.hasPrefix("rules/") }.values.reduce(0) {
            $0 + $1.split(separator: "\n").count
        }
        print("rule files: \(before) lines before, \(remaining) after; \(merges.count) merges")
        #expect(remaining < before)
    }
}

enum ReverieRoot {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}
