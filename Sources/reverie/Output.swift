import Foundation
import Memory

/// Everything the command line writes passes the secret scanner (DESIGN.md, invariant 10):
/// a dream branch made elsewhere, a transcript quoted in a warning or a commit a person
/// wrote may hold a key.
enum Output {
    /// A line (or any text) on standard output.
    static func write(_ text: String, terminator: String = "\n") {
        Swift.print(SecretScanner.redact(text).text, terminator: terminator)
    }

    /// A line on standard error: warnings, progress, the reason for a failure.
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((SecretScanner.redact(text).text + "\n").utf8))
    }
}

/// The standard `print`, shadowed in this module so no command can print around the scanner.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Output.write(items.map { "\($0)" }.joined(separator: separator), terminator: terminator)
}
