/// Reverie's own lines in a file a person writes (CLAUDE.md, AGENTS.md): between two
/// marker lines, added at the end and taken out again so that everything outside them
/// stays byte for byte as it was.
public struct MarkedBlock: Sendable, Equatable {
    /// The line that opens the block; how it is found again.
    public let begin: String
    /// The line that closes it.
    public let end: String
    /// What goes between the two marker lines.
    public let body: String

    /// A block of `body` between the lines `begin` and `end`.
    public init(begin: String, end: String, body: String) {
        self.begin = begin
        self.end = end
        self.body = body
    }

    /// The block's lines, each ending with a newline.
    public var text: String { begin + "\n" + body + (body.hasSuffix("\n") ? "" : "\n") + end + "\n" }

    /// `file` with the block in it: replaced where it stands, else appended after one
    /// newline (so the person's last line, with or without its newline, is kept as it was).
    public func added(to file: String) -> String {
        if let range = range(in: file) { return file.replacingCharacters(in: range.block, with: text) }
        return file.isEmpty ? text : file + "\n" + text
    }

    /// `file` without the block (and the newline `added(to:)` put before it); nil when the
    /// block is not there.
    public func removed(from file: String) -> String? {
        guard let range = range(in: file) else { return nil }
        return file.replacingCharacters(in: range.withSeparator, with: "")
    }

    private func range(in file: String) -> (block: Range<String.Index>, withSeparator: Range<String.Index>)? {
        // The marker must stand on a line of its own: at the start or after a newline.
        var searchStart = file.startIndex
        while let start = file.range(of: begin + "\n", range: searchStart..<file.endIndex) {
            searchStart = start.upperBound
            guard start.lowerBound == file.startIndex || file[file.index(before: start.lowerBound)] == "\n" else {
                continue
            }
            guard let close = file.range(of: "\n" + end, range: start.lowerBound..<file.endIndex) else { return nil }
            var upper = close.upperBound
            if upper < file.endIndex, file[upper] == "\n" { upper = file.index(after: upper) }
            let lower = start.lowerBound > file.startIndex ? file.index(before: start.lowerBound) : start.lowerBound
            return (start.lowerBound..<upper, lower..<upper)
        }
        return nil
    }
}
