/// A line or file that was skipped, with where and why, so a person can look.
public struct ParseWarning: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based; nil when the whole file was skipped.
    public let line: Int?
    public let reason: String

    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}
