import Dreaming

/// Judges a plan against what a `PlantedCorpus` planted, by what each change says and does
/// to memory, never by a consolidator's own types: the built-in consolidator and a model
/// are judged alike. A change counts for the kind its consolidator gave it (`PatternKind`);
/// its text is its summary, the lines it adds (archive lines included) and its evidence
/// quotes, compared in lower case with punctuation and Markdown as spaces, word by word.
///
/// - a mistake names what the planted one must (`PlantedMistake.names`: the program that
///   fails, `tool3cli`, and the way that works, `npx tool3cli`);
/// - a workflow names every step of the planted sequence, in order (more steps around them do no harm);
/// - a preference names the planted preference's words (`PlantedPreference.names`);
/// - a merge (or a model's restructure) takes one or both lines of a planted pair out of
///   memory outside `archive/`, takes out no other entry, and leaves what the pair says:
///   one of its lines stays, or the change writes a new entry where it took one out. A
///   copy leaves a file a person wrote only for one that stays in that file (Reverie's own
///   files give way to any copy), as `Restructuring` merges; the corpus plants pairs there. The
///   pair's two texts differ by one trailing word, so naming both proves nothing; what a
///   merge takes out does.
///
/// A change that names a pattern an earlier change named is a duplicate, not a correct
/// one (`Score`).
public struct PlantedScorer: Sendable {
    /// What was planted, to judge against.
    public let corpus: PlantedCorpus

    /// A scorer for plans made from `corpus`.
    public init(corpus: PlantedCorpus) {
        self.corpus = corpus
    }

    /// The score per kind, and for each change of the plan whether it was correct (nil:
    /// a change of a kind that is not scored).
    public func judge(_ plan: DreamPlan, memory: [String: String]) -> (scores: [PatternKind: Score], correct: [Bool?]) {
        let effects = ChangeEffect.replay(plan, on: memory)
        let texts = effects.map { effect in
            Self.normalized(
                ([effect.change.summary] + effect.added.map(\.line) + effect.change.evidence.map(\.quote)).joined(
                    separator: "\n"))
        }
        let pairLines = Set(corpus.duplicates.flatMap { [Self.normalized($0.0), Self.normalized($0.1)] })
        var scores: [PatternKind: Score] = [:]
        var correct = [Bool?](repeating: nil, count: effects.count)
        for kind in PatternKind.scored {
            let indices = effects.indices.filter { PatternKind(effects[$0].change.kind) == kind }
            let score: Score
            switch kind {
            case .mistakes:
                score = Score(kind: kind.rawValue, proposed: indices, planted: corpus.mistakes) { index, mistake in
                    mistake.names.allSatisfy { Self.names(texts[index], $0) }
                }
            case .workflows:
                score = Score(kind: kind.rawValue, proposed: indices, planted: corpus.workflows) { index, steps in
                    Self.namesInOrder(texts[index], steps)
                }
            case .preferences:
                score = Score(kind: kind.rawValue, proposed: indices, planted: corpus.preferences) {
                    index, preference in
                    preference.names.allSatisfy { Self.names(texts[index], $0) }
                }
            case .duplicates:
                // Memory outside archive/ after each merge, line by line, to see what stays.
                let live = Dictionary(
                    uniqueKeysWithValues: indices.map { index in
                        (
                            index,
                            Set(
                                effects[index].after.filter { !$0.key.hasPrefix(Restructuring.archiveFolder) }.values
                                    .flatMap(ChangeEffect.lines).map(Self.normalized))
                        )
                    })
                score = Score(kind: kind.rawValue, proposed: indices, planted: corpus.duplicates) { index, pair in
                    Self.merges(
                        effects[index], pair: [Self.normalized(pair.0), Self.normalized(pair.1)],
                        pairLines: pairLines, liveAfter: live[index]!)
                }
            case .other:
                continue
            }
            for (index, verdict) in zip(indices, score.verdicts) { correct[index] = verdict }
            scores[kind] = score
        }
        return (scores, correct)
    }

    /// Whether a change merges a planted pair (its two lines, normalized). `pairLines`
    /// holds the lines of every planted pair; `liveAfter`, memory's lines outside archive/
    /// once the change is applied.
    static func merges(
        _ effect: ChangeEffect, pair: Set<String>, pairLines: Set<String>, liveAfter: Set<String>
    ) -> Bool {
        let removed = effect.removed.filter { !$0.path.hasPrefix(Restructuring.archiveFolder) }
        let fromPair = Set(removed.filter { pair.contains(normalized($0.line)) }.map(\.path))
        guard !fromPair.isEmpty,
            removed.allSatisfy({ !Restructuring.isEntry($0.line) || pairLines.contains(normalized($0.line)) })
        else { return false }
        let stays = !pair.isDisjoint(with: liveAfter)
        let rewritten = effect.added.contains { fromPair.contains($0.path) && Restructuring.isEntry($0.line) }
        // A rule stays where a person put it: said there still, or said there anew.
        let keptWherePut = fromPair.subtracting(Restructuring.ownFiles).allSatisfy { path in
            !pair.isDisjoint(with: Set(ChangeEffect.lines(effect.after[path]).map(normalized)))
                || effect.added.contains { $0.path == path && Restructuring.isEntry($0.line) }
        }
        return (stays || rewritten) && keptWherePut
    }

    /// Lower case, every run of characters that are not letters or digits one space, and a
    /// space at each end, so `names` matches whole words only.
    static func normalized(_ text: String) -> String {
        " " + text.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ") + " "
    }

    /// Whether normalized `text` holds `phrase` as whole words.
    static func names(_ text: String, _ phrase: String) -> Bool {
        text.contains(normalized(phrase))
    }

    /// Whether normalized `text` holds every phrase, each after the one before.
    static func namesInOrder(_ text: String, _ phrases: [String]) -> Bool {
        var from = text.startIndex
        for phrase in phrases {
            guard let range = text.range(of: normalized(phrase), range: from..<text.endIndex) else { return false }
            from = text.index(before: range.upperBound)  // the space after it starts the next one
        }
        return true
    }
}
