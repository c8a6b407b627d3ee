/// How much the memory tool writes and shows at once.
///
/// Anthropic's documentation asks implementations to keep memory files from growing too
/// large and to let the model page through long reads; these are those bounds.
public struct MemoryToolLimits: Sendable, Equatable {
    /// The largest memory file, in UTF-8 bytes, that a create or an edit may leave.
    public var maxFileBytes: Int
    /// The most characters one `view` returns; a longer file is shown a page at a time.
    public var maxViewCharacters: Int

    /// 256 KiB files; 16,000-character views, the cut Anthropic's own editor tool
    /// (anthropic-quickstarts, `maybe_truncate`) makes.
    public static let standard = MemoryToolLimits(maxFileBytes: 256 * 1024, maxViewCharacters: 16_000)

    /// Other bounds, e.g. the file size the guardrails allow (`max_file_kb`).
    public init(maxFileBytes: Int, maxViewCharacters: Int) {
        self.maxFileBytes = maxFileBytes
        self.maxViewCharacters = maxViewCharacters
    }
}
