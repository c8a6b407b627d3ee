import Dreaming

/// What `reverie eval` scores a change as, from the kind its consolidator gave it. The
/// built-in consolidator merges near-duplicates (`merge`); a model's dream records the same
/// work as `restructure`, so both are judged as duplicates.
public enum PatternKind: String, CaseIterable, Sendable, Codable {
    case mistakes, workflows, preferences, duplicates
    /// Index updates, reinforcements, archives and a model's "other": listed, never scored.
    case other

    /// The kinds with ground truth in a planted corpus, in the order reports list them.
    public static let scored: [PatternKind] = [.mistakes, .workflows, .preferences, .duplicates]

    /// The kind a change of this consolidator kind is scored as.
    public init(_ kind: MemoryChange.Kind) {
        switch kind {
        case .mistake: self = .mistakes
        case .workflow: self = .workflows
        case .preference: self = .preferences
        case .merge, .restructure: self = .duplicates
        case .update, .archive, .index, .other: self = .other
        }
    }
}
