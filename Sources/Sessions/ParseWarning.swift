/// A line or file that was skipped, with where and why, so a person can look.
public struct ParseWarning: Sendable, Equatable, CustomStringConvertible {
    /// The transcript the line or file is in.
    public let file: String
    /// 1-based; nil when the whole file was skipped.
    public let line: Int?
    /// Why it was skipped, for a person to read.
    public let reason: String

    /// A warning about `file`, at `line` when one line was skipped.
    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, or `file: reason` for a whole file.
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}
