/// Who merges a dream into `main`.
public enum MergePolicy: String, Sendable, Equatable, CaseIterable {
    /// A person merges each dream (`reverie approve`, or git itself).
    case manual
    /// Reverie merges a dream as soon as its guardrails pass.
    case auto
}
